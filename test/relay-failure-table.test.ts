import { behaviours, startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { KeysService } from '../apps/relay/src/keys/keys.service';
import { type RelayHarness, readSse, startRelay } from './support/relay-harness';

/**
 * DESIGN.md "Failure semantics", row by row. `primary` (keys sk-a, sk-b) serves m1; the cascade
 * falls back to m2 on `backup` (key sk-backup). Each test gets a fresh relay so key state does
 * not leak between rows.
 */
describe('relay: the failure table', () => {
  let upstream: FakeOpenAiUpstream;
  let relay: RelayHarness | undefined;

  before(async () => {
    upstream = await startFakeOpenAiUpstream({ keys: ['sk-a', 'sk-b', 'sk-backup'] });
  });
  after(async () => {
    await relay?.close();
    await upstream.close();
  });
  beforeEach(async () => {
    await relay?.close();
    relay = undefined;
    upstream.reset();
  });

  function config(
    options: { primary?: object; backup?: object; cascade?: boolean; relay?: object } = {},
  ): object {
    return {
      providers: {
        primary: {
          base_url: upstream.baseUrl,
          keys: [
            { key: 'sk-a', label: 'a' },
            { key: 'sk-b', label: 'b' },
          ],
          models: { include: ['m1'] },
          timeout: 2,
          rate_limit_cooldown: 30,
          ...options.primary,
        },
        backup: {
          base_url: upstream.baseUrl,
          keys: [{ key: 'sk-backup', label: 'backup' }],
          models: { include: ['m2'] },
          timeout: 2,
          ...options.backup,
        },
      },
      model_routing: { cascade: { enabled: options.cascade ?? true, models: ['m2'], max_retries: 2 } },
      ...(options.relay ? { relay: options.relay } : {}),
    };
  }

  async function start(options: Parameters<typeof config>[0] = {}): Promise<RelayHarness> {
    relay = await startRelay(config(options));
    return relay;
  }

  const ask = (r: RelayHarness, extra: object = {}) =>
    r.fetch('/v1/chat/completions', {
      json: { model: 'm1', messages: [{ role: 'user', content: 'hi' }], ...extra },
    });
  const keysUsed = (): (string | undefined)[] => upstream.requests.map((request) => request.key);

  it('429: cools the key until Retry-After and moves to the next key at once', async () => {
    const r = await start();
    upstream.when({ key: 'sk-a' }, behaviours.rateLimited({ retryAfter: 20 }));
    const first = await ask(r);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-monorelay-attempts'), '2');
    assert.deepEqual(keysUsed(), ['sk-a', 'sk-b']);
    const cooling = r.app
      .get(KeysService)
      .snapshot('primary')
      .find((key) => key.label === 'a')!;
    assert.equal(cooling.state, 'cooling');
    const remaining = cooling.cooldownUntil! - Date.now();
    assert.ok(remaining > 18_000 && remaining <= 20_000, `cooling for ${remaining}ms`);
    await ask(r);
    await ask(r);
    assert.deepEqual(keysUsed().slice(2), ['sk-b', 'sk-b'], 'the cooling key is skipped');
  });

  it('429 from reset headers: x-ratelimit-reset-requests decides the cooldown', async () => {
    const r = await start();
    upstream.when({ key: 'sk-a' }, behaviours.rateLimited({ resetRequests: '6m0s' }), { times: 1 });
    assert.equal((await ask(r)).status, 200);
    const cooling = r.app
      .get(KeysService)
      .snapshot('primary')
      .find((key) => key.label === 'a')!;
    const remaining = cooling.cooldownUntil! - Date.now();
    assert.ok(remaining > 355_000 && remaining <= 360_000, `cooling for ${remaining}ms`);
  });

  it('429 on every key of every target: 429 with Retry-After = the soonest recovery', async () => {
    const r = await start();
    upstream.when({ key: 'sk-a' }, behaviours.rateLimited({ retryAfter: 40 }));
    upstream.when({ key: 'sk-b' }, behaviours.rateLimited({ retryAfter: 7 }));
    upstream.when({ key: 'sk-backup' }, behaviours.rateLimited({ retryAfter: 12 }));
    const response = await ask(r);
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('retry-after'), '7');
    const body = (await response.json()) as { error: { type: string; code: string } };
    assert.equal(body.error.code, 'rate_limit_exceeded');
    const again = await ask(r);
    assert.equal(again.status, 429);
    const retryAfter = Number(again.headers.get('retry-after'));
    assert.ok(
      retryAfter >= 6 && retryAfter <= 7,
      `no key is free: answered from the cooldowns (${retryAfter})`,
    );
    assert.equal(upstream.requests.length, 3, 'the second request sent nothing upstream');
  });

  it('429 with retry on and a Retry-After within backoff_max: waits for the key and retries', async () => {
    const r = await start({
      primary: { keys: ['sk-a'], retry: { enabled: true, max_retries: 2, backoff_max: 5 } },
      cascade: false,
    });
    upstream.when({ key: 'sk-a' }, behaviours.rateLimited({ retryAfter: 1 }), { times: 1 });
    const started = Date.now();
    const response = await ask(r);
    assert.equal(response.status, 200);
    assert.ok(Date.now() - started >= 950, 'waited for the announced reset');
    assert.deepEqual(keysUsed(), ['sk-a', 'sk-a']);
  });

  it('429 with a Retry-After beyond backoff_max: no wait, next target', async () => {
    const r = await start({
      primary: { keys: ['sk-a'], retry: { enabled: true, max_retries: 2, backoff_max: 5 } },
    });
    upstream.when({ key: 'sk-a' }, behaviours.rateLimited({ retryAfter: 30 }), { times: 1 });
    const started = Date.now();
    const response = await ask(r);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-monorelay-provider'), 'backup');
    assert.ok(Date.now() - started < 900);
  });

  it('5xx once with retry on: the same provider again after the back-off', async () => {
    const r = await start({
      primary: {
        keys: ['sk-a'],
        retry: { enabled: true, max_retries: 2, backoff_factor: 2, backoff_max: 0.3 },
      },
    });
    upstream.when({ key: 'sk-a' }, behaviours.serverError(503), { times: 1 });
    const response = await ask(r);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-monorelay-provider'), 'primary');
    assert.equal(response.headers.get('x-monorelay-attempts'), '2');
    assert.deepEqual(keysUsed(), ['sk-a', 'sk-a']);
  });

  it('5xx persistent with retry off: next target; the answer names the model that served', async () => {
    const r = await start();
    upstream.when({ model: 'm1' }, behaviours.serverError(500));
    const response = await ask(r);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-monorelay-provider'), 'backup');
    assert.equal(response.headers.get('x-monorelay-model'), 'm2');
    const body = (await response.json()) as { model: string };
    assert.equal(body.model, 'm2');
    assert.deepEqual(
      keysUsed(),
      ['sk-a', 'backup'].map((k) => (k === 'backup' ? 'sk-backup' : k)),
    );
    const entry = await r.entry();
    assert.deepEqual(
      entry.attempts.map((a) => [a.provider, a.outcome]),
      [
        ['primary', 'server_error'],
        ['backup', 'success'],
      ],
    );
  });

  it('5xx everywhere: the upstream status is carried, never a blanket 503', async () => {
    const r = await start();
    upstream.when({}, behaviours.serverError(502));
    const response = await ask(r);
    assert.equal(response.status, 502);
    const body = (await response.json()) as { error: { message: string } };
    assert.match(body.error.message, /\[backup\]/);
  });

  it('a provider resting after a 5xx answers 503 with Retry-After, not a rate limit', async () => {
    const r = await start({ primary: { keys: ['sk-a'] }, cascade: false });
    upstream.when({ key: 'sk-a' }, behaviours.serverError(500), { times: 1 });
    assert.equal((await ask(r)).status, 500);
    const resting = await ask(r);
    assert.equal(resting.status, 503);
    assert.equal(resting.headers.get('retry-after'), '1');
    const body = (await resting.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'upstream_backing_off');
    assert.equal(upstream.requests.length, 1);
  });

  it('connection refused: next target; a provider that comes back is used again', async () => {
    const flaky = await startFakeOpenAiUpstream({ keys: ['sk-a'] });
    try {
      const r = await start({ primary: { base_url: flaky.baseUrl, keys: ['sk-a'], rate_limit_cooldown: 1 } });
      await flaky.goDown();
      const during = await ask(r);
      assert.equal(during.status, 200);
      assert.equal(during.headers.get('x-monorelay-provider'), 'backup');
      const entry = await r.entry();
      assert.equal(entry.attempts[0].outcome, 'connection_error');
      await flaky.comeBack();
      await new Promise((resolve) => setTimeout(resolve, 1100)); // the key's back-off (<= rate_limit_cooldown)
      const afterwards = await ask(r);
      assert.equal(afterwards.headers.get('x-monorelay-provider'), 'primary');
    } finally {
      await flaky.close();
    }
  });

  it('connection reset: counted as a connection failure and failed over', async () => {
    const r = await start();
    upstream.when({ model: 'm1' }, behaviours.resetConnection());
    const response = await ask(r);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-monorelay-provider'), 'backup');
  });

  it('no headers within timeout: next target at once, never retried on the silent route', async () => {
    const r = await start({
      primary: { keys: ['sk-a'], timeout: 1, retry: { enabled: true, max_retries: 3 } },
    });
    upstream.when({ model: 'm1' }, behaviours.hang());
    const started = Date.now();
    const response = await ask(r);
    const elapsed = Date.now() - started;
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-monorelay-provider'), 'backup');
    assert.ok(elapsed >= 950 && elapsed < 2500, `failed over after ${elapsed}ms`);
    assert.equal(upstream.requests.filter((req) => req.key === 'sk-a').length, 1);
    const key = r.app.get(KeysService).snapshot('primary')[0];
    assert.equal(key.state, 'backing_off', 'the silent key backs off');
  });

  it('no headers within timeout and nothing else to try: 504', async () => {
    const r = await start({ primary: { timeout: 1 }, cascade: false });
    upstream.when({ model: 'm1' }, behaviours.hang());
    const response = await ask(r);
    assert.equal(response.status, 504);
    const body = (await response.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'upstream_timeout');
  });

  it('no first token within first_token_timeout: next target, and the client sees one clean stream', async () => {
    const r = await start({ primary: { first_token_timeout: 0.5 } });
    upstream.when({ model: 'm1' }, behaviours.slowFirstToken(3000));
    const started = Date.now();
    const response = await ask(r, { stream: true });
    const { events, done } = await readSse(response);
    assert.ok(Date.now() - started < 2500);
    assert.equal(done, true);
    assert.equal(response.headers.get('x-monorelay-provider'), 'backup');
    const roles = events.filter((e) => e.includes('"role":"assistant"'));
    assert.equal(roles.length, 1, 'nothing of the abandoned stream reached the client');
    assert.equal((await r.entry()).attempts[0].outcome, 'first_token_timeout');
  });

  it('401/403: the key is out; next key; a probe brings it back', async () => {
    const r = await start({ cascade: false, relay: { key_probe_interval_seconds: 1 } });
    const revoked = upstream.when({ key: 'sk-a' }, behaviours.unauthorized('sk-a'));
    assert.equal((await ask(r)).status, 200);
    const keys = r.app.get(KeysService);
    assert.equal(keys.snapshot('primary').find((key) => key.label === 'a')!.state, 'auth_failed');
    await ask(r);
    assert.deepEqual(keysUsed(), ['sk-a', 'sk-b', 'sk-b']);
    revoked.remove();
    const deadline = Date.now() + 4000;
    while (
      keys.snapshot('primary').find((key) => key.label === 'a')!.state === 'auth_failed' &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(keys.snapshot('primary').find((key) => key.label === 'a')!.state, 'available');
    assert.ok(
      upstream.requests.some((req) => req.path === '/v1/models' && req.key === 'sk-a'),
      'probed with GET /models',
    );
  });

  it('401/403 on every key and nothing else to try: 502 naming the provider', async () => {
    const r = await start({ cascade: false });
    upstream.when({ key: 'sk-a' }, behaviours.unauthorized('sk-a'));
    upstream.when({ key: 'sk-b' }, behaviours.forbidden());
    const response = await ask(r);
    assert.equal(response.status, 502);
    const body = (await response.json()) as { error: { message: string; code: string } };
    assert.equal(body.error.code, 'upstream_auth_failed');
    assert.match(body.error.message, /primary/);
  });

  it('400 context length: next target with another model', async () => {
    const r = await start();
    upstream.when({ model: 'm1' }, behaviours.contextLengthExceeded(8192));
    const response = await ask(r);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-monorelay-model'), 'm2');
    assert.equal(r.app.get(KeysService).snapshot('primary')[0].state, 'available', 'no cooling');
  });

  it('400 context length with nowhere else to go: the 400 as is', async () => {
    const r = await start({ cascade: false });
    upstream.when({ model: 'm1' }, behaviours.contextLengthExceeded(8192));
    const response = await ask(r);
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'context_length_exceeded');
    assert.match(body.error.message, /8192/);
  });

  it('other 4xx (content policy): returned as is, never retried, rotated or cascaded', async () => {
    const r = await start({ primary: { retry: { enabled: true, max_retries: 3 } } });
    upstream.when({ model: 'm1' }, behaviours.contentPolicyViolation());
    const response = await ask(r);
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'content_policy_violation');
    assert.equal(upstream.requests.length, 1);
    assert.equal(
      r.app
        .get(KeysService)
        .snapshot('primary')
        .every((key) => key.state === 'available'),
      true,
    );
    const entry = await r.entry();
    assert.equal(entry.statusCode, 400);
    assert.equal(entry.errorType, 'client_error');
  });

  it('upstream 404 for a model: returned as is', async () => {
    const r = await start();
    upstream.when({ model: 'm1' }, behaviours.modelNotFound('m1'));
    const response = await ask(r);
    assert.equal(response.status, 404);
    assert.equal(upstream.requests.length, 1);
  });

  it('a stream that ends with a finish reason but no [DONE] completes normally', async () => {
    const r = await start();
    upstream.when({ model: 'm1' }, behaviours.noDone());
    const response = await ask(r, { stream: true });
    const { done, events } = await readSse(response);
    assert.equal(done, true, 'the relay closes it properly for the client');
    assert.ok(events.some((e) => e.includes('"finish_reason":"stop"')));
    const entry = await r.entry();
    assert.equal(entry.state, 'success');
  });
});
