import type { SseMessage } from '../translation/stream-transcoder';
import type { AnthropicErrorBody } from './messages.types';

/** The Anthropic error body: `{"type":"error","error":{"type","message"}}`. */
export function anthropicError(message: string, type: string): AnthropicErrorBody {
  return { type: 'error', error: { type, message } };
}

/** The error `type` Anthropic documents for each HTTP status (docs: "HTTP errors"). */
const TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** Other 4xx are `invalid_request_error` (as Anthropic does), other 5xx `api_error`. */
export function anthropicErrorTypeForStatus(status: number): string {
  return TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/**
 * Reads `{type:'error', error:{type,message}}` from an upstream error body; also accepts the
 * OpenAI-style `{error:{message,type}}` and a bare `{message}` some Anthropic-compatible servers send.
 * A missing type reads as `api_error`.
 */
export function readAnthropicError(body: unknown): { message: string; type: string } | null {
  if (!body || typeof body !== 'object') return null;
  const inner = (body as { error?: unknown }).error;
  const source =
    inner && typeof inner === 'object' ? inner : typeof inner === 'string' ? { message: inner } : body;
  const { message, type } = source as { message?: unknown; type?: unknown };
  if (typeof message !== 'string') return null;
  return { message, type: typeof type === 'string' && type !== 'error' ? type : 'api_error' };
}

/**
 * The event that tells an Anthropic-format client its stream failed after it had started. It is
 * never followed by `message_stop`, so no client mistakes a cut stream for a complete answer.
 */
export function anthropicInBandError(message: string, type: string): SseMessage {
  return { event: 'error', data: anthropicError(message, type) };
}
