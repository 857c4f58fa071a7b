import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ChatResponse } from '../openai/chat.types';
import { composeTranscoders, type SseMessage, type StreamTranscoder } from '../translation/stream-transcoder';
import { chatToResponsesResponse } from './chat-to-responses';
import { createChatToResponsesStream } from './chat-to-responses-stream';
import { loadGoldenFiles, saveGoldenFile, updatingGoldens } from './golden-fixtures';
import type { ResponsesRequest, ResponsesResponse } from './responses.types';

interface StreamCase {
  description: string;
  request: ResponsesRequest;
  options?: { responseId?: string; createdAt?: number };
  /** Chat chunk payloads (or "[DONE]"), pushed one by one; then `finish()`. */
  chunks: unknown[];
  expected?: SseMessage[];
  /** The same answer as one chat.completion: the stream must end with what the JSON path makes of it. */
  equivalentChat?: ChatResponse;
}

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

function run(transcoder: StreamTranscoder, chunks: readonly unknown[]): SseMessage[] {
  const events = chunks.flatMap((data) => transcoder.push({ data: structuredClone(data) }));
  events.push(...transcoder.finish());
  return events;
}

/** Emitted events may share objects; the client sees their JSON. */
const asWire = (events: SseMessage[]): SseMessage[] => JSON.parse(JSON.stringify(events)) as SseMessage[];

function assertWellFormed(events: SseMessage[]): void {
  events.forEach((message, index) => {
    const data = message.data as { type: string; sequence_number: number };
    assert.equal(message.event, data.type, `event name of #${index}`);
    assert.equal(data.sequence_number, index, `sequence_number of #${index}`);
  });
  const types = events.map((message) => message.event);
  assert.deepEqual(types.slice(0, 2), ['response.created', 'response.in_progress']);
  assert.equal(types.filter((type) => TERMINAL.has(type!)).length, 1, 'exactly one terminal event');
  assert.ok(TERMINAL.has(types.at(-1)!), 'the terminal event comes last');
  const added = events.filter((m) => m.event === 'response.output_item.added').map(outputIndex);
  const done = events.filter((m) => m.event === 'response.output_item.done').map(outputIndex);
  assert.deepEqual(added, [...added.keys()], 'items are added with increasing output_index');
  assert.deepEqual(done, added, 'every added item is done, in order');
}

const outputIndex = (message: SseMessage): number => (message.data as { output_index: number }).output_index;
const finalResponse = (events: SseMessage[]): ResponsesResponse =>
  (events.at(-1)!.data as { response: ResponsesResponse }).response;

for (const file of loadGoldenFiles<StreamCase>('stream-')) {
  describe(`createChatToResponsesStream (golden/${file.name})`, () => {
    after(() => saveGoldenFile(file));
    for (const testCase of file.cases) {
      const options = { request: testCase.request, ...(testCase.options ?? { responseId: 'resp_golden' }) };
      it(testCase.description, () => {
        const events = asWire(run(createChatToResponsesStream(options), testCase.chunks));
        assertWellFormed(events);
        if (updatingGoldens) testCase.expected = events;
        else assert.deepEqual(events, testCase.expected);
      });
      if (testCase.equivalentChat) {
        it(`${testCase.description}: ends with the object chatToResponsesResponse makes`, () => {
          const events = asWire(run(createChatToResponsesStream(options), testCase.chunks));
          const fromJson = chatToResponsesResponse(testCase.equivalentChat!, testCase.request, options);
          assert.deepEqual(finalResponse(events), JSON.parse(JSON.stringify(fromJson)));
        });
      }
    }
  });
}

describe('createChatToResponsesStream termination', () => {
  const request: ResponsesRequest = { model: 'gpt-x', input: 'Hi', stream: true };
  const chunk = (delta: object, finish: string | null = null) => ({
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-x',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });

  it('emits the terminal event once: on [DONE], and finish() then adds nothing', () => {
    const stream = createChatToResponsesStream({ request, responseId: 'resp_t' });
    stream.push({ data: chunk({ content: 'Hi' }, 'stop') });
    const onDone = stream.push({ data: '[DONE]' });
    assert.equal(onDone.at(-1)!.event, 'response.completed');
    assert.deepEqual(stream.push({ data: chunk({ content: 'late' }) }), []);
    assert.deepEqual(stream.finish(), []);
  });

  it('waits past the finish chunk for the usage chunk', () => {
    const stream = createChatToResponsesStream({ request, responseId: 'resp_t' });
    const early = [
      ...stream.push({ data: chunk({ content: 'Hi' }) }),
      ...stream.push({ data: chunk({}, 'stop') }),
    ];
    assert.ok(!early.some((message) => TERMINAL.has(message.event!)));
    const usage = { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 };
    assert.deepEqual(stream.push({ data: { ...chunk({}), choices: [], usage } }), []);
    assert.deepEqual(finalResponse(stream.finish()).usage, {
      input_tokens: 3,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 1,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 4,
    });
  });

  it('composes after another transcoder whose finish() sends [DONE]', () => {
    const upstream: StreamTranscoder = {
      push: (event) => [event],
      finish: () => [{ data: '[DONE]' }],
    };
    const composed = composeTranscoders(
      upstream,
      createChatToResponsesStream({ request, responseId: 'resp_t' }),
    );
    const events = run(composed, [chunk({ content: 'Hi' }, 'stop')]);
    assertWellFormed(asWire(events));
  });
});
