import { Global, Module } from '@nestjs/common';
import { ConfigSource } from '../config/config-source';
import { REQUEST_LOG_SCHEMA } from '../logging/store/request-log.schema';
import { RUNTIME_OPTIONS, type RuntimeOptions } from '../runtime-options';
import { DatabaseRegistry } from './database-registry';
import { requestLogDatabaseTarget } from './database-target';
import { REQUEST_LOG_DATABASE } from './database.tokens';

/**
 * The relay's TypeORM DataSources, opened and migrated at start-up and closed at shutdown:
 * - `REQUEST_LOG_DATABASE`: the request log (`logging.db_path`, default `<dataDir>/requests.db`, or
 *   the PostgreSQL database of `database.url`).
 * Another store (app data) is one more provider of the same shape: a token, a target function in
 * `database-target.ts`, a `StoreSchema`, and `registry.open(schema, target)`.
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
  ],
  exports: [DatabaseRegistry, REQUEST_LOG_DATABASE],
})
export class DatabaseModule {}
