import type { MixedList } from 'typeorm';
import type { DatabaseDialect } from './database-target';

/** What a store brings to the DataSource that holds it: entities, migrations, its migration table. */
export interface StoreSchema {
  /** Short name for logs and readiness checks, e.g. `request_logs`. */
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities(dialect: DatabaseDialect): MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  /**
   * Each store keeps its own migrations table, so two stores can share one PostgreSQL database
   * (request logs and app data do) without seeing each other's migrations.
   */
  migrationsTableName: string;
}
