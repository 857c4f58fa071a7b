import type { StoreSchema } from '../database/store-schema';
import { APP_DATA_ENTITIES, APP_MIGRATIONS_TABLE } from './entities';
import { APP_DATA_MIGRATIONS } from './migrations';

/** The app-data store (users, identities, sessions, relay keys, invites) as the DatabaseModule opens it. */
export const APP_DATA_SCHEMA: StoreSchema = {
  name: 'app_data',
  entities: () => APP_DATA_ENTITIES,
  migrations: APP_DATA_MIGRATIONS,
  migrationsTableName: APP_MIGRATIONS_TABLE,
};
