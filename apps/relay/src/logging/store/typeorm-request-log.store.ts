import type { RequestLogBodies, RequestLogEntry, StatsResult } from '@monorelay/contracts';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { ManagedDataSource } from '../../database/managed-data-source';
import { sqliteHandleOf } from '../../database/sqlite-connection';
import type { LogRecord } from '../log-record';
import { BODY_COLUMNS, decodeBodyRow } from './body-codec';
import { appendBatchOf } from './log-append-batch';
import { LOG_TABLES } from './entities/log-table-names';
import { buildListPlan, mergeNewestFirst } from './log-list-query';
import { alignStatsRange } from './log-stats-query';
import { LOG_SELECT_LIST, type LogRow, entryFromRow } from './log-row';
import { type LogListQuery, type LogScope, type LogStatsQuery, RequestLogStore } from './request-log.store';
import type { LogDatabase } from './sql/log-database';
import { PostgresLogDatabase } from './sql/postgres-log-database';
import { sqliteLogDatabase } from './sql/sqlite-log-database';
import type { RollupBreakdown, RollupGranularity } from './entities/request-stats.entity';
import { BREAKDOWNS, DAY_MS, HOUR_MS, MINUTE_MS } from './stats-rollup';

export interface LogStoreSettings {
  /** gzip bodies (`log_store.compress_bodies`); read at every append, so hot reload applies. */
  compressBodies: boolean;
}

/** Log rows per DELETE transaction (retention, clear): short locks, the event loop runs in between. */
export const DELETE_CHUNK_ROWS = 2000;

/**
 * `RequestLogStore` on the TypeORM DataSource of `DatabaseModule` (SQLite or PostgreSQL, one schema,
 * one migration set).
 * - append: the relay's thread only turns entries into row values and hands the batch to a writer
 *   thread (`sql/log-store.worker`), which gzips the bodies, sums the rollups in memory and runs one
 *   transaction: the new log rows (ids already stored are skipped: a retried batch is harmless),
 *   their body rows, the rollup UPSERTs.
 * - list/get/bodies: hand-written SQL that walks an index newest-first (`log-list-query.ts`).
 * - stats: only the rollups, never `request_logs` (`log-stats-query.ts`).
 * - clear/deleteOlderThan: chunked deletes; bodies go by ON DELETE CASCADE.
 * On SQLite the reads run on a reader thread too (better-sqlite3 is synchronous; see
 * `sql/sqlite-log-database.ts`).
 */
export class TypeOrmRequestLogStore extends RequestLogStore {
  private backend: { source: DataSource; database: LogDatabase } | null = null;

  constructor(
    private readonly database: ManagedDataSource,
    private readonly settings: () => LogStoreSettings,
  ) {
    super();
  }

  isReady(): boolean {
    return this.database.isReady();
  }

  async append(records: readonly LogRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.db().write(appendBatchOf(records, this.settings().compressBodies));
  }

  async list(
    query: LogListQuery,
    scope: LogScope,
  ): Promise<{ entries: RequestLogEntry[]; nextCursor: string | null }> {
    const db = this.db();
    const plan = buildListPlan(query, scope, db.dialect);
    const results = await Promise.all(plan.queries.map((q) => db.query<LogRow>(q.sql, q.params)));
    const rows = mergeNewestFirst(results, plan.fetch);
    const entries = rows.slice(0, query.limit).map(entryFromRow);
    const more = rows.length > query.limit;
    return { entries, nextCursor: more ? entries[entries.length - 1].id : null };
  }

  async get(id: string, scope: LogScope): Promise<RequestLogEntry | null> {
    const [where, params] = scoped('"id" = ?', [id], scope);
    const rows = await this.db().query<LogRow>(
      `SELECT ${LOG_SELECT_LIST} FROM "${LOG_TABLES.logs}" WHERE ${where}`,
      params,
    );
    return rows.length ? entryFromRow(rows[0]) : null;
  }

  async bodies(id: string, scope: LogScope): Promise<RequestLogBodies | null> {
    const columns = BODY_COLUMNS.map((c) => `b."${c}"`).join(', ');
    const [where, params] = scoped('b."log_id" = ?', [id], scope, 'l.');
    const rows = await this.db().query<Record<(typeof BODY_COLUMNS)[number], unknown>>(
      `SELECT ${columns} FROM "${LOG_TABLES.bodies}" b JOIN "${LOG_TABLES.logs}" l ON l."id" = b."log_id" ` +
        `WHERE ${where}`,
      params,
    );
    return rows.length ? decodeBodyRow(rows[0]) : null;
  }

