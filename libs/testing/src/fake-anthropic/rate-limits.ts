// Anthropic's rate-limit headers: the window on every success, and what a 429 says about when to come back.

/** The windows Anthropic reports, each as `anthropic-ratelimit-<window>-{limit,remaining,reset}`. */
const WINDOWS = {
  requests: 4_000,
  tokens: 2_400_000,
  'input-tokens': 2_000_000,
  'output-tokens': 400_000,
} as const;
type Window = keyof typeof WINDOWS;

/** RFC 3339 in whole seconds (`2025-01-01T00:00:05Z`), rounded up so a reset is never earlier than meant. */
export function rfc3339(at: Date): string {
  const seconds = Math.ceil(at.getTime() / 1000);
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

let cachedSecond = -1;
let cachedHeaders: Readonly<Record<string, string>> = {};

/**
 * The rate-limit window of a successful response: one request used, everything resets within a second.
 * Built once per second (the benchmark serves thousands of requests a second).
 */
export function successRateLimitHeaders(now: number): Readonly<Record<string, string>> {
  const second = Math.floor(now / 1000);
  if (second === cachedSecond) return cachedHeaders;
  const reset = rfc3339(new Date(now + 1000));
  const headers: Record<string, string> = {};
  for (const [window, limit] of Object.entries(WINDOWS)) {
    headers[`anthropic-ratelimit-${window}-limit`] = String(limit);
    headers[`anthropic-ratelimit-${window}-remaining`] = String(window === 'requests' ? limit - 1 : limit);
    headers[`anthropic-ratelimit-${window}-reset`] = reset;
  }
  cachedSecond = second;
  cachedHeaders = headers;
  return headers;
}

/** A reset time: a Date, or seconds from when the behaviour is made. */
export type ResetAt = Date | number;

export interface AnthropicRateLimitHints {
  /** `retry-after`, in whole seconds. */
  retryAfter?: number;
  /** `anthropic-ratelimit-requests-reset` (and that window's remaining 0). */
  requestsReset?: ResetAt;
  /** `anthropic-ratelimit-tokens-reset`. */
  tokensReset?: ResetAt;
  /** `anthropic-ratelimit-input-tokens-reset`. */
  inputTokensReset?: ResetAt;
  /** `anthropic-ratelimit-output-tokens-reset`. */
  outputTokensReset?: ResetAt;
}

const HINTED_WINDOWS: [keyof AnthropicRateLimitHints, Window][] = [
  ['requestsReset', 'requests'],
  ['tokensReset', 'tokens'],
  ['inputTokensReset', 'input-tokens'],
  ['outputTokensReset', 'output-tokens'],
];

/** The headers of a 429: `retry-after` and, per exhausted window, its limit, remaining 0 and reset time. */
export function rateLimitedHeaders(hints: AnthropicRateLimitHints, now = Date.now()): Record<string, string> {
  const headers: Record<string, string> = {};
  if (hints.retryAfter !== undefined) headers['retry-after'] = String(hints.retryAfter);
  for (const [hint, window] of HINTED_WINDOWS) {
    const reset = hints[hint];
    if (reset === undefined) continue;
    const at = reset instanceof Date ? reset : new Date(now + reset * 1000);
    headers[`anthropic-ratelimit-${window}-limit`] = String(WINDOWS[window]);
    headers[`anthropic-ratelimit-${window}-remaining`] = '0';
    headers[`anthropic-ratelimit-${window}-reset`] = rfc3339(at);
  }
  return headers;
}
