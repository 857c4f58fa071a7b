import { LOG_TABLES } from './entities/log-table-names';
import type { RollupGranularity } from './entities/request-stats.entity';
import { RollupAccumulator, STATS_SUM_COLUMNS, breakdownDimensions, rollupRowValues } from './stats-rollup';

/**
 * Taking one user's requests out of the rollups (`clear` for a user). Their `full` and `user` rows
 * simply go; the `total`, `model` and `key` breakdowns have no user dimension, so the user's share —
 * read from their `full` rows — is subtracted from them (an UPSERT of negated sums). Backends run the
 * three steps in one transaction, so concurrent appends cannot slip between them.
 */
export const SELECT_USER_FULL_ROLLUPS_SQL =
  `SELECT "granularity", "bucket_start", "provider", "model", "key_label", ` +
  `${STATS_SUM_COLUMNS.map((c) => `"${c}"`).join(', ')} ` +
  `FROM "${LOG_TABLES.stats}" WHERE "user_id" = ? AND "breakdown" = 'full'`;

/** Each takes the user id. */
export const DELETE_USER_ROLLUPS_SQL = [
  `DELETE FROM "${LOG_TABLES.stats}" WHERE "user_id" = ? AND "breakdown" = 'full'`,
  `DELETE FROM "${LOG_TABLES.stats}" WHERE "user_id" = ? AND "breakdown" = 'user'`,
];

/** UPSERT values (`STATS_COLUMNS` order) that subtract these `full` rows from the shared breakdowns. */
export function sharedRollupCorrections(fullRows: ReadonlyArray<Record<string, unknown>>): unknown[][] {
  const corrections = new RollupAccumulator();
  for (const row of fullRows) {
    const dimensions: [string, string, string, string] = [
      String(row.provider),
      String(row.model),
      String(row.key_label),
      '',
    ];
    for (const breakdown of ['total', 'model', 'key'] as const) {
      const target = corrections.row(
        breakdown,
        row.granularity as RollupGranularity,
        Number(row.bucket_start),
        breakdownDimensions(breakdown, dimensions),
      );
      for (let i = 0; i < STATS_SUM_COLUMNS.length; i++) target.sums[i] -= Number(row[STATS_SUM_COLUMNS[i]]);
    }
  }
  return corrections.sorted().map(rollupRowValues);
}
