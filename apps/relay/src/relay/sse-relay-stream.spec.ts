import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseRelayStream, passthroughOutput } from './sse-relay-stream';

const event = (payload: object): string => `data: ${JSON.stringify(payload)}\n\n`;
const delta = (content: string | null, finish: string | null = null): string =>
  event({ choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }] });
const usageChunk = event({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2 } });

function stream(dropUsage = true): SseRelayStream {
  let clock = 0;
  return new SseRelayStream('chat', passthroughOutput('chat', dropUsage), () => ++clock);
}

describe('SseRelayStream', () => {
  it('forwards events unchanged and notes first content, usage and [DONE]', () => {
    const s = stream(false);
    s.feed(Buffer.from(event({ choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] })));
    assert.equal(s.firstContentAt, null);
    s.feed(Buffer.from(delta('Hel') + delta('lo', 'stop') + usageChunk + 'data: [DONE]\n\n'));
    assert.equal(s.firstContentAt, 1);
    assert.equal(s.finishReason, 'stop');
    assert.equal(s.usage?.outputTokens, 2);
    assert.equal(s.done, true);
    const out = s.take();
    assert.equal(out.split('\n\n').filter(Boolean).length, 5);
    assert.ok(out.includes('"completion_tokens":2'));
    assert.equal(s.take(), '');
  });

  it('drops the usage-only chunk the relay asked for but the client did not', () => {
    const s = stream(true);
    s.feed(Buffer.from(delta('x', 'stop') + usageChunk + 'data: [DONE]\n\n'));
    const out = s.take();
    assert.equal(out.includes('completion_tokens'), false);
    assert.equal(s.usage?.inputTokens, 1, 'usage is still read on the side');
  });

  it('stops at a malformed event or an upstream error event', () => {
    const malformed = stream();
    malformed.feed(Buffer.from(delta('a') + 'data: {oops\n\n' + delta('b')));
    assert.equal(malformed.failure?.code, 'malformed_upstream_event');
    assert.equal(malformed.take().includes('"b"'), false);
    const errored = stream();
    errored.feed(Buffer.from(delta('a') + event({ error: { message: 'overloaded', code: 'server_busy' } })));
    assert.deepEqual(errored.failure, {
      message: 'upstream error in stream: overloaded',
      code: 'server_busy',
    });
  });

  it('repairs a stream that finished without [DONE], but not one that was cut', () => {
    const finished = stream();
    finished.feed(Buffer.from(delta('a', 'stop')));
    finished.take();
    assert.equal(finished.complete(), true);
    assert.equal(finished.take(), 'data: [DONE]\n\n');
    const cut = stream();
    cut.feed(Buffer.from(delta('a')));
    assert.equal(cut.complete(), false);
    assert.equal(cut.done, false);
  });

  it('forwards upstream comments only once committed', () => {
    const s = stream();
    s.feed(Buffer.from(': keepalive\n\n'));
    assert.equal(s.take(), '');
    s.committed();
    s.feed(Buffer.from(': keepalive\n\n'));
    assert.equal(s.take(), ': keepalive\n\n');
  });
});
