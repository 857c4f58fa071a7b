import { startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type RelayHarness, fakeProvider, readSse, startRelay } from './support/relay-harness';
import {
  alive,
  chat,
  closeAndCheckNoOrphans,
  fakeModel,
  lifecycleBlock,
  randomPortBase,
  statusOf,
  waitFor,
} from './support/lifecycle-kit';

interface ChatAnswer {
  model: string;
  system_fingerprint: string;
  choices: { message: { content: string } }[];
  received: Record<string, unknown>;
}

describe('lifecycle: lazy start, keep-alive, listing, API, idle unload, shutdown', () => {
  let relay: RelayHarness;

  before(async () => {
    relay = await startRelay({
      auth: { access_key_role: 'admin' },
      providers: { gpu: { provider_type: 'local', timeout: 30 } },
      lifecycle: lifecycleBlock({
        'qwen-small': fakeModel(
          { model: 'qwen-small', loadMs: 700 },
          { multimodal: true, thinking_levels: ['on', 'off'] },
        ),
        'gemma-idle': fakeModel({ model: 'gemma-idle', loadMs: 100 }),
        stream: fakeModel({ model: 'stream', loadMs: 900 }),
        broken: fakeModel({ exitAfterMs: 100, loadMs: 5000 }),
        stuck: fakeModel({ neverReady: true }, { timeout_sec: 1 }),
      }),
    });
  });
  after(async () => {
    await closeAndCheckNoOrphans(relay);
  });

  it('lists local models with ctx_size and capability flags in /v1/models', async () => {
    const response = await relay.fetch('/v1/models');
    const body = (await response.json()) as { data: Record<string, unknown>[] };
    const card = body.data.find((model) => model.id === 'qwen-small');
    assert.ok(card, JSON.stringify(body.data));
    assert.equal(card.ctx_size, 8192);
    assert.equal(card.multimodal, true);
    assert.deepEqual(card.thinking_levels, ['on', 'off']);
    assert.equal(card.owned_by, 'gpu');
    assert.equal(statusOf(relay, 'qwen-small').state, 'stopped', 'listing starts nothing');
  });

  it('starts a model on its first request and makes a non-streaming client wait until it is healthy', async () => {
    const started = Date.now();
    const response = await relay.fetch('/v1/chat/completions', { json: chat('qwen-small', 'hello') });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-monorelay-provider'), 'gpu');
    const body = (await response.json()) as ChatAnswer;
    assert.equal(body.choices[0].message.content, 'Echo: hello');
    assert.ok(Date.now() - started >= 600, 'waited for the load');
    const status = statusOf(relay, 'qwen-small');
    assert.equal(status.state, 'ready');
    assert.ok(status.port && status.pid && alive(status.pid));
    assert.match(body.system_fingerprint, new RegExp(`port-${status.port}$`));
    assert.ok(
      status.logs.some((line) => line.includes('listening on')),
      status.logs.join('\n'),
    );
    // a second request reuses the process
    const again = (await (
      await relay.fetch('/v1/chat/completions', { json: chat('qwen-small') })
    ).json()) as ChatAnswer;
    assert.equal(again.system_fingerprint, body.system_fingerprint);
  });

  it('serves Anthropic Messages clients from a local model (translated to chat)', async () => {
    const response = await relay.fetch('/v1/messages', {
      json: { model: 'qwen-small', max_tokens: 50, messages: [{ role: 'user', content: 'bonjour' }] },
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { type: string; content: { type: string; text: string }[] };
    assert.equal(body.type, 'message');
    assert.equal(body.content[0].text, 'Echo: bonjour');
  });

  it('sends SSE keep-alive comments to a streaming client while the model loads, then the stream', async () => {
    const response = await relay.fetch('/v1/chat/completions', {
      json: chat('stream', 'flow', { stream: true }),
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    const { raw, events, done } = await readSse(response);
    assert.match(raw, /^: relay loading model=stream elapsed_ms=\d+/);
    assert.ok(done, raw);
    const text = events
      .map(
        (event) =>
          (JSON.parse(event) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta?.content ??
          '',
      )
      .join('');
    assert.equal(text, 'Echo: flow');
  });

  it('shows status and logs through /api and starts and stops a model (admin)', async () => {
    const list = await relay.fetch('/api/lifecycle/models?lines=5');
    assert.equal(list.status, 200);
    const listed = (await list.json()) as { enabled: boolean; models: { name: string; logs: string[] }[] };
    assert.equal(listed.enabled, true);
    assert.deepEqual(listed.models.map((model) => model.name).sort(), [
      'broken',
      'gemma-idle',
      'qwen-small',
      'stream',
      'stuck',
    ]);
    assert.ok(listed.models.every((model) => model.logs.length <= 5));

    const start = await relay.fetch('/api/lifecycle/models/gemma-idle/start', { method: 'POST' });
    assert.equal(start.status, 202);
    await waitFor('gemma-idle ready', () => statusOf(relay, 'gemma-idle').state === 'ready');
    const { pid } = statusOf(relay, 'gemma-idle');
    const stop = await relay.fetch('/api/lifecycle/models/gemma-idle/stop', { method: 'POST' });
    assert.equal(stop.status, 200);
    assert.equal(((await stop.json()) as { state: string }).state, 'stopped');
    assert.ok(pid && !alive(pid), 'the process is gone');

    const missing = await relay.fetch('/api/lifecycle/models/nope', {});
    assert.equal(missing.status, 404);
    const anonymous = await fetch(`${relay.url}/api/lifecycle/models`);
    assert.equal(anonymous.status, 401);
  });

  it('a stream committed by loading comments ends with an in-band error (no [DONE]) when the load fails', async () => {
    const response = await relay.fetch('/v1/chat/completions', {
      json: chat('stuck', 'x', { stream: true }),
    });
    assert.equal(response.status, 200);
    const { raw, events, done } = await readSse(response);
    assert.match(raw, /: relay loading model=stuck/);
    assert.equal(done, false);
    const last = JSON.parse(events.at(-1) ?? '{}') as { error?: { message: string } };
    assert.match(last.error?.message ?? '', /stuck failed to start: not healthy within 1000 ms/);
    const entry = await relay.entry((e) => e.requestedModel === 'stuck');
    assert.equal(entry.state, 'failed');
  });

  it('without a fallback, a model that fails to start answers 503 naming the model', async () => {
    const response = await relay.fetch('/v1/chat/completions', { json: chat('broken') });
    const body = (await response.json()) as { error: { message: string } };
    assert.equal(response.status, 503);
    assert.match(body.error.message, /local model broken failed to start/);
  });
});

describe('lifecycle: idle shutdown, ports', () => {
  let relay: RelayHarness;
  let occupied: Server;
  const base = randomPortBase();

  before(async () => {
    // something else already listens on the base port
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(base, '127.0.0.1', resolve));
    relay = await startRelay({
      providers: { gpu: { provider_type: 'local' } },
      lifecycle: lifecycleBlock(
        {
          idle: fakeModel({ loadMs: 50 }),
          fixed: fakeModel({}, { port: base + 50, health_url: 'http://127.0.0.1:${PORT}/health' }),
        },
        { idle_shutdown_ms: 600, port_base: base },
      ),
    });
  });
  after(async () => {
    await closeAndCheckNoOrphans(relay);
    occupied.close();
  });

  it('skips a port in use when allocating, and uses a fixed port as configured', async () => {
    const first = await relay.fetch('/v1/chat/completions', { json: chat('idle') });
    assert.equal(first.status, 200);
    await first.arrayBuffer();
    assert.equal(statusOf(relay, 'idle').port, base + 1);
    const fixed = await relay.fetch('/v1/chat/completions', { json: chat('fixed') });
    assert.equal(fixed.status, 200);
    assert.match(((await fixed.json()) as ChatAnswer).system_fingerprint, new RegExp(`port-${base + 50}$`));
    assert.equal(statusOf(relay, 'fixed').port, base + 50);
  });

  it('stops the model once it has been idle for idle_shutdown_ms, and starts it again on demand', async () => {
    const first = await relay.fetch('/v1/chat/completions', { json: chat('idle') });
    assert.equal(first.status, 200);
    const { fingerprint: a } = { fingerprint: ((await first.json()) as ChatAnswer).system_fingerprint };
    const { pid } = statusOf(relay, 'idle');
    assert.ok(pid);
    await waitFor('idle unload', () => statusOf(relay, 'idle').state === 'stopped', 10_000);
    assert.ok(!alive(pid));
    assert.ok(statusOf(relay, 'idle').logs.some((line) => /stopping: idle for \d+ ms/.test(line)));
    const second = await relay.fetch('/v1/chat/completions', { json: chat('idle') });
    assert.equal(second.status, 200);
    assert.notEqual(((await second.json()) as ChatAnswer).system_fingerprint, a);
  });
});

describe('lifecycle: failures, breaker and cloud fallback', () => {
  let relay: RelayHarness;
  let cloud: FakeOpenAiUpstream;

  before(async () => {
    cloud = await startFakeOpenAiUpstream({ keys: ['sk-test-1'] });
    relay = await startRelay({
      providers: {
        gpu: { provider_type: 'local' },
        cloud: fakeProvider(cloud.baseUrl, { models: { include: ['gpt-4o-mini'] } }),
      },
      model_routing: { cascade: { enabled: true, models: ['gpt-4o-mini'], max_retries: 3 } },
      lifecycle: lifecycleBlock(
        {
          'dies-loading': fakeModel({ loadMs: 5000, exitAfterMs: 200 }),
          'dies-serving': fakeModel({ crashOnRequest: true }),
          'never-ready': fakeModel({ neverReady: true }, { timeout_sec: 1 }),
        },
        { circuit_breaker: { threshold: 2, window_ms: 60_000, cooldown_ms: 60_000 } },
      ),
    });
  });
  after(async () => {
    await closeAndCheckNoOrphans(relay);
    await cloud.close();
  });

  it('a model that crashes while loading: the request goes to the fallback chain; the breaker opens after N failures', async () => {
    for (let round = 1; round <= 2; round++) {
      const response = await relay.fetch('/v1/chat/completions', { json: chat('dies-loading') });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('x-monorelay-provider'), 'cloud');
      await response.arrayBuffer();
    }
    const status = statusOf(relay, 'dies-loading');
    assert.equal(status.circuit.open, true);
    assert.match(status.lastError ?? '', /exited while loading/);
    const startsBefore = status.logs.filter((line) => line.includes('starting on port')).length;
    assert.equal(startsBefore, 2);
    // open: not started again, straight to the cloud
    const started = Date.now();
    const response = await relay.fetch('/v1/chat/completions', { json: chat('dies-loading') });
    assert.equal(response.headers.get('x-monorelay-provider'), 'cloud');
    await response.arrayBuffer();
    assert.ok(Date.now() - started < 5000, 'no start attempted');
    const after = statusOf(relay, 'dies-loading');
    assert.equal(after.logs.filter((line) => line.includes('starting on port')).length, 2);
    assert.equal(after.state, 'stopped');
    const entry = await relay.entry((e) => e.attempts.some((a) => /not started for/.test(a.detail ?? '')));
    assert.equal(entry.provider, 'cloud');
  });

  it('a model that never gets healthy fails after its start timeout and the request falls back', async () => {
    const response = await relay.fetch('/v1/chat/completions', { json: chat('never-ready') });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-monorelay-provider'), 'cloud');
    await response.arrayBuffer();
    const status = statusOf(relay, 'never-ready');
    assert.match(status.lastError ?? '', /not healthy within 1000 ms/);
    await waitFor('never-ready stopped', () => statusOf(relay, 'never-ready').state === 'stopped');
  });

  it('a model that crashes while serving: the request fails over, the crash is recorded', async () => {
    const response = await relay.fetch('/v1/chat/completions', { json: chat('dies-serving') });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-monorelay-provider'), 'cloud');
    await response.arrayBuffer();
    await waitFor('crash noticed', () => statusOf(relay, 'dies-serving').state === 'stopped');
    const status = statusOf(relay, 'dies-serving');
    assert.match(status.lastError ?? '', /exited unexpectedly \(code 1\)/);
    assert.ok(status.logs.some((line) => line.includes('crashing')));
  });
});
