/**
 * Request log store at scale: seeds a SQLite log database with N realistic entries (default
 * 1,000,000) spread over the last D days (default 30), rollups included, then times the queries the
 * admin API and the dashboard make, and reports how big the file got.
 *
 *   node dist/bench/seed-logs.js [--rows N] [--days D] [--db FILE] [--bodies none|identity|gzip]
 *                                [--body-bytes B] [--growth] [--append [--pg ADMIN_URL]] [--keep] [--json FILE]
 *
 * Seeding goes through the store's own write path (`append`: the writer thread's prepared statements,
 * one transaction per batch of 20,000, the next batch generated while the previous one is written).
 * `--growth` instead seeds 100,000 entries three times (no bodies; bodies as is; gzipped bodies) and
 * reports the bytes each adds per 100,000 requests, table by table. `--append` times `append` of
 * 500-entry batches (what the write-behind queue flushes): the relay thread's CPU, the time until
 * committed, and the writer's work (rows, gzip, rollups); `--pg` repeats it on a fresh PostgreSQL
 * database created (and dropped) through ADMIN_URL.
 */
import 'reflect-metadata';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ManagedDataSource } from '../apps/relay/src/database/managed-data-source';
import { sqliteHandleOf } from '../apps/relay/src/database/sqlite-connection';
import type { LogRecord } from '../apps/relay/src/logging/log-record';
import type {
  LogListQuery,
  LogScope,
  LogStatsQuery,
} from '../apps/relay/src/logging/store/request-log.store';
import { LogRetention } from '../apps/relay/src/logging/store/log-retention';
import { REQUEST_LOG_SCHEMA } from '../apps/relay/src/logging/store/request-log.schema';
import { appendBatchOf, followUpRows, writeRowsOf } from '../apps/relay/src/logging/store/log-append-batch';
import {
  DEFAULT_USERS,
  makeLogRecord,
  makeLogRecords,
  seededRandom,
} from '../apps/relay/src/logging/store/testing/log-record-factory';
import { openPostgresFixture } from '../apps/relay/src/logging/store/testing/log-store-fixtures';
import { TypeOrmRequestLogStore } from '../apps/relay/src/logging/store/typeorm-request-log.store';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const SEED_BATCH = 20_000;
const quiet = {
  log: () => undefined,
  warn: (m: string) => console.error(m),
  error: (m: string) => console.error(m),
};

export type BodyMode = 'none' | 'identity' | 'gzip';

export interface SeedOptions {
  path: string;
  rows: number;
  days: number;
  bodies: BodyMode;
  /** Size of each of the two bodies (client request, upstream response) per entry. */
  bodyBytes: number;
  /** End of the seeded range (epoch ms); entries fill [end − days, end). */
  end?: number;
  seed?: number;
  /** Called after each batch with the rows written so far. */
  progress?: (written: number) => void;
  /** VACUUM at the end, so the file holds no free pages (for size measurements). */
  vacuum?: boolean;
}

export interface OpenLogStore {
  database: ManagedDataSource;
  store: TypeOrmRequestLogStore;
  close(): Promise<void>;
}

export async function openLogStore(path: string, compressBodies = false): Promise<OpenLogStore> {
  const database = new ManagedDataSource(REQUEST_LOG_SCHEMA, { dialect: 'sqlite', path }, quiet);
  await database.open();
  const store = new TypeOrmRequestLogStore(database, () => ({ compressBodies }));
  return { database, store, close: () => database.close() };
}

export interface SeedResult {
  rows: number;
  /** Seeding time (excluding the retention pass). */
  seconds: number;
  rowsPerSecond: number;
  /** The retention pass after seeding (prunes minute rollups older than 8 days). */
  retentionSeconds: number;
  from: number;
  to: number;
}

