// Ready-made behaviours for the failure table in DESIGN.md ("Failure semantics").
import { commonBehaviours } from '../shared/behaviours';
import { defaultErrorForStatus, incorrectApiKey, modelNotFound, openAiError } from './openai-errors';
import type { NoDoneBehaviour, OpenAiError, ReplyOptions, StatusBehaviour } from './types';

export interface RateLimitHints {
  /** `Retry-After`: seconds, or an HTTP date. */
  retryAfter?: number | Date;
  /** `retry-after-ms`, which the official clients prefer over `Retry-After`. */
  retryAfterMs?: number;
  /** `x-ratelimit-reset-requests`, e.g. `2s`. */
  resetRequests?: string;
  /** `x-ratelimit-reset-tokens`, e.g. `1m30s`. */
  resetTokens?: string;
}

const common = commonBehaviours<ReplyOptions, OpenAiError>();
const { status } = common;

function rateLimitHeaders(hints: RateLimitHints): Record<string, string> {
  const headers: Record<string, string> = {};
  if (hints.retryAfter instanceof Date) headers['retry-after'] = hints.retryAfter.toUTCString();
  else if (hints.retryAfter !== undefined) headers['retry-after'] = String(hints.retryAfter);
  if (hints.retryAfterMs !== undefined) headers['retry-after-ms'] = String(hints.retryAfterMs);
  if (hints.resetRequests !== undefined) headers['x-ratelimit-reset-requests'] = hints.resetRequests;
  if (hints.resetTokens !== undefined) headers['x-ratelimit-reset-tokens'] = hints.resetTokens;
  return headers;
}

export const behaviours = {
  /** ok, status, hang, slowFirstToken, resetConnection, cutStream, stallStream, malformedEvent, errorEvent. */
  ...common,

  /**
   * 429 `rate_limit_exceeded`. Without hints no header says when to come back; with `retryAfter: 2`,
   * `retryAfter: new Date(…)`, or only `resetRequests: '2s'` / `resetTokens: '1m30s'`.
   */
  rateLimited: (hints: RateLimitHints = {}): StatusBehaviour =>
    status(429, {
      error: {
        message:
          'Rate limit reached for gpt-4o-mini in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.',
      },
      headers: rateLimitHeaders(hints),
    }),

  /** 429 `insufficient_quota`: the key is out of credit, waiting does not help. */
  quotaExceeded: (): StatusBehaviour =>
    status(429, {
      error: openAiError(
        'You exceeded your current quota, please check your plan and billing details.',
        'insufficient_quota',
        null,
        'insufficient_quota',
      ),
    }),

  serverError: (code: 500 | 502 | 503 = 500): StatusBehaviour => status(code),

  /** 401 `invalid_api_key` (as if this key were wrong). */
  unauthorized: (key = 'sk-fake-revoked-key'): StatusBehaviour =>
    status(401, { error: incorrectApiKey(key) }),

  forbidden: (): StatusBehaviour => status(403, { error: defaultErrorForStatus(403) }),

  modelNotFound: (model: string): StatusBehaviour => status(404, { error: modelNotFound(model) }),

  /** 400 `context_length_exceeded`, worded like OpenAI's. */
  contextLengthExceeded: (maxTokens = 128000, requestedTokens = maxTokens + 4096): StatusBehaviour =>
    status(400, {
      error: openAiError(
        `This model's maximum context length is ${maxTokens} tokens. However, your messages resulted in ${requestedTokens} tokens. Please reduce the length of the messages.`,
        'invalid_request_error',
        'messages',
        'context_length_exceeded',
      ),
    }),

  /** 400 `content_policy_violation` (OpenAI's safety system). */
  contentPolicyViolation: (): StatusBehaviour =>
    status(400, {
      error: openAiError(
        'Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.',
        'invalid_request_error',
        null,
        'content_policy_violation',
      ),
    }),

  /** 400 `content_filter` (Azure OpenAI's content management policy). */
  contentFiltered: (): StatusBehaviour =>
    status(400, {
      error: openAiError(
        "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.",
        null,
        'prompt',
        'content_filter',
      ),
    }),

  /** A complete stream (finish reason, usage if asked) that ends without `data: [DONE]`. */
  noDone: (reply: ReplyOptions = {}): NoDoneBehaviour => ({ kind: 'noDone', ...reply }),
};
