import { BODY_COLUMNS } from '../body-codec';
import { LOG_TABLES } from '../entities/log-table-names';
import { LOG_COLUMNS } from '../log-row';
import { STATS_COLUMNS, STATS_KEY_COLUMNS, STATS_SUM_COLUMNS } from '../stats-rollup';

const quote = (column: string): string => `"${column}"`;

/** `?` placeholders (SQLite) or numbered `$1…` ones (PostgreSQL, written directly: the texts are long). */
export type Placeholders = '?' | '$n';

function insertInto(
  table: string,
  columns: readonly string[],
  rows: number,
  placeholders: Placeholders,
): string {
  let values: string;
  if (placeholders === '?') {
    values = Array<string>(rows)
      .fill(`(${columns.map(() => '?').join(', ')})`)
      .join(', ');
  } else {
    const tuples: string[] = [];
    for (let row = 0, n = 1; row < rows; row++) {
      const tuple: string[] = [];
      for (let column = 0; column < columns.length; column++) tuple.push(`$${n++}`);
      tuples.push(`(${tuple.join(', ')})`);
    }
    values = tuples.join(', ');
  }
  return `INSERT INTO "${table}" (${columns.map(quote).join(', ')}) VALUES ${values}`;
}

/** INSERT of `rows` log rows; a row whose id is stored already is skipped (and not returned). */
export function insertLogsSql(rows: number, placeholders: Placeholders = '?'): string {
  const sql = `${insertInto(LOG_TABLES.logs, LOG_COLUMNS, rows, placeholders)} ON CONFLICT ("id") DO NOTHING`;
  return placeholders === '?' ? sql : `${sql} RETURNING "id"`;
}

/** INSERT of `rows` body rows. */
export function insertBodiesSql(rows: number, placeholders: Placeholders = '?'): string {
  return insertInto(LOG_TABLES.bodies, BODY_COLUMNS, rows, placeholders);
}

const ROLLUP_CONFLICT =
  `ON CONFLICT (${STATS_KEY_COLUMNS.map(quote).join(', ')}) DO UPDATE SET ` +
  STATS_SUM_COLUMNS.map((c) => `${quote(c)} = "${LOG_TABLES.stats}".${quote(c)} + excluded.${quote(c)}`).join(
    ', ',
  );

/** UPSERT of `rows` rollup rows: new keys are inserted, existing ones get the values added. */
export function upsertRollupsSql(rows: number, placeholders: Placeholders = '?'): string {
  return `${insertInto(LOG_TABLES.stats, STATS_COLUMNS, rows, placeholders)} ${ROLLUP_CONFLICT}`;
}

/** Rows per multi-row statement so the parameters stay under PostgreSQL's 65,535. */
export function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.min(1000, Math.floor(60_000 / columns)));
}

export const LOG_COLUMN_COUNT = LOG_COLUMNS.length;
export const BODY_COLUMN_COUNT = BODY_COLUMNS.length;
export const STATS_COLUMN_COUNT = STATS_COLUMNS.length;
