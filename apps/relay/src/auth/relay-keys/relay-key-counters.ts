import type { KeyUsage } from './usage-tally';

export type MaybePromise<T> = T | Promise<T>;

/**
 * The counter store behind relay key limits: requests per minute, and tokens and cost per UTC day
 * and month. The in-process implementation (`LocalRelayKeyCounters`) answers synchronously and
 * persists usage to the app database; a Redis implementation (shared windows and totals across
 * replicas) may answer with promises: callers handle both.
 */
export abstract class RelayKeyCounters {
  /** Admits and counts one request of the key under `perMinute` (returns 0), or returns the ms until one would be admitted. */
  abstract takeRequest(keyId: string, perMinute: number, now: number): MaybePromise<number>;

  /** The key's tokens and cost today and this month (UTC). */
  abstract usage(keyId: string, now: number): MaybePromise<KeyUsage>;

  /** Adds a finished exchange's tokens and cost. Never blocks. */
  abstract addUsage(keyId: string, tokens: number, costUsd: number, at: number): void;

  /** Writes what is pending (periodically, and before the databases close). */
  abstract flush(): Promise<void>;
}
