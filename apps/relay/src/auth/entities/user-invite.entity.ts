import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Role } from '../roles';
import { APP_TABLES } from './app-table-names';
import { EPOCH_MS } from './epoch-ms.transformer';

/** A one-time sign-up link made by an admin. Only the token's SHA-256 is kept. */
@Entity({ name: APP_TABLES.invites })
export class UserInviteEntity {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Index('user_invites_token', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar' })
  tokenHash!: string;

  /** The role the new account gets (`user` or `admin`). */
  @Column({ type: 'varchar' })
  role!: Role;

  /** When set, only this e-mail may use the invite. */
  @Column({ type: 'varchar', nullable: true })
  email!: string | null;

  @Column({ name: 'created_by', type: 'varchar' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: EPOCH_MS })
  createdAt!: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: EPOCH_MS })
  expiresAt!: number;

  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: EPOCH_MS })
  usedAt!: number | null;

  @Column({ name: 'used_by', type: 'varchar', nullable: true })
  usedBy!: string | null;
}