  async clear(scope: LogScope): Promise<number> {
    const db = this.db();
    if (scope.userId === null) {
      const deleted = await this.deleteLogsInChunks(db, '1 = 1', []);
      await db.execute(`DELETE FROM "${LOG_TABLES.stats}"`, []);
      await db.optimize();
      return deleted;
    }
    const deleted = await this.deleteLogsInChunks(db, '"user_id" = ?', [scope.userId]);
    await db.removeUserRollups(scope.userId);
    return deleted;
  }

  /**
   * Deletes the log rows (and their bodies) with `timestamp < cut`, and the rollup buckets that end
   * at or before the cut (a bucket the cut falls inside is kept whole). In chunks, so a huge
   * first-time delete never holds the write lock for long.
   */
  async deleteOlderThan(cut: number): Promise<number> {
    const db = this.db();
    const deleted = await this.deleteLogsInChunks(db, '"timestamp" < ?', [cut]);
    for (const breakdown of BREAKDOWNS) {
      await this.deleteRollupsBefore(db, breakdown, 'minute', cut - MINUTE_MS, DAY_MS);
      await this.deleteRollupsBefore(db, breakdown, 'hour', cut - HOUR_MS, 30 * DAY_MS);
    }
    if (deleted > 0) await db.optimize();
    return deleted;
  }

  /**
   * Deletes the minute rollups whose bucket ended by `cut` (see `MINUTE_ROLLUP_RETENTION_MS`); the
   * entries and the hour rollups stay.
   */
  async pruneMinuteRollups(cut: number): Promise<void> {
    const db = this.db();
    for (const breakdown of BREAKDOWNS)
      await this.deleteRollupsBefore(db, breakdown, 'minute', cut - MINUTE_MS, DAY_MS);
  }

  async stats(query: LogStatsQuery, scope: LogScope): Promise<StatsResult> {
    alignStatsRange(query); // a RangeError for a bad range, here rather than from a worker thread
    return this.db().stats(query, scope);
  }

  private async deleteLogsInChunks(db: LogDatabase, condition: string, params: unknown[]): Promise<number> {
    const sql =
      `DELETE FROM "${LOG_TABLES.logs}" WHERE "id" IN ` +
      `(SELECT "id" FROM "${LOG_TABLES.logs}" WHERE ${condition} LIMIT ${DELETE_CHUNK_ROWS})`;
    let total = 0;
    for (;;) {
      const deleted = await db.execute(sql, params);
      total += deleted;
      if (deleted < DELETE_CHUNK_ROWS) return total;
      await nextTurn();
    }
  }

  /** One breakdown's rollups with `bucket_start <= lastStart`, at most `windowMs` of buckets per statement. */
  private async deleteRollupsBefore(
    db: LogDatabase,
    breakdown: RollupBreakdown,
    granularity: RollupGranularity,
    lastStart: number,
    windowMs: number,
  ): Promise<void> {
    const key = `"breakdown" = ? AND "granularity" = ?`;
    for (;;) {
      const [row] = await db.query<{ oldest: unknown }>(
        `SELECT MIN("bucket_start") AS "oldest" FROM "${LOG_TABLES.stats}" WHERE ${key}`,
        [breakdown, granularity],
      );
      if (row?.oldest === null || row?.oldest === undefined || Number(row.oldest) > lastStart) return;
      const windowEnd = Math.min(lastStart, Number(row.oldest) + windowMs - 1);
      await db.execute(`DELETE FROM "${LOG_TABLES.stats}" WHERE ${key} AND "bucket_start" <= ?`, [
        breakdown,
        granularity,
        windowEnd,
      ]);
      await nextTurn();
    }
  }

  /** The SQL backend for the current DataSource (rebuilt if the database reconnected). */
  private db(): LogDatabase {
    const source = this.database.dataSource;
    if (this.backend?.source !== source) {
      const target = this.database.target;
      const database =
        target.dialect === 'postgres'
          ? new PostgresLogDatabase(source, target.url, `monorelay-${this.database.name}-writer`)
          : sqliteLogDatabase(sqliteHandleOf(source), target.path);
      this.backend = { source, database };
      this.database.onClose(() => database.close());
    }
    return this.backend.database;
  }
}

/** Adds the user scope to a condition. */
function scoped(condition: string, params: unknown[], scope: LogScope, prefix = ''): [string, unknown[]] {
  if (scope.userId === null) return [condition, params];
  return [`${condition} AND ${prefix}"user_id" = ?`, [...params, scope.userId]];
}
