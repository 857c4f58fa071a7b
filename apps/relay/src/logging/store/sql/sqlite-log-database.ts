import type { StatsResult } from '@monorelay/contracts';
import type { SqliteHandle } from '../../../database/sqlite-connection';
import { type LogAppendBatch, writeRowsYielding } from '../log-append-batch';
import type { LogScope, LogStatsQuery } from '../request-log.store';
import type { LogDatabase } from './log-database';
import { SqliteBatchWriter } from './sqlite-batch-writer';
import { SqliteLogReader } from './sqlite-log-reader';
import { LogWorkerThread } from './log-worker-thread';

/**
 * SQLite for the request log. better-sqlite3 is synchronous, so on a file every statement runs on a
 * worker thread with its own connection: one writer (the only connection that writes, so nothing
 * waits for locks) and one reader (WAL: reads never wait for the writer). The relay's event loop only
 * hands work over — a 30-day statistics query or a search that scans every preview never stalls a
 * relayed request. An in-memory database cannot be shared between connections and runs inline.
 */
export function sqliteLogDatabase(db: SqliteHandle, path: string): LogDatabase {
  return path === ':memory:' || path === ''
    ? new InlineSqliteLogDatabase(db)
    : new ThreadedSqliteLogDatabase(path);
}

/**
 * Idle log threads end and start again on the next command (tens of ms): the reader soon, as it only
 * serves the console's log and statistics pages; the writer after a minute without requests.
 */
const READER_IDLE_END_MS = 10_000;
const WRITER_IDLE_END_MS = 60_000;

class ThreadedSqliteLogDatabase implements LogDatabase {
  readonly dialect = 'sqlite' as const;
  private readonly reader: LogWorkerThread;
  private readonly writer: LogWorkerThread;

  constructor(path: string) {
    this.reader = new LogWorkerThread({ role: 'sqlite-reader', path }, { idleEndMs: READER_IDLE_END_MS });
    this.writer = new LogWorkerThread({ role: 'sqlite-writer', path }, { idleEndMs: WRITER_IDLE_END_MS });
  }

  async query<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    return (await this.reader.run({ op: 'query', sql, params: [...params], arrays: false })) as T[];
  }

  async stats(query: LogStatsQuery, scope: LogScope): Promise<StatsResult> {
    // aggregated and assembled on the reader thread: only the result crosses over
    return (await this.reader.run({ op: 'stats', query, scope })) as StatsResult;
  }

  async execute(sql: string, params: readonly unknown[]): Promise<number> {
    return (await this.writer.run({ op: 'execute', sql, params: [...params] })) as number;
  }

  async write(batch: LogAppendBatch): Promise<void> {
    await this.writer.run({ op: 'write', batch });
  }

  async removeUserRollups(userId: string): Promise<void> {
    await this.writer.run({ op: 'removeUserRollups', userId });
  }

  async optimize(): Promise<void> {
    await this.writer.run({ op: 'optimize' });
  }

  async close(): Promise<void> {
    await Promise.all([this.writer.close(), this.reader.close()]);
  }
}

/** Everything on the calling thread, on the DataSource's own connection (in-memory databases). */
class InlineSqliteLogDatabase implements LogDatabase {
  readonly dialect = 'sqlite' as const;
  private readonly reader: SqliteLogReader;
  private readonly writer: SqliteBatchWriter;

  constructor(db: SqliteHandle) {
    this.reader = new SqliteLogReader(db);
    this.writer = new SqliteBatchWriter(db);
  }

  async query<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    return this.reader.query(sql, params, false) as T[];
  }

  async stats(query: LogStatsQuery, scope: LogScope): Promise<StatsResult> {
    return this.reader.stats(query, scope);
  }

  async execute(sql: string, params: readonly unknown[]): Promise<number> {
    return this.writer.execute(sql, params);
  }

  async write(batch: LogAppendBatch): Promise<void> {
    this.writer.write(await writeRowsYielding(batch));
  }

  async removeUserRollups(userId: string): Promise<void> {
    this.writer.removeUserRollups(userId);
  }

  async optimize(): Promise<void> {
    this.writer.optimize();
  }

  async close(): Promise<void> {}
}
