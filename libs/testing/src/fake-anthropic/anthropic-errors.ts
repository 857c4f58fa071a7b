// Anthropic's error bodies, worded like the real API so that classifiers keyed on them are tested honestly.
import type { AnthropicError } from './types';

export function anthropicError(type: string, message: string): AnthropicError {
  return { type, message };
}

/** `{"type":"error","error":{…},"request_id":"req_…"}`, as every Anthropic error response is shaped. */
export function errorBody(error: AnthropicError, requestId: string): string {
  return JSON.stringify({ type: 'error', error, request_id: requestId === '' ? null : requestId });
}

/** The error a status gets when the behaviour names none. */
export function defaultErrorForStatus(status: number): AnthropicError {
  switch (status) {
    case 400:
      return anthropicError('invalid_request_error', 'Invalid request.');
    case 401:
      return invalidApiKey();
    case 402:
      return anthropicError('billing_error', 'Your credit balance is too low to access the Anthropic API.');
    case 403:
      return anthropicError(
        'permission_error',
        'Your API key does not have permission to use the specified resource.',
      );
    case 404:
      return anthropicError('not_found_error', 'Not Found');
    case 413:
      return anthropicError('request_too_large', 'Request exceeds the maximum allowed number of bytes.');
    case 429:
      return rateLimitError();
    case 500:
      return internalServerError();
    case 504:
      return anthropicError('timeout_error', 'Request timeout');
    case 529:
      return overloaded();
    default:
      return status >= 500
        ? anthropicError('api_error', `Request failed with status ${status}.`)
        : anthropicError('invalid_request_error', `Request failed with status ${status}.`);
  }
}

export function invalidApiKey(): AnthropicError {
  return anthropicError('authentication_error', 'invalid x-api-key');
}

export function missingApiKey(): AnthropicError {
  return anthropicError('authentication_error', 'x-api-key header is required');
}

export function missingVersion(): AnthropicError {
  return anthropicError('invalid_request_error', 'anthropic-version: header is required');
}

export function invalidVersion(version: string): AnthropicError {
  return anthropicError('invalid_request_error', `anthropic-version: "${version}" is not a valid version`);
}

export function notFound(): AnthropicError {
  return anthropicError('not_found_error', 'Not Found');
}

export function modelNotFound(model: string): AnthropicError {
  return anthropicError('not_found_error', `model: ${model}`);
}

export function fieldRequired(field: string): AnthropicError {
  return anthropicError('invalid_request_error', `${field}: Field required`);
}

export function invalidRequest(message: string): AnthropicError {
  return anthropicError('invalid_request_error', message);
}

export function unparsableJson(): AnthropicError {
  return anthropicError(
    'invalid_request_error',
    'There was an error parsing the body of your request. Please make sure your body is valid JSON.',
  );
}

/** The 400 a too-long prompt gets: the relay keys context-length fallback on this wording. */
export function promptTooLong(tokens: number, maximum: number): AnthropicError {
  return anthropicError('invalid_request_error', `prompt is too long: ${tokens} tokens > ${maximum} maximum`);
}

export function creditBalanceTooLow(): AnthropicError {
  return anthropicError(
    'invalid_request_error',
    'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
  );
}

export function rateLimitError(): AnthropicError {
  return anthropicError(
    'rate_limit_error',
    'This request would exceed the rate limit for your organization (00000000-0000-4000-8000-00000000fa4e) of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase.',
  );
}

export function internalServerError(): AnthropicError {
  return anthropicError('api_error', 'Internal server error');
}

/** 529, and the default in-band `error` event of a stream. */
export function overloaded(): AnthropicError {
  return anthropicError('overloaded_error', 'Overloaded');
}
