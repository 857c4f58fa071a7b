// Chat completions through the built relay, as the official openai SDK sees them.
import { type FakeOpenAiUpstream, behaviours, startFakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import { type RelayProcess, disposeRelay, fakeProvider, startRelayWithConfig } from './support/relay-process';

describe('openai SDK: chat completions through the built relay', () => {
  let upstream: FakeOpenAiUpstream;
  let relay: RelayProcess;
  let client: OpenAI;

  before(async () => {
    upstream = await startFakeOpenAiUpstream({ keys: ['sk-e2e-1'] });
    relay = await startRelayWithConfig({
      providers: { fake: fakeProvider(upstream.baseUrl, { models: { include: ['gpt-4o-mini', 'gpt-4o'] } }) },
      model_routing: { aliases: { fast: 'gpt-4o-mini' } },
    });
    client = relay.client();
  });

  after(async () => {
    await disposeRelay(relay);
    await upstream?.close();
  });

  beforeEach(() => upstream.reset());

  it('non-stream: content, usage, served model and routing headers; x-request-id is echoed', async () => {
    upstream.when(
      { model: 'gpt-4o-mini' },
      behaviours.ok({ content: 'Hello from the fake', usage: { promptTokens: 11, completionTokens: 7 } }),
      { times: 1 },
    );
    const { data, response } = await client.chat.completions
      .create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello relay' }] },
        { headers: { 'x-request-id': 'e2e-chat-req-1' } },
      )
      .withResponse();

    assert.equal(response.status, 200);
    assert.equal(data.object, 'chat.completion');
    assert.equal(data.choices[0]!.message.content, 'Hello from the fake');
    assert.equal(data.choices[0]!.finish_reason, 'stop');
    assert.equal(data.model, 'gpt-4o-mini');
    assert.equal(data.usage?.prompt_tokens, 11);
    assert.equal(data.usage?.completion_tokens, 7);
    assert.equal(data.usage?.total_tokens, 18);
    assert.equal(response.headers.get('x-monorelay-provider'), 'fake');
    assert.equal(response.headers.get('x-monorelay-model'), 'gpt-4o-mini');
    assert.equal(response.headers.get('x-monorelay-attempts'), '1');
    assert.equal(response.headers.get('x-request-id'), 'e2e-chat-req-1');

    assert.equal(upstream.requests.length, 1);
    const sent = upstream.requests[0]!;
    assert.equal(sent.path, '/v1/chat/completions');
    assert.equal(sent.key, 'sk-e2e-1', 'the relay uses the provider key, not the client key');
    assert.deepEqual(sent.body?.messages, [{ role: 'user', content: 'hello relay' }]);
  });

  it('generates an x-request-id when the client sends none, a different one per request', async () => {
    const first = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'one' }] })
      .withResponse();
    const second = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'two' }] })
      .withResponse();
    const firstId = first.response.headers.get('x-request-id');
    const secondId = second.response.headers.get('x-request-id');
    assert.ok(firstId && firstId.length >= 8, `generated id: ${firstId}`);
    assert.ok(secondId && secondId.length >= 8, `generated id: ${secondId}`);
    assert.notEqual(firstId, secondId);
    assert.equal(first.request_id, firstId, 'the SDK exposes it as request_id');
  });

  it('an alias is served by its target and the response names the served model', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'fast', messages: [{ role: 'user', content: 'alias please' }] })
      .withResponse();
    assert.equal(data.choices[0]!.message.content, 'Echo: alias please');
    assert.equal(data.model, 'gpt-4o-mini');
    assert.equal(response.headers.get('x-monorelay-model'), 'gpt-4o-mini');
    assert.equal(
      upstream.requests[0]!.body?.model,
      'gpt-4o-mini',
      'the upstream is asked for the real model',
    );
  });

  it('stream: chunks assemble the text; no usage chunk unless include_usage is asked', async () => {
    upstream.when(
      { model: 'gpt-4o-mini' },
      behaviours.ok({ content: 'streamed words arrive in order', chunks: 5 }),
      {
        times: 1,
      },
    );
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'stream it' }], stream: true })
      .withResponse();
    assert.equal(response.headers.get('x-monorelay-provider'), 'fake');
    assert.equal(response.headers.get('x-monorelay-model'), 'gpt-4o-mini');
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);

    let text = '';
    let contentChunks = 0;
    let finish: string | null = null;
    const withUsage: unknown[] = [];
    for await (const chunk of stream) {
      assert.equal(chunk.object, 'chat.completion.chunk');
      assert.equal(chunk.model, 'gpt-4o-mini');
      if (chunk.usage) withUsage.push(chunk.usage);
      const choice = chunk.choices[0];
      if (choice?.delta.content) {
        text += choice.delta.content;
        contentChunks++;
      }
      if (choice?.finish_reason) finish = choice.finish_reason;
    }
    assert.equal(text, 'streamed words arrive in order');
    assert.equal(contentChunks, 5, 'the chunks are forwarded, not merged into one');
    assert.equal(finish, 'stop');
    assert.deepEqual(withUsage, [], 'no usage chunk was asked for');
  });

  it('stream with stream_options.include_usage: exactly one usage chunk, after the content', async () => {
    upstream.when(
      { model: 'gpt-4o-mini' },
      behaviours.ok({ content: 'counted', usage: { promptTokens: 5, completionTokens: 3 } }),
      { times: 1 },
    );
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'count me' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const usageChunks: Array<{ index: number; usage: OpenAI.CompletionUsage; choices: number }> = [];
    let lastContentIndex = -1;
    let index = 0;
    let text = '';
    for await (const chunk of stream) {
      if (chunk.usage) usageChunks.push({ index, usage: chunk.usage, choices: chunk.choices.length });
      if (chunk.choices[0]?.delta.content) {
        text += chunk.choices[0].delta.content;
        lastContentIndex = index;
      }
      index++;
    }
    assert.equal(text, 'counted');
    assert.equal(usageChunks.length, 1, `usage chunks: ${JSON.stringify(usageChunks)}`);
    assert.equal(usageChunks[0]!.choices, 0);
    assert.ok(usageChunks[0]!.index > lastContentIndex);
    assert.equal(usageChunks[0]!.usage.prompt_tokens, 5);
    assert.equal(usageChunks[0]!.usage.completion_tokens, 3);
    assert.equal(usageChunks[0]!.usage.total_tokens, 8);
  });

  it('streamed parallel tool calls: indices kept, argument fragments reassemble to valid JSON', async () => {
    const weatherArgs = { city: 'Paris', unit: 'celsius', days: [1, 2, 3] };
    const timeArgs = { timezone: 'Europe/Paris', format: '24h' };
    upstream.when(
      { model: 'gpt-4o' },
      behaviours.ok({
        toolCalls: [
          { id: 'call_weather', name: 'get_weather', arguments: weatherArgs },
          { id: 'call_time', name: 'get_time', arguments: timeArgs },
        ],
        chunks: 6,
      }),
      { times: 1 },
    );
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'weather and time in Paris' }],
      stream: true,
      tools: [
        { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
        { type: 'function', function: { name: 'get_time', parameters: { type: 'object' } } },
      ],
    });
    const calls = new Map<number, { id?: string; name?: string; args: string; fragments: number }>();
    let finish: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (!choice) continue;
      for (const delta of choice.delta.tool_calls ?? []) {
        const call = calls.get(delta.index) ?? { args: '', fragments: 0 };
        if (delta.id) call.id = delta.id;
        if (delta.function?.name) call.name = delta.function.name;
        if (delta.function?.arguments) {
          call.args += delta.function.arguments;
          call.fragments++;
        }
        calls.set(delta.index, call);
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
    assert.deepEqual([...calls.keys()].sort(), [0, 1]);
    assert.equal(calls.get(0)!.id, 'call_weather');
    assert.equal(calls.get(0)!.name, 'get_weather');
    assert.deepEqual(JSON.parse(calls.get(0)!.args), weatherArgs);
    assert.equal(calls.get(1)!.id, 'call_time');
    assert.equal(calls.get(1)!.name, 'get_time');
    assert.deepEqual(JSON.parse(calls.get(1)!.args), timeArgs);
    assert.ok(calls.get(0)!.fragments > 1, 'the arguments arrived in fragments');
    assert.equal(finish, 'tool_calls');
  });

  it('non-stream tool calls come back whole', async () => {
    upstream.when(
      { model: 'gpt-4o' },
      behaviours.ok({ toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { q: 'relay' } }] }),
      { times: 1 },
    );
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'look it up' }],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
    });
    const call = completion.choices[0]!.message.tool_calls?.[0];
    assert.ok(call && call.type === 'function');
    assert.equal(call.id, 'call_1');
    assert.equal(call.function.name, 'lookup');
    assert.deepEqual(JSON.parse(call.function.arguments), { q: 'relay' });
    assert.equal(completion.choices[0]!.finish_reason, 'tool_calls');
  });
});
