import type { StatsResult } from '@monorelay/contracts';
import type { DatabaseDialect } from '../../../database/database-target';
import type { LogScope, LogStatsQuery } from '../request-log.store';
import type { LogAppendBatch } from '../log-append-batch';

/**
 * The request log's SQL, run on one database kind. Statements use `?` placeholders (the PostgreSQL
 * implementation numbers them) and quote identifiers with double quotes (valid in both).
 */
export interface LogDatabase {
  readonly dialect: DatabaseDialect;
  /** Rows of a SELECT. */
  query<T = Record<string, unknown>>(sql: string, params: readonly unknown[]): Promise<T[]>;
  /** Statistics from the rollups (`buildStatsQuery`, then `assembleStats` where the rows are). */
  stats(query: LogStatsQuery, scope: LogScope): Promise<StatsResult>;
  /** Runs a writing statement; returns the number of rows it changed. */
  execute(sql: string, params: readonly unknown[]): Promise<number>;
  /** Stores a batch in one transaction: log rows, body rows, rollup UPSERTs. */
  write(batch: LogAppendBatch): Promise<void>;
  /** Takes a user's requests out of the rollups (see `user-rollup-removal.ts`), in one transaction. */
  removeUserRollups(userId: string): Promise<void>;
  /** Lets the query planner refresh its statistics (cheap; after big deletes). */
  optimize(): Promise<void>;
  /** Releases what the backend holds besides the DataSource (a writer thread). */
  close(): Promise<void>;
}
