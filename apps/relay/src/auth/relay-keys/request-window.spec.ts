import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestWindow } from './request-window';

describe('RequestWindow (sliding 60 s window)', () => {
  it('admits up to the limit in any 60 s, then says when the oldest leaves the window', () => {
    const window = new RequestWindow();
    const t0 = 1_000_000;
    assert.equal(window.take('k', 3, t0), 0);
    assert.equal(window.take('k', 3, t0 + 10_000), 0);
    assert.equal(window.take('k', 3, t0 + 20_000), 0);
    assert.equal(window.take('k', 3, t0 + 30_000), 30_000, 'the first leaves at t0 + 60 s');
    assert.equal(window.take('k', 3, t0 + 59_999), 1);
    assert.equal(window.take('k', 3, t0 + 60_000), 0, 'admitted once the first left');
    assert.equal(window.take('k', 3, t0 + 60_001), 9_999, 'next: the second leaves at t0 + 70 s');
    assert.equal(window.count('k', t0 + 60_001), 3);
  });

  it('is exact, unlike a token bucket: never more than N in any 60 s even at the edges', () => {
    const window = new RequestWindow();
    const admitted: number[] = [];
    for (let t = 0; t < 300_000; t += 250) if (window.take('k', 10, t) === 0) admitted.push(t);
    for (const start of admitted) {
      const inWindow = admitted.filter((t) => t >= start && t < start + 60_000).length;
      assert.ok(inWindow <= 10, `${inWindow} in the minute from ${start}`);
    }
    assert.equal(admitted.filter((t) => t < 60_000).length, 10);
  });

  it('does not count refused requests, and keeps keys apart', () => {
    const window = new RequestWindow();
    assert.equal(window.take('a', 1, 0), 0);
    for (let i = 1; i < 50; i++) assert.ok(window.take('a', 1, i * 1000) > 0);
    assert.equal(window.take('a', 1, 60_000), 0);
    assert.equal(window.take('b', 1, 1), 0);
  });

  it('follows a changed limit, keeping what is in the window', () => {
    const window = new RequestWindow();
    for (let i = 0; i < 5; i++) assert.equal(window.take('k', 5, i * 1000), 0);
    assert.equal(window.take('k', 3, 5_000), 57_000, 'the 3 newest (at 2, 3, 4 s) fill a limit of 3');
    assert.equal(window.take('k', 10, 5_000), 0, 'a higher limit admits again');
    assert.equal(window.count('k', 5_000), 4);
  });

  it('sweeps idle keys', () => {
    const window = new RequestWindow();
    window.take('idle', 5, 0);
    window.take('busy', 5, 50_000);
    window.sweep(60_000);
    assert.equal(window.size, 1);
    assert.equal(window.count('busy', 60_000), 1);
  });
});
