import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LiveEventIds } from './live-event-id';

describe('LiveEventIds', () => {
  it('round-trips sequence numbers', () => {
    const ids = new LiveEventIds(1_750_000_000_000, 42);
    for (const sequence of [0, 1, 35, 36, 1_000_000, 36 ** 10 - 1]) {
      assert.equal(ids.parse(ids.format(sequence)), sequence);
    }
  });

  it('formats fixed-width ids that sort as strings in sequence order', () => {
    const ids = new LiveEventIds(1_750_000_000_000, 7);
    const formatted = [1, 9, 10, 35, 36, 1295, 1296, 99_999].map((n) => ids.format(n));
    assert.deepEqual([...formatted].sort(), formatted);
    assert.equal(new Set(formatted.map((id) => id.length)).size, 1);
  });

  it("sorts an earlier process's ids before this one's", () => {
    const earlier = new LiveEventIds(1_750_000_000_000, 999);
    const later = new LiveEventIds(1_750_000_000_001, 0);
    assert.ok(earlier.format(1_000_000) < later.format(1));
  });

  it("does not recognise another process's or replica's ids", () => {
    const ours = new LiveEventIds(1_750_000_000_000, 1);
    assert.equal(ours.parse(new LiveEventIds(1_749_000_000_000, 1).format(5)), null);
    assert.equal(ours.parse(new LiveEventIds(1_750_000_000_000, 2).format(5)), null);
  });

  it('rejects malformed ids', () => {
    const ids = new LiveEventIds(1_750_000_000_000, 1);
    const valid = ids.format(5);
    for (const bad of [
      '',
      'abc',
      valid.slice(0, -1),
      `${valid}0`,
      valid.replace(/5$/, '!'),
      valid.toUpperCase(),
    ]) {
      assert.equal(ids.parse(bad), null, bad);
    }
  });
});
