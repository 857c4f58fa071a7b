import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planStream } from '../shared/stream-plan';
import { resolveAnswer } from './answer';
import { MESSAGE_STOP_FRAME, PING_FRAME, messageStream } from './message-stream';
import { rateLimitedHeaders, rfc3339 } from './rate-limits';

const body = { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'abcd' }] };

describe('messageStream', () => {
  const script = messageStream(
    'msg_01x',
    'm',
    resolveAnswer(body, { content: 'abcdef', chunks: 3 }),
    undefined,
  );

  it('marks the first delta and message_delta; message_stop is the terminator', () => {
    assert.equal(script.frames.length, 8); // start, block start, ping, 3 deltas, block stop, message_delta
    assert.equal(script.frames[2], PING_FRAME);
    assert.equal(script.firstContentIndex, 3);
    assert.match(script.frames[script.closingStart]!, /^event: message_delta\n/);
    assert.deepEqual(script.terminator, [MESSAGE_STOP_FRAME]);
    assert.equal(script.keepAlive, undefined);
  });

  it('plans noStop without message_stop, and an error event in Anthropic’s shape', () => {
    assert.deepEqual(planStream(script, { kind: 'noStop' }).frames, script.frames);
    assert.deepEqual(planStream(script, { kind: 'ok' }).frames, [...script.frames, MESSAGE_STOP_FRAME]);
    const failed = planStream(script, { kind: 'errorEvent', afterChunks: 2, error: { message: 'Busy' } });
    assert.equal(
      failed.frames.at(-1),
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Busy"}}\n\n',
    );
    assert.equal(failed.frames.length, 3);
  });

  it('pings every pingIntervalMs when asked', () => {
    const pinging = messageStream('msg_01x', 'm', resolveAnswer(body, {}), 25);
    assert.deepEqual(pinging.keepAlive, { frame: PING_FRAME, everyMs: 25 });
  });
});

describe('rate-limit headers', () => {
  it('formats RFC 3339 in whole seconds, rounding up', () => {
    assert.equal(rfc3339(new Date(Date.UTC(2030, 5, 1, 12, 0, 0, 1))), '2030-06-01T12:00:01Z');
    assert.equal(rfc3339(new Date(Date.UTC(2030, 5, 1, 12, 0, 0, 0))), '2030-06-01T12:00:00Z');
  });

  it('puts only the hinted windows on a 429', () => {
    const now = Date.UTC(2030, 0, 1);
    assert.deepEqual(rateLimitedHeaders({ retryAfter: 2, outputTokensReset: 10 }, now), {
      'retry-after': '2',
      'anthropic-ratelimit-output-tokens-limit': '400000',
      'anthropic-ratelimit-output-tokens-remaining': '0',
      'anthropic-ratelimit-output-tokens-reset': '2030-01-01T00:00:10Z',
    });
  });
});
