import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { APP_TABLES } from './app-table-names';
import { EPOCH_MS, JSON_TEXT } from './epoch-ms.transformer';

/**
 * A user's own key for `/v1`. Shown once at creation; only its SHA-256 is kept (the key has 256
 * bits of entropy, so a fast hash is safe and keeps the per-request lookup cheap).
 */
@Entity({ name: APP_TABLES.relayKeys })
export class RelayKeyEntity {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Index('relay_keys_user')
  @Column({ name: 'user_id', type: 'varchar' })
  userId!: string;

  @Column({ type: 'varchar' })
  name!: string;

  /** The first characters of the key (`mr-AbCd`), to recognise it in lists. */
  @Column({ type: 'varchar' })
  prefix!: string;

  /** SHA-256 of the key, hex. */
  @Index('relay_keys_hash', { unique: true })
  @Column({ type: 'varchar' })
  hash!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: EPOCH_MS })
  createdAt!: number;

  @Column({ name: 'expires_at', type: 'bigint', nullable: true, transformer: EPOCH_MS })
  expiresAt!: number | null;

  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: EPOCH_MS })
  revokedAt!: number | null;

  @Column({ name: 'last_used_at', type: 'bigint', nullable: true, transformer: EPOCH_MS })
  lastUsedAt!: number | null;

  /** Model globs this key may use; null = any. */
  @Column({ name: 'allowed_models', type: 'text', nullable: true, transformer: JSON_TEXT })
  allowedModels!: string[] | null;

  @Column({ name: 'requests_per_minute', type: 'integer', nullable: true })
  requestsPerMinute!: number | null;

  @Column({ name: 'tokens_per_day', type: 'bigint', nullable: true, transformer: EPOCH_MS })
  tokensPerDay!: number | null;

  @Column({ name: 'budget_usd_per_day', type: 'double precision', nullable: true })
  budgetUsdPerDay!: number | null;

  @Column({ name: 'budget_usd_per_month', type: 'double precision', nullable: true })
  budgetUsdPerMonth!: number | null;
}
