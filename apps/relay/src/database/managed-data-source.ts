import { DataSource } from 'typeorm';
import { dataSourceOptions, type PostgresPoolSettings } from './data-source-options';
import { type DatabaseDialect, type DatabaseTarget, describeDatabaseTarget } from './database-target';
import type { StoreSchema } from './store-schema';

export type DatabaseState = 'opening' | 'ready' | 'unavailable' | 'closed';

/** A store was used while its database is not open (still connecting, unreachable, or closed). */
export class DatabaseUnavailableError extends Error {
  constructor(name: string, state: DatabaseState, cause: string | null) {
    super(`database '${name}' is ${state}${cause ? `: ${cause}` : ''}`);
    this.name = 'DatabaseUnavailableError';
  }
}

export interface ManagedDataSourceLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ManagedDataSourceOptions {
  /** First delay before reconnecting to an unreachable PostgreSQL; doubles up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  pool?: PostgresPoolSettings;
}

/**
 * One TypeORM DataSource with a lifecycle: opened and migrated at start-up; readiness reporting;
 * closing. A SQLite file that cannot be opened fails start-up (a local configuration problem). An
 * unreachable PostgreSQL does not: the relay starts, reports this store as not ready, and keeps
 * trying with growing delays (the timer never keeps the process alive).
 *
 * Migrations run under a PostgreSQL advisory lock so replicas starting together do not race.
 */
export class ManagedDataSource {
  private current: DataSource | null = null;
  private stateValue: DatabaseState = 'opening';
  private error: string | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Set when close() starts: an attempt still in flight then ends quietly and schedules nothing. */
  private closing = false;
  private retryDelayMs: number;
  private readonly readyWaiters: Array<() => void> = [];
  private readonly closeHooks: Array<() => Promise<void>> = [];

  constructor(
    readonly schema: StoreSchema,
    readonly target: DatabaseTarget,
    private readonly logger: ManagedDataSourceLogger,
    private readonly options: ManagedDataSourceOptions = {},
  ) {
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  get name(): string {
    return this.schema.name;
  }

  get dialect(): DatabaseDialect {
    return this.target.dialect;
  }

  get state(): DatabaseState {
    return this.stateValue;
  }

  /** Why the last attempt to open failed; null once open. */
  get lastError(): string | null {
    return this.error;
  }

  isReady(): boolean {
    return this.stateValue === 'ready';
  }

  /** The open DataSource; throws `DatabaseUnavailableError` when it is not open. */
  get dataSource(): DataSource {
    if (this.stateValue !== 'ready' || !this.current) {
      throw new DatabaseUnavailableError(this.name, this.stateValue, this.error);
    }
    return this.current;
  }

  /** Resolves once open (or at once if it is); never rejects. */
  whenReady(): Promise<void> {
    if (this.stateValue === 'ready') return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /**
   * Opens and migrates. SQLite: throws when that fails. PostgreSQL: a failure is logged, the store
   * stays `unavailable` and reconnection is retried in the background.
   */
  async open(): Promise<void> {
    try {
      await this.attempt();
    } catch (error) {
      if (this.target.dialect === 'sqlite') throw error;
      this.scheduleRetry();
    }
  }

  /** Work to do before the DataSource is destroyed (a store closing its writer thread). */
  onClose(hook: () => Promise<void>): void {
    this.closeHooks.push(hook);
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    for (const hook of this.closeHooks.splice(0)) {
      await hook().catch((error: unknown) =>
        this.logger.error(`${this.name}: while closing: ${error instanceof Error ? error.message : error}`),
      );
    }
    const open = this.current;
    this.current = null;
    this.stateValue = 'closed';
    if (open?.isInitialized) await open.destroy();
  }

  private async attempt(): Promise<void> {
    const dataSource = new DataSource(dataSourceOptions(this.target, this.schema, this.options.pool));
    try {
      await dataSource.initialize();
      await this.migrate(dataSource);
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      if (!this.closing) {
        this.stateValue = 'unavailable';
        this.logger.error(`${this.name}: cannot open ${describeDatabaseTarget(this.target)}: ${this.error}`);
      }
      if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
      throw error;
    }
    if (this.closing) {
      await dataSource.destroy();
      return;
    }
    this.current = dataSource;
    this.error = null;
    this.stateValue = 'ready';
    this.logger.log(`${this.name}: ${describeDatabaseTarget(this.target)} open`);
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  private async migrate(dataSource: DataSource): Promise<void> {
    if (this.target.dialect !== 'postgres') {
      await dataSource.runMigrations({ transaction: 'all' });
      return;
    }
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    const lockKey = advisoryLockKey(this.schema.migrationsTableName);
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [lockKey]);
      await dataSource.runMigrations({ transaction: 'all' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [lockKey]).catch(() => undefined);
      await runner.release();
    }
  }

  private scheduleRetry(): void {
    if (this.closing) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(delay * 2, this.options.maxRetryDelayMs ?? 30_000);
    this.logger.warn(`${this.name}: retrying in ${Math.round(delay / 1000)} s`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.attempt().catch(() => this.scheduleRetry());
    }, delay);
    this.retryTimer.unref();
  }
}

/** A stable 32-bit key for `pg_advisory_lock`, derived from the store's migration table name. */
function advisoryLockKey(name: string): number {
  let hash = 0x4d52; // "MR"
  for (let i = 0; i < name.length; i++) hash = (Math.imul(hash, 31) + name.charCodeAt(i)) | 0;
  return hash;
}
