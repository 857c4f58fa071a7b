// Failover (next key, same provider again, cascade) as the official openai SDK sees it, and what
// happens when a stream breaks after the first byte.
import { type FakeOpenAiUpstream, behaviours, startFakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { type RelayProcess, disposeRelay, fakeProvider, startRelayWithConfig } from './support/relay-process';

describe('failover through the built relay, seen from the openai SDK', () => {
  let upstream: FakeOpenAiUpstream;
  let relay: RelayProcess;
  let client: OpenAI;
  const chat = (model: string, content = 'hi') =>
    client.chat.completions.create({ model, messages: [{ role: 'user', content }] }).withResponse();

  before(async () => {
    upstream = await startFakeOpenAiUpstream();
    // One provider per scenario, so key cooldowns of one test never shape another.
    relay = await startRelayWithConfig({
      providers: {
        rotating: fakeProvider(upstream.baseUrl, {
          keys: [
            { key: 'sk-rot-a', label: 'a' },
            { key: 'sk-rot-b', label: 'b' },
          ],
          models: { include: ['rotate-model'] },
        }),
        // Retry with the default back-off: the first retry comes after min(1.5^0, 60) = 1 s.
        flaky: fakeProvider(upstream.baseUrl, {
          retry: { enabled: true, max_retries: 2 },
          models: { include: ['flaky-model'] },
        }),
        // Retry after min(1.5^0, 0.2) = 0.2 s.
        quick: fakeProvider(upstream.baseUrl, {
          retry: { enabled: true, max_retries: 2, backoff_factor: 1.5, backoff_max: 0.2 },
          models: { include: ['quick-model'] },
        }),
        failing: fakeProvider(upstream.baseUrl, { models: { include: ['failing-model'] } }),
        precut: fakeProvider(upstream.baseUrl, { models: { include: ['precut-model'] } }),
        cutter: fakeProvider(upstream.baseUrl, { models: { include: ['cut-model'] } }),
        wirecut: fakeProvider(upstream.baseUrl, { models: { include: ['wire-cut-model'] } }),
        erring: fakeProvider(upstream.baseUrl, { models: { include: ['erring-model'] } }),
        staller: fakeProvider(upstream.baseUrl, { timeout: 1, models: { include: ['stall-model'] } }),
        backup: fakeProvider(upstream.baseUrl, {
          keys: [{ key: 'sk-backup', label: 'backup' }],
          models: { include: ['gpt-4o'] },
        }),
      },
      model_routing: { cascade: { enabled: true, models: ['gpt-4o'], max_retries: 2 } },
    });
    client = relay.client();
  });

  after(async () => {
    await disposeRelay(relay);
    await upstream?.close();
  });

  beforeEach(() => upstream.reset());

  it('429 on one key, then success on the other key: attempts header 2', async () => {
    upstream.when({ model: 'rotate-model' }, behaviours.rateLimited({ retryAfter: 20 }), { times: 1 });
    const { data, response } = await chat('rotate-model', 'rotate');
    assert.equal(data.choices[0]!.message.content, 'Echo: rotate');
    assert.equal(data.model, 'rotate-model');
    assert.equal(response.headers.get('x-monorelay-attempts'), '2');
    assert.equal(response.headers.get('x-monorelay-provider'), 'rotating');
    assert.deepEqual(
      upstream.requests.map((request) => request.status),
      [429, 200],
    );
    const [first, second] = upstream.requests;
    assert.notEqual(first!.key, second!.key, 'the second attempt used the other key');
    // The rate-limited key rests: the next request goes straight to the healthy key.
    upstream.reset();
    const next = await chat('rotate-model');
    assert.equal(next.response.headers.get('x-monorelay-attempts'), '1');
    assert.equal(upstream.requests[0]!.key, second!.key);
  });

  it('a 503 with retry enabled (default back-off): the same provider again, after about 1 s', async () => {
    upstream.when({ model: 'flaky-model' }, behaviours.serverError(503), { times: 1 });
    const started = Date.now();
    const { data, response } = await chat('flaky-model', 'again');
    const elapsed = Date.now() - started;
    assert.equal(data.choices[0]!.message.content, 'Echo: again');
    assert.equal(data.model, 'flaky-model');
    assert.equal(response.headers.get('x-monorelay-provider'), 'flaky');
    assert.equal(response.headers.get('x-monorelay-attempts'), '2');
    assert.deepEqual(
      upstream.requests.map((request) => request.status),
      [503, 200],
    );
    assert.ok(elapsed >= 900 && elapsed < 4000, `retried after ${elapsed} ms`);
  });

  it('a 503 with retry enabled and backoff_max 0.2 s: the same provider again after 0.2 s', async () => {
    // DESIGN.md: 5xx with retry.enabled -> same provider again after back-off (backoff_factor^n,
    // <= backoff_max), up to max_retries; then next target.
    upstream.when({ model: 'quick-model' }, behaviours.serverError(503), { times: 1 });
    const started = Date.now();
    const { data, response } = await chat('quick-model', 'quick again');
    const elapsed = Date.now() - started;
    assert.deepEqual(
      upstream.requests.map((request) => [request.body?.model, request.status]),
      [
        ['quick-model', 503],
        ['quick-model', 200],
      ],
      'the provider was asked again',
    );
    assert.equal(data.model, 'quick-model');
    assert.equal(response.headers.get('x-monorelay-provider'), 'quick');
    assert.equal(response.headers.get('x-monorelay-attempts'), '2');
    assert.ok(elapsed >= 150 && elapsed < 1500, `retried after ${elapsed} ms`);
  });

  it('a persistent 500 on the first target: the cascade target serves, and `model` names it', async () => {
    upstream.when({ model: 'failing-model' }, behaviours.serverError(500));
    const { data, response } = await chat('failing-model', 'cascade me');
    assert.equal(data.choices[0]!.message.content, 'Echo: cascade me');
    assert.equal(data.model, 'gpt-4o', 'the model that served, not the one asked for');
    assert.equal(response.headers.get('x-monorelay-provider'), 'backup');
    assert.equal(response.headers.get('x-monorelay-model'), 'gpt-4o');
    assert.equal(response.headers.get('x-monorelay-attempts'), '2');
    assert.deepEqual(
      upstream.requests.map((request) => [request.body?.model, request.key, request.status]),
      [
        ['failing-model', 'sk-e2e-1', 500],
        ['gpt-4o', 'sk-backup', 200],
      ],
    );
  });

  it('a stream that breaks before its first content fails over invisibly to the cascade target', async () => {
    // Frame 1 is the role chunk: the stream is cut before any content.
    upstream.when({ model: 'precut-model' }, behaviours.cutStream(1));
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'precut-model', messages: [{ role: 'user', content: 'precut' }], stream: true })
      .withResponse();
    let text = '';
    const models = new Set<string>();
    for await (const chunk of stream) {
      models.add(chunk.model);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    assert.equal(text, 'Echo: precut');
    assert.deepEqual([...models], ['gpt-4o']);
    assert.equal(response.headers.get('x-monorelay-model'), 'gpt-4o');
    assert.equal(response.headers.get('x-monorelay-provider'), 'backup');
    assert.equal(upstream.requests.length, 2);
  });

  it('a stream cut after the first content chunk ends with the SDK throwing, not a truncated success', async () => {
    // Frame 1: role chunk; frame 2: the first content piece; then the connection drops.
    upstream.when(
      { model: 'cut-model' },
      behaviours.cutStream(2, { content: 'one two three four', chunkDelayMs: 50 }),
    );
    const stream = await client.chat.completions.create({
      model: 'cut-model',
      messages: [{ role: 'user', content: 'cut' }],
      stream: true,
    });
    let text = '';
    let finish: string | null = null;
    const failure = await collectUntilError(stream, (chunk) => {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    });
    assert.ok(failure instanceof OpenAI.APIError, `the SDK throws an APIError, got ${String(failure)}`);
    assert.ok(failure.message.length > 0);
    assert.equal(text, 'one ', 'what arrived before the cut was forwarded');
    assert.equal(finish, null, 'no finish reason was invented');
    assert.equal(upstream.requests.length, 1, 'no failover after the first byte reached the client');
  });

  it('on the wire, a cut stream ends with an error event and without [DONE]', async () => {
    upstream.when(
      { model: 'wire-cut-model' },
      behaviours.cutStream(2, { content: 'one two three four', chunkDelayMs: 50 }),
    );
    const response = await relay.fetch('/v1/chat/completions', {
      json: { model: 'wire-cut-model', messages: [{ role: 'user', content: 'raw cut' }], stream: true },
    });
    assert.equal(response.status, 200);
    const events = (await response.text())
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => line.slice(6));
    assert.ok(!events.includes('[DONE]'), events.join('\n'));
    const last = JSON.parse(events.at(-1)!) as { error?: { message?: string } };
    assert.ok(last.error?.message, `the last event is an error: ${events.at(-1)}`);
    assert.equal(
      events.filter((event) => event.includes('"finish_reason":"stop"')).length,
      0,
      'no invented finish reason',
    );
  });

  it('an upstream error event mid-stream reaches the SDK as an error', async () => {
    upstream.when(
      { model: 'erring-model' },
      behaviours.errorEvent(
        2,
        { message: 'The server had an error while processing your request.' },
        { chunkDelayMs: 50 },
      ),
    );
    const stream = await client.chat.completions.create({
      model: 'erring-model',
      messages: [{ role: 'user', content: 'error event' }],
      stream: true,
    });
    let text = '';
    const failure = await collectUntilError(stream, (chunk) => {
      text += chunk.choices[0]?.delta.content ?? '';
    });
    assert.ok(failure instanceof OpenAI.APIError, `got ${String(failure)}`);
    assert.match(failure.message, /The server had an error while processing your request/);
    assert.ok(text.length > 0, 'the first content was forwarded');
    assert.equal(upstream.requests.length, 1);
  });

  it('a stream that stalls past the provider timeout (1 s) ends with the SDK throwing', async () => {
    upstream.when({ model: 'stall-model' }, behaviours.stallStream(2, { chunkDelayMs: 50 }));
    const started = Date.now();
    const stream = await client.chat.completions.create({
      model: 'stall-model',
      messages: [{ role: 'user', content: 'stall' }],
      stream: true,
    });
    let text = '';
    const failure = await collectUntilError(stream, (chunk) => {
      text += chunk.choices[0]?.delta.content ?? '';
    });
    const elapsed = Date.now() - started;
    assert.ok(failure instanceof OpenAI.APIError, `got ${String(failure)}`);
    assert.match(failure.message, /stall|within 1 ?s|timed? ?out/i);
    assert.ok(text.length > 0);
    assert.ok(elapsed >= 900 && elapsed < 5000, `ended after ${elapsed} ms`);
    assert.equal(upstream.requests.length, 1);
  });
});

/** Iterates a stream until it throws; returns the error (fails if the stream ends normally). */
async function collectUntilError<T>(stream: AsyncIterable<T>, onChunk: (chunk: T) => void): Promise<unknown> {
  try {
    for await (const chunk of stream) onChunk(chunk);
  } catch (error) {
    return error;
  }
  assert.fail('the stream ended as if it had succeeded');
}
