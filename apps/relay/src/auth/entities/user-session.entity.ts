import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { APP_TABLES } from './app-table-names';
import { EPOCH_MS } from './epoch-ms.transformer';

/**
 * A console sign-in: the refresh token's hash (the token itself lives only in the browser's
 * httpOnly cookie), rotated on every refresh. Revoked at logout; access tokens name the session, so
 * revoking it ends them too.
 */
@Entity({ name: APP_TABLES.sessions })
export class UserSessionEntity {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Index('user_sessions_user')
  @Column({ name: 'user_id', type: 'varchar' })
  userId!: string;

  /** SHA-256 of the current refresh token, hex. */
  @Index('user_sessions_refresh', { unique: true })
  @Column({ name: 'refresh_hash', type: 'varchar' })
  refreshHash!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: EPOCH_MS })
  createdAt!: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: EPOCH_MS })
  expiresAt!: number;

  @Column({ name: 'last_used_at', type: 'bigint', transformer: EPOCH_MS })
  lastUsedAt!: number;

  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: EPOCH_MS })
  revokedAt!: number | null;

  @Column({ name: 'user_agent', type: 'text', default: '' })
  userAgent!: string;

  @Column({ type: 'varchar', default: '' })
  ip!: string;
}
