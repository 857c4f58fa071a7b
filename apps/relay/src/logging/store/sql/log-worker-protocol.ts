import type { LogAppendBatch } from '../log-append-batch';
import type { LogScope, LogStatsQuery } from '../request-log.store';

/** What `LogWorkerThread` asks `log-store.worker` to do. */
export type LogWorkerCommand =
  | { op: 'query'; sql: string; params: unknown[]; arrays: boolean }
  | { op: 'stats'; query: LogStatsQuery; scope: LogScope }
  | { op: 'write'; batch: LogAppendBatch }
  | { op: 'execute'; sql: string; params: unknown[] }
  | { op: 'removeUserRollups'; userId: string }
  | { op: 'optimize' }
  | { op: 'close' };

export type LogWorkerRequest = LogWorkerCommand & { id: number };

export type LogWorkerResponse =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; message: string; code: string | null };

/**
 * - `sqlite-reader`: a read-only connection to the file; answers `query` and `stats`.
 * - `sqlite-writer`: the file's only writing connection; answers the writes.
 * - `postgres-writer`: its own PostgreSQL connection; answers `write`.
 */
export type LogWorkerData =
  | { role: 'sqlite-reader' | 'sqlite-writer'; path: string }
  | { role: 'postgres-writer'; url: string; applicationName: string };

export type LogWorkerRole = LogWorkerData['role'];
