import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { behaviours } from './behaviours';
import { startFakeOpenAiUpstream } from './fake-openai-upstream';
import { TEST_KEY, chunksOf, postJson, readSse } from './spec-helpers';
import type { FakeOpenAiUpstream } from './types';

const CHAT_ID = /^chatcmpl-[0-9a-f]{32}$/;
const CALL_ID = /^call_[0-9a-f]{24}$/;
const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hello there' },
];

describe('fake upstream: POST /v1/chat/completions', () => {
  let upstream: FakeOpenAiUpstream;
  let client: OpenAI;
  before(async () => {
    upstream = await startFakeOpenAiUpstream({ keys: [TEST_KEY] });
    client = new OpenAI({ apiKey: TEST_KEY, baseURL: upstream.baseUrl, maxRetries: 0 });
  });
  after(() => upstream.close());
  beforeEach(() => upstream.reset());

  it('answers a chat.completion echoing the last user message, with deterministic usage', async () => {
    const response = await postJson(`${upstream.baseUrl}/chat/completions`, {
      model: 'gpt-4o-mini',
      messages,
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    const body = (await response.json()) as Record<string, unknown>;
    assert.match(String(body.id), CHAT_ID);
    assert.equal(typeof body.created, 'number');
    assert.deepEqual(body, {
      id: body.id,
      object: 'chat.completion',
      created: body.created,
      model: 'gpt-4o-mini',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Echo: Hello there', refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 6, // "Be brief.\nHello there" = 21 chars
        completion_tokens: 5, // "Echo: Hello there" = 17 chars
        total_tokens: 11,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_f4ke0pena1',
    });
  });

  it('sends OpenAI-like response headers', async () => {
    const response = await postJson(`${upstream.baseUrl}/chat/completions`, { model: 'm', messages });
    assert.match(response.headers.get('x-request-id') ?? '', /^req_[0-9a-f]{32}$/);
    assert.match(response.headers.get('openai-processing-ms') ?? '', /^\d+$/);
    assert.equal(response.headers.get('x-ratelimit-limit-requests'), '10000');
    assert.equal(response.headers.get('x-ratelimit-remaining-requests'), '9999');
    assert.equal(response.headers.get('x-ratelimit-reset-requests'), '1s');
    await response.arrayBuffer();
  });

  it('works with the official client', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'parts work too' }] }],
    });
    assert.equal(completion.choices[0]?.message.content, 'Echo: parts work too');
    assert.equal(completion.model, 'gpt-4o');
    assert.equal(completion.usage?.total_tokens, (completion.usage?.prompt_tokens ?? 0) + 5);
  });

  it('streams chat.completion.chunk frames: role chunk, content pieces, finish chunk, [DONE]', async () => {
    const response = await postJson(`${upstream.baseUrl}/chat/completions`, {
      model: 'm',
      messages,
      stream: true,
    });
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const { chunks, done } = chunksOf(await readSse(response));
    assert.ok(done);
    const id = chunks[0]!.id;
    const envelope = {
      id,
      object: 'chat.completion.chunk',
      created: chunks[0]!.created,
      model: 'm',
      service_tier: 'default',
      system_fingerprint: 'fp_f4ke0pena1',
    };
    const choice = (delta: unknown, finish: string | null = null) => ({
      ...envelope,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    });
    assert.deepEqual(chunks, [
      choice({ role: 'assistant', content: '', refusal: null }),
      choice({ content: 'Echo' }),
      choice({ content: ': He' }),
      choice({ content: 'llo ' }),
      choice({ content: 'there' }),
      choice({}, 'stop'),
    ]);
    assert.ok(chunks.every((chunk) => !('usage' in chunk)));
  });

  it('with include_usage every chunk has usage null and a last choices-less chunk carries the usage', async () => {
    const response = await postJson(`${upstream.baseUrl}/chat/completions`, {
      model: 'm',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const { chunks, done } = chunksOf(await readSse(response));
    assert.ok(done);
    const last = chunks.at(-1)!;
    assert.deepEqual(last.choices, []);
    assert.deepEqual(last.usage, {
      prompt_tokens: 6,
      completion_tokens: 5,
      total_tokens: 11,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    });
    for (const chunk of chunks.slice(0, -1)) assert.equal(chunk.usage, null);
    const finish = chunks.at(-2)!.choices as { finish_reason: string }[];
    assert.equal(finish[0]!.finish_reason, 'stop');
  });

  it('streams to the official client', async () => {
    const stream = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'stream me' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, 'Echo: stream me');
    assert.equal(usage?.completion_tokens, 4);
  });

  it('splits content into the requested number of chunks', async () => {
    upstream.when({}, behaviours.ok({ content: 'abcdefghij', chunks: 10 }));
    const { chunks } = chunksOf(
      await readSse(
        await postJson(`${upstream.baseUrl}/chat/completions`, { model: 'm', messages, stream: true }),
      ),
    );
    const pieces = chunks
      .slice(1, -1)
      .map((chunk) => (chunk.choices as { delta: { content: string } }[])[0]!.delta);
    assert.deepEqual(
      pieces,
      [...'abcdefghij'].map((content) => ({ content })),
    );
  });

  it('answers tool calls without a stream', async () => {
    upstream.when(
      {},
      behaviours.ok({
        toolCalls: [
          { name: 'get_weather', arguments: { city: 'Paris' } },
          { name: 'get_time', arguments: '{"zone":"CET"}', id: 'call_fixed' },
        ],
      }),
    );
    const completion = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
    });
    const choice = completion.choices[0]!;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, null);
    const calls = choice.message.tool_calls ?? [];
    assert.equal(calls.length, 2);
    assert.match(calls[0]!.id, CALL_ID);
    assert.deepEqual(calls[1], {
      id: 'call_fixed',
      type: 'function',
      function: { name: 'get_time', arguments: '{"zone":"CET"}' },
    });
    assert.deepEqual(calls[0], {
      id: calls[0]!.id,
      type: 'function',
      function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
    });
  });

  it('streams parallel tool calls like OpenAI: a header delta per call, then argument fragments', async () => {
    upstream.when(
      {},
      behaviours.ok({
        chunks: 2,
        toolCalls: [
          { name: 'a', arguments: '{"x":1}', id: 'call_a' },
          { name: 'b', arguments: '{"y":2}', id: 'call_b' },
        ],
      }),
    );
    const { chunks, done } = chunksOf(
      await readSse(
        await postJson(`${upstream.baseUrl}/chat/completions`, { model: 'm', messages, stream: true }),
      ),
    );
    assert.ok(done);
    const deltas = chunks.map((chunk) => (chunk.choices as { delta: unknown; finish_reason: unknown }[])[0]);
    assert.deepEqual(deltas, [
      {
        index: 0,
        delta: {
          role: 'assistant',
          content: null,
          tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'a', arguments: '' } }],
          refusal: null,
        },
        logprobs: null,
        finish_reason: null,
      },
      ...[
        { tool_calls: [{ index: 0, function: { arguments: '{"x' } }] },
        { tool_calls: [{ index: 0, function: { arguments: '":1}' } }] },
        {
          tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'b', arguments: '' } }],
        },
        { tool_calls: [{ index: 1, function: { arguments: '{"y' } }] },
        { tool_calls: [{ index: 1, function: { arguments: '":2}' } }] },
      ].map((delta) => ({ index: 0, delta, logprobs: null, finish_reason: null })),
      { index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' },
    ]);
  });

  it('streams text before tool calls when both are given', async () => {
    upstream.when(
      {},
      behaviours.ok({ content: 'Let me check.', chunks: 1, toolCalls: [{ name: 'f', arguments: '{}' }] }),
    );
    const { chunks } = chunksOf(
      await readSse(
        await postJson(`${upstream.baseUrl}/chat/completions`, { model: 'm', messages, stream: true }),
      ),
    );
    const deltas = chunks.map((chunk) => (chunk.choices as { delta: Record<string, unknown> }[])[0]!.delta);
    assert.deepEqual(deltas[0], { role: 'assistant', content: '', refusal: null });
    assert.deepEqual(deltas[1], { content: 'Let me check.' });
    assert.equal((deltas[2]!.tool_calls as { function: { name: string } }[])[0]!.function.name, 'f');
  });

  it('emits reasoning as reasoning_content and counts reasoning tokens', async () => {
    upstream.when({}, behaviours.ok({ reasoning: 'Think think', content: 'Done', chunks: 1 }));
    const { chunks } = chunksOf(
      await readSse(
        await postJson(`${upstream.baseUrl}/chat/completions`, {
          model: 'm',
          messages,
          stream: true,
          stream_options: { include_usage: true },
        }),
      ),
    );
    const deltas = chunks.slice(0, -1).map((chunk) => (chunk.choices as { delta: unknown }[])[0]!.delta);
    assert.deepEqual(deltas, [
      { role: 'assistant', content: '', refusal: null },
      { reasoning_content: 'Think think' },
      { content: 'Done' },
      {},
    ]);
    const usage = chunks.at(-1)!.usage as { completion_tokens: number; completion_tokens_details: unknown };
    assert.equal(usage.completion_tokens, 1 + 3);
    assert.deepEqual(usage.completion_tokens_details, {
      reasoning_tokens: 3,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    });

    const response = await postJson(`${upstream.baseUrl}/chat/completions`, { model: 'm', messages });
    const body = (await response.json()) as { choices: { message: Record<string, unknown> }[] };
    assert.equal(body.choices[0]!.message.reasoning_content, 'Think think');
  });

  it('takes usage and finish reason overrides', async () => {
    upstream.when(
      {},
      behaviours.ok({
        finishReason: 'length',
        usage: { promptTokens: 100, completionTokens: 7, cachedTokens: 40 },
      }),
    );
    const completion = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
    });
    assert.equal(completion.choices[0]!.finish_reason, 'length');
    assert.equal(completion.usage?.prompt_tokens, 100);
    assert.equal(completion.usage?.completion_tokens, 7);
    assert.equal(completion.usage?.total_tokens, 107);
    assert.equal(completion.usage?.prompt_tokens_details?.cached_tokens, 40);
  });

  it('rejects a request without messages or model like OpenAI', async () => {
    const noMessages = await postJson(`${upstream.baseUrl}/chat/completions`, { model: 'm' });
    assert.equal(noMessages.status, 400);
    assert.deepEqual(await noMessages.json(), {
      error: {
        message: "Missing required parameter: 'messages'.",
        type: 'invalid_request_error',
        param: 'messages',
        code: 'missing_required_parameter',
      },
    });
    const noModel = await postJson(`${upstream.baseUrl}/chat/completions`, { messages });
    assert.equal(noModel.status, 400);
    assert.equal(
      ((await noModel.json()) as { error: { message: string } }).error.message,
      'you must provide a model parameter',
    );
  });
});
