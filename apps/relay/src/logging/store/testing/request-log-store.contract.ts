import type { RequestLogBodies, RequestLogEntry, StatsFigures, StatsGroupBy } from '@monorelay/contracts';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DatabaseUnavailableError } from '../../../database/managed-data-source';
import type { LogRecord } from '../../log-record';
import { LOG_TABLES } from '../entities/log-table-names';
import { HISTOGRAM_LOWER_EDGES_MS, histogramBin, histogramUpperEdge } from '../latency-histogram';
import { LogRetention } from '../log-retention';
import type { LogListQuery, LogScope, LogStatsQuery } from '../request-log.store';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../stats-rollup';
import { exactFigures, groupOf } from './expected-stats';
import type { LogStoreFixture } from './log-store-fixtures';
import { makeLogRecord, makeLogRecords, seededRandom, uuidv7At } from './log-record-factory';

/**
 * The behaviour every `RequestLogStore` backend must have, as node:test cases: run against SQLite
 * (`test/log-store-sqlite.test.ts`) and PostgreSQL (`test/services/log-store-postgres.test.ts`).
 */

const ALL: LogScope = { userId: null };
/** A fixed, hour-aligned start (2025-06-02T00:00Z) so bucket boundaries are predictable. */
const T0 = Date.UTC(2025, 5, 2);

function fullEntry(overrides: Partial<RequestLogEntry> = {}): RequestLogEntry {
  const timestamp = overrides.timestamp ?? T0 + 1234;
  return {
    id: uuidv7At(timestamp, seededRandom(timestamp)),
    requestId: 'req-äöü-1',
    timestamp,
    state: 'failed',
    endpoint: 'chat.completions',
    method: 'POST',
    path: '/v1/chat/completions?x=1',
    streaming: true,
    principal: 'user:alice',
    userId: 'alice',
    relayKeyId: 'rk_1',
    clientIp: '2001:db8::1',
    userAgent: 'OpenAI/Python 1.99.0 "quoted" \\ backslash',
    requestedModel: 'gpt-4o',
    servedModel: 'claude-sonnet-4-5',
    provider: 'anthropic',
    keyLabel: 'main',
    statusCode: 502,
    latencyMs: 15234,
    firstTokenMs: 812,
    inputTokens: 1200,
    outputTokens: 345,
    cacheReadTokens: 600,
    cacheWriteTokens: 12,
    reasoningTokens: 99,
    errorType: 'stream_interrupted',
    errorCode: 'stream_cut',
    errorMessage: 'upstream cut the stream — 💥',
    errorDetails: JSON.stringify({ upstreamStatus: 200, at: 'chunk 17' }),
    costUsd: 0.00123456789,
    requestPreview: 'Héllo, 世界! 100% _under_ "quotes"',
    responsePreview: "It's fine.\nNew line\ttab",
    attempts: [
      {
        provider: 'openai',
        model: 'gpt-4o',
        keyLabel: null,
        outcome: 'rate_limited',
        status: 429,
        durationMs: 31,
        detail: 'Retry-After: 2',
      },
      {
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        keyLabel: 'main',
        outcome: 'stream_failed',
        status: 200,
        durationMs: 15200,
        detail: null,
      },
    ],
    routeSteps: ['alias gpt-4o', 'fallback → claude-sonnet-4-5'],
    ...overrides,
  };
}

const SAMPLE_BODIES: RequestLogBodies = {
  clientRequest: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi ✓' }] }),
  upstreamRequest: JSON.stringify({ model: 'claude', messages: [{ role: 'user', content: 'Hi ✓' }] }),
  upstreamResponse: 'event: message_start\ndata: {"type":"message_start"}\n\n'.repeat(50),
  clientResponse: null,
  truncated: true,
};

async function listAll(fixture: LogStoreFixture, query: Omit<LogListQuery, 'limit' | 'cursor'>, scope = ALL) {
  const entries: RequestLogEntry[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await fixture.store.list({ ...query, limit: 200, cursor }, scope);
    entries.push(...page.entries);
    if (!page.nextCursor) return entries;
    cursor = page.nextCursor;
  }
}

const newestFirst = (entries: readonly RequestLogEntry[]): string[] =>
  entries.map((e) => e.id).sort((a, b) => (a < b ? 1 : -1));

