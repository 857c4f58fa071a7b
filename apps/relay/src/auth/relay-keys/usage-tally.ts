import { type UsagePeriod, utcDayStart, utcMonthStart } from './usage-periods';

/** A key's usage in the current UTC day and month. */
export interface KeyUsage {
  tokensToday: number;
  costUsdToday: number;
  tokensThisMonth: number;
  costUsdThisMonth: number;
}

export const NO_USAGE: Readonly<KeyUsage> = Object.freeze({
  tokensToday: 0,
  costUsdToday: 0,
  tokensThisMonth: 0,
  costUsdThisMonth: 0,
});

/** Usage added in one period of one key and not yet written. */
export interface UsageDelta {
  keyId: string;
  period: UsagePeriod;
  /** The period's start, epoch ms (00:00 UTC of the day, or of the first of the month). */
  start: number;
  tokens: number;
  costUsd: number;
}

interface Counter {
  start: number;
  tokens: number;
  costUsd: number;
}

interface KeyCounters {
  day: Counter;
  month: Counter;
}

/**
 * Per-key token and cost totals of the current UTC day and month, in memory (the hot path reads
 * them synchronously), with the deltas not yet written to the database. A total is "what the
 * database had at the last read" plus "what this process added since".
 */
export class UsageTally {
  private readonly keys = new Map<string, KeyCounters>();
  private pending = new Map<string, UsageDelta>();

  add(keyId: string, tokens: number, costUsd: number, at: number): void {
    if (tokens <= 0 && costUsd <= 0) return;
    const counters = this.countersAt(keyId, at);
    for (const period of PERIODS) {
      const counter = counters[period];
      counter.tokens += tokens;
      counter.costUsd += costUsd;
      const id = pendingId(keyId, period, counter.start);
      const delta = this.pending.get(id);
      if (delta) {
        delta.tokens += tokens;
        delta.costUsd += costUsd;
      } else {
        this.pending.set(id, { keyId, period, start: counter.start, tokens, costUsd });
      }
    }
  }

  usage(keyId: string, now: number): KeyUsage {
    const counters = this.keys.get(keyId);
    if (!counters) return NO_USAGE;
    const day = counters.day.start === utcDayStart(now) ? counters.day : null;
    const month = counters.month.start === utcMonthStart(now) ? counters.month : null;
    return {
      tokensToday: day?.tokens ?? 0,
      costUsdToday: day?.costUsd ?? 0,
      tokensThisMonth: month?.tokens ?? 0,
      costUsdThisMonth: month?.costUsd ?? 0,
    };
  }

  /**
   * The database's total for a period (loaded at start, or read back after a write): the key's
   * total becomes that plus whatever was added here since. Totals of past periods are ignored.
   */
  setStored(
    keyId: string,
    period: UsagePeriod,
    start: number,
    tokens: number,
    costUsd: number,
    now: number,
  ): void {
    const current = period === 'day' ? utcDayStart(now) : utcMonthStart(now);
    if (start !== current) return;
    const counter = this.countersAt(keyId, now)[period];
    const unwritten = this.pending.get(pendingId(keyId, period, start));
    counter.tokens = tokens + (unwritten?.tokens ?? 0);
    counter.costUsd = costUsd + (unwritten?.costUsd ?? 0);
  }

  /** The deltas to write; they are no longer pending (give them back with `restore` if the write fails). */
  takePending(): UsageDelta[] {
    if (this.pending.size === 0) return [];
    const deltas = [...this.pending.values()];
    this.pending = new Map();
    return deltas;
  }

  restore(deltas: readonly UsageDelta[]): void {
    for (const delta of deltas) {
      const id = pendingId(delta.keyId, delta.period, delta.start);
      const later = this.pending.get(id);
      if (later) {
        later.tokens += delta.tokens;
        later.costUsd += delta.costUsd;
      } else {
        this.pending.set(id, { ...delta });
      }
    }
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Forgets keys whose day and month are both over (and have nothing left to write). */
  sweep(now: number): void {
    const month = utcMonthStart(now);
    for (const [keyId, counters] of this.keys) {
      if (counters.month.start === month) continue;
      if (PERIODS.some((period) => this.pending.has(pendingId(keyId, period, counters[period].start))))
        continue;
      this.keys.delete(keyId);
    }
  }

  forget(keyId: string): void {
    this.keys.delete(keyId);
  }

  /** The key's counters, rolled over to the periods `at` falls in. */
  private countersAt(keyId: string, at: number): KeyCounters {
    const day = utcDayStart(at);
    const month = utcMonthStart(at);
    let counters = this.keys.get(keyId);
    if (!counters) {
      counters = {
        day: { start: day, tokens: 0, costUsd: 0 },
        month: { start: month, tokens: 0, costUsd: 0 },
      };
      this.keys.set(keyId, counters);
      return counters;
    }
    // only forward: a clock stepping back does not reopen a finished period
    if (day > counters.day.start) counters.day = { start: day, tokens: 0, costUsd: 0 };
    if (month > counters.month.start) counters.month = { start: month, tokens: 0, costUsd: 0 };
    return counters;
  }
}

const PERIODS: readonly UsagePeriod[] = ['day', 'month'];

function pendingId(keyId: string, period: UsagePeriod, start: number): string {
  return `${keyId}\u0000${period}\u0000${start}`;
}
