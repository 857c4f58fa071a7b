import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { observeOpenAiStreamEvent } from './stream-observer';

const chunk = (delta: object, finish: string | null = null, extra: object = {}): string =>
  JSON.stringify({
    object: 'chat.completion.chunk',
    model: 'gpt-x',
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...extra,
  });

describe('observeOpenAiStreamEvent (chat)', () => {
  it('treats the role-only first chunk as no content', () => {
    const seen = observeOpenAiStreamEvent('chat', chunk({ role: 'assistant', content: '' }));
    assert.equal(seen?.content, false);
    assert.equal(seen?.model, 'gpt-x');
  });

  it('counts text, reasoning, refusals and tool-call deltas as content', () => {
    for (const delta of [
      { content: 'Hi' },
      { reasoning_content: 'thinking' },
      { refusal: 'no' },
      { tool_calls: [{ index: 0, function: { arguments: '{' } }] },
    ]) {
      assert.equal(observeOpenAiStreamEvent('chat', chunk(delta))?.content, true, JSON.stringify(delta));
    }
  });

  it('reads the finish reason and the usage-only chunk', () => {
    assert.equal(observeOpenAiStreamEvent('chat', chunk({}, 'stop'))?.finishReason, 'stop');
    const usage = observeOpenAiStreamEvent(
      'chat',
      JSON.stringify({
        choices: [],
        usage: { prompt_tokens: 3, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 2 } },
      }),
    );
    assert.equal(usage?.usageOnly, true);
    assert.deepEqual(usage?.usage, {
      inputTokens: 3,
      outputTokens: 5,
      cacheReadTokens: 2,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('hands over the parsed event for a transcoder', () => {
    assert.deepEqual(
      observeOpenAiStreamEvent('chat', chunk({ content: 'Hi' }))?.parsed,
      JSON.parse(chunk({ content: 'Hi' })),
    );
    assert.equal(observeOpenAiStreamEvent('chat', '[DONE]')?.parsed, '[DONE]');
  });

  it('recognises [DONE], in-band errors and malformed data', () => {
    assert.equal(observeOpenAiStreamEvent('chat', '[DONE]')?.done, true);
    const error = observeOpenAiStreamEvent(
      'chat',
      JSON.stringify({ error: { message: 'overloaded', type: 'server_error', code: 'x' } }),
    );
    assert.deepEqual(error?.error, { message: 'overloaded', type: 'server_error', code: 'x' });
    assert.equal(observeOpenAiStreamEvent('chat', '{"choices": [ {'), null);
    assert.equal(observeOpenAiStreamEvent('chat', '42'), null);
  });
});

describe('observeOpenAiStreamEvent (completions and responses)', () => {
  it('counts legacy completion text', () => {
    const seen = observeOpenAiStreamEvent(
      'completions',
      JSON.stringify({ choices: [{ text: 'a', finish_reason: null }] }),
    );
    assert.equal(seen?.content, true);
  });

  it('follows the Responses event lifecycle', () => {
    const created = observeOpenAiStreamEvent(
      'responses',
      JSON.stringify({ type: 'response.created', response: { model: 'm1' } }),
    );
    assert.equal(created?.content, false);
    assert.equal(created?.model, 'm1');
    assert.equal(
      observeOpenAiStreamEvent(
        'responses',
        JSON.stringify({ type: 'response.output_text.delta', delta: 'x' }),
      )?.content,
      true,
    );
    const completed = observeOpenAiStreamEvent(
      'responses',
      JSON.stringify({
        type: 'response.completed',
        response: { usage: { input_tokens: 4, output_tokens: 6 } },
      }),
    );
    assert.equal(completed?.done, true);
    assert.equal(completed?.usage?.outputTokens, 6);
    const failed = observeOpenAiStreamEvent(
      'responses',
      JSON.stringify({
        type: 'response.failed',
        response: { error: { code: 'server_error', message: 'boom' } },
      }),
    );
    assert.equal(failed?.error?.message, 'boom');
  });
});
