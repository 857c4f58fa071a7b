import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pickRandom, pickRoundRobin, pickWeighted } from './selection-strategies';

/** Deterministic PRNG (mulberry32) so distributions are reproducible. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function histogram(draw: () => number, draws: number, size: number): number[] {
  const counts = new Array<number>(size).fill(0);
  for (let i = 0; i < draws; i++) counts[draw()]++;
  return counts;
}

describe('pickRoundRobin', () => {
  it('walks the usable keys from the cursor, wrapping around', () => {
    const usable = [true, false, true, true];
    assert.equal(pickRoundRobin(usable, 0), 0);
    assert.equal(pickRoundRobin(usable, 1), 2);
    assert.equal(pickRoundRobin(usable, 3), 3);
    assert.equal(pickRoundRobin([false, true, false], 2), 1);
  });

  it('returns -1 when nothing is usable', () => {
    assert.equal(pickRoundRobin([false, false], 0), -1);
    assert.equal(pickRoundRobin([], 0), -1);
  });
});

describe('pickRandom', () => {
  it('is uniform over usable keys', () => {
    const random = seeded(1);
    const draws = 30_000;
    const counts = histogram(() => pickRandom([true, false, true, true], random), draws, 4);
    assert.equal(counts[1], 0);
    for (const index of [0, 2, 3]) assert.ok(Math.abs(counts[index] / draws - 1 / 3) < 0.02, `${counts}`);
  });

  it('survives random() values at the edges', () => {
    assert.equal(
      pickRandom([true, true], () => 0),
      0,
    );
    assert.equal(
      pickRandom([true, true], () => 0.9999999999),
      1,
    );
    assert.equal(
      pickRandom([false, false], () => 0.5),
      -1,
    );
  });
});

describe('pickWeighted', () => {
  it('picks in proportion to weight', () => {
    const random = seeded(7);
    const draws = 40_000;
    const counts = histogram(() => pickWeighted([true, true, true], [1, 3, 6], random), draws, 3);
    assert.ok(Math.abs(counts[0] / draws - 0.1) < 0.015, `${counts}`);
    assert.ok(Math.abs(counts[1] / draws - 0.3) < 0.015, `${counts}`);
    assert.ok(Math.abs(counts[2] / draws - 0.6) < 0.015, `${counts}`);
  });

  it('renormalizes over usable keys', () => {
    const random = seeded(3);
    const counts = histogram(() => pickWeighted([true, false, true], [1, 100, 1], random), 10_000, 3);
    assert.equal(counts[1], 0);
    assert.ok(Math.abs(counts[0] - counts[2]) < 600, `${counts}`);
  });

  it('treats weight 0 as a standby: never picked while a positive-weight key is usable', () => {
    const random = seeded(9);
    const counts = histogram(() => pickWeighted([true, true], [0, 1], random), 5_000, 2);
    assert.deepEqual(counts, [0, 5_000]);
    assert.equal(pickWeighted([true, false], [0, 1], random), 0);
    const standbys = histogram(() => pickWeighted([true, true, false], [0, 0, 5], random), 10_000, 3);
    assert.ok(standbys[0] > 4_000 && standbys[1] > 4_000 && standbys[2] === 0, `${standbys}`);
  });

  it('returns -1 when nothing is usable', () => {
    assert.equal(pickWeighted([false], [1], Math.random), -1);
  });
});
