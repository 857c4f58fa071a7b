import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serializeSseMessages } from '../translation/stream-transcoder';
import {
  anthropicError,
  anthropicErrorTypeForStatus,
  anthropicInBandError,
  readAnthropicError,
} from './anthropic-error';
import { readAnthropicUsage } from './anthropic-usage';

describe('anthropic errors', () => {
  it('builds the Anthropic error body', () => {
    assert.deepEqual(anthropicError('bad field', 'invalid_request_error'), {
      type: 'error',
      error: { type: 'invalid_request_error', message: 'bad field' },
    });
  });

  it('names the documented type for each status, invalid_request_error / api_error otherwise', () => {
    const expected: Record<number, string> = {
      400: 'invalid_request_error',
      401: 'authentication_error',
      402: 'billing_error',
      403: 'permission_error',
      404: 'not_found_error',
      409: 'conflict_error',
      413: 'request_too_large',
      422: 'invalid_request_error',
      429: 'rate_limit_error',
      500: 'api_error',
      502: 'api_error',
      504: 'timeout_error',
      529: 'overloaded_error',
    };
    for (const [status, type] of Object.entries(expected)) {
      assert.equal(anthropicErrorTypeForStatus(Number(status)), type, status);
    }
  });

  it('reads Anthropic, OpenAI-style and bare error bodies', () => {
    assert.deepEqual(
      readAnthropicError({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
      {
        message: 'Overloaded',
        type: 'overloaded_error',
      },
    );
    assert.deepEqual(
      readAnthropicError({ error: { message: 'nope', type: 'invalid_request_error', code: null } }),
      {
        message: 'nope',
        type: 'invalid_request_error',
      },
    );
    assert.deepEqual(readAnthropicError({ message: 'plain' }), { message: 'plain', type: 'api_error' });
    assert.deepEqual(readAnthropicError({ error: 'just text' }), { message: 'just text', type: 'api_error' });
    assert.equal(readAnthropicError({ type: 'error', error: {} }), null);
    assert.equal(readAnthropicError('text'), null);
    assert.equal(readAnthropicError(null), null);
  });

  it('writes the in-band error event (never followed by message_stop)', () => {
    const event = anthropicInBandError('upstream cut the stream', 'api_error');
    assert.equal(
      serializeSseMessages([event]),
      'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"upstream cut the stream"}}\n\n',
    );
  });
});

describe('readAnthropicUsage', () => {
  it('counts the whole prompt as input (uncached + cache reads + cache writes), like prompt_tokens', () => {
    assert.deepEqual(
      readAnthropicUsage({
        input_tokens: 12,
        cache_creation_input_tokens: 300,
        cache_read_input_tokens: 2000,
        output_tokens: 5,
        output_tokens_details: { thinking_tokens: 3 },
      }),
      {
        inputTokens: 2312,
        outputTokens: 5,
        cacheReadTokens: 2000,
        cacheWriteTokens: 300,
        reasoningTokens: 3,
      },
    );
  });

  it('reads what an event carries, missing or null counts as 0', () => {
    assert.deepEqual(readAnthropicUsage({ output_tokens: 15 }), {
      inputTokens: 0,
      outputTokens: 15,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
    assert.deepEqual(
      readAnthropicUsage({ input_tokens: 4, cache_read_input_tokens: null, output_tokens: 1 }),
      {
        inputTokens: 4,
        outputTokens: 1,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
    );
    assert.equal(readAnthropicUsage(undefined), null);
    assert.equal(readAnthropicUsage('x'), null);
  });
});
