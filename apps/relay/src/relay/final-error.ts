import type { RequestErrorType } from '@monorelay/contracts';
import type { AttemptFailure } from './attempt-failure';

/** The error the client gets once every target has failed (before any byte was sent). */
export interface ClientError {
  status: number;
  /** The request field at fault, when one is. */
  param: string | null;
  message: string;
  type: string;
  code: string;
  errorType: RequestErrorType;
  /** Seconds, for 429. */
  retryAfterSeconds: number | null;
  /** Return the upstream's own response (status, body, content type) instead of composing one. */
  passThrough: AttemptFailure | null;
}

const RATE_LIMIT = new Set(['rate_limited']);

function isRateLimit(failed: AttemptFailure): boolean {
  return (
    RATE_LIMIT.has(failed.outcome) ||
    (failed.outcome === 'no_key' && (failed.keyReason === 'cooling' || failed.keyReason === 'rate_limited'))
  );
}

/**
 * Picks what to tell the client. When every target failed for rate limits the answer is 429 with
 * the soonest recovery as Retry-After; otherwise the last failure that is not a rate limit decides.
 */
export function finalClientError(
  failures: readonly AttemptFailure[],
  fallbackRetryAfterMs: number,
): ClientError {
  if (failures.length === 0) {
    return compose(503, 'No upstream target could be tried.', 'api_error', 'no_target', 'upstream_error');
  }
  if (failures.every(isRateLimit)) {
    const known = failures.map((f) => f.retryAfterMs).filter((ms): ms is number => ms !== null);
    const soonestMs = known.length > 0 ? Math.min(...known) : fallbackRetryAfterMs;
    const error = compose(
      429,
      `Rate limited: every upstream key for this model is cooling down (${failures.at(-1)!.detail}).`,
      'rate_limit_error',
      'rate_limit_exceeded',
      'rate_limit',
    );
    error.retryAfterSeconds = Math.max(1, Math.ceil(soonestMs / 1000));
    return error;
  }
  const last = [...failures].reverse().find((f) => !isRateLimit(f))!;
  const detail = last.detail;
  switch (last.outcome) {
    case 'client_error':
    case 'context_length':
      return {
        ...compose(
          last.status ?? 400,
          detail,
          'invalid_request_error',
          'upstream_client_error',
          'client_error',
        ),
        passThrough: last,
      };
    case 'auth_failed':
      return compose(
        502,
        `Upstream rejected the relay's API key: ${detail}`,
        'api_error',
        'upstream_auth_failed',
        'auth',
      );
    case 'timeout':
    case 'first_token_timeout':
      return compose(504, `Upstream timed out: ${detail}`, 'timeout_error', 'upstream_timeout', 'timeout');
    case 'server_error':
      return compose(last.status ?? 502, detail, 'api_error', 'upstream_error', 'upstream_error');
    case 'connection_error':
    case 'stream_failed':
      return compose(502, detail, 'api_error', 'upstream_unavailable', 'connection');
    case 'unsupported': {
      const error = compose(
        400,
        detail,
        'invalid_request_error',
        last.param ? 'unsupported_parameter' : 'unsupported_endpoint',
        'client_error',
      );
      error.param = last.param ?? null;
      return error;
    }
    case 'no_key':
      if (last.keyReason === 'auth_failed') {
        return compose(
          502,
          `Upstream rejected every API key: ${detail}`,
          'api_error',
          'upstream_auth_failed',
          'auth',
        );
      }
      if (last.keyReason === 'backing_off') {
        const error = compose(
          503,
          `Upstream failed recently and is resting before the next try: ${detail}`,
          'api_error',
          'upstream_backing_off',
          'upstream_error',
        );
        error.retryAfterSeconds = Math.max(1, Math.ceil((last.retryAfterMs ?? 1000) / 1000));
        return error;
      }
      return last.keyReason === 'over_quota'
        ? compose(429, detail, 'insufficient_quota', 'insufficient_quota', 'rate_limit')
        : compose(503, detail, 'api_error', 'no_available_key', 'upstream_error');
    default:
      return compose(502, detail, 'api_error', 'upstream_error', 'upstream_error');
  }
}

function compose(
  status: number,
  message: string,
  type: string,
  code: string,
  errorType: RequestErrorType,
): ClientError {
  return { status, param: null, message, type, code, errorType, retryAfterSeconds: null, passThrough: null };
}
