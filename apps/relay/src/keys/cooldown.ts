/** First back-off after a 5xx or timeout; doubles with each further consecutive failure. */
export const BACKOFF_BASE_MS = 1000;

/**
 * Back-off for the n-th consecutive server error or timeout of a key: 1 s, 2 s, 4 s, 8 s ...,
 * capped at `capMs` (the provider's `rate_limit_cooldown`; 0 turns back-off off).
 */
export function backoffMs(consecutiveFailures: number, capMs: number): number {
  if (consecutiveFailures <= 0 || capMs <= 0) return 0;
  return Math.min(capMs, BACKOFF_BASE_MS * 2 ** Math.min(consecutiveFailures - 1, 30));
}

/**
 * How long a 429 cools a key: what the upstream said (Retry-After or reset headers), else the
 * provider's `rate_limit_cooldown`.
 */
export function rateLimitCooldownMs(retryAfterMs: number | null, defaultMs: number): number {
  if (retryAfterMs === null || !Number.isFinite(retryAfterMs)) return defaultMs;
  return Math.max(0, Math.ceil(retryAfterMs));
}
