// Ready-made Anthropic behaviours for the failure table in DESIGN.md ("Failure semantics").
import { commonBehaviours } from '../shared/behaviours';
import {
  creditBalanceTooLow,
  defaultErrorForStatus,
  invalidApiKey,
  invalidRequest,
  modelNotFound,
  overloaded,
  promptTooLong,
} from './anthropic-errors';
import { type AnthropicRateLimitHints, rateLimitedHeaders } from './rate-limits';
import type {
  AnthropicError,
  AnthropicReplyOptions,
  AnthropicStatusBehaviour,
  NoStopBehaviour,
} from './types';

const common = commonBehaviours<AnthropicReplyOptions, AnthropicError>();
const { status } = common;

export const anthropicBehaviours = {
  /**
   * ok, status, hang, slowFirstToken, resetConnection, cutStream, stallStream, malformedEvent, and
   * errorEvent (an `event: error` frame, `overloaded_error` unless told otherwise, then no `message_stop`).
   */
  ...common,

  /** 400 `invalid_request_error` with this message. */
  invalidRequest: (message = 'Invalid request.'): AnthropicStatusBehaviour =>
    status(400, { error: invalidRequest(message) }),

  /** 400 `prompt is too long: N tokens > M maximum`: the context-length case. */
  promptTooLong: (maximum = 200_000, tokens = maximum + 8_310): AnthropicStatusBehaviour =>
    status(400, { error: promptTooLong(tokens, maximum) }),

  /** 400 `invalid_request_error` about the credit balance: another 4xx that must not be retried. */
  creditBalanceTooLow: (): AnthropicStatusBehaviour => status(400, { error: creditBalanceTooLow() }),

  /** 401 `authentication_error` `invalid x-api-key` (as if this key were wrong). */
  unauthorized: (): AnthropicStatusBehaviour => status(401, { error: invalidApiKey() }),

  /** 403 `permission_error`. */
  forbidden: (): AnthropicStatusBehaviour => status(403, { error: defaultErrorForStatus(403) }),

  /** 404 `not_found_error` `model: <model>`. */
  modelNotFound: (model: string): AnthropicStatusBehaviour => status(404, { error: modelNotFound(model) }),

  /** 413 `request_too_large`. */
  requestTooLarge: (): AnthropicStatusBehaviour => status(413, { error: defaultErrorForStatus(413) }),

  /**
   * 429 `rate_limit_error`. Without hints no header says when to come back; with `retryAfter: 2`
   * (`retry-after`), and/or `requestsReset`, `tokensReset`, `inputTokensReset`, `outputTokensReset`
   * (a Date or seconds from now: that window's RFC 3339 reset, remaining 0).
   */
  rateLimited: (hints: AnthropicRateLimitHints = {}): AnthropicStatusBehaviour =>
    status(429, { headers: rateLimitedHeaders(hints) }),

  /** 500 `api_error`. */
  serverError: (): AnthropicStatusBehaviour => status(500),

  /** 529 `overloaded_error`, optionally with `retry-after`. */
  overloaded: (retryAfter?: number): AnthropicStatusBehaviour =>
    status(529, {
      error: overloaded(),
      headers: retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
    }),

  /** A complete stream (every block, `message_delta` with its stop reason) that ends without `message_stop`. */
  noStop: (reply: AnthropicReplyOptions = {}): NoStopBehaviour => ({ kind: 'noStop', ...reply }),
};
