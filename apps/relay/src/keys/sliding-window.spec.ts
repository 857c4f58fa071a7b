import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlidingWindow } from './sliding-window';

describe('SlidingWindow', () => {
  it('admits `rps` requests in any one-second window', () => {
    const window = new SlidingWindow(2);
    window.record(0);
    assert.equal(window.isFull(100), false);
    window.record(400);
    assert.equal(window.isFull(500), true);
    assert.equal(window.freeAt(), 1000);
    assert.equal(window.isFull(999), true);
    assert.equal(window.isFull(1000), false);
    window.record(1000);
    assert.equal(window.isFull(1200), true);
    assert.equal(window.freeAt(), 1400);
  });

  it('stretches the window for fractional rates', () => {
    const window = new SlidingWindow(0.5);
    assert.equal(window.capacity, 1);
    assert.equal(window.windowMs, 2000);
    window.record(0);
    assert.equal(window.isFull(1999), true);
    assert.equal(window.isFull(2000), false);
    const faster = new SlidingWindow(2.5);
    assert.equal(faster.capacity, 2);
    assert.equal(faster.windowMs, 800);
  });
});
