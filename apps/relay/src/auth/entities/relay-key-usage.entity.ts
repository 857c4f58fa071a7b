import { Column, Entity, PrimaryColumn } from 'typeorm';
import { EPOCH_MS } from './epoch-ms.transformer';

/** The table of per-key usage totals. */
export const RELAY_KEY_USAGE_TABLE = 'relay_key_usage';

/**
 * Tokens and cost of one relay key in one UTC day or month: what its limits (`tokens_per_day`,
 * budgets per day and month) are checked against. Written in batches (additive upserts, so
 * replicas sharing a PostgreSQL database add up), read at start-up.
 */
@Entity({ name: RELAY_KEY_USAGE_TABLE })
export class RelayKeyUsageEntity {
  @PrimaryColumn({ name: 'key_id', type: 'varchar' })
  keyId!: string;

  @PrimaryColumn({ type: 'varchar' })
  period!: 'day' | 'month';

  /** 00:00 UTC of the day, or of the first of the month (epoch ms). */
  @PrimaryColumn({ name: 'period_start', type: 'bigint', transformer: EPOCH_MS })
  periodStart!: number;

  @Column({ type: 'bigint', default: 0, transformer: EPOCH_MS })
  tokens!: number;

  @Column({ name: 'cost_usd', type: 'double precision', default: 0 })
  costUsd!: number;
}
