import type { StatsBucket, StatsFigures, StatsGroupBy, StatsResult } from '@monorelay/contracts';
import { LOG_TABLES } from './entities/log-table-names';
import type { RollupBreakdown } from './entities/request-stats.entity';
import { HISTOGRAM_BINS, histogramPercentile } from './latency-histogram';
import type { LogScope, LogStatsQuery } from './request-log.store';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  STATS_SUM_COLUMNS,
  SUM_INDEX,
  type StatsSums,
  emptySums,
} from './stats-rollup';
import type { SqlQuery } from './log-list-query';

/** The most buckets one statistics query may ask for (a week of minutes). */
export const MAX_STATS_BUCKETS = 7 * 24 * 60;

const BUCKET_MS: Readonly<Record<StatsBucket, number>> = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS };

/** Columns each group is keyed by, per `groupBy`. */
/**
 * Rows are grouped by bucket and the leading dimensions of the rollup key (in key order) up to the
 * one asked for: the database then aggregates while it walks the primary key, with no sort (on
 * minute and hour buckets). The dimensions in between are constant ('') in the breakdown read, or
 * merged afterwards by `groupKey`.
 */
const DIMENSIONS = ['provider', 'model', 'key_label', 'user_id'] as const;
const GROUP_DEPTH: Readonly<Record<StatsGroupBy, number>> = { provider: 1, model: 2, key: 3, user: 4 };

/** `from`/`to` widened to whole buckets (UTC): what a statistics result actually covers. */
export function alignStatsRange(query: LogStatsQuery): { from: number; to: number; size: number } {
  const size = BUCKET_MS[query.bucket];
  if (size === undefined) throw new RangeError(`bucket must be minute, hour or day`);
  if (!Number.isFinite(query.from) || !Number.isFinite(query.to) || query.to <= query.from) {
    throw new RangeError('to must be after from');
  }
  const from = Math.floor(query.from / size) * size;
  const to = Math.ceil(query.to / size) * size;
  if ((to - from) / size > MAX_STATS_BUCKETS) {
    throw new RangeError(`at most ${MAX_STATS_BUCKETS} ${query.bucket} buckets per query`);
  }
  return { from, to, size };
}

/**
 * The smallest rollup breakdown that answers a query: a user's own statistics come from `full`
 * (filtered to them); everyone's, from the breakdown with just the grouped dimension.
 */
export function statsBreakdown(query: LogStatsQuery, scope: LogScope): RollupBreakdown {
  if (scope.userId !== null) return 'full';
  switch (query.groupBy) {
    case undefined:
      return 'total';
    case 'provider':
    case 'model':
      return 'model';
    case 'key':
      return 'key';
    case 'user':
      return 'user';
  }
}

/**
 * One aggregate over the rollups: minute buckets from minute rollups, hour and day buckets from
 * hour rollups (days grouped in SQL). Rows come back per (bucket, group); the caller folds them into
 * totals, series and groups. Served by the rollups' primary key (breakdown, granularity,
 * bucket_start, …), or by the (user_id, breakdown, granularity, bucket_start) index under a user
 * scope; never `request_logs`.
 */
export function buildStatsQuery(query: LogStatsQuery, scope: LogScope): SqlQuery {
  const { from, to } = alignStatsRange(query);
  const granularity = query.bucket === 'minute' ? 'minute' : 'hour';
  const bucket = query.bucket === 'day' ? `("bucket_start" / ${DAY_MS}) * ${DAY_MS}` : '"bucket_start"';
  const groupColumns = DIMENSIONS.slice(0, query.groupBy ? GROUP_DEPTH[query.groupBy] : 0).map(
    (c) => `"${c}"`,
  );
  const sums = STATS_SUM_COLUMNS.map((c) => `SUM("${c}") AS "${c}"`);
  // the breakdown is a literal (one of five fixed words) so the planner can match the partial index
  const params: unknown[] = [granularity, from, to];
  let where = `"breakdown" = '${statsBreakdown(query, scope)}' AND "granularity" = ? AND "bucket_start" >= ? AND "bucket_start" < ?`;
  if (scope.userId !== null) {
    where = `"user_id" = ? AND ${where}`;
    params.unshift(scope.userId);
  }
  return {
    sql:
      `SELECT ${bucket} AS "t"${groupColumns.map((c) => `, ${c}`).join('')}, ${sums.join(', ')} ` +
      `FROM "${LOG_TABLES.stats}" WHERE ${where} GROUP BY ${[bucket, ...groupColumns].join(', ')}`,
    params,
  };
}

