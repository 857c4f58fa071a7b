import type { DataSource } from 'typeorm';

/** The part of a better-sqlite3 statement this code uses (the package ships no types). */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  /** Rows as arrays instead of objects (for this statement, from now on). */
  raw(toggle?: boolean): SqliteStatement;
}

/** The part of a better-sqlite3 `Database` this code uses. */
export interface SqliteHandle {
  prepare(sql: string): SqliteStatement;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  exec(sql: string): void;
  readonly open: boolean;
  readonly inTransaction: boolean;
}

/** Page cache per connection, KiB. */
const DEFAULT_CACHE_KIB = 16_000;

/**
 * The request log's writer only appends: its hot pages are the right edges of the table and of
 * its indexes, which a small cache holds; the default one would fill with cold pages under load
 * and count against the relay's memory budget.
 */
export const LOG_WRITER_CACHE_KIB = 4_000;

/** Page size of new database files. */
export const SQLITE_PAGE_SIZE = 8192;

/** How long a write waits for another connection's lock before failing with SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * Settings for every SQLite file we open, applied before TypeORM touches the database:
 * 8 KB pages for new files, WAL (readers never block the writer), `synchronous = NORMAL` (durable at checkpoints, safe
 * against corruption; the cost of a lost last transaction on power loss is acceptable for logs),
 * foreign keys on (body rows go with their log row), temp tables in memory, and a cap on the WAL
 * file size kept after checkpoints.
 */
export function prepareSqliteConnection(db: SqliteHandle, cacheKib = DEFAULT_CACHE_KIB): void {
  // only takes effect on a new, empty file: request and response bodies of 2-4 KB leave half of
  // every 4 KB page empty (one row per page); 8 KB pages hold them three to a page
  db.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
  db.pragma('journal_size_limit = 67108864');
  db.pragma(`cache_size = -${cacheKib}`);
}

/** Settings for an extra read-only connection to a file a `prepareSqliteConnection` one opened. */
export function prepareSqliteReader(db: SqliteHandle): void {
  db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -16000');
}

/** The better-sqlite3 connection under a TypeORM `better-sqlite3` DataSource. */
export function sqliteHandleOf(dataSource: DataSource): SqliteHandle {
  if (dataSource.options.type !== 'better-sqlite3') throw new Error('not a SQLite data source');
  const handle = (dataSource.driver as unknown as { databaseConnection?: SqliteHandle }).databaseConnection;
  if (!handle) throw new Error('SQLite data source is not connected');
  return handle;
}
