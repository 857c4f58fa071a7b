import { Global, Module } from '@nestjs/common';
import { APP_DATA_SCHEMA } from '../auth/app-data.schema';
import { ConfigSource } from '../config/config-source';
import { REQUEST_LOG_SCHEMA } from '../logging/store/request-log.schema';
import { RUNTIME_OPTIONS, type RuntimeOptions } from '../runtime-options';
import { DatabaseRegistry } from './database-registry';
import { appDataDatabaseTarget, requestLogDatabaseTarget } from './database-target';
import { APP_DATA_DATABASE, REQUEST_LOG_DATABASE } from './database.tokens';

/**
 * The relay's TypeORM DataSources, opened and migrated at start-up and closed at shutdown:
 * - `REQUEST_LOG_DATABASE`: the request log (`logging.db_path`, default `<dataDir>/requests.db`, or
 *   the PostgreSQL database of `database.url`).
 * - `APP_DATA_DATABASE`: users, identities, sessions, relay keys, invites (`<dataDir>/users.db`, or
 *   the same PostgreSQL database).
 * Each store is a token, a target function in `database-target.ts`, a `StoreSchema`, and
 * `registry.open(schema, target)`.
 * `DatabaseRegistry` reports readiness (`checks()`) and closes everything on shutdown.
 */
@Global()
@Module({
  providers: [
    DatabaseRegistry,
    {
      provide: REQUEST_LOG_DATABASE,
      inject: [DatabaseRegistry, ConfigSource, RUNTIME_OPTIONS],
      useFactory: (registry: DatabaseRegistry, config: ConfigSource, runtime: RuntimeOptions) =>
        registry.open(REQUEST_LOG_SCHEMA, requestLogDatabaseTarget(config.current, runtime.dataDir)),
    },
    {
      provide: APP_DATA_DATABASE,
      inject: [DatabaseRegistry, ConfigSource, RUNTIME_OPTIONS],
      useFactory: (registry: DatabaseRegistry, config: ConfigSource, runtime: RuntimeOptions) =>
        registry.open(APP_DATA_SCHEMA, appDataDatabaseTarget(config.current, runtime.dataDir)),
    },
  ],
  exports: [DatabaseRegistry, REQUEST_LOG_DATABASE, APP_DATA_DATABASE],
})
export class DatabaseModule {}
