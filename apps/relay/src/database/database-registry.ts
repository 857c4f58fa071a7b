import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { DatabaseTarget } from './database-target';
import { type DatabaseState, ManagedDataSource, type ManagedDataSourceOptions } from './managed-data-source';
import type { StoreSchema } from './store-schema';

/** Work to finish before the databases close (a write-behind queue's last flush). */
export type BeforeCloseHook = () => Promise<void> | void;

/**
 * Every database the relay has open, for readiness reporting and an orderly close. On shutdown it
 * first runs the `beforeClose` hooks (so a log queue can flush whatever the last requests left,
 * whatever order Nest runs the modules' shutdown hooks in), then closes each DataSource.
 */
@Injectable()
export class DatabaseRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private readonly databases = new Map<string, ManagedDataSource>();
  private readonly hooks: BeforeCloseHook[] = [];

  /** Opens (and migrates) a store's database and registers it. See `ManagedDataSource.open`. */
  async open(
    schema: StoreSchema,
    target: DatabaseTarget,
    options: ManagedDataSourceOptions = {},
  ): Promise<ManagedDataSource> {
    if (this.databases.has(schema.name)) throw new Error(`database '${schema.name}' is already open`);
    const database = new ManagedDataSource(schema, target, this.logger, options);
    this.databases.set(schema.name, database);
    await database.open();
    return database;
  }

  get(name: string): ManagedDataSource | undefined {
    return this.databases.get(name);
  }

  /** `{ request_logs: 'ready', ... }` for the readiness endpoint. */
  checks(): Record<string, DatabaseState> {
    return Object.fromEntries([...this.databases].map(([name, database]) => [name, database.state]));
  }

  isReady(): boolean {
    return [...this.databases.values()].every((database) => database.isReady());
  }

  beforeClose(hook: BeforeCloseHook): void {
    this.hooks.push(hook);
  }

  async close(): Promise<void> {
    for (const hook of this.hooks.splice(0)) {
      try {
        await hook();
      } catch (error) {
        this.logger.error(`before closing the databases: ${error instanceof Error ? error.message : error}`);
      }
    }
    await Promise.all([...this.databases.values()].map((database) => database.close()));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
