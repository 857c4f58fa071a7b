import type { DataSourceOptions } from 'typeorm';
import type { DatabaseTarget } from './database-target';
import { prepareSqliteConnection, SQLITE_BUSY_TIMEOUT_MS, type SqliteHandle } from './sqlite-connection';
import type { StoreSchema } from './store-schema';

export interface PostgresPoolSettings {
  /** Connections in the pool. */
  max: number;
  connectTimeoutMs: number;
}

const DEFAULT_POOL: PostgresPoolSettings = { max: 10, connectTimeoutMs: 10_000 };

/**
 * TypeORM options for one store. Migrations are run by `ManagedDataSource` (under a lock on
 * PostgreSQL), never `synchronize`.
 */
export function dataSourceOptions(
  target: DatabaseTarget,
  schema: StoreSchema,
  pool: PostgresPoolSettings = DEFAULT_POOL,
): DataSourceOptions {
  const common = {
    entities: schema.entities(target.dialect),
    migrations: schema.migrations,
    migrationsTableName: schema.migrationsTableName,
    migrationsRun: false,
    synchronize: false,
    logging: false,
  } as const;
  if (target.dialect === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: target.path,
      timeout: SQLITE_BUSY_TIMEOUT_MS,
      statementCacheSize: 200,
      prepareDatabase: (db: unknown) => prepareSqliteConnection(db as SqliteHandle),
    };
  }
  return {
    ...common,
    type: 'postgres',
    url: target.url,
    applicationName: `monorelay-${schema.name}`,
    connectTimeoutMS: pool.connectTimeoutMs,
    extra: { max: pool.max },
  };
}
