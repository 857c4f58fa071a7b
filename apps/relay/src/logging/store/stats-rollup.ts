import type { RequestLogEntry } from '@monorelay/contracts';
import type { RollupBreakdown, RollupGranularity } from './entities/request-stats.entity';
import {
  FIRST_TOKEN_BIN_COLUMNS,
  HISTOGRAM_BINS,
  LATENCY_BIN_COLUMNS,
  histogramBin,
} from './latency-histogram';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * Minute rollups are kept this long whatever `max_age_days` says (a minute chart covers at most a
 * week, `MAX_STATS_BUCKETS`); hour rollups live as long as the log. Minute rollups hold about one row
 * per request and breakdown, so this bounds most of the statistics' size.
 */
export const MINUTE_ROLLUP_RETENTION_MS = 8 * DAY_MS;

export const GRANULARITY_MS: Readonly<Record<RollupGranularity, number>> = {
  minute: MINUTE_MS,
  hour: HOUR_MS,
};

export const GRANULARITIES: readonly RollupGranularity[] = ['minute', 'hour'];
export const BREAKDOWNS: readonly RollupBreakdown[] = ['full', 'total', 'model', 'key', 'user'];

/** The rollup key columns (the conflict target of the UPSERT), in order. */
export const STATS_KEY_COLUMNS = [
  'breakdown',
  'granularity',
  'bucket_start',
  'provider',
  'model',
  'key_label',
  'user_id',
] as const;

/** The additive columns: an UPSERT adds the batch's values to them. */
export const STATS_SUM_COLUMNS: readonly string[] = [
  'requests',
  'errors',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'latency_ms_sum',
  'first_token_ms_sum',
  'generation_ms_sum',
  'generation_output_tokens',
  ...LATENCY_BIN_COLUMNS,
  ...FIRST_TOKEN_BIN_COLUMNS,
];

export const STATS_COLUMNS: readonly string[] = [...STATS_KEY_COLUMNS, ...STATS_SUM_COLUMNS];

/** The sums of one rollup row, `STATS_SUM_COLUMNS` order (the bins are the last 2 × 32). */
export type StatsSums = Float64Array;
const SCALAR_SUMS = STATS_SUM_COLUMNS.length - 2 * HISTOGRAM_BINS;
export const SUM_INDEX = {
  requests: 0,
  errors: 1,
  inputTokens: 2,
  outputTokens: 3,
  cacheReadTokens: 4,
  cacheWriteTokens: 5,
  reasoningTokens: 6,
  costUsd: 7,
  latencyMsSum: 8,
  firstTokenMsSum: 9,
  generationMsSum: 10,
  generationOutputTokens: 11,
  latencyBins: SCALAR_SUMS,
  firstTokenBins: SCALAR_SUMS + HISTOGRAM_BINS,
} as const;

export function emptySums(): StatsSums {
  return new Float64Array(STATS_SUM_COLUMNS.length);
}

export interface RollupRow {
  breakdown: RollupBreakdown;
  granularity: RollupGranularity;
  bucketStart: number;
  provider: string;
  model: string;
  keyLabel: string;
  userId: string;
  sums: StatsSums;
}

/** What the rollups need of an entry (a `RequestLogEntry` is one). */
export type RollupInput = Pick<
  RequestLogEntry,
  | 'timestamp'
  | 'state'
  | 'streaming'
  | 'provider'
  | 'servedModel'
  | 'requestedModel'
  | 'keyLabel'
  | 'userId'
  | 'inputTokens'
  | 'outputTokens'
  | 'cacheReadTokens'
  | 'cacheWriteTokens'
  | 'reasoningTokens'
  | 'costUsd'
  | 'latencyMs'
  | 'firstTokenMs'
>;

/** The rollup dimensions of an entry ('' where absent; model = served, else requested). */
export function rollupDimensions(entry: RollupInput): [string, string, string, string] {
  return [
    entry.provider ?? '',
    entry.servedModel ?? entry.requestedModel ?? '',
    entry.keyLabel ?? '',
    entry.userId ?? '',
  ];
}

/** What an entry adds besides its plain counters (computed once, added to several rows). */
interface EntryExtras {
  latencyBin: number;
  firstTokenBin: number;
  generationMs: number | null;
}

function extrasOf(entry: RollupInput): EntryExtras {
  return {
    latencyBin: entry.latencyMs === null ? -1 : histogramBin(entry.latencyMs),
    firstTokenBin: entry.firstTokenMs === null ? -1 : histogramBin(entry.firstTokenMs),
    generationMs: generationTimeMs(entry),
  };
}

