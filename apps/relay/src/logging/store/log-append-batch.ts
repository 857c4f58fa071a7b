import type { LogRecord } from '../log-record';
import { type BodiesToStore, type BodyRowValues, encodeBodyRow, encodeBodyRows } from './body-codec';
import { logRowValues, rollupInputOfRow } from './log-row';
import { rollupBatch, rollupRowValues } from './stats-rollup';

/**
 * What `append` hands a backend: the log rows (built on the caller's thread: cheap, and compact
 * to pass to a writer thread) and the bodies still as text (encoding them is the expensive part,
 * done by whoever writes).
 */
export interface LogAppendBatch {
  /** `request_logs` values, `LOG_COLUMNS` order. */
  logs: unknown[][];
  bodies: BodiesToStore[];
  compressBodies: boolean;
}

/** A batch ready for its transaction: log rows and encoded body rows. */
export interface LogWriteRows {
  logs: unknown[][];
  bodies: BodyRowValues[];
}

export function appendBatchOf(records: readonly LogRecord[], compressBodies: boolean): LogAppendBatch {
  const bodies: BodiesToStore[] = [];
  const logs = records.map(({ entry, bodies: entryBodies }) => {
    if (entryBodies) bodies.push({ id: entry.id, bodies: entryBodies });
    return logRowValues(entry, entryBodies !== null);
  });
  return { logs, bodies, compressBodies };
}

/** The batch's rows, encoding bodies in one go (on a writer thread). */
export function writeRowsOf(batch: LogAppendBatch): LogWriteRows {
  return {
    logs: batch.logs,
    bodies: batch.bodies.map(({ id, bodies }) => encodeBodyRow(id, bodies, batch.compressBodies)),
  };
}

/** The batch's rows, yielding to the event loop while compressing (on the main thread). */
export async function writeRowsYielding(batch: LogAppendBatch): Promise<LogWriteRows> {
  return { logs: batch.logs, bodies: await encodeBodyRows(batch.bodies, batch.compressBodies) };
}

/** The log row's id (`LOG_COLUMNS[0]`). */
export function logRowId(row: readonly unknown[]): string {
  return row[0] as string;
}

/**
 * What the transaction stores besides the log rows that were new: their bodies and their rollup
 * UPSERT values (`STATS_COLUMNS` order, one per key, sorted by key). Rows whose id was already
 * stored (a batch written twice: a retry after a lost answer) are skipped by the INSERT, and so
 * add nothing here — `append` is idempotent.
 */
export function followUpRows(
  rows: LogWriteRows,
  inserted: readonly unknown[][],
): { bodies: BodyRowValues[]; rollups: unknown[][] } {
  const ids = new Set(inserted.map(logRowId));
  return {
    // once per new id (an id twice in one batch: its first bodies)
    bodies: rows.bodies.filter((body) => ids.delete(body[0])),
    rollups: rollupBatch(inserted.map(rollupInputOfRow)).map(rollupRowValues),
  };
}
