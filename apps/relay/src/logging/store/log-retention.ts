import type { RequestLogStore } from './request-log.store';
import { DAY_MS, MINUTE_ROLLUP_RETENTION_MS } from './stats-rollup';

export interface RetentionRun {
  /** Entries older than this (epoch ms) were deleted. */
  cutoff: number;
  deleted: number;
}

/** What retention needs of the store (`TypeOrmRequestLogStore` has it). */
export interface RetainableLogStore extends Pick<RequestLogStore, 'deleteOlderThan'> {
  pruneMinuteRollups(cut: number): Promise<void>;
}

/**
 * `logging.max_age_days` applied once: deletes the entries (with their bodies and rollups) older
 * than `now − max_age_days`; `0` keeps them all (and returns null). Either way, minute rollups older
 * than `MINUTE_ROLLUP_RETENTION_MS` (8 days) go.
 */
export class LogRetention {
  constructor(
    private readonly store: RetainableLogStore,
    private readonly maxAgeDays: () => number,
  ) {}

  async runOnce(now: number = Date.now()): Promise<RetentionRun | null> {
    const days = this.maxAgeDays();
    let run: RetentionRun | null = null;
    if (days > 0) {
      const cutoff = now - days * DAY_MS;
      run = { cutoff, deleted: await this.store.deleteOlderThan(cutoff) };
    }
    await this.store.pruneMinuteRollups(now - MINUTE_ROLLUP_RETENTION_MS);
    return run;
  }
}