/** Appends `rows` synthetic entries, oldest first, in batches, keeping two batches in flight. */
export async function seedLogs(options: SeedOptions): Promise<SeedResult> {
  const end = Math.floor((options.end ?? Date.now()) / MINUTE_MS) * MINUTE_MS;
  const from = end - options.days * DAY_MS;
  const step = (end - from) / options.rows;
  const random = seededRandom(options.seed ?? 42);
  const { store, database, close } = await openLogStore(options.path, options.bodies === 'gzip');
  const bodyBytes = options.bodies === 'none' ? 0 : options.bodyBytes;
  const started = performance.now();
  let inFlight: Promise<void> = Promise.resolve();
  try {
    for (let written = 0; written < options.rows;) {
      const count = Math.min(SEED_BATCH, options.rows - written);
      const batch: LogRecord[] = new Array(count);
      for (let i = 0; i < count; i++) {
        const timestamp = Math.floor(from + (written + i) * step + random() * step);
        batch[i] = makeLogRecord({ timestamp, random, bodyBytes });
      }
      await inFlight;
      written += count;
      const done = written;
      inFlight = store.append(batch).then(() => options.progress?.(done));
    }
    await inFlight;
    const seconds = (performance.now() - started) / 1000;
    // what the relay's daily retention pass does (max_age_days = days): nothing is old enough to go
    // but the minute rollups older than 8 days
    const retentionStarted = performance.now();
    await new LogRetention(store, () => options.days).runOnce(end);
    const retentionSeconds = (performance.now() - retentionStarted) / 1000;
    const db = sqliteHandleOf(database.dataSource);
    db.pragma('wal_checkpoint(TRUNCATE)');
    if (options.vacuum) db.exec('VACUUM');
    return {
      rows: options.rows,
      seconds,
      rowsPerSecond: options.rows / seconds,
      retentionSeconds,
      from,
      to: end,
    };
  } finally {
    await close();
  }
}

export interface QueryTiming {
  name: string;
  /** First run after opening the database. */
  firstMs: number;
  /** Median of the following runs. */
  medianMs: number;
  /** Median time the event loop was busy meanwhile (the rest ran on the reader thread). */
  eventLoopMs: number;
  /** What came back (entries, or buckets / groups). */
  result: string;
}

