import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { APP_TABLES } from './app-table-names';
import { EPOCH_MS } from './epoch-ms.transformer';

export type SsoProvider = 'github' | 'google';

/**
 * An SSO account linked to a user, keyed by the provider's stable user id (`subject`: GitHub's
 * numeric id, Google's `sub`). Never by e-mail: an e-mail match alone links nothing.
 */
@Entity({ name: APP_TABLES.identities })
@Index('user_identities_subject', ['provider', 'subject'], { unique: true })
export class UserIdentityEntity {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Index('user_identities_user')
  @Column({ name: 'user_id', type: 'varchar' })
  userId!: string;

  @Column({ type: 'varchar' })
  provider!: SsoProvider;

  @Column({ type: 'varchar' })
  subject!: string;

  /** The provider's login name at the last sign-in (GitHub login, Google e-mail). */
  @Column({ type: 'varchar' })
  username!: string;

  @Column({ type: 'varchar', nullable: true })
  email!: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: EPOCH_MS })
  createdAt!: number;

  @Column({ name: 'last_login_at', type: 'bigint', nullable: true, transformer: EPOCH_MS })
  lastLoginAt!: number | null;
}
