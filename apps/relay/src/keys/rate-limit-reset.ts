/**
 * When a rate-limited key is expected back, from an upstream response's headers.
 *
 * Precedence: an explicit `retry-after-ms` or `Retry-After` (delta-seconds or HTTP-date) is the
 * upstream's own instruction and wins. Otherwise the per-limit reset headers are read:
 * - OpenAI (and Groq, Together, ...): `x-ratelimit-reset-requests` / `x-ratelimit-reset-tokens`,
 *   Go-style durations (`1s`, `6m0s`, `20ms`, `1h2m3.5s`);
 * - Anthropic: `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-reset`, RFC 3339
 *   instants;
 * - generic `x-ratelimit-reset` (OpenRouter and others): seconds, or an epoch in s or ms.
 * Each has a matching `...-remaining` header. The limits whose remaining count is 0 are the ones
 * that were hit, so the latest of their resets is when the key is usable again; when none says 0
 * (headers missing, or this request alone exceeds what remains) the latest reset of all is used,
 * the safe guess. Returns milliseconds from `nowMs` (never negative), or null when no header says.
 */
export function parseRateLimitReset(
  headers: Record<string, string | string[] | undefined>,
  nowMs: number,
): number | null {
  const found = pickHeaders(headers);
  const explicitMs = parseNumber(found.get('retry-after-ms'));
  if (explicitMs !== null && explicitMs >= 0) return ceilMs(explicitMs);
  const retryAfter = parseRetryAfter(found.get('retry-after'), nowMs);
  if (retryAfter !== null) return retryAfter;

  let latestHit = -1;
  let latestAny = -1;
  for (const limit of RESET_HEADERS) {
    const raw = found.get(limit.reset);
    if (raw === undefined) continue;
    const resetMs = limit.parse(raw, nowMs);
    if (resetMs === null) continue;
    latestAny = Math.max(latestAny, resetMs);
    const remaining = parseNumber(found.get(limit.remaining));
    if (remaining !== null && remaining <= 0) latestHit = Math.max(latestHit, resetMs);
  }
  if (latestHit >= 0) return latestHit;
  return latestAny >= 0 ? latestAny : null;
}

interface ResetHeader {
  reset: string;
  remaining: string;
  parse: (value: string, nowMs: number) => number | null;
}

const RESET_HEADERS: readonly ResetHeader[] = [
  {
    reset: 'x-ratelimit-reset-requests',
    remaining: 'x-ratelimit-remaining-requests',
    parse: parseDurationMs,
  },
  { reset: 'x-ratelimit-reset-tokens', remaining: 'x-ratelimit-remaining-tokens', parse: parseDurationMs },
  ...['requests', 'tokens', 'input-tokens', 'output-tokens'].map((limit) => ({
    reset: `anthropic-ratelimit-${limit}-reset`,
    remaining: `anthropic-ratelimit-${limit}-remaining`,
    parse: parseInstantMs,
  })),
  { reset: 'x-ratelimit-reset', remaining: 'x-ratelimit-remaining', parse: parseSecondsOrEpochMs },
];

const WANTED = new Set([
  'retry-after',
  'retry-after-ms',
  ...RESET_HEADERS.flatMap((limit) => [limit.reset, limit.remaining]),
]);

/** The headers of interest, by lower-case name, first non-empty value of repeated ones. */
function pickHeaders(headers: Record<string, string | string[] | undefined>): Map<string, string> {
  const found = new Map<string, string>();
  for (const name in headers) {
    const lower = name.toLowerCase();
    if (!WANTED.has(lower) || found.has(lower)) continue;
    const raw = headers[name];
    const value = (Array.isArray(raw) ? raw.find((item) => item.trim() !== '') : raw)?.trim();
    if (value) found.set(lower, value);
  }
  return found;
}

/** Rounds up to whole ms, never below 0, ignoring float noise (0.29 * 1000 is 290.00000000000006). */
function ceilMs(ms: number): number {
  return Math.max(0, Math.ceil(ms - 1e-6));
}

const DECIMAL = /^\d+(?:\.\d+)?$/;

function parseNumber(value: string | undefined): number | null {
  if (value === undefined || !DECIMAL.test(value)) return null;
  return Number(value);
}

/** `Retry-After`: delta-seconds (decimals tolerated) or an HTTP-date. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null;
  const seconds = parseNumber(value);
  if (seconds !== null) return ceilMs(seconds * 1000);
  return parseInstantMs(value, nowMs);
}

/**
 * An absolute instant (RFC 3339 or HTTP-date) as milliseconds from now, never negative. Both forms
 * carry a time of day; requiring the `:` keeps Date.parse from reading `-3` as a year.
 */
export function parseInstantMs(value: string, nowMs: number): number | null {
  const at = value.includes(':') ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? null : ceilMs(at - nowMs);
}

const DURATION_UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  μs: 0.001,
  ns: 0.000001,
};
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** A Go duration (`1h2m3.5s`, `6m0s`, `20ms`) or bare seconds (`1.5`), rounded up to whole ms. */
export function parseDurationMs(value: string): number | null {
  const seconds = parseNumber(value);
  if (seconds !== null) return ceilMs(seconds * 1000);
  let total = 0;
  let at = 0;
  DURATION_PART.lastIndex = 0;
  while (at < value.length) {
    DURATION_PART.lastIndex = at;
    const part = DURATION_PART.exec(value);
    if (!part) return null;
    total += Number(part[1]) * DURATION_UNIT_MS[part[2]];
    at = DURATION_PART.lastIndex;
  }
  return at === 0 ? null : ceilMs(total);
}

/** Generic `x-ratelimit-reset`: seconds to wait, or an epoch in seconds or milliseconds. */
function parseSecondsOrEpochMs(value: string, nowMs: number): number | null {
  const number = parseNumber(value);
  if (number === null) return parseDurationMs(value) ?? parseInstantMs(value, nowMs);
  if (number >= 1e12) return ceilMs(number - nowMs);
  if (number >= 1e9) return ceilMs(number * 1000 - nowMs);
  return ceilMs(number * 1000);
}
