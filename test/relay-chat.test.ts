import { behaviours, startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type RelayHarness, fakeProvider, readSse, startRelay } from './support/relay-harness';

describe('relay: OpenAI chat completions', () => {
  let upstream: FakeOpenAiUpstream;
  let relay: RelayHarness;

  before(async () => {
    upstream = await startFakeOpenAiUpstream({ keys: ['sk-test-1'] });
    relay = await startRelay({
      providers: { fake: fakeProvider(upstream.baseUrl, { models: { include: ['gpt-4o-mini'] } }) },
      model_routing: { aliases: { fast: 'gpt-4o-mini' } },
    });
  });
  after(async () => {
    await relay.close();
    await upstream.close();
  });
  beforeEach(() => upstream.reset());

  const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] };

  it('answers a non-stream request and says which target served it', async () => {
    const response = await relay.fetch('/v1/chat/completions', {
      json: chat,
      headers: { 'x-request-id': 'req-abc' },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-monorelay-provider'), 'fake');
    assert.equal(response.headers.get('x-monorelay-model'), 'gpt-4o-mini');
    assert.equal(response.headers.get('x-monorelay-attempts'), '1');
    assert.equal(response.headers.get('x-request-id'), 'req-abc');
    const body = (await response.json()) as { model: string; choices: { message: { content: string } }[] };
    assert.equal(body.choices[0].message.content, 'Echo: hello');
    assert.equal(body.model, 'gpt-4o-mini');
    const entry = await relay.entry((e) => e.requestId === 'req-abc');
    assert.equal(entry.state, 'success');
    assert.equal(entry.provider, 'fake');
    assert.equal(entry.keyLabel, 'k1');
    assert.ok(entry.inputTokens > 0 && entry.outputTokens > 0);
  });

  it('generates a request id when the client sends none (or an unusable one)', async () => {
    const response = await relay.fetch('/v1/chat/completions', {
      json: chat,
      headers: { 'x-request-id': 'not a valid id!' },
    });
    const id = response.headers.get('x-request-id');
    assert.match(id ?? '', /^[0-9a-f-]{36}$/);
    await response.arrayBuffer();
  });

  it('forwards the client bytes unchanged when routing changes nothing', async () => {
    const raw =
      '{"model":"gpt-4o-mini",   "messages":[{"role":"user","content":"spaced"}],"temperature":0.25}';
    const response = await relay.fetch('/v1/chat/completions', {
      method: 'POST',
      body: raw,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(response.status, 200);
    await response.arrayBuffer();
    assert.equal(upstream.requests.length, 1);
    assert.deepEqual(upstream.requests[0].body, JSON.parse(raw));
    assert.equal(upstream.requests[0].headers['content-length'], String(Buffer.byteLength(raw)));
    assert.equal(upstream.requests[0].key, 'sk-test-1');
  });

  it('resolves an alias and sends the real model upstream', async () => {
    const response = await relay.fetch('/v1/chat/completions', { json: { ...chat, model: 'fast' } });
    assert.equal(response.status, 200);
    await response.arrayBuffer();
    assert.equal(upstream.requests[0].body?.model, 'gpt-4o-mini');
  });

  it('streams: asks upstream for usage, hides the usage chunk from a client that did not ask, logs usage', async () => {
    const response = await relay.fetch('/v1/chat/completions', { json: { ...chat, stream: true } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(response.headers.get('x-accel-buffering'), 'no');
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    const { events, done } = await readSse(response);
    assert.equal(done, true);
    const chunks = events.map(
      (e) => JSON.parse(e) as { choices: { delta: { content?: string } }[]; usage?: unknown },
    );
    assert.equal(
      chunks.some((c) => c.choices.length === 0),
      false,
      'no usage-only chunk',
    );
    assert.equal(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), 'Echo: hello');
    assert.deepEqual(upstream.requests[0].body?.stream_options, { include_usage: true });
    const entry = await relay.entry((e) => e.requestId === response.headers.get('x-request-id'));
    assert.equal(entry.streaming, true);
    assert.ok(entry.outputTokens > 0, 'usage read on the side');
    assert.ok(entry.firstTokenMs !== null && entry.firstTokenMs >= 0);
  });

  it('streams: keeps the usage chunk for a client that asked for it', async () => {
    const response = await relay.fetch('/v1/chat/completions', {
      json: { ...chat, stream: true, stream_options: { include_usage: true } },
    });
    const { events } = await readSse(response);
    const usageChunks = events
      .map((e) => JSON.parse(e) as { choices: unknown[] })
      .filter((c) => c.choices.length === 0);
    assert.equal(usageChunks.length, 1);
  });

  it('forwards each chunk as it arrives instead of buffering the stream', async () => {
    upstream.when({}, behaviours.ok({ content: 'one two three four', chunks: 4, chunkDelayMs: 300 }));
    const started = performance.now();
    const response = await relay.fetch('/v1/chat/completions', { json: { ...chat, stream: true } });
    const reader = response.body!.getReader();
    let firstContentAt = 0;
    let text = '';
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (!firstContentAt && text.includes('"content":"one')) firstContentAt = performance.now() - started;
    }
    const total = performance.now() - started;
    assert.ok(
      firstContentAt > 0 && firstContentAt < total - 600,
      `first content at ${firstContentAt}ms of ${total}ms`,
    );
  });

  it('passes tool-call deltas through with their indices', async () => {
    upstream.when(
      {},
      behaviours.ok({
        toolCalls: [
          { name: 'get_weather', arguments: '{"city":"Paris"}' },
          { name: 'get_time', arguments: '{"tz":"CET"}' },
        ],
      }),
    );
    const response = await relay.fetch('/v1/chat/completions', {
      json: {
        ...chat,
        stream: true,
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: {} } }],
      },
    });
    const { events, done } = await readSse(response);
    assert.equal(done, true);
    const args: string[] = ['', ''];
    for (const event of events) {
      const chunk = JSON.parse(event) as {
        choices: { delta: { tool_calls?: { index: number; function?: { arguments?: string } }[] } }[];
      };
      for (const call of chunk.choices[0]?.delta.tool_calls ?? [])
        args[call.index] += call.function?.arguments ?? '';
    }
    assert.deepEqual(
      args.map((a) => JSON.parse(a) as unknown),
      [{ city: 'Paris' }, { tz: 'CET' }],
    );
  });

  it('aborts the upstream request at once when the client disconnects', async () => {
    upstream.when({}, behaviours.ok({ content: 'a b c d e f', chunks: 6, chunkDelayMs: 400 }));
    const controller = new AbortController();
    const response = await relay.fetch('/v1/chat/completions', {
      json: { ...chat, stream: true },
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    const abortedAt = Date.now();
    controller.abort();
    const deadline = Date.now() + 2000;
    while (!upstream.requests[0]?.aborted && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal(upstream.requests[0].aborted, true);
    assert.ok(upstream.requests[0].abortedAt! - abortedAt < 300, 'upstream aborted within 300 ms');
    const entry = await relay.entry((e) => e.requestId === response.headers.get('x-request-id'));
    assert.equal(entry.state, 'failed');
    assert.equal(entry.errorType, 'client_closed');
  });
});
