import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  nextUtcDayStart,
  nextUtcMonthStart,
  retryAfterSeconds,
  utcDayStart,
  utcMonthStart,
} from './usage-periods';
import { UsageTally } from './usage-tally';

const at = (iso: string) => Date.parse(iso);

describe('UTC periods', () => {
  it('day and month starts and ends', () => {
    const now = at('2026-02-28T23:59:30.500Z');
    assert.equal(utcDayStart(now), at('2026-02-28T00:00:00Z'));
    assert.equal(nextUtcDayStart(now), at('2026-03-01T00:00:00Z'));
    assert.equal(utcMonthStart(now), at('2026-02-01T00:00:00Z'));
    assert.equal(nextUtcMonthStart(now), at('2026-03-01T00:00:00Z'));
    assert.equal(nextUtcMonthStart(at('2026-12-15T10:00:00Z')), at('2027-01-01T00:00:00Z'));
    assert.equal(retryAfterSeconds(now, nextUtcDayStart(now)), 30, 'rounds up');
    assert.equal(retryAfterSeconds(now, now), 1, 'at least 1');
  });
});

describe('UsageTally', () => {
  it('adds tokens and cost to the day and the month; a new day starts at 0, the month goes on', () => {
    const tally = new UsageTally();
    const day1 = at('2026-03-10T12:00:00Z');
    tally.add('k', 100, 0.5, day1);
    tally.add('k', 50, 0.25, day1 + 1000);
    assert.deepEqual(tally.usage('k', day1 + 2000), {
      tokensToday: 150,
      costUsdToday: 0.75,
      tokensThisMonth: 150,
      costUsdThisMonth: 0.75,
    });
    const day2 = at('2026-03-11T00:00:01Z');
    assert.equal(tally.usage('k', day2).tokensToday, 0, 'read on the next day');
    tally.add('k', 10, 0.1, day2);
    assert.deepEqual(tally.usage('k', day2), {
      tokensToday: 10,
      costUsdToday: 0.1,
      tokensThisMonth: 160,
      costUsdThisMonth: 0.85,
    });
    assert.equal(tally.usage('k', at('2026-04-01T00:00:00Z')).costUsdThisMonth, 0, 'a new month');
    assert.equal(tally.usage('other', day2).tokensToday, 0);
  });

  it('hands out pending deltas once, per key and period; gives them back after a failed write', () => {
    const tally = new UsageTally();
    const now = at('2026-03-10T12:00:00Z');
    tally.add('k', 100, 1, now);
    tally.add('k', 1, 0, now);
    const deltas = tally.takePending();
    assert.deepEqual(
      deltas.map((d) => [d.period, d.start, d.tokens, d.costUsd]),
      [
        ['day', at('2026-03-10T00:00:00Z'), 101, 1],
        ['month', at('2026-03-01T00:00:00Z'), 101, 1],
      ],
    );
    assert.deepEqual(tally.takePending(), []);
    tally.add('k', 5, 0, now);
    tally.restore(deltas);
    assert.deepEqual(
      tally.takePending().map((d) => d.tokens),
      [106, 106],
    );
  });

  it('a stored total (loaded, or read back after a write) plus what was added since', () => {
    const tally = new UsageTally();
    const now = at('2026-03-10T12:00:00Z');
    tally.add('k', 10, 0, now);
    // another replica had written 1000 today and 5000 this month
    tally.setStored('k', 'day', utcDayStart(now), 1000, 2, now);
    tally.setStored('k', 'month', utcMonthStart(now), 5000, 7, now);
    assert.deepEqual(tally.usage('k', now), {
      tokensToday: 1010,
      costUsdToday: 2,
      tokensThisMonth: 5010,
      costUsdThisMonth: 7,
    });
    tally.setStored('k', 'day', utcDayStart(now) - 86_400_000, 99_999, 99, now);
    assert.equal(tally.usage('k', now).tokensToday, 1010, 'a past day is ignored');
  });

  it('ignores empty usage and sweeps keys whose month is over', () => {
    const tally = new UsageTally();
    const now = at('2026-03-10T12:00:00Z');
    tally.add('none', 0, 0, now);
    assert.equal(tally.pendingCount, 0);
    tally.add('old', 1, 0, now);
    tally.takePending();
    tally.sweep(at('2026-04-02T00:00:00Z'));
    assert.equal(tally.usage('old', now).tokensToday, 0, 'forgotten');
  });
});
