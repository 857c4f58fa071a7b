/** Statistics served from rollups (`GET /api/stats`). */

export type StatsBucket = 'minute' | 'hour' | 'day';
export type StatsGroupBy = 'provider' | 'model' | 'key' | 'user';

export interface StatsFigures {
  requests: number;
  errors: number;
  /** errors / requests, 0 when there were none. */
  errorRate: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  /** Approximate percentiles from histograms (exact to the bucket boundaries' resolution). */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  firstTokenP50Ms: number | null;
  firstTokenP95Ms: number | null;
  /** Output tokens per second of generation (after the first token), over streamed requests. */
  tokensPerSecond: number | null;
}

export interface StatsResult {
  from: number;
  to: number;
  bucket: StatsBucket;
  totals: StatsFigures;
  /** One point per bucket start (epoch ms), oldest first; empty buckets included as zeros. */
  series: Array<{ t: number; figures: StatsFigures }>;
  /** Per group (when `groupBy` was asked), largest request count first. */
  groups: Array<{ key: string; figures: StatsFigures }>;
}
