import { type LogWriteRows, followUpRows, logRowId } from '../log-append-batch';
import {
  BODY_COLUMN_COUNT,
  LOG_COLUMN_COUNT,
  STATS_COLUMN_COUNT,
  insertBodiesSql,
  insertLogsSql,
  type Placeholders,
  rowsPerStatement,
  upsertRollupsSql,
} from './write-statements';

/** A PostgreSQL connection: node-postgres `Client` (rows in `.rows`) or a TypeORM query runner (rows). */
export interface PostgresQueryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Multi-row statements, chunked below PostgreSQL's 65,535 parameters; returns what they returned. */
export async function insertMany(
  connection: PostgresQueryable,
  rows: readonly unknown[][],
  columns: number,
  sql: (rows: number, placeholders: Placeholders) => string,
): Promise<Array<Record<string, unknown>>> {
  const returned: Array<Record<string, unknown>> = [];
  const chunk = rowsPerStatement(columns);
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const result = await connection.query(sql(part.length, '$n'), part.flat());
    const resultRows = Array.isArray(result) ? result : (result as { rows?: unknown[] }).rows;
    if (resultRows) returned.push(...(resultRows as Array<Record<string, unknown>>));
  }
  return returned;
}

/**
 * One batch in one transaction: multi-row INSERTs of the log rows (those whose id is stored already
 * are skipped, see `followUpRows`), of the new rows' bodies, then a multi-row UPSERT of their rollups
 * (unique keys, sorted: concurrent writers lock rows in the same order). Returns how many were new.
 */
export async function writePostgresRows(connection: PostgresQueryable, rows: LogWriteRows): Promise<number> {
  await connection.query('BEGIN');
  try {
    const newIds = new Set(
      (await insertMany(connection, rows.logs, LOG_COLUMN_COUNT, insertLogsSql)).map((r) => r.id),
    );
    // an id twice in one batch: the first one went in
    const inserted = rows.logs.filter((row) => newIds.delete(logRowId(row)));
    const { bodies, rollups } = followUpRows(rows, inserted);
    await insertMany(connection, bodies, BODY_COLUMN_COUNT, insertBodiesSql);
    await insertMany(connection, rollups, STATS_COLUMN_COUNT, upsertRollupsSql);
    await connection.query('COMMIT');
    return inserted.length;
  } catch (error) {
    await connection.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