/** Adds one entry to a row's sums. */
export function addEntry(sums: StatsSums, entry: RollupInput, extras: EntryExtras = extrasOf(entry)): void {
  sums[SUM_INDEX.requests] += 1;
  if (entry.state === 'failed') sums[SUM_INDEX.errors] += 1;
  sums[SUM_INDEX.inputTokens] += entry.inputTokens;
  sums[SUM_INDEX.outputTokens] += entry.outputTokens;
  sums[SUM_INDEX.cacheReadTokens] += entry.cacheReadTokens;
  sums[SUM_INDEX.cacheWriteTokens] += entry.cacheWriteTokens;
  sums[SUM_INDEX.reasoningTokens] += entry.reasoningTokens;
  if (entry.costUsd !== null) sums[SUM_INDEX.costUsd] += entry.costUsd;
  if (extras.latencyBin >= 0) {
    sums[SUM_INDEX.latencyMsSum] += Math.round(entry.latencyMs!);
    sums[SUM_INDEX.latencyBins + extras.latencyBin] += 1;
  }
  if (extras.firstTokenBin >= 0) {
    sums[SUM_INDEX.firstTokenMsSum] += Math.round(entry.firstTokenMs!);
    sums[SUM_INDEX.firstTokenBins + extras.firstTokenBin] += 1;
  }
  if (extras.generationMs !== null) {
    sums[SUM_INDEX.generationMsSum] += extras.generationMs;
    sums[SUM_INDEX.generationOutputTokens] += entry.outputTokens;
  }
}

/**
 * Time spent generating after the first token, for tokens/s: successful streamed requests with a
 * first token strictly before the end. Null for every other request.
 */
export function generationTimeMs(entry: RollupInput): number | null {
  if (!entry.streaming || entry.state !== 'success') return null;
  if (entry.latencyMs === null || entry.firstTokenMs === null) return null;
  const ms = Math.round(entry.latencyMs) - Math.round(entry.firstTokenMs);
  return ms > 0 ? ms : null;
}

/** The dimensions a breakdown keeps of (provider, model, key label, user); the rest become ''. */
export function breakdownDimensions(
  breakdown: RollupBreakdown,
  [provider, model, keyLabel, userId]: readonly [string, string, string, string],
): [string, string, string, string] {
  switch (breakdown) {
    case 'full':
      return [provider, model, keyLabel, userId];
    case 'total':
      return ['', '', '', ''];
    case 'model':
      return [provider, model, '', ''];
    case 'key':
      return [provider, '', keyLabel, ''];
    case 'user':
      return ['', '', '', userId];
  }
}

type Tree = Map<string | number, unknown>;

function descend(tree: Tree, key: string | number): Tree {
  let next = tree.get(key) as Tree | undefined;
  if (next === undefined) tree.set(key, (next = new Map()));
  return next;
}

/**
 * Sums rows into one row per key. A tree of maps, one level per key part, so the hot path never
 * builds key strings (the dimension strings are reused and their hashes cached).
 */
export class RollupAccumulator {
  private readonly root: Tree = new Map();
  private readonly rows: RollupRow[] = [];

  /** The row for a key, created empty. */
  row(
    breakdown: RollupBreakdown,
    granularity: RollupGranularity,
    bucketStart: number,
    [provider, model, keyLabel, userId]: readonly [string, string, string, string],
  ): RollupRow {
    const byUser = descend(
      descend(
        descend(descend(descend(descend(this.root, breakdown), granularity), bucketStart), provider),
        model,
      ),
      keyLabel,
    );
    let row = byUser.get(userId) as RollupRow | undefined;
    if (!row) {
      row = { breakdown, granularity, bucketStart, provider, model, keyLabel, userId, sums: emptySums() };
      byUser.set(userId, row);
      this.rows.push(row);
    }
    return row;
  }

  /**
   * The rows, sorted by key so concurrent writers (PostgreSQL replicas) lock rows in the same order
   * and cannot deadlock.
   */
  sorted(): RollupRow[] {
    return this.rows.sort(compareRollupKeys);
  }
}

function compareRollupKeys(a: RollupRow, b: RollupRow): number {
  return (
    compare(a.breakdown, b.breakdown) ||
    compare(a.granularity, b.granularity) ||
    a.bucketStart - b.bucketStart ||
    compare(a.provider, b.provider) ||
    compare(a.model, b.model) ||
    compare(a.keyLabel, b.keyLabel) ||
    compare(a.userId, b.userId)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A batch's contribution to the rollups: for each breakdown and granularity, one row per bucket and
 * dimensions, summed in memory so the database sees each key once per batch.
 */
export function rollupBatch(entries: readonly RollupInput[]): RollupRow[] {
  const rollups = new RollupAccumulator();
  for (const entry of entries) {
    const dimensions = rollupDimensions(entry);
    const extras = extrasOf(entry);
    for (const breakdown of BREAKDOWNS) {
      const kept = breakdownDimensions(breakdown, dimensions);
      for (const granularity of GRANULARITIES) {
        const size = GRANULARITY_MS[granularity];
        const bucketStart = Math.floor(entry.timestamp / size) * size;
        addEntry(rollups.row(breakdown, granularity, bucketStart, kept).sums, entry, extras);
      }
    }
  }
  return rollups.sorted();
}

/** A rollup row's values in `STATS_COLUMNS` order. */
export function rollupRowValues(row: RollupRow): unknown[] {
  return [
    row.breakdown,
    row.granularity,
    row.bucketStart,
    row.provider,
    row.model,
    row.keyLabel,
    row.userId,
    ...row.sums,
  ];
}
