import type { DatabaseDialect } from '../../database/database-target';

/** The `n`-th (1-based) bind parameter in the dialect's syntax: `?` (SQLite) or `$n` (PostgreSQL). */
export function placeholder(dialect: DatabaseDialect, n: number): string {
  return dialect === 'postgres' ? `$${n}` : '?';
}

/** bigint columns come back as strings from PostgreSQL. */
export function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