/**
 * Folds the aggregate rows (`[t, ...group columns, ...sums]`) into the result: totals, every bucket
 * (zeros included), groups.
 */
export function assembleStats(query: LogStatsQuery, rows: ReadonlyArray<readonly unknown[]>): StatsResult {
  const { from, to, size } = alignStatsRange(query);
  const sumsAt = 1 + (query.groupBy ? GROUP_DEPTH[query.groupBy] : 0);
  const totals = emptySums();
  const buckets = new Map<number, StatsSums>();
  const groups = new Map<string, StatsSums>();
  const width = totals.length;
  for (const row of rows) {
    const t = Number(row[0]);
    let bucket = buckets.get(t);
    if (!bucket) buckets.set(t, (bucket = emptySums()));
    let group: StatsSums | undefined;
    if (query.groupBy) {
      const key = groupKey(query.groupBy, row);
      group = groups.get(key);
      if (!group) groups.set(key, (group = emptySums()));
    }
    for (let i = 0; i < width; i++) {
      const raw = row[sumsAt + i];
      // SQLite gives numbers; PostgreSQL gives bigint/numeric sums as strings
      const value = typeof raw === 'number' ? raw : Number(raw ?? 0);
      totals[i] += value;
      bucket[i] += value;
      if (group) group[i] += value;
    }
  }
  const series: StatsResult['series'] = [];
  for (let t = from; t < to; t += size) series.push({ t, figures: figuresOf(buckets.get(t) ?? emptySums()) });
  return {
    from,
    to,
    bucket: query.bucket,
    totals: figuresOf(totals),
    series,
    // (a group can sum to nothing once a user's share was taken out by `clear`)
    groups: [...groups.entries()]
      .filter(([, sums]) => sums[SUM_INDEX.requests] > 0)
      .map(([key, sums]) => ({ key, figures: figuresOf(sums) }))
      .sort(
        (a, b) => b.figures.requests - a.figures.requests || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
      ),
  };
}

/**
 * A row's group (its columns follow the bucket): `provider`, `model`, `user` → the value ('' where
 * absent); `key` → `provider/label` ('' without a key).
 */
function groupKey(groupBy: StatsGroupBy, row: readonly unknown[]): string {
  // row: [t, provider, model, key_label, user_id] as deep as GROUP_DEPTH
  switch (groupBy) {
    case 'provider':
      return String(row[1]);
    case 'model':
      return String(row[2]);
    case 'key':
      return row[3] === '' ? '' : `${String(row[1])}/${String(row[3])}`;
    case 'user':
      return String(row[4]);
  }
}

/** The published figures of some summed rollups. */
export function figuresOf(sums: StatsSums): StatsFigures {
  const requests = sums[SUM_INDEX.requests];
  const errors = sums[SUM_INDEX.errors];
  const latency = sums.subarray(SUM_INDEX.latencyBins, SUM_INDEX.latencyBins + HISTOGRAM_BINS);
  const firstToken = sums.subarray(SUM_INDEX.firstTokenBins, SUM_INDEX.firstTokenBins + HISTOGRAM_BINS);
  const generationMs = sums[SUM_INDEX.generationMsSum];
  return {
    requests,
    errors,
    errorRate: requests > 0 ? errors / requests : 0,
    inputTokens: sums[SUM_INDEX.inputTokens],
    outputTokens: sums[SUM_INDEX.outputTokens],
    cacheReadTokens: sums[SUM_INDEX.cacheReadTokens],
    cacheWriteTokens: sums[SUM_INDEX.cacheWriteTokens],
    costUsd: sums[SUM_INDEX.costUsd],
    latencyP50Ms: histogramPercentile(latency, 0.5),
    latencyP95Ms: histogramPercentile(latency, 0.95),
    firstTokenP50Ms: histogramPercentile(firstToken, 0.5),
    firstTokenP95Ms: histogramPercentile(firstToken, 0.95),
    tokensPerSecond: generationMs > 0 ? sums[SUM_INDEX.generationOutputTokens] / (generationMs / 1000) : null,
  };
}