/** The admin API's and dashboard's queries against a seeded store, timed. */
export async function measureQueries(
  store: TypeOrmRequestLogStore,
  range: { from: number; to: number },
  runs = 7,
) {
  const all: LogScope = { userId: null };
  const newest = (await store.list({ limit: 20 }, all)).entries;
  const middle = (await store.list({ limit: 20, to: Math.floor((range.from + range.to) / 2) }, all)).entries;
  const sampleId = middle[0]?.id ?? newest[0]?.id;
  const list = (query: Omit<LogListQuery, 'limit'>) => async () => {
    const page = await store.list({ limit: 50, ...query }, all);
    return `${page.entries.length} entries`;
  };
  const stats =
    (query: LogStatsQuery, scope: LogScope = all) =>
    async () => {
      const result = await store.stats(query, scope);
      return `${result.series.length} buckets, ${result.groups.length} groups, ${result.totals.requests} requests`;
    };
  const day = Math.floor(range.to / DAY_MS) * DAY_MS;
  const cases: Array<[string, () => Promise<string>]> = [
    ['list: first page, no filter', list({})],
    ['list: provider filter', list({ provider: 'groq' })],
    ['list: model filter (requested or served)', list({ model: 'claude-haiku-4-5' })],
    ['list: errors only', list({ status: 'error' })],
    ['list: status 429', list({ status: 429 })],
    ['list: one user', list({ userId: 'user-07' })],
    ['list: search (common word)', list({ search: 'refactor' })],
    ['list: last 24 h, provider filter', list({ from: range.to - DAY_MS, provider: 'openai' })],
    ['list: page deep in the past (cursor)', list({ cursor: sampleId })],
    [
      'list: user scope (regular user)',
      async () => `${(await store.list({ limit: 50 }, { userId: 'user-03' })).entries.length} entries`,
    ],
    ['get: one entry', async () => ((await store.get(sampleId, all)) ? 'found' : 'missing')],
    ['bodies: one entry', async () => ((await store.bodies(sampleId, all)) ? 'found' : 'none stored')],
    ['stats: 24 h, minute buckets', stats({ from: range.to - DAY_MS, to: range.to, bucket: 'minute' })],
    [
      'stats: 24 h, minute buckets, by provider',
      stats({ from: range.to - DAY_MS, to: range.to, bucket: 'minute', groupBy: 'provider' }),
    ],
    [
      'stats: 7 days, hour buckets, by key',
      stats({ from: range.to - 7 * DAY_MS, to: range.to, bucket: 'hour', groupBy: 'key' }),
    ],
    [
      'stats: 30 days, day buckets, by model',
      stats({ from: day - 29 * DAY_MS, to: day + DAY_MS, bucket: 'day', groupBy: 'model' }),
    ],
    [
      'stats: 30 days, day buckets, by user',
      stats({ from: day - 29 * DAY_MS, to: day + DAY_MS, bucket: 'day', groupBy: 'user' }),
    ],
    [
      'stats: 30 days, day buckets, user scope',
      stats(
        { from: day - 29 * DAY_MS, to: day + DAY_MS, bucket: 'day', groupBy: 'model' },
        { userId: 'user-03' },
      ),
    ],
    ['list: search (no match: scans every preview)', list({ search: 'no-such-text-anywhere' })],
  ];
  const timings: QueryTiming[] = [];
  for (const [name, run] of cases) {
    let started = performance.now();
    const result = await run();
    const firstMs = performance.now() - started;
    const samples: number[] = [];
    const busy: number[] = [];
    for (let i = 0; i < runs; i++) {
      const loop = performance.eventLoopUtilization();
      started = performance.now();
      await run();
      samples.push(performance.now() - started);
      busy.push(performance.eventLoopUtilization(loop).active);
    }
    const median = (values: number[]): number => values.sort((a, b) => a - b)[values.length >> 1];
    timings.push({ name, firstMs, medianMs: median(samples), eventLoopMs: median(busy), result });
  }
  return timings;
}

export interface FileSize {
  bytes: number;
  /** Bytes per table and index (SQLite `dbstat`), when available. */
  byObject: Record<string, number>;
}

export async function fileSize(path: string): Promise<FileSize> {
  const { database, close } = await openLogStore(path);
  const byObject: Record<string, number> = {};
  try {
    const rows = (await database.dataSource.query(
      `SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC`,
    )) as Array<{ name: string; bytes: number }>;
    for (const row of rows) byObject[row.name] = Number(row.bytes);
  } catch {
    // dbstat not compiled in
  } finally {
    await close();
  }
  return { bytes: statSync(path).size, byObject };
}

function formatBytes(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

interface CliOptions {
  rows: number;
  days: number;
  db: string | null;
  bodies: BodyMode;
  bodyBytes: number;
  growth: boolean;
  append: boolean;
  pg: string | null;
  keep: boolean;
  json: string | null;
}

function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string', default: '1000000' },
      days: { type: 'string', default: '30' },
      db: { type: 'string' },
      bodies: { type: 'string', default: 'none' },
      'body-bytes': { type: 'string', default: '2000' },
      growth: { type: 'boolean', default: false },
      append: { type: 'boolean', default: false },
      pg: { type: 'string' },
      keep: { type: 'boolean', default: false },
      json: { type: 'string' },
    },
  });
  const bodies = values.bodies as BodyMode;
  if (!['none', 'identity', 'gzip'].includes(bodies))
    throw new Error('--bodies must be none, identity or gzip');
  return {
    rows: Number(values.rows),
    days: Number(values.days),
    db: values.db ? resolve(values.db) : null,
    bodies,
    bodyBytes: Number(values['body-bytes']),
    growth: values.growth,
    append: values.append,
    pg: values.pg ?? null,
    keep: values.keep,
    json: values.json ? resolve(values.json) : null,
  };
}

