import { readOpenAiError } from '@monorelay/llm-formats';
import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderConfig, RetryConfig } from '../config/relay-config';
import type { KeyOutcome } from '../keys/key-lease';
import { type AttemptFailure, failure } from './attempt-failure';

/**
 * DESIGN.md's failure table as code: how an upstream failure is classified, what it does to the
 * key, and what the request does next.
 */

/** Raised by the relay itself when a stream's first content token does not arrive in time. */
export class FirstTokenTimeoutError extends Error {
  readonly code = 'MONORELAY_FIRST_TOKEN_TIMEOUT';
  constructor(readonly seconds: number) {
    super(`no first token within ${seconds}s`);
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** A transport-level error (no usable HTTP response) as an attempt failure. */
export function classifyTransportError(error: unknown, timeoutSeconds: number): AttemptFailure {
  if (error instanceof FirstTokenTimeoutError) return failure('first_token_timeout', error.message);
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) {
    const what = code === 'UND_ERR_BODY_TIMEOUT' ? 'no data' : 'no response';
    return failure('timeout', `${what} from upstream within ${timeoutSeconds}s`);
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  const detail = [code, error instanceof Error ? error.message : String(error), cause?.code]
    .filter((part) => typeof part === 'string' && part.length > 0)
    .join(': ');
  return failure('connection_error', `upstream connection failed (${detail})`);
}

const CONTEXT_LENGTH_CODES = new Set(['context_length_exceeded', 'string_above_max_length']);
const CONTEXT_LENGTH_TEXT =
  /context length|context window|maximum context|too many tokens|prompt is too long/i;

/** A non-2xx upstream response as an attempt failure. */
export function classifyUpstreamStatus(
  status: number,
  headers: IncomingHttpHeaders,
  body: Buffer,
  provider: ProviderConfig,
  resetParser: (headers: IncomingHttpHeaders) => number | null,
): AttemptFailure {
  const info = readUpstreamError(body);
  const detail = `upstream returned ${status}${info ? `: ${info.message}` : ''}`;
  const base = { status, body, headers };
  if (provider.ignore.enabled && info?.type && provider.ignore.ignore_errors.includes(info.type)) {
    return failure('client_error', detail, base);
  }
  if (status === 429) return failure('rate_limited', detail, { ...base, retryAfterMs: resetParser(headers) });
  if (status === 401 || status === 403) return failure('auth_failed', detail, base);
  if (status >= 500) return failure('server_error', detail, base);
  if (
    (status === 400 || status === 413 || status === 422) &&
    info &&
    ((info.code && CONTEXT_LENGTH_CODES.has(info.code)) || CONTEXT_LENGTH_TEXT.test(info.message))
  ) {
    return failure('context_length', detail, base);
  }
  return failure('client_error', detail, base);
}

function readUpstreamError(body: Buffer): ReturnType<typeof readOpenAiError> {
  if (body.length === 0) return null;
  try {
    return readOpenAiError(JSON.parse(body.toString('utf8')));
  } catch {
    const text = body.toString('utf8', 0, Math.min(body.length, 300)).trim();
    return text ? { message: text, type: null, code: null } : null;
  }
}

/** What the failure does to the key that was used; null when no key was involved. */
export function keyOutcomeFor(failed: AttemptFailure): KeyOutcome | null {
  switch (failed.outcome) {
    case 'rate_limited':
      return { kind: 'rate_limited', retryAfterMs: failed.retryAfterMs };
    case 'auth_failed':
      return { kind: 'auth_failed' };
    case 'server_error':
    case 'connection_error':
    case 'stream_failed':
      return { kind: 'server_error' };
    case 'timeout':
    case 'first_token_timeout':
      return { kind: 'timeout' };
    case 'client_error':
    case 'context_length':
      return { kind: 'client_error' };
    default:
      return null;
  }
}

export type NextStep =
  | { action: 'next_key' }
  | { action: 'retry_provider'; delayMs: number }
  | { action: 'wait_for_key'; delayMs: number }
  | { action: 'next_target' }
  | { action: 'return_to_client' };

export interface TargetState {
  /** Retries already spent on this target (same-provider retries and waits for a key). */
  retries: number;
  /** The last 429 on this target carried Retry-After or reset headers. */
  resetPromised: boolean;
  /** A later target in the plan serves a different model (a context-length error can move on). */
  laterTargetWithOtherModel: boolean;
}

export function nextStep(failed: AttemptFailure, retry: RetryConfig, state: TargetState): NextStep {
  const canRetry = retry.enabled && state.retries < retry.max_retries;
  switch (failed.outcome) {
    case 'rate_limited':
    case 'auth_failed':
      return { action: 'next_key' };
    case 'server_error':
      return canRetry && failed.status !== null && retry.retry_on_status.includes(failed.status)
        ? { action: 'retry_provider', delayMs: backoffMs(retry, state.retries) }
        : { action: 'next_target' };
    case 'connection_error':
    case 'stream_failed':
      return canRetry && retry.retry_on_errors.includes('upstream_error')
        ? { action: 'retry_provider', delayMs: backoffMs(retry, state.retries) }
        : { action: 'next_target' };
    case 'no_key': {
      const waitable =
        (failed.keyReason === 'cooling' || failed.keyReason === 'rate_limited') &&
        canRetry &&
        state.resetPromised &&
        retry.retry_on_status.includes(429) &&
        failed.retryAfterMs !== null &&
        failed.retryAfterMs <= retry.backoff_max * 1000;
      return waitable ? { action: 'wait_for_key', delayMs: failed.retryAfterMs! } : { action: 'next_target' };
    }
    case 'context_length':
      return state.laterTargetWithOtherModel ? { action: 'next_target' } : { action: 'return_to_client' };
    case 'client_error':
      return { action: 'return_to_client' };
    default:
      // timeouts (a silent route is not retried) and unsupported endpoints
      return { action: 'next_target' };
  }
}

/** `backoff_factor`^n seconds, capped at `backoff_max`. */
export function backoffMs(retry: RetryConfig, retriesSoFar: number): number {
  return Math.min(retry.backoff_factor ** retriesSoFar, retry.backoff_max) * 1000;
}
