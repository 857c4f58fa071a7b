import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { observeAnthropicStreamEvent } from './stream-observer';

const observe = (data: object, eventName = (data as { type: string }).type) =>
  observeAnthropicStreamEvent(eventName, JSON.stringify(data));

describe('observeAnthropicStreamEvent', () => {
  it('reads the model and the prompt usage from message_start, which is not content', () => {
    const seen = observe({
      type: 'message_start',
      message: {
        id: 'msg_1',
        model: 'claude-x',
        content: [],
        usage: {
          input_tokens: 10,
          cache_read_input_tokens: 90,
          cache_creation_input_tokens: 0,
          output_tokens: 1,
        },
      },
    });
    assert.equal(seen?.content, false);
    assert.equal(seen?.model, 'claude-x');
    assert.deepEqual(seen?.usage, {
      inputTokens: 100,
      outputTokens: 1,
      cacheReadTokens: 90,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
    assert.equal((seen?.parsed as { type: string }).type, 'message_start');
  });

  it('counts text, thinking and tool-argument deltas with content, and tool_use starts', () => {
    const content = [
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hm' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"a"' } },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 't', name: 'n', input: {} },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'redacted_thinking', data: 'x' } },
    ];
    for (const event of content) assert.equal(observe(event)?.content, true, JSON.stringify(event));
    const none = [
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 's' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'ping' },
    ];
    for (const event of none) assert.equal(observe(event)?.content, false, JSON.stringify(event));
  });

  it('reads the stop reason and the usage message_delta carries', () => {
    const seen = observe({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 42 },
    });
    assert.equal(seen?.finishReason, 'tool_use');
    assert.equal(seen?.content, true);
    assert.equal(seen?.usage?.outputTokens, 42);
    assert.equal(seen?.usage?.inputTokens, 0);
  });

  it('recognises message_stop, error events and malformed data', () => {
    assert.equal(observe({ type: 'message_stop' })?.done, true);
    const error = observe({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    assert.deepEqual(error?.error, { message: 'Overloaded', type: 'overloaded_error', code: null });
    assert.equal(error?.done, false);
    assert.equal(observeAnthropicStreamEvent('content_block_delta', '{"type": "content_'), null);
    assert.equal(observeAnthropicStreamEvent(undefined, '42'), null);
    assert.equal(observeAnthropicStreamEvent(undefined, '[1]'), null);
  });

  it('falls back to the SSE event name when the data has no type', () => {
    assert.equal(observeAnthropicStreamEvent('message_stop', '{}')?.done, true);
  });
});
