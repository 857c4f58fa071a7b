import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { FIRST_TOKEN_BIN_COLUMNS, LATENCY_BIN_COLUMNS } from '../latency-histogram';
import { FULL_BREAKDOWN_ONLY, LOG_INDEXES, LOG_TABLES } from './log-table-names';

export type RollupGranularity = 'minute' | 'hour';

/**
 * Which dimensions a rollup row keeps (the others are ''):
 * - `full`: provider, model, key label, user — answers anything, and all a user's own statistics;
 * - `total`: none — everyone's totals and series;
 * - `model`: provider and model; `key`: provider and key label; `user`: the user.
 * The small breakdowns exist so an admin's dashboard over weeks reads thousands of rows, not the
 * hundreds of thousands the full one holds.
 */
export type RollupBreakdown = 'full' | 'total' | 'model' | 'key' | 'user';

/**
 * Statistics rollup: one row per (breakdown, granularity, bucket start, provider, model, key label,
 * user), kept current by the store's `append` (an UPSERT adding each batch's sums, in the batch's
 * transaction), so statistics never scan `request_logs`. Missing dimensions are '' (not NULL, which
 * would defeat the conflict target). `model` is the served model, else the requested one.
 *
 * Besides the columns below there are 32 latency bins `lat_00`…`lat_31` and 32 first-token bins
 * `ftt_00`…`ftt_31` (see `latency-histogram.ts`), declared in a loop after the class.
 */
@Entity({ name: LOG_TABLES.stats, withoutRowid: true })
@Index(LOG_INDEXES.statsUser, ['userId', 'granularity', 'bucketStart'], { where: FULL_BREAKDOWN_ONLY })
export class RequestStatsEntity {
  @PrimaryColumn({ type: 'varchar' })
  breakdown!: RollupBreakdown;

  @PrimaryColumn({ type: 'varchar' })
  granularity!: RollupGranularity;

  /** Epoch ms of the bucket's start (UTC minute or hour). */
  @PrimaryColumn({ name: 'bucket_start', type: 'bigint' })
  bucketStart!: number;

  @PrimaryColumn({ type: 'varchar', default: '' })
  provider!: string;

  @PrimaryColumn({ type: 'varchar', default: '' })
  model!: string;

  @PrimaryColumn({ name: 'key_label', type: 'varchar', default: '' })
  keyLabel!: string;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', default: '' })
  userId!: string;

  @Column({ type: 'bigint', default: 0 })
  requests!: number;

  /** Requests whose state is `failed`. */
  @Column({ type: 'bigint', default: 0 })
  errors!: number;

  @Column({ name: 'input_tokens', type: 'bigint', default: 0 })
  inputTokens!: number;

  @Column({ name: 'output_tokens', type: 'bigint', default: 0 })
  outputTokens!: number;

  @Column({ name: 'cache_read_tokens', type: 'bigint', default: 0 })
  cacheReadTokens!: number;

  @Column({ name: 'cache_write_tokens', type: 'bigint', default: 0 })
  cacheWriteTokens!: number;

  @Column({ name: 'reasoning_tokens', type: 'bigint', default: 0 })
  reasoningTokens!: number;

  @Column({ name: 'cost_usd', type: 'double precision', default: 0 })
  costUsd!: number;

  /** Sum of `latency_ms` over the requests that have one (their count is the latency histogram's). */
  @Column({ name: 'latency_ms_sum', type: 'bigint', default: 0 })
  latencyMsSum!: number;

  @Column({ name: 'first_token_ms_sum', type: 'bigint', default: 0 })
  firstTokenMsSum!: number;

  /** Over successful streamed requests: generation time (latency − first token) and its output tokens. */
  @Column({ name: 'generation_ms_sum', type: 'bigint', default: 0 })
  generationMsSum!: number;

  @Column({ name: 'generation_output_tokens', type: 'bigint', default: 0 })
  generationOutputTokens!: number;

  [bin: `lat_${string}` | `ftt_${string}`]: number;
}

for (const name of [...LATENCY_BIN_COLUMNS, ...FIRST_TOKEN_BIN_COLUMNS]) {
  Column({ name, type: 'integer', default: 0 })(RequestStatsEntity.prototype, name);
}
