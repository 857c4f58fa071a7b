import type { RequestLogEntry } from '@monorelay/contracts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { histogramBin } from './latency-histogram';
import { SUM_INDEX, generationTimeMs, rollupBatch, rollupRowValues, STATS_COLUMNS } from './stats-rollup';
import { makeLogRecords, seededRandom } from './testing/log-record-factory';

const T0 = Date.UTC(2025, 0, 1, 10);

describe('rollupBatch', () => {
  const entries: RequestLogEntry[] = makeLogRecords(400, T0, T0 + 3 * 60_000, {
    random: seededRandom(4),
    users: ['a', 'b', null],
  }).map((r) => r.entry);
  const rows = rollupBatch(entries);

  it('sums each breakdown and granularity to the batch totals', () => {
    for (const breakdown of ['full', 'total', 'model', 'key', 'user'] as const) {
      for (const granularity of ['minute', 'hour'] as const) {
        const part = rows.filter((r) => r.breakdown === breakdown && r.granularity === granularity);
        const sum = (i: number): number => part.reduce((total, r) => total + r.sums[i], 0);
        assert.equal(sum(SUM_INDEX.requests), 400, `${breakdown}/${granularity}`);
        assert.equal(sum(SUM_INDEX.errors), entries.filter((e) => e.state === 'failed').length);
        assert.equal(
          sum(SUM_INDEX.inputTokens),
          entries.reduce((t, e) => t + e.inputTokens, 0),
        );
      }
    }
    assert.equal(rows.filter((r) => r.breakdown === 'total' && r.granularity === 'hour').length, 1);
    assert.equal(rows.filter((r) => r.breakdown === 'total' && r.granularity === 'minute').length, 3);
    assert.deepEqual([...new Set(rows.filter((r) => r.breakdown === 'user').map((r) => r.userId))].sort(), [
      '',
      'a',
      'b',
    ]);
    for (const row of rows.filter((r) => r.breakdown === 'model'))
      assert.equal(row.userId + row.keyLabel, '');
  });

  it('counts latencies in their histogram bins and times generation of successful streams', () => {
    const total = rows.find((r) => r.breakdown === 'total' && r.granularity === 'hour')!;
    const bins = new Array(32).fill(0);
    for (const e of entries) if (e.latencyMs !== null) bins[histogramBin(e.latencyMs)]++;
    assert.deepEqual([...total.sums.subarray(SUM_INDEX.latencyBins, SUM_INDEX.latencyBins + 32)], bins);
    const generation = entries.map(generationTimeMs).reduce<number>((t, ms) => t + (ms ?? 0), 0);
    assert.equal(total.sums[SUM_INDEX.generationMsSum], generation);
    assert.ok(generation > 0);
  });

  it('orders rows by key, and spells them in STATS_COLUMNS order', () => {
    const keys = rows.map((r) => [
      r.breakdown,
      r.granularity,
      r.bucketStart,
      r.provider,
      r.model,
      r.keyLabel,
      r.userId,
    ]);
    const sorted = [...keys].sort((a, b) => {
      for (let i = 0; i < a.length; i++) {
        if (a[i] < b[i]) return -1;
        if (a[i] > b[i]) return 1;
      }
      return 0;
    });
    assert.deepEqual(keys, sorted);
    assert.equal(rollupRowValues(rows[0]).length, STATS_COLUMNS.length);
  });

  it('does not time generation for failures, non-streams or missing first tokens', () => {
    const base = entries.find((e) => e.streaming && e.state === 'success' && e.firstTokenMs !== null)!;
    assert.ok(generationTimeMs(base)! > 0);
    assert.equal(generationTimeMs({ ...base, streaming: false }), null);
    assert.equal(generationTimeMs({ ...base, state: 'failed' }), null);
    assert.equal(generationTimeMs({ ...base, firstTokenMs: null }), null);
    assert.equal(generationTimeMs({ ...base, firstTokenMs: base.latencyMs }), null);
  });
});
