/** UTC calendar periods of the per-key usage counters (tokens and budget per day, budget per month). */

export type UsagePeriod = 'day' | 'month';

const DAY_MS = 86_400_000;

/** 00:00 UTC of the day `now` falls in (epoch ms). */
export function utcDayStart(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS;
}

export function nextUtcDayStart(now: number): number {
  return utcDayStart(now) + DAY_MS;
}

/** 00:00 UTC on the first of the month `now` falls in. */
export function utcMonthStart(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

export function nextUtcMonthStart(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

export function periodStart(period: UsagePeriod, now: number): number {
  return period === 'day' ? utcDayStart(now) : utcMonthStart(now);
}

/** Whole seconds until `until`, at least 1 (the value of a `Retry-After` header). */
export function retryAfterSeconds(now: number, until: number): number {
  return Math.max(1, Math.ceil((until - now) / 1000));
}