async function runGrowth(options: CliOptions, dir: string): Promise<object> {
  const rows = 100_000;
  const report: Record<string, unknown> = {};
  for (const bodies of ['none', 'identity', 'gzip'] as const) {
    const path = join(dir, `growth-${bodies}.db`);
    const seeded = await seedLogs({
      path,
      rows,
      days: options.days,
      bodies,
      bodyBytes: options.bodyBytes,
      vacuum: true,
    });
    const size = await fileSize(path);
    console.log(
      `${bodies.padEnd(8)} bodies: ${formatBytes(size.bytes)} per ${rows.toLocaleString('en')} requests ` +
        `(seeded in ${seeded.seconds.toFixed(1)} s)`,
    );
    for (const [name, bytes] of Object.entries(size.byObject))
      console.log(`           ${name.padEnd(36)} ${formatBytes(bytes)}`);
    report[bodies] = { rows, bytes: size.bytes, byObject: size.byObject, seedSeconds: seeded.seconds };
  }
  return { growthPer100k: report, bodyBytesEach: options.bodyBytes };
}

async function runScale(options: CliOptions, dir: string): Promise<object> {
  const path = options.db ?? join(dir, 'requests.db');
  if (existsSync(path)) throw new Error(`${path} exists; remove it or choose another --db`);
  console.log(
    `seeding ${options.rows.toLocaleString('en')} entries over ${options.days} days into ${path} ...`,
  );
  const seeded = await seedLogs({
    path,
    rows: options.rows,
    days: options.days,
    bodies: options.bodies,
    bodyBytes: options.bodyBytes,
    progress: (written) => {
      if (written % 200_000 === 0) process.stderr.write(`  ${written.toLocaleString('en')}\n`);
    },
  });
  console.log(
    `seeded in ${seeded.seconds.toFixed(1)} s (${Math.round(seeded.rowsPerSecond).toLocaleString('en')} rows/s); ` +
      `retention pass ${seeded.retentionSeconds.toFixed(1)} s`,
  );
  const size = await fileSize(path);
  console.log(
    `file: ${formatBytes(size.bytes)} (${formatBytes((size.bytes / options.rows) * 100_000)} per 100k requests)`,
  );
  for (const [name, bytes] of Object.entries(size.byObject))
    console.log(`  ${name.padEnd(36)} ${formatBytes(bytes)}`);

  const { store, close } = await openLogStore(path);
  let timings: QueryTiming[];
  try {
    timings = await measureQueries(store, seeded);
  } finally {
    await close();
  }
  console.log(
    '\nquery                                            first ms   median ms   event loop ms   result',
  );
  for (const t of timings) {
    console.log(
      `${t.name.padEnd(48)} ${t.firstMs.toFixed(2).padStart(8)} ${t.medianMs.toFixed(2).padStart(11)} ` +
        `${t.eventLoopMs.toFixed(2).padStart(15)}   ${t.result}`,
    );
  }
  return { seed: seeded, file: size, queries: timings, bodies: options.bodies };
}

export interface AppendTiming {
  name: string;
  /** CPU time of the relay's thread per 500-entry append (mean: the OS counts thread CPU in ticks). */
  eventLoopCpuMs: number;
  /** From the call until the batch is committed (median). */
  committedMs: number;
  /** The writer thread's CPU for the batch before the database: log rows, bodies, rollups (mean). */
  writerPrepareCpuMs: number;
}

const APPEND_CASES: ReadonlyArray<[string, number, boolean]> = [
  ['no bodies', 0, false],
  ['bodies 2 x 1 KB, stored as is', 1000, false],
  ['bodies 2 x 1 KB, gzip', 1000, true],
  ['bodies 2 x 4 KB, stored as is', 4000, false],
  ['bodies 2 x 4 KB, gzip', 4000, true],
];

