import { RelayKeyUsageEntity } from './relay-key-usage.entity';
import { RelayKeyEntity } from './relay-key.entity';
import { UserIdentityEntity } from './user-identity.entity';
import { UserInviteEntity } from './user-invite.entity';
import { UserSessionEntity } from './user-session.entity';
import { UserEntity } from './user.entity';

export * from './app-table-names';
export * from './relay-key-usage.entity';
export * from './relay-key.entity';
export * from './user-identity.entity';
export * from './user-invite.entity';
export * from './user-session.entity';
export * from './user.entity';

export const APP_DATA_ENTITIES = [
  UserEntity,
  UserIdentityEntity,
  UserSessionEntity,
  RelayKeyEntity,
  UserInviteEntity,
  RelayKeyUsageEntity,
];
