import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Role } from '../roles';
import { APP_TABLES } from './app-table-names';
import { EPOCH_MS } from './epoch-ms.transformer';

/** A person who signs in to the console (password, GitHub or Google) and owns relay keys. */
@Entity({ name: APP_TABLES.users })
export class UserEntity {
  /** UUIDv7. */
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  /** Unique, compared case-insensitively through `usernameKey`. */
  @Column({ type: 'varchar' })
  username!: string;

  /** `username` lower-cased: the unique key. */
  @Index('users_username_key', { unique: true })
  @Column({ name: 'username_key', type: 'varchar' })
  usernameKey!: string;

  @Column({ name: 'display_name', type: 'varchar', default: '' })
  displayName!: string;

  @Column({ type: 'varchar', nullable: true })
  email!: string | null;

  @Column({ type: 'varchar' })
  role!: Role;

  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  /** argon2id; null for accounts that only sign in with SSO. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  /** Sessions issued before this (epoch ms) are void: a password change or reset signs out everywhere. */
  @Column({ name: 'sessions_valid_after', type: 'bigint', default: 0, transformer: EPOCH_MS })
  sessionsValidAfter!: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: EPOCH_MS })
  createdAt!: number;

  @Column({ name: 'last_login_at', type: 'bigint', nullable: true, transformer: EPOCH_MS })
  lastLoginAt!: number | null;
}
