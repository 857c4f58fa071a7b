import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type StreamPlan, planStream as planSseStream } from '../shared/stream-plan';
import { type StreamScript, openAiStream } from './reply';
import { DONE_FRAME } from './sse';
import { splitIntoPieces } from './text';
import type { Behaviour } from './types';

const planStream = (script: StreamScript, behaviour: Behaviour): StreamPlan =>
  planSseStream(openAiStream(script), behaviour);

const script: StreamScript = {
  flavour: 'data',
  frames: ['role', 'a', 'b', 'finish', 'usage'],
  closingStart: 3,
  firstContentIndex: 1,
  endsWithDone: true,
};

describe('planStream', () => {
  it('sends every frame and [DONE] normally, and no [DONE] for noDone', () => {
    assert.deepEqual(planStream(script, { kind: 'ok' }), {
      frames: [...script.frames, DONE_FRAME],
      ending: 'end',
    });
    assert.deepEqual(planStream(script, { kind: 'noDone' }), { frames: script.frames, ending: 'end' });
  });

  it('cuts and stalls after N frames, never reaching the closing frames', () => {
    assert.deepEqual(planStream(script, { kind: 'cutStream', afterChunks: 2 }), {
      frames: ['role', 'a'],
      ending: 'cut',
    });
    assert.deepEqual(planStream(script, { kind: 'stallStream', afterChunks: 50 }), {
      frames: ['role', 'a', 'b'],
      ending: 'stall',
    });
  });

  it('inserts a malformed frame, then closes or continues', () => {
    const closed = planStream(script, { kind: 'malformedEvent', afterChunks: 1 });
    assert.equal(closed.frames.length, 2);
    assert.throws(() => JSON.parse(closed.frames[1]!.slice('data: '.length)));
    const continued = planStream(script, { kind: 'malformedEvent', afterChunks: 1, then: 'continue' });
    assert.deepEqual(continued.frames.slice(2), ['a', 'b', 'finish', 'usage', DONE_FRAME]);
  });

  it('ends with an error event in the stream flavour', () => {
    const chat = planStream(script, { kind: 'errorEvent', afterChunks: 2, error: { code: 'x' } });
    assert.equal(
      chat.frames.at(-1),
      'data: {"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":"x"}}\n\n',
    );
    const responses = planStream({ ...script, flavour: 'events' }, { kind: 'errorEvent', afterChunks: 2 });
    assert.match(
      responses.frames.at(-1)!,
      /^event: error\ndata: \{"type":"error",.*"sequence_number":2\}\n\n$/,
    );
  });
});

describe('splitIntoPieces', () => {
  it('splits into near-equal pieces without breaking surrogate pairs', () => {
    assert.deepEqual(splitIntoPieces('abcdef', 3), ['ab', 'cd', 'ef']);
    assert.deepEqual(splitIntoPieces('a😀b😀', 4), ['a', '😀', 'b', '😀']);
    assert.deepEqual(splitIntoPieces('ab', 5), ['a', 'b']);
    assert.deepEqual(splitIntoPieces('abc', 0), ['abc']);
    assert.deepEqual(splitIntoPieces('', 3), []);
  });
});
