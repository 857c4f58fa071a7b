import { startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildTestConfig } from '../apps/relay/src/config/parse-relay-config';
import { RoutingService } from '../apps/relay/src/routing/routing.service';
import { type RelayHarness, fakeProvider, startRelay } from './support/relay-harness';
import {
  alive,
  chat,
  closeAndCheckNoOrphans,
  fakeModel,
  lifecycleBlock,
  lifecycleOf,
  statusOf,
  waitFor,
} from './support/lifecycle-kit';

interface ChatAnswer {
  model: string;
  system_fingerprint: string;
  choices: { message: { content: string } }[];
  received: Record<string, unknown>;
}

const starts = (relay: RelayHarness, model: string): number =>
  statusOf(relay, model).logs.filter((line) => line.includes('starting on port')).length;

describe('lifecycle: switching with max_warm_models 1 under concurrent load', () => {
  let relay: RelayHarness;
  before(async () => {
    relay = await startRelay({
      providers: { gpu: { provider_type: 'local', timeout: 30 } },
      lifecycle: lifecycleBlock(
        {
          alpha: fakeModel({ model: 'alpha', loadMs: 400, delayMs: 500 }),
          beta: fakeModel({ model: 'beta', loadMs: 400, delayMs: 500 }),
        },
        { max_warm_models: 1 },
      ),
    });
  });
  after(() => closeAndCheckNoOrphans(relay));

  it('serves every request with its own model, never two models at once, without thrashing', async () => {
    let maxActive = 0;
    const sampler = setInterval(() => {
      const active = lifecycleOf(relay)
        .status(0)
        .filter((model) => model.state !== 'stopped').length;
      maxActive = Math.max(maxActive, active);
    }, 10);
    const order = ['alpha', 'beta', 'alpha', 'beta', 'alpha', 'beta'];
    try {
      const answers = await Promise.all(
        order.map(async (model, index) => {
          const response = await relay.fetch('/v1/chat/completions', { json: chat(model, `n${index}`) });
          assert.equal(response.status, 200);
          return (await response.json()) as ChatAnswer;
        }),
      );
      answers.forEach((answer, index) => {
        assert.equal(answer.model, order[index]);
        assert.equal(answer.choices[0].message.content, `Echo: n${index}`);
      });
    } finally {
      clearInterval(sampler);
    }
    assert.equal(maxActive, 1, 'eager switch: the old model stops before the new one starts');
    // waiting requests for the running model were served together: one start per model
    assert.equal(starts(relay, 'alpha') + starts(relay, 'beta'), 2);
  });

  it('a switch stops the least recently used idle model', async () => {
    const running = lifecycleOf(relay)
      .status(0)
      .find((model) => model.state === 'ready');
    assert.ok(running?.pid);
    const other = running.name === 'alpha' ? 'beta' : 'alpha';
    const response = await relay.fetch('/v1/chat/completions', { json: chat(other) });
    assert.equal(response.status, 200);
    await response.arrayBuffer();
    assert.equal(statusOf(relay, running.name).state, 'stopped');
    assert.ok(!alive(running.pid));
    assert.ok(statusOf(relay, running.name).logs.some((line) => line.includes(`switching to ${other}`)));
  });
});

describe('lifecycle: LRU eviction with max_warm_models 2, stop command', () => {
  let relay: RelayHarness;
  const marker = join(mkdtempSync(join(tmpdir(), 'monorelay-stopcmd-')), 'stopped');
  before(async () => {
    relay = await startRelay({
      providers: { gpu: { provider_type: 'local', timeout: 30 } },
      lifecycle: lifecycleBlock(
        {
          a: fakeModel({ model: 'a' }),
          b: fakeModel({ model: 'b' }, { stop_cmd: `echo "stop $LLAMA_PORT \${MODEL}" >> '${marker}'` }),
          c: fakeModel({ model: 'c' }),
        },
        { max_warm_models: 2 },
      ),
    });
  });
  after(async () => {
    await closeAndCheckNoOrphans(relay);
    rmSync(dirname(marker), { recursive: true, force: true });
  });

  it('starting a third model unloads the least recently used of the two warm ones (running its stop_cmd)', async () => {
    const use = async (model: string) => {
      const response = await relay.fetch('/v1/chat/completions', { json: chat(model) });
      assert.equal(response.status, 200);
      await response.arrayBuffer();
    };
    await use('a');
    await use('b');
    const bPort = statusOf(relay, 'b').port;
    await use('a'); // b is now the least recently used
    await use('c');
    assert.equal(statusOf(relay, 'a').state, 'ready');
    assert.equal(statusOf(relay, 'b').state, 'stopped');
    assert.equal(statusOf(relay, 'c').state, 'ready');
    assert.equal(readFileSync(marker, 'utf8').trim(), `stop ${bPort} b`);
  });
});

