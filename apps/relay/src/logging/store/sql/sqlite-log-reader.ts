import type { StatsResult } from '@monorelay/contracts';
import type { SqliteHandle, SqliteStatement } from '../../../database/sqlite-connection';
import { assembleStats, buildStatsQuery } from '../log-stats-query';
import type { LogScope, LogStatsQuery } from '../request-log.store';

/** SELECTs on one better-sqlite3 connection, prepared once per SQL text and row shape. */
export class SqliteLogReader {
  private readonly statements = new Map<string, SqliteStatement>();

  constructor(private readonly db: SqliteHandle) {}

  /** Rows as objects, or as arrays of the values in SELECT order. */
  query(sql: string, params: readonly unknown[], arrays: boolean): unknown[] {
    const key = arrays ? `[]${sql}` : sql;
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (arrays) statement.raw(true);
      if (this.statements.size >= 200) this.statements.clear();
      this.statements.set(key, statement);
    }
    return statement.all(...params);
  }

  stats(query: LogStatsQuery, scope: LogScope): StatsResult {
    const { sql, params } = buildStatsQuery(query, scope);
    return assembleStats(query, this.query(sql, params, true) as unknown[][]);
  }
}
