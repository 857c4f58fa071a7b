import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type QueryTiming,
  type SeedResult,
  measureQueries,
  openLogStore,
  seedLogs,
} from '../bench/seed-logs';

/**
 * The request log at scale: 200,000 entries over 30 days (the full 1,000,000-row run is
 * `node dist/bench/seed-logs.js`), then every list/get/stats query the admin API makes must stay
 * fast. The bound is generous (tests run two at a time on a small machine); the 1M figures are in
 * the seed script's report.
 */
const ROWS = 200_000;
const BOUND_MS = 250;
/** A search that matches nothing reads every preview: linear in the rows, reported, bounded loosely. */
const FULL_SCAN_BOUND_MS = 2000;

describe(`request log with ${ROWS.toLocaleString('en')} entries`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'monorelay-scale-'));
  let seeded: SeedResult;
  let timings: QueryTiming[];

  before(async () => {
    seeded = await seedLogs({
      path: join(dir, 'requests.db'),
      rows: ROWS,
      days: 30,
      bodies: 'none',
      bodyBytes: 0,
    });
    const { store, close } = await openLogStore(join(dir, 'requests.db'));
    try {
      timings = await measureQueries(store, seeded, 5);
    } finally {
      await close();
    }
    console.log(`seeded ${ROWS} entries in ${seeded.seconds.toFixed(1)} s`);
    for (const t of timings)
      console.log(`  ${t.name.padEnd(48)} ${t.medianMs.toFixed(2).padStart(8)} ms  ${t.result}`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers every list, get and statistics query quickly', () => {
    const slow = timings
      .filter((t) => !t.name.includes('no match'))
      .filter((t) => t.medianMs > BOUND_MS)
      .map((t) => `${t.name}: ${t.medianMs.toFixed(1)} ms`);
    assert.deepEqual(slow, []);
  });

  it('returns full pages and real statistics (the timings are of real work)', () => {
    const result = (name: string): string => timings.find((t) => t.name === name)!.result;
    assert.equal(result('list: first page, no filter'), '50 entries');
    assert.equal(result('list: provider filter'), '50 entries');
    assert.equal(result('list: search (common word)'), '50 entries');
    assert.equal(result('get: one entry'), 'found');
    assert.match(result('stats: 24 h, minute buckets'), /^1440 buckets, 0 groups, \d{4,} requests$/);
    assert.match(result('stats: 30 days, day buckets, by model'), /^30 buckets, 8 groups, \d{6} requests$/);
  });

  it('bounds the worst case, a search that matches nothing', () => {
    const scan = timings.find((t) => t.name.includes('no match'))!;
    assert.equal(scan.result, '0 entries');
    assert.ok(scan.medianMs < FULL_SCAN_BOUND_MS, `${scan.medianMs} ms`);
  });
});