describe('lifecycle: starvation guard', () => {
  let relay: RelayHarness;
  before(async () => {
    relay = await startRelay({
      providers: { gpu: { provider_type: 'local', timeout: 30 } },
      lifecycle: lifecycleBlock(
        {
          busy: fakeModel({ model: 'busy', delayMs: 250 }),
          other: fakeModel({ model: 'other' }),
        },
        { max_warm_models: 1, switch_max_wait_ms: 500 },
      ),
    });
  });
  after(() => closeAndCheckNoOrphans(relay));

  it('a request for another model is not starved by a steady stream for the running one', async () => {
    const warm = await relay.fetch('/v1/chat/completions', { json: chat('busy') });
    await warm.arrayBuffer();
    let stop = false;
    // three clients, staggered, keep the running model busy without a gap
    const steady = [0, 80, 160].map(async (offset) => {
      await new Promise((resolve) => setTimeout(resolve, offset));
      while (!stop) {
        const response = await relay.fetch('/v1/chat/completions', { json: chat('busy') });
        await response.arrayBuffer();
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    const response = await relay.fetch('/v1/chat/completions', { json: chat('other', 'me too') });
    const waited = Date.now() - started;
    stop = true;
    await Promise.all(steady);
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as ChatAnswer).model, 'other');
    assert.ok(waited >= 400, `waited ${waited} ms: the running model's queue went first`);
    assert.ok(waited < 15_000, `waited ${waited} ms`);
    assert.ok(statusOf(relay, 'busy').logs.some((line) => line.includes('draining')));
  });
});

describe('lifecycle: serialisation, sessions, cancelled loads, SIGKILL escalation', () => {
  let relay: RelayHarness;
  before(async () => {
    relay = await startRelay({
      auth: { access_key_role: 'admin' },
      providers: { gpu: { provider_type: 'local', timeout: 30 } },
      lifecycle: lifecycleBlock(
        {
          serial: fakeModel({ model: 'serial', delayMs: 300 }),
          sessions: fakeModel({ model: 'sessions' }),
          slow: fakeModel({ neverReady: true }),
          stubborn: fakeModel({ ignoreSigterm: true }),
        },
        { serialize_requests: true, max_warm_models: 4, stop_timeout_ms: 500 },
      ),
    });
  });
  after(() => closeAndCheckNoOrphans(relay));

  it('serialize_requests: one request at a time per model, first come first served', async () => {
    let maxInFlight = 0;
    const sampler = setInterval(() => {
      maxInFlight = Math.max(maxInFlight, statusOf(relay, 'serial').inFlight);
    }, 10);
    const started = Date.now();
    try {
      const answers = await Promise.all(
        [0, 1, 2].map(async (index) => {
          const response = await relay.fetch('/v1/chat/completions', { json: chat('serial', `s${index}`) });
          assert.equal(response.status, 200);
          return (await response.json()) as ChatAnswer;
        }),
      );
      assert.deepEqual(
        answers.map((answer) => answer.choices[0].message.content),
        ['Echo: s0', 'Echo: s1', 'Echo: s2'],
      );
    } finally {
      clearInterval(sampler);
    }
    assert.equal(maxInFlight, 1);
    assert.ok(Date.now() - started >= 850, 'three 300 ms answers one after the other');
  });

  it('a new session id restarts the model (clears its KV cache); no header keeps the context', async () => {
    const ask = async (headers: Record<string, string>) => {
      const response = await relay.fetch('/v1/chat/completions', { json: chat('sessions'), headers });
      assert.equal(response.status, 200);
      return ((await response.json()) as ChatAnswer).system_fingerprint.split('-port')[0];
    };
    const first = await ask({ 'session-id': 'project-alpha' });
    assert.equal(await ask({ 'session-id': 'project-alpha' }), first);
    assert.equal(await ask({}), first, 'no session header: same process');
    const second = await ask({ 'x-session-affinity': 'project-beta' });
    assert.notEqual(second, first);
    assert.equal(await ask({ session_id: 'project-beta' }), second);
    assert.ok(statusOf(relay, 'sessions').logs.some((line) => line.includes('session changed')));
  });

  it('a client that leaves stops waiting, and a load nobody waits for is cancelled', async () => {
    const abort = new AbortController();
    const pending = relay.fetch('/v1/chat/completions', { json: chat('slow'), signal: abort.signal });
    const { pid } = await waitFor('slow starting', () => {
      const status = statusOf(relay, 'slow');
      return status.state === 'starting' && status.pid ? status : undefined;
    });
    abort.abort();
    await assert.rejects(pending);
    await waitFor('load cancelled', () => statusOf(relay, 'slow').state === 'stopped');
    assert.ok(pid && !alive(pid));
    assert.ok(statusOf(relay, 'slow').logs.some((line) => line.includes('load cancelled')));
    const entry = await relay.entry((e) => e.requestedModel === 'slow');
    assert.equal(entry.statusCode, 499);
  });

  it('a process that ignores SIGTERM is killed with SIGKILL after stop_timeout_ms', async () => {
    const response = await relay.fetch('/v1/chat/completions', { json: chat('stubborn') });
    assert.equal(response.status, 200);
    await response.arrayBuffer();
    const { pid } = statusOf(relay, 'stubborn');
    assert.ok(pid);
    const stopped = await relay.fetch('/api/lifecycle/models/stubborn/stop', { method: 'POST' });
    assert.equal(stopped.status, 200);
    assert.ok(!alive(pid));
    assert.ok(statusOf(relay, 'stubborn').logs.some((line) => line.includes('sending SIGKILL')));
  });
});

describe('lifecycle: fallback while loading, compatibility options, hot reload', () => {
  let relay: RelayHarness;
  let cloud: FakeOpenAiUpstream;
  const lifecycle = {
    local: fakeModel({ model: 'local', loadMs: 800 }, { sampling: { temperature: 0.2 } }),
    plain: fakeModel({ model: 'plain' }),
  };
  const config = (extra: Record<string, unknown> = {}) => ({
    providers: {
      gpu: { provider_type: 'local', timeout: 30 },
      cloud: fakeProvider(cloud.baseUrl),
    },
    model_routing: { cascade: { enabled: true, models: ['gpt-4o-mini'] } },
    lifecycle: {
      ...lifecycleBlock(lifecycle, {
        fallback_while_loading: true,
        unknown_field_policy: 'strip',
        default_model: 'plain',
        sampling: { temperature: 0.9, top_k: 40 },
      }),
      ...extra,
    },
  });

  before(async () => {
    cloud = await startFakeOpenAiUpstream({ keys: ['sk-test-1'] });
    relay = await startRelay(config(), { watchConfig: true });
  });
  after(async () => {
    await closeAndCheckNoOrphans(relay);
    await cloud.close();
  });

  it('unknown models go to the cloud provider; local names never do', async () => {
    // a local provider is never a catch-all, even listed first and with no models of its own
    const routing = relay.app.get(RoutingService);
    const plan = routing.plan(
      { model: 'gpt-4o-mini', endpoint: 'chat', promptText: () => '' },
      buildTestConfig({
        providers: { idle: { provider_type: 'local' }, cloud: { base_url: 'http://127.0.0.1:9/v1' } },
      }),
    );
    assert.deepEqual(
      plan.targets.map((target) => target.provider),
      ['cloud'],
    );
    const response = await relay.fetch('/v1/chat/completions', { json: chat('gpt-4o-mini') });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-monorelay-provider'), 'cloud');
    await response.arrayBuffer();
  });

  it('fallback_while_loading: the cloud answers while the local model loads, the local model afterwards', async () => {
    const first = await relay.fetch('/v1/chat/completions', { json: chat('local') });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-monorelay-provider'), 'cloud');
    await first.arrayBuffer();
    await waitFor('local ready', () => statusOf(relay, 'local').state === 'ready');
    const second = await relay.fetch('/v1/chat/completions', { json: chat('local') });
    assert.equal(second.headers.get('x-monorelay-provider'), 'gpu');
    const body = (await second.json()) as ChatAnswer;
    assert.equal(body.model, 'local');
  });

  it('sampling defaults fill only omitted fields (model over block); unknown fields are stripped', async () => {
    await waitFor('local ready', () => statusOf(relay, 'local').state === 'ready');
    const response = await relay.fetch('/v1/chat/completions', {
      json: chat('local', 'x', { top_k: 7, store: true, metadata: { a: 1 } }),
    });
    assert.equal(response.status, 200);
    const { received } = (await response.json()) as ChatAnswer;
    assert.equal(received.temperature, 0.2, "the model's own default");
    assert.equal(received.top_k, 7, "the client's value wins");
    assert.equal(received.store, undefined);
    assert.equal(received.metadata, undefined);
  });

  it('default_model serves a request that names no model', async () => {
    lifecycleOf(relay).start('plain');
    await waitFor('plain ready', () => statusOf(relay, 'plain').state === 'ready');
    const response = await relay.fetch('/v1/chat/completions', { json: chat(undefined, 'anon') });
    assert.equal(response.status, 200);
    const body = (await response.json()) as ChatAnswer;
    assert.equal(body.model, 'plain');
    assert.equal(body.received.temperature, 0.9);
    assert.equal(body.received.top_k, 40);
  });

  it('unknown_field_policy reject: 400 naming the field when no other target can take it (hot reload)', async () => {
    relay.writeConfig({
      ...config({ unknown_field_policy: 'reject', fallback_while_loading: false }),
      model_routing: {},
    });
    await waitFor('reload', () => lifecycleOf(relay).settings.unknown_field_policy === 'reject', 10_000);
    const response = await relay.fetch('/v1/chat/completions', { json: chat('plain', 'x', { store: true }) });
    const body = (await response.json()) as { error: { message: string; param: string } };
    assert.equal(response.status, 400);
    assert.equal(body.error.param, 'store');
    assert.match(body.error.message, /store/);
  });

  it('a changed model definition restarts it when idle; a removed model is stopped', async () => {
    const before = await relay.fetch('/v1/chat/completions', { json: chat('plain') });
    const oldPrint = ((await before.json()) as ChatAnswer).system_fingerprint;
    const { pid } = statusOf(relay, 'plain');
    assert.ok(pid);
    const next = config({ fallback_while_loading: false });
    (next.lifecycle.models as Record<string, unknown>) = {
      plain: fakeModel({ model: 'plain-v2' }),
    };
    relay.writeConfig(next);
    await waitFor('old process gone', () => !alive(pid), 10_000);
    await waitFor('local removed', () => !lifecycleOf(relay).has('local'), 10_000);
    const after = await relay.fetch('/v1/chat/completions', { json: chat('plain') });
    assert.equal(after.status, 200);
    const body = (await after.json()) as ChatAnswer;
    assert.equal(body.model, 'plain-v2');
    assert.notEqual(body.system_fingerprint, oldPrint);
  });

  it('turning the lifecycle off stops every model; requests for local models then fail over', async () => {
    lifecycleOf(relay).start('plain');
    await waitFor('plain ready', () => statusOf(relay, 'plain').state === 'ready');
    const { pid } = statusOf(relay, 'plain');
    assert.ok(pid);
    relay.writeConfig(config({ enabled: false }));
    await waitFor('plain stopped', () => !alive(pid), 10_000);
    const response = await relay.fetch('/v1/chat/completions', { json: chat('plain') });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-monorelay-provider'), 'cloud');
    await response.arrayBuffer();
  });
});