/** The estimate must lie in the same histogram bin as the exact value (10 ms / factor √2). */
function assertWithinBin(estimate: number | null, exact: number | null, what: string): void {
  if (exact === null) {
    assert.equal(estimate, null, what);
    return;
  }
  assert.notEqual(estimate, null, what);
  const bin = histogramBin(exact);
  const low = HISTOGRAM_LOWER_EDGES_MS[bin] - 0.1;
  const high = histogramUpperEdge(bin) + 0.1;
  assert.ok(
    estimate! >= low && estimate! <= high,
    `${what}: ${estimate} not in [${low}, ${high}) of exact ${exact}`,
  );
}

function assertFigures(actual: StatsFigures, entries: readonly RequestLogEntry[], what: string): void {
  const expected = exactFigures(entries);
  assert.equal(actual.requests, expected.requests, `${what}: requests`);
  assert.equal(actual.errors, expected.errors, `${what}: errors`);
  assert.ok(Math.abs(actual.errorRate - expected.errorRate) < 1e-12, `${what}: errorRate`);
  assert.equal(actual.inputTokens, expected.inputTokens, `${what}: inputTokens`);
  assert.equal(actual.outputTokens, expected.outputTokens, `${what}: outputTokens`);
  assert.equal(actual.cacheReadTokens, expected.cacheReadTokens, `${what}: cacheReadTokens`);
  assert.equal(actual.cacheWriteTokens, expected.cacheWriteTokens, `${what}: cacheWriteTokens`);
  assert.ok(
    Math.abs(actual.costUsd - expected.costUsd) < 1e-9,
    `${what}: cost ${actual.costUsd} vs ${expected.costUsd}`,
  );
  assertWithinBin(actual.latencyP50Ms, expected.exact.latencyP50, `${what}: latency p50`);
  assertWithinBin(actual.latencyP95Ms, expected.exact.latencyP95, `${what}: latency p95`);
  assertWithinBin(actual.firstTokenP50Ms, expected.exact.firstTokenP50, `${what}: first token p50`);
  assertWithinBin(actual.firstTokenP95Ms, expected.exact.firstTokenP95, `${what}: first token p95`);
  if (expected.tokensPerSecond === null) assert.equal(actual.tokensPerSecond, null, `${what}: tokens/s`);
  else assert.ok(Math.abs(actual.tokensPerSecond! - expected.tokensPerSecond) < 1e-6, `${what}: tokens/s`);
}