/** 500-entry appends, as the write-behind queue flushes them, for each body setting. */
export async function measureAppend(
  store: TypeOrmRequestLogStore,
  settings: { compressBodies: boolean },
  rounds = 30,
): Promise<AppendTiming[]> {
  const random = seededRandom(7);
  const users = DEFAULT_USERS.slice(0, 9);
  let t = Date.now() - DAY_MS;
  const median = (values: number[]): number => values.sort((a, b) => a - b)[values.length >> 1];
  const mean = (values: number[]): number =>
    values.reduce((total, value) => total + value, 0) / values.length;
  const timings: AppendTiming[] = [];
  for (const [name, bodyBytes, compress] of APPEND_CASES) {
    settings.compressBodies = compress;
    const cpu: number[] = [];
    const committed: number[] = [];
    const prepare: number[] = [];
    for (let round = 0; round < rounds + 2; round++) {
      const records = makeLogRecords(500, t, t + MINUTE_MS, { random, bodyBytes, users });
      t += MINUTE_MS;
      const started = performance.now();
      const before = process.threadCpuUsage();
      await store.append(records);
      const used = process.threadCpuUsage(before);
      if (round < 2) continue; // warm-up
      committed.push(performance.now() - started);
      cpu.push((used.user + used.system) / 1000);
    }
    // what the writer thread does before the database, timed here on its own
    for (let round = 0; round < rounds; round++) {
      const batch = appendBatchOf(
        makeLogRecords(500, t, t + MINUTE_MS, { random, bodyBytes, users }),
        compress,
      );
      const before = process.threadCpuUsage();
      const rows = writeRowsOf(batch);
      followUpRows(rows, rows.logs);
      const used = process.threadCpuUsage(before);
      prepare.push((used.user + used.system) / 1000);
    }
    timings.push({
      name,
      eventLoopCpuMs: mean(cpu),
      committedMs: median(committed),
      writerPrepareCpuMs: mean(prepare),
    });
  }
  return timings;
}

function printAppend(title: string, timings: readonly AppendTiming[]): void {
  console.log(`\n${title}: per 500-entry append`);
  console.log(
    '                                   relay thread CPU   committed after   writer: rows+bodies+rollups CPU',
  );
  for (const t of timings) {
    console.log(
      `  ${t.name.padEnd(32)} ${t.eventLoopCpuMs.toFixed(2).padStart(10)} ms ${t.committedMs.toFixed(2).padStart(14)} ms ` +
        `${t.writerPrepareCpuMs.toFixed(2).padStart(16)} ms`,
    );
  }
  const cost = (name: string): number => timings.find((t) => t.name === name)!.writerPrepareCpuMs;
  for (const size of ['1', '4']) {
    const gzip = cost(`bodies 2 x ${size} KB, gzip`) - cost(`bodies 2 x ${size} KB, stored as is`);
    console.log(
      `  gzip of 2 x ${size} KB bodies: ${((gzip * 1000) / 500).toFixed(0)} µs per entry (writer thread)`,
    );
  }
}

async function runAppend(options: CliOptions, dir: string): Promise<object> {
  const report: Record<string, AppendTiming[]> = {};
  const sqlite = await openLogStore(join(dir, 'append.db'));
  try {
    const settings = { compressBodies: false };
    const store = new TypeOrmRequestLogStore(sqlite.database, () => settings);
    report.sqlite = await measureAppend(store, settings);
    printAppend('SQLite', report.sqlite);
  } finally {
    await sqlite.close();
  }
  if (options.pg) {
    const fixture = await openPostgresFixture(options.pg);
    try {
      report.postgres = await measureAppend(fixture.store, fixture.settings);
      printAppend('PostgreSQL', report.postgres);
    } finally {
      await fixture.close();
    }
  }
  return { append: report };
}

async function main(): Promise<void> {
  const options = parseCli(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'monorelay-seed-'));
  try {
    const report = options.append
      ? await runAppend(options, dir)
      : options.growth
        ? await runGrowth(options, dir)
        : await runScale(options, dir);
    if (options.json) writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
