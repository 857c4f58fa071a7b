import type { StoreSchema } from '../../database/store-schema';
import { LOG_MIGRATIONS_TABLE, requestLogEntities } from './entities';
import { REQUEST_LOG_MIGRATIONS } from './migrations';

/** The request log store as the DatabaseModule opens it. */
export const REQUEST_LOG_SCHEMA: StoreSchema = {
  name: 'request_logs',
  entities: requestLogEntities,
  migrations: REQUEST_LOG_MIGRATIONS,
  migrationsTableName: LOG_MIGRATIONS_TABLE,
};
