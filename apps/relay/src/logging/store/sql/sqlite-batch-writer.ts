import type { SqliteHandle, SqliteStatement } from '../../../database/sqlite-connection';
import { type LogWriteRows, followUpRows } from '../log-append-batch';
import {
  DELETE_USER_ROLLUPS_SQL,
  SELECT_USER_FULL_ROLLUPS_SQL,
  sharedRollupCorrections,
} from '../user-rollup-removal';
import { insertBodiesSql, insertLogsSql, upsertRollupsSql } from './write-statements';

/**
 * The SQLite writes of the request log, synchronous, on one better-sqlite3 connection: a batch is
 * one transaction of prepared single-row statements (multi-row statements measured no faster on
 * better-sqlite3: the cost is binding the values and updating the indexes, not the calls). Log rows
 * whose id is already stored are skipped, with their bodies and rollups (see `followUpRows`).
 */
export class SqliteBatchWriter {
  private readonly statements = new Map<string, SqliteStatement>();
  private readonly writeRows: (rows: LogWriteRows) => number;
  private readonly removeUser: (userId: string) => void;

  constructor(private readonly db: SqliteHandle) {
    const insertLog = db.prepare(insertLogsSql(1));
    const insertBody = db.prepare(insertBodiesSql(1));
    const upsertRollup = db.prepare(upsertRollupsSql(1));
    this.writeRows = db.transaction((rows: LogWriteRows) => {
      const inserted = rows.logs.filter((row) => insertLog.run(...row).changes > 0);
      const { bodies, rollups } = followUpRows(rows, inserted);
      for (const row of bodies) insertBody.run(...row);
      for (const row of rollups) upsertRollup.run(...row);
      return inserted.length;
    });
    const selectUserRows = db.prepare(SELECT_USER_FULL_ROLLUPS_SQL);
    const deleteUserRows = DELETE_USER_ROLLUPS_SQL.map((sql) => db.prepare(sql));
    this.removeUser = db.transaction((userId: string) => {
      const corrections = sharedRollupCorrections(
        selectUserRows.all(userId) as Array<Record<string, unknown>>,
      );
      for (const row of corrections) upsertRollup.run(...row);
      for (const statement of deleteUserRows) statement.run(userId);
    });
  }

  removeUserRollups(userId: string): void {
    this.removeUser(userId);
  }

  /** One transaction; returns how many log rows were new. */
  write(rows: LogWriteRows): number {
    return this.writeRows(rows);
  }

  /** Runs one statement in its own transaction; returns the rows it changed. */
  execute(sql: string, params: readonly unknown[]): number {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.statements.size >= 100) this.statements.clear();
      this.statements.set(sql, statement);
    }
    return statement.run(...params).changes;
  }

  /** `PRAGMA optimize`: refreshes the planner's statistics where they went stale. */
  optimize(): void {
    this.db.pragma('optimize');
  }
}
