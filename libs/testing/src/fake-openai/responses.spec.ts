import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { behaviours } from './behaviours';
import { startFakeOpenAiUpstream } from './fake-openai-upstream';
import { parseSse, postJson, readAllowingFailure, readSse } from './spec-helpers';
import type { FakeOpenAiUpstream } from './types';

const TEXT_EVENTS = [
  'response.created',
  'response.in_progress',
  'response.output_item.added',
  'response.content_part.added',
  'response.output_text.delta',
  'response.output_text.delta',
  'response.output_text.delta',
  'response.output_text.delta',
  'response.output_text.done',
  'response.content_part.done',
  'response.output_item.done',
  'response.completed',
];

describe('fake upstream: POST /v1/responses', () => {
  let upstream: FakeOpenAiUpstream;
  let client: OpenAI;
  let url: string;
  before(async () => {
    upstream = await startFakeOpenAiUpstream();
    client = new OpenAI({ apiKey: 'sk-any', baseURL: upstream.baseUrl, maxRetries: 0 });
    url = `${upstream.baseUrl}/responses`;
  });
  after(() => upstream.close());
  beforeEach(() => upstream.reset());

  it('answers a response object with an output message and usage', async () => {
    const response = await client.responses.create({
      model: 'gpt-4.1',
      input: 'Hi there',
      instructions: 'Be nice',
    });
    assert.match(response.id, /^resp_/);
    assert.equal(response.object, 'response');
    assert.equal(response.status, 'completed');
    assert.equal(response.model, 'gpt-4.1');
    assert.equal(response.instructions, 'Be nice');
    assert.equal(response.output_text, 'Echo: Hi there');
    assert.equal(response.output.length, 1);
    const message = response.output[0] as OpenAI.Responses.ResponseOutputMessage;
    assert.match(message.id, /^msg_/);
    assert.deepEqual(
      { ...message, id: '' },
      {
        id: '',
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', annotations: [], logprobs: [], text: 'Echo: Hi there' }],
      },
    );
    assert.deepEqual(response.usage, {
      input_tokens: 4, // "Be nice\nHi there" = 16 chars
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 4,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 8,
    });
  });

  it('reads message-array input and echoes the last user message', async () => {
    const response = await client.responses.create({
      model: 'm',
      input: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [{ type: 'input_text', text: 'second' }] },
      ],
    });
    assert.equal(response.output_text, 'Echo: second');
  });

  it('streams the Responses event sequence, each frame with event and data lines', async () => {
    const frames = await readSse(await postJson(url, { model: 'm', input: 'stream this', stream: true }));
    assert.deepEqual(
      frames.map((frame) => frame.event),
      TEXT_EVENTS,
    );
    const events = frames.map((frame) => JSON.parse(frame.data) as Record<string, unknown>);
    events.forEach((event, index) => {
      assert.equal(event.type, frames[index]!.event);
      assert.equal(event.sequence_number, index);
    });
    const created = events[0]!.response as Record<string, unknown>;
    assert.equal(created.status, 'in_progress');
    assert.deepEqual(created.output, []);
    const added = events[2]!.item as { id: string; status: string };
    assert.equal(added.status, 'in_progress');
    const deltas = events.filter((event) => event.type === 'response.output_text.delta');
    assert.equal(deltas.map((event) => event.delta).join(''), 'Echo: stream this');
    for (const delta of deltas) {
      assert.equal(delta.item_id, added.id);
      assert.equal(delta.output_index, 0);
      assert.equal(delta.content_index, 0);
    }
    assert.equal(events[8]!.text, 'Echo: stream this');
    const completed = events.at(-1)!.response as Record<string, unknown>;
    assert.equal(completed.status, 'completed');
    assert.deepEqual(completed.usage, {
      input_tokens: 3,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 8,
    });
  });

  it('streams to the official client', async () => {
    const stream = await client.responses.create({ model: 'm', input: 'yo', stream: true });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    assert.equal(text, 'Echo: yo');
    assert.equal(types.at(-1), 'response.completed');
  });

  it('streams function calls and reasoning summaries', async () => {
    upstream.when(
      {},
      behaviours.ok({
        reasoning: 'hmm',
        toolCalls: [{ name: 'lookup', arguments: { q: 1 }, id: 'call_1' }],
        chunks: 2,
      }),
    );
    const frames = await readSse(await postJson(url, { model: 'm', input: 'x', stream: true }));
    assert.deepEqual(
      frames.map((frame) => frame.event),
      [
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.reasoning_summary_part.added',
        'response.reasoning_summary_text.delta',
        'response.reasoning_summary_text.delta',
        'response.reasoning_summary_text.done',
        'response.reasoning_summary_part.done',
        'response.output_item.done',
        'response.output_item.added',
        'response.function_call_arguments.delta',
        'response.function_call_arguments.delta',
        'response.function_call_arguments.done',
        'response.output_item.done',
        'response.completed',
      ],
    );
    const completed = JSON.parse(frames.at(-1)!.data) as { response: { output: Record<string, unknown>[] } };
    const call = completed.response.output[1]!;
    assert.deepEqual(
      { ...call, id: '' },
      {
        id: '',
        type: 'function_call',
        status: 'completed',
        arguments: '{"q":1}',
        call_id: 'call_1',
        name: 'lookup',
      },
    );
  });

  it('errorEvent: an `error` event, then the stream ends without response.completed', async () => {
    upstream.when({}, behaviours.errorEvent(5, { message: 'boom', code: 'server_error' }));
    const { text, failed } = await readAllowingFailure(
      await postJson(url, { model: 'm', input: 'x', stream: true }),
    );
    assert.ok(!failed);
    const frames = parseSse(text);
    assert.equal(frames.length, 6);
    assert.equal(frames[5]!.event, 'error');
    assert.deepEqual(JSON.parse(frames[5]!.data), {
      type: 'error',
      code: 'server_error',
      message: 'boom',
      param: null,
      sequence_number: 5,
    });

    upstream.when({}, behaviours.errorEvent(5, { message: 'boom again' }));
    const stream = await client.responses.create({ model: 'm', input: 'x', stream: true });
    await assert.rejects(async () => {
      for await (const _event of stream) {
        // drain
      }
    }, /boom again/);
  });

  it('cutStream drops the connection before response.completed', async () => {
    upstream.when({}, behaviours.cutStream(100));
    const { text, failed } = await readAllowingFailure(
      await postJson(url, { model: 'm', input: 'x', stream: true }),
    );
    assert.ok(failed);
    const events = parseSse(text).map((frame) => frame.event);
    assert.deepEqual(events, TEXT_EVENTS.slice(0, -1));
  });

  it('finishReason length makes the response incomplete', async () => {
    upstream.when({}, behaviours.ok({ finishReason: 'length' }));
    const response = await client.responses.create({ model: 'm', input: 'x' });
    assert.equal(response.status, 'incomplete');
    assert.deepEqual(response.incomplete_details, { reason: 'max_output_tokens' });
  });
});