export function describeRequestLogStoreContract(name: string, open: () => Promise<LogStoreFixture>): void {
  describe(`RequestLogStore on ${name}`, () => {
    let fixture: LogStoreFixture;
    before(async () => {
      fixture = await open();
    });
    after(async () => {
      await fixture?.close();
    });
    beforeEach(async () => {
      fixture.settings.compressBodies = false;
      await fixture.reset();
    });

    it('is ready once open, and its entities match its migrations', async () => {
      assert.equal(fixture.store.isReady(), true);
      const pending = await fixture.database.dataSource.driver.createSchemaBuilder().log();
      assert.deepEqual(
        pending.upQueries.map((q) => q.query),
        [],
      );
    });

    it('returns every field of an entry exactly as appended', async () => {
      const entries = [
        fullEntry(),
        fullEntry({
          timestamp: T0 + 5000,
          id: uuidv7At(T0 + 5000, seededRandom(2)),
          state: 'success',
          streaming: false,
          userId: null,
          relayKeyId: null,
          requestedModel: null,
          servedModel: null,
          provider: null,
          keyLabel: null,
          statusCode: 200,
          latencyMs: null,
          firstTokenMs: null,
          errorType: null,
          errorCode: null,
          errorMessage: null,
          errorDetails: null,
          costUsd: null,
          requestPreview: null,
          responsePreview: null,
          attempts: [],
          routeSteps: [],
        }),
        fullEntry({
          timestamp: T0 + 9000,
          id: uuidv7At(T0 + 9000, seededRandom(3)),
          costUsd: 0,
          state: 'pending',
        }),
      ];
      await fixture.store.append(entries.map((entry) => ({ entry, bodies: null })));
      const page = await fixture.store.list({ limit: 20 }, ALL);
      assert.deepEqual(page.entries, [...entries].reverse());
      assert.equal(page.nextCursor, null);
      for (const entry of entries) assert.deepEqual(await fixture.store.get(entry.id, ALL), entry);
      assert.equal(await fixture.store.get(uuidv7At(T0, seededRandom(9)), ALL), null);
    });

    it('pages newest first by cursor, without duplicates or gaps, at every page size', async () => {
      const random = seededRandom(7);
      // many entries share a millisecond: the id, not the timestamp, orders them
      const records = makeLogRecords(437, T0, T0 + 60, { random });
      await fixture.store.append(records);
      const expected = newestFirst(records.map((r) => r.entry));
      for (const limit of [20, 50, 100, 200] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        for (;;) {
          const page = await fixture.store.list({ limit, cursor }, ALL);
          pages++;
          assert.ok(page.entries.length <= limit);
          seen.push(...page.entries.map((e) => e.id));
          if (!page.nextCursor) break;
          assert.equal(page.entries.length, limit);
          assert.equal(page.nextCursor, page.entries[page.entries.length - 1].id);
          cursor = page.nextCursor;
        }
        assert.deepEqual(seen, expected, `limit ${limit}`);
        assert.equal(pages, Math.ceil(437 / limit));
      }
      await assert.rejects(fixture.store.list({ limit: 30 as 20 }, ALL), RangeError);
    });

    it('applies each filter, alone and combined, like a brute-force scan', async () => {
      const random = seededRandom(11);
      const records = makeLogRecords(600, T0, T0 + 6 * HOUR_MS, { random, errorRate: 0.2 });
      // served differs from requested on some: the model filter matches either
      for (const { entry } of records.slice(0, 40)) entry.servedModel = 'gpt-4o-mini';
      records[5].entry.requestPreview = 'Find THE needle_in 100% of hay';
      records[77].entry.responsePreview = 'another NEEDLE_in here';
      records[78].entry.responsePreview = 'needleXin does not match the underscore';
      await fixture.store.append(records);
      const all = records.map((r) => r.entry);
      const cases: Array<[string, Omit<LogListQuery, 'limit'>, (e: RequestLogEntry) => boolean]> = [
        [
          'time range',
          { from: T0 + HOUR_MS, to: T0 + 2 * HOUR_MS },
          (e) => e.timestamp >= T0 + HOUR_MS && e.timestamp < T0 + 2 * HOUR_MS,
        ],
        [
          'model',
          { model: 'gpt-4o-mini' },
          (e) => e.requestedModel === 'gpt-4o-mini' || e.servedModel === 'gpt-4o-mini',
        ],
        ['provider', { provider: 'anthropic' }, (e) => e.provider === 'anthropic'],
        ['errors', { status: 'error' }, (e) => e.state === 'failed'],
        ['successes', { status: 'success' }, (e) => e.state === 'success'],
        ['status 429', { status: 429 }, (e) => e.statusCode === 429],
        ['user', { userId: 'user-03' }, (e) => e.userId === 'user-03'],
        [
          'search',
          { search: 'needle_in' },
          (e) => /needle_in/i.test(`${e.requestPreview} ${e.responsePreview}`),
        ],
        ['search %', { search: '100%' }, (e) => (e.requestPreview ?? '').includes('100%')],
        [
          'combined',
          { provider: 'openai', status: 'error', from: T0 + HOUR_MS },
          (e) => e.provider === 'openai' && e.state === 'failed' && e.timestamp >= T0 + HOUR_MS,
        ],
        [
          'model and user',
          { model: 'gpt-4o-mini', userId: 'user-05' },
          (e) =>
            (e.requestedModel === 'gpt-4o-mini' || e.servedModel === 'gpt-4o-mini') && e.userId === 'user-05',
        ],
      ];
      for (const [what, query, keep] of cases) {
        const expected = newestFirst(all.filter(keep));
        assert.ok(expected.length > 0, `${what}: the fixture has matches`);
        const got = await listAll(fixture, query);
        assert.deepEqual(
          got.map((e) => e.id),
          expected,
          what,
        );
      }
      // paging through the two-index model filter
      const expected = newestFirst(
        all.filter((e) => e.requestedModel === 'gpt-4o-mini' || e.servedModel === 'gpt-4o-mini'),
      );
      const firstPage = await fixture.store.list({ model: 'gpt-4o-mini', limit: 20 }, ALL);
      const secondPage = await fixture.store.list(
        { model: 'gpt-4o-mini', limit: 20, cursor: firstPage.nextCursor! },
        ALL,
      );
      assert.deepEqual(
        [...firstPage.entries, ...secondPage.entries].map((e) => e.id),
        expected.slice(0, 40),
      );
    });

    it('scopes list, get and bodies to one user', async () => {
      const alice = fullEntry({ userId: 'alice' });
      const bob = fullEntry({
        userId: 'bob',
        timestamp: T0 + 2000,
        id: uuidv7At(T0 + 2000, seededRandom(5)),
      });
      const shared = fullEntry({
        userId: null,
        timestamp: T0 + 3000,
        id: uuidv7At(T0 + 3000, seededRandom(6)),
      });
      await fixture.store.append([alice, bob, shared].map((entry) => ({ entry, bodies: SAMPLE_BODIES })));
      const asAlice: LogScope = { userId: 'alice' };
      assert.deepEqual((await fixture.store.list({ limit: 20 }, asAlice)).entries, [alice]);
      assert.deepEqual((await fixture.store.list({ limit: 20, userId: 'bob' }, asAlice)).entries, []);
      assert.equal((await fixture.store.list({ limit: 20 }, ALL)).entries.length, 3);
      assert.deepEqual(await fixture.store.get(alice.id, asAlice), alice);
      assert.equal(await fixture.store.get(bob.id, asAlice), null);
      assert.equal(await fixture.store.get(shared.id, asAlice), null);
      assert.deepEqual(await fixture.store.bodies(alice.id, asAlice), SAMPLE_BODIES);
      assert.equal(await fixture.store.bodies(bob.id, asAlice), null);
      assert.deepEqual(await fixture.store.bodies(bob.id, ALL), SAMPLE_BODIES);
    });

    it('stores bodies as is or gzipped, only for entries that have them, and reads them back', async () => {
      const plain = fullEntry();
      const none = fullEntry({ timestamp: T0 + 2000, id: uuidv7At(T0 + 2000, seededRandom(5)) });
      await fixture.store.append([
        { entry: plain, bodies: SAMPLE_BODIES },
        { entry: none, bodies: null },
      ]);
      fixture.settings.compressBodies = true;
      const zipped = fullEntry({ timestamp: T0 + 3000, id: uuidv7At(T0 + 3000, seededRandom(6)) });
      const big = { ...SAMPLE_BODIES, clientResponse: 'x'.repeat(200_000), truncated: false };
      await fixture.store.append([{ entry: zipped, bodies: big }]);

      assert.deepEqual(await fixture.store.bodies(plain.id, ALL), SAMPLE_BODIES);
      assert.deepEqual(await fixture.store.bodies(zipped.id, ALL), big);
      assert.equal(await fixture.store.bodies(none.id, ALL), null);
      assert.equal(await fixture.count(LOG_TABLES.bodies), 2);
      const rows = await fixture.query(
        `SELECT "log_id", "encoding", "client_response" FROM "${LOG_TABLES.bodies}" ORDER BY "log_id"`,
      );
      assert.deepEqual(
        rows.map((r) => r.encoding),
        ['identity', 'gzip'],
      );
      assert.ok((rows[1].client_response as Buffer).length < 2000, 'the gzipped body is small');
    });

    it('clears everything, or one user’s entries, bodies and rollups', async () => {
      const random = seededRandom(13);
      const records = makeLogRecords(300, T0, T0 + HOUR_MS, {
        random,
        bodyBytes: 300,
        users: ['alice', 'bob', null],
      });
      await fixture.store.append(records);
      const aliceCount = records.filter((r) => r.entry.userId === 'alice').length;
      const range: LogStatsQuery = { from: T0, to: T0 + HOUR_MS, bucket: 'hour', groupBy: 'user' };

      assert.equal(await fixture.store.clear({ userId: 'alice' }), aliceCount);
      assert.deepEqual((await fixture.store.list({ limit: 20 }, { userId: 'alice' })).entries, []);
      assert.equal(await fixture.count(LOG_TABLES.logs), 300 - aliceCount);
      assert.equal(await fixture.count(LOG_TABLES.bodies), 300 - aliceCount);
      assert.equal((await fixture.store.stats(range, { userId: 'alice' })).totals.requests, 0);
      const stats = await fixture.store.stats(range, ALL);
      assert.equal(stats.totals.requests, 300 - aliceCount);
      assert.deepEqual(stats.groups.map((g) => g.key).sort(), ['', 'bob']);
      // the breakdowns without a user dimension lost exactly alice's share
      const remaining = records.map((r) => r.entry).filter((e) => e.userId !== 'alice');
      for (const groupBy of [undefined, 'model', 'key'] as const) {
        const result = await fixture.store.stats({ ...range, bucket: 'minute', groupBy }, ALL);
        assertFigures(result.totals, remaining, `after clearing alice, by ${groupBy ?? 'nothing'}`);
        for (const group of result.groups) {
          const members = remaining.filter((e) => groupOf(e, groupBy!) === group.key);
          if (members.length) assertFigures(group.figures, members, `after clearing alice: ${group.key}`);
          else assert.equal(group.figures.requests, 0);
        }
      }

      assert.equal(await fixture.store.clear(ALL), 300 - aliceCount);
      assert.equal(await fixture.count(LOG_TABLES.logs), 0);
      assert.equal(await fixture.count(LOG_TABLES.bodies), 0);
      assert.equal(await fixture.count(LOG_TABLES.stats), 0);
    });

    it('retention deletes exactly the entries older than the cut, with their bodies and rollups', async () => {
      const random = seededRandom(17);
      // 3 days of entries, 2 bodies each; several entries sit right at the cut
      const records = makeLogRecords(3000, T0, T0 + 3 * DAY_MS, { random, bodyBytes: 200 });
      const cut = T0 + DAY_MS + 7 * HOUR_MS + 30 * MINUTE_MS + 17_123;
      for (const offset of [-1, 0, 0, 1])
        records.push(makeLogRecord({ timestamp: cut + offset, random, bodyBytes: 100 }));
      await fixture.store.append(records);
      const older = records.filter((r) => r.entry.timestamp < cut);
      const kept = records.filter((r) => r.entry.timestamp >= cut);

      assert.equal(await fixture.store.deleteOlderThan(cut), older.length);
      assert.deepEqual(
        (await listAll(fixture, {})).map((e) => e.id),
        newestFirst(kept.map((r) => r.entry)),
      );
      assert.equal(await fixture.count(LOG_TABLES.bodies), kept.length);
      for (const { entry } of older.slice(-3)) assert.equal(await fixture.store.bodies(entry.id, ALL), null);

      // rollups: every bucket that ended by the cut is gone; the bucket holding the cut stays
      const minuteOfCut = Math.floor(cut / MINUTE_MS) * MINUTE_MS;
      const hourOfCut = Math.floor(cut / HOUR_MS) * HOUR_MS;
      assert.equal(
        await fixture.count(LOG_TABLES.stats, `"granularity" = 'minute' AND "bucket_start" < ${minuteOfCut}`),
        0,
      );
      assert.equal(
        await fixture.count(LOG_TABLES.stats, `"granularity" = 'hour' AND "bucket_start" < ${hourOfCut}`),
        0,
      );
      assert.ok(
        (await fixture.count(
          LOG_TABLES.stats,
          `"granularity" = 'minute' AND "bucket_start" = ${minuteOfCut}`,
        )) > 0,
      );
      // stats after the cut's hour still match the entries exactly
      const after = await fixture.store.stats(
        { from: hourOfCut + HOUR_MS, to: T0 + 3 * DAY_MS, bucket: 'hour' },
        ALL,
      );
      assertFigures(
        after.totals,
        kept.map((r) => r.entry).filter((e) => e.timestamp >= hourOfCut + HOUR_MS),
        'after retention',
      );
      // a second pass finds nothing more
      assert.equal(await fixture.store.deleteOlderThan(cut), 0);

      // LogRetention: max_age_days 0 keeps every entry, but minute rollups only for 8 days
      let days = 0;
      const retention = new LogRetention(fixture.store, () => days);
      const hourRollups = await fixture.count(LOG_TABLES.stats, `"granularity" = 'hour'`);
      assert.equal(await retention.runOnce(T0 + 10 * DAY_MS), null);
      assert.equal(await fixture.count(LOG_TABLES.logs), kept.length);
      assert.equal(await fixture.count(LOG_TABLES.stats, `"granularity" = 'hour'`), hourRollups);
      const minuteCut = T0 + 2 * DAY_MS;
      assert.equal(
        await fixture.count(LOG_TABLES.stats, `"granularity" = 'minute' AND "bucket_start" < ${minuteCut}`),
        0,
      );
      assert.ok(
        (await fixture.count(
          LOG_TABLES.stats,
          `"granularity" = 'minute' AND "bucket_start" >= ${minuteCut}`,
        )) > 0,
      );
      days = 1;
      const run = await retention.runOnce(T0 + 3 * DAY_MS);
      assert.deepEqual(run, {
        cutoff: T0 + 2 * DAY_MS,
        deleted: kept.filter((r) => r.entry.timestamp < T0 + 2 * DAY_MS).length,
      });
      assert.equal(await fixture.count(LOG_TABLES.logs, `"timestamp" < ${T0 + 2 * DAY_MS}`), 0);
    });

    it('serves statistics from the rollups that match a brute-force computation', async () => {
      const random = seededRandom(19);
      const records = makeLogRecords(2500, T0 + 2 * DAY_MS + 13 * MINUTE_MS, T0 + 3 * DAY_MS + 5 * HOUR_MS, {
        random,
        errorRate: 0.1,
        users: ['alice', 'bob', 'carol', null],
      });
      // appended in several batches, out of time order, so UPSERTs add into existing rollups
      const shuffled = [...records].sort(() => random() - 0.5);
      for (let i = 0; i < shuffled.length; i += 400) await fixture.store.append(shuffled.slice(i, i + 400));
      const entries = records.map((r) => r.entry);

      const queries: Array<[LogStatsQuery, LogScope]> = [
        [{ from: T0 + 2 * DAY_MS + HOUR_MS, to: T0 + 2 * DAY_MS + 3 * HOUR_MS, bucket: 'minute' }, ALL],
        [{ from: T0 + 2 * DAY_MS, to: T0 + 4 * DAY_MS, bucket: 'hour', groupBy: 'model' }, ALL],
        [{ from: T0, to: T0 + 5 * DAY_MS, bucket: 'day', groupBy: 'provider' }, ALL],
        [{ from: T0, to: T0 + 5 * DAY_MS, bucket: 'day', groupBy: 'key' }, ALL],
        [{ from: T0, to: T0 + 5 * DAY_MS, bucket: 'day', groupBy: 'user' }, ALL],
        [{ from: T0 + 2 * DAY_MS, to: T0 + 4 * DAY_MS, bucket: 'hour', groupBy: 'model' }, { userId: 'bob' }],
        // unaligned bounds widen to whole buckets
        [
          {
            from: T0 + 2 * DAY_MS + 5 * HOUR_MS + 123,
            to: T0 + 2 * DAY_MS + 9 * HOUR_MS - 5,
            bucket: 'hour',
          },
          ALL,
        ],
      ];
      for (const [query, scope] of queries) {
        const result = await fixture.store.stats(query, scope);
        const size = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS }[query.bucket];
        const from = Math.floor(query.from / size) * size;
        const to = Math.ceil(query.to / size) * size;
        assert.equal(result.from, from);
        assert.equal(result.to, to);
        const inRange = entries.filter(
          (e) =>
            e.timestamp >= from && e.timestamp < to && (scope.userId === null || e.userId === scope.userId),
        );
        const what = `${query.bucket}${query.groupBy ? ` by ${query.groupBy}` : ''}${scope.userId ? ` as ${scope.userId}` : ''}`;
        assertFigures(result.totals, inRange, `${what} totals`);
        assert.equal(result.series.length, (to - from) / size, `${what}: one point per bucket`);
        for (const point of result.series) {
          assertFigures(
            point.figures,
            inRange.filter((e) => e.timestamp >= point.t && e.timestamp < point.t + size),
            `${what} @${new Date(point.t).toISOString()}`,
          );
        }
        if (query.groupBy) {
          const groupBy: StatsGroupBy = query.groupBy;
          const keys = [...new Set(inRange.map((e) => groupOf(e, groupBy)))];
          assert.deepEqual(result.groups.map((g) => g.key).sort(), keys.sort(), `${what}: groups`);
          for (const group of result.groups) {
            assertFigures(
              group.figures,
              inRange.filter((e) => groupOf(e, groupBy) === group.key),
              `${what} ${group.key}`,
            );
          }
          const counts = result.groups.map((g) => g.figures.requests);
          assert.deepEqual(
            counts,
            [...counts].sort((a, b) => b - a),
            'largest group first',
          );
        } else {
          assert.deepEqual(result.groups, []);
        }
      }
      const empty = await fixture.store.stats({ from: T0, to: T0 + HOUR_MS, bucket: 'minute' }, ALL);
      assert.equal(empty.series.length, 60);
      assert.ok(empty.series.every((p) => p.figures.requests === 0 && p.figures.latencyP50Ms === null));
      await assert.rejects(
        fixture.store.stats({ from: T0, to: T0 + 30 * DAY_MS, bucket: 'minute' }, ALL),
        RangeError,
      );
    });

    it('answers statistics without reading request_logs', async () => {
      const records = makeLogRecords(200, T0, T0 + HOUR_MS, { random: seededRandom(23) });
      await fixture.store.append(records);
      // remove the raw rows behind the store's back: the figures must not change
      const before = await fixture.store.stats(
        { from: T0, to: T0 + HOUR_MS, bucket: 'minute', groupBy: 'model' },
        ALL,
      );
      await fixture.query(`DELETE FROM "${LOG_TABLES.logs}"`);
      assert.equal(await fixture.count(LOG_TABLES.logs), 0);
      const after = await fixture.store.stats(
        { from: T0, to: T0 + HOUR_MS, bucket: 'minute', groupBy: 'model' },
        ALL,
      );
      assert.deepEqual(after, before);
      assert.equal(after.totals.requests, 200);
    });

    it('takes concurrent appends without losing entries or rollup counts', async () => {
      const random = seededRandom(29);
      const batches = Array.from({ length: 12 }, (_, i) =>
        makeLogRecords(150, T0 + i * 1000, T0 + HOUR_MS, { random, bodyBytes: i % 2 ? 500 : 0 }),
      );
      fixture.settings.compressBodies = true;
      await Promise.all(batches.map((batch) => fixture.store.append(batch)));
      assert.equal(await fixture.count(LOG_TABLES.logs), 1800);
      const stats = await fixture.store.stats({ from: T0, to: T0 + HOUR_MS, bucket: 'hour' }, ALL);
      assertFigures(
        stats.totals,
        batches.flat().map((r) => r.entry),
        'concurrent',
      );
    });

    it('is idempotent: entries already stored are skipped, with their bodies and rollups', async () => {
      const random = seededRandom(31);
      const first = makeLogRecords(300, T0, T0 + HOUR_MS, { random, bodyBytes: 200 });
      await fixture.store.append(first);
      const before = await fixture.store.stats(
        { from: T0, to: T0 + HOUR_MS, bucket: 'minute', groupBy: 'model' },
        ALL,
      );
      // the write-behind queue retries a batch whose answer was lost: it was stored already
      await fixture.store.append(first);
      assert.equal(await fixture.count(LOG_TABLES.logs), 300);
      assert.equal(await fixture.count(LOG_TABLES.bodies), 300);
      assert.deepEqual(
        await fixture.store.stats({ from: T0, to: T0 + HOUR_MS, bucket: 'minute', groupBy: 'model' }, ALL),
        before,
      );
      // a batch mixing old and new entries (and one twice) stores the new ones once
      const fresh = makeLogRecords(20, T0, T0 + HOUR_MS, { random, bodyBytes: 200 });
      const mixed: LogRecord[] = [...first.slice(0, 50), ...fresh, fresh[3]];
      await fixture.store.append(mixed);
      assert.equal(await fixture.count(LOG_TABLES.logs), 320);
      assert.equal(await fixture.count(LOG_TABLES.bodies), 320);
      const after = await fixture.store.stats({ from: T0, to: T0 + HOUR_MS, bucket: 'hour' }, ALL);
      assertFigures(
        after.totals,
        [...first, ...fresh].map((r) => r.entry),
        'after the mixed batch',
      );
    });

    it('refuses work once closed', async () => {
      const other = await open();
      await other.database.close();
      assert.equal(other.store.isReady(), false);
      await assert.rejects(other.store.list({ limit: 20 }, ALL), DatabaseUnavailableError);
      await assert.rejects(
        other.store.append([makeLogRecord({ timestamp: T0, random: seededRandom(1) })]),
        DatabaseUnavailableError,
      );
      await other.close();
    });
  });
}
