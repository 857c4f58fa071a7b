import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_STATS_BUCKETS,
  alignStatsRange,
  assembleStats,
  buildStatsQuery,
  statsBreakdown,
} from './log-stats-query';
import { STATS_SUM_COLUMNS, SUM_INDEX } from './stats-rollup';

const HOUR = 3_600_000;
const ALL = { userId: null };

describe('statistics queries', () => {
  it('widens the range to whole buckets and bounds the bucket count', () => {
    assert.deepEqual(alignStatsRange({ from: HOUR + 5, to: 3 * HOUR - 5, bucket: 'hour' }), {
      from: HOUR,
      to: 3 * HOUR,
      size: HOUR,
    });
    assert.throws(() => alignStatsRange({ from: 10, to: 10, bucket: 'hour' }), RangeError);
    assert.throws(
      () => alignStatsRange({ from: 0, to: (MAX_STATS_BUCKETS + 1) * 60_000, bucket: 'minute' }),
      RangeError,
    );
  });

  it('reads the smallest breakdown that holds the asked dimensions', () => {
    const range = { from: 0, to: HOUR, bucket: 'minute' as const };
    assert.equal(statsBreakdown(range, ALL), 'total');
    assert.equal(statsBreakdown({ ...range, groupBy: 'provider' }, ALL), 'model');
    assert.equal(statsBreakdown({ ...range, groupBy: 'model' }, ALL), 'model');
    assert.equal(statsBreakdown({ ...range, groupBy: 'key' }, ALL), 'key');
    assert.equal(statsBreakdown({ ...range, groupBy: 'user' }, ALL), 'user');
    assert.equal(statsBreakdown(range, { userId: 'u' }), 'full');
  });

  it('never reads request_logs; days come from hour rollups', () => {
    const day = buildStatsQuery(
      { from: 0, to: 2 * 86_400_000, bucket: 'day', groupBy: 'key' },
      { userId: 'u' },
    );
    assert.ok(!day.sql.includes('request_logs'));
    assert.match(
      day.sql,
      /FROM "request_stats" WHERE "user_id" = \? AND "breakdown" = 'full' AND "granularity" = \?/,
    );
    assert.match(
      day.sql,
      /GROUP BY \("bucket_start" \/ 86400000\) \* 86400000, "provider", "model", "key_label"$/,
    );
    assert.deepEqual(day.params, ['u', 'hour', 0, 2 * 86_400_000]);
  });

  it('fills empty buckets and names key groups provider/label', () => {
    const row = (t: number, provider: string, label: string, requests: number): unknown[] => {
      const sums = new Array(STATS_SUM_COLUMNS.length).fill(0);
      sums[SUM_INDEX.requests] = requests;
      return [t, provider, '', label, ...sums];
    };
    const result = assembleStats({ from: 0, to: 3 * HOUR, bucket: 'hour', groupBy: 'key' }, [
      row(0, 'openai', 'a', 2),
      row(2 * HOUR, 'openai', 'a', 1),
      row(2 * HOUR, 'local', '', 5),
      row(2 * HOUR, 'x', 'gone', 0),
    ]);
    assert.deepEqual(
      result.series.map((p) => [p.t, p.figures.requests]),
      [
        [0, 2],
        [HOUR, 0],
        [2 * HOUR, 6],
      ],
    );
    assert.deepEqual(
      result.groups.map((g) => [g.key, g.figures.requests]),
      [
        ['', 5],
        ['openai/a', 3],
      ],
    );
    assert.equal(result.totals.requests, 8);
    assert.equal(result.series[1].figures.latencyP50Ms, null);
    assert.equal(result.series[1].figures.errorRate, 0);
  });
});
