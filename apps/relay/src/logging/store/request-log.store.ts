import type {
  RequestLogBodies,
  RequestLogEntry,
  StatsBucket,
  StatsGroupBy,
  StatsResult,
} from '@monorelay/contracts';
import type { LogRecord } from '../log-record';

/** Whose entries a query may see: everyone's (admins) or one user's. */
export interface LogScope {
  /** null = all entries; otherwise only this user's. */
  userId: string | null;
}

export const LOG_PAGE_SIZES = [20, 50, 100, 200] as const;
export type LogPageSize = (typeof LOG_PAGE_SIZES)[number];

export interface LogListQuery {
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  /** Requested or served model (exact). */
  model?: string;
  provider?: string;
  /** An HTTP status, or every success / every failure. */
  status?: number | 'success' | 'error';
  userId?: string;
  /** Case-insensitive substring of the request or response preview. */
  search?: string;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  limit: LogPageSize;
}

export interface LogStatsQuery {
  from: number;
  to: number;
  bucket: StatsBucket;
  groupBy?: StatsGroupBy;
}

/**
 * The persistent request log: entries, their bodies, and statistics rollups kept up to date as
 * entries are appended (so statistics never scan the raw log). SQLite by default, PostgreSQL when
 * `database.url` is set; same entities and migrations.
 */
export abstract class RequestLogStore {
  /** Writes a batch (one transaction): rows, bodies, rollups. */
  abstract append(records: readonly LogRecord[]): Promise<void>;
  /** Newest first. */
  abstract list(
    query: LogListQuery,
    scope: LogScope,
  ): Promise<{ entries: RequestLogEntry[]; nextCursor: string | null }>;
  abstract get(id: string, scope: LogScope): Promise<RequestLogEntry | null>;
  abstract bodies(id: string, scope: LogScope): Promise<RequestLogBodies | null>;
  /** Deletes the entries (and bodies and rollups) in scope; returns how many entries went. */
  abstract clear(scope: LogScope): Promise<number>;
  /** Retention: deletes entries older than `timestamp` (epoch ms) and rollups older than it. */
  abstract deleteOlderThan(timestamp: number): Promise<number>;
  abstract stats(query: LogStatsQuery, scope: LogScope): Promise<StatsResult>;
  abstract isReady(): boolean;
}
