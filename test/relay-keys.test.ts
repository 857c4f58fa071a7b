import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RequestLogEntry } from '@monorelay/contracts';
import {
  behaviours,
  startFakeAnthropicUpstream,
  startFakeOpenAiUpstream,
  type FakeAnthropicUpstream,
  type FakeOpenAiUpstream,
} from '@monorelay/testing';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, beforeEach, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { UserEntity } from '../apps/relay/src/auth/entities';
import { RelayKeyLookup } from '../apps/relay/src/auth/relay-keys/relay-key-lookup.service';
import { RelayKeyCounters } from '../apps/relay/src/auth/relay-keys/relay-key-counters';
import {
  type NewRelayKeyInput,
  RelayKeysService,
} from '../apps/relay/src/auth/relay-keys/relay-keys.service';
import type { Role } from '../apps/relay/src/auth/roles';
import { createRelayApp } from '../apps/relay/src/bootstrap';
import { ConfigService } from '../apps/relay/src/config/config.service';
import { APP_DATA_DATABASE } from '../apps/relay/src/database/database.tokens';
import type { ManagedDataSource } from '../apps/relay/src/database/managed-data-source';
import { ACCESS_KEY, type RelayHarness, fakeProvider, startRelay } from './support/relay-harness';

/** Adds a user straight to the app database (the accounts API is not what this file tests). */
async function addUser(app: NestFastifyApplication, username: string, role: Role = 'user'): Promise<string> {
  const database = app.get<ManagedDataSource>(APP_DATA_DATABASE);
  const id = `u-${username}-${Math.random().toString(36).slice(2, 8)}`;
  await database.dataSource.getRepository(UserEntity).insert({
    id,
    username,
    usernameKey: username.toLowerCase(),
    displayName: username,
    email: null,
    role,
    disabled: false,
    passwordHash: null,
    sessionsValidAfter: 0,
    createdAt: Date.now(),
    lastLoginAt: null,
  });
  return id;
}

function config(openaiUrl: string, claudeUrl: string, extra: object = {}): object {
  return {
    providers: {
      openai: fakeProvider(openaiUrl, { models: { include: ['gpt-4o-mini', 'gpt-4o', 'priced-model'] } }),
      claude: {
        provider_type: 'anthropic',
        base_url: claudeUrl,
        keys: ['sk-ant-1'],
        models: { include: ['claude-sonnet'] },
        timeout: 5,
      },
    },
    // $1000 per 1M tokens: 1000 tokens cost $1
    pricing: { models: { 'priced-model': { input: 1000, output: 1000 } } },
    log_store: { flush_interval_ms: 20 },
    ...extra,
  };
}

function chat(url: string, key: string, model = 'gpt-4o-mini', extra: object = {}): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...extra }),
  });
}

function messages(url: string, key: string, model = 'claude-sonnet'): Promise<Response> {
  return fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({ model, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

describe('relay keys on /v1', () => {
  let openai: FakeOpenAiUpstream;
  let claude: FakeAnthropicUpstream;
  let relay: RelayHarness;
  let keys: RelayKeysService;
  let ann: string;

  const newKey = async (input: Partial<NewRelayKeyInput> = {}, userId = ann) =>
    keys.create(userId, { name: 'test key', ...input });
  const entryOf = (requestId: string | null): Promise<RequestLogEntry> =>
    relay.entry((entry) => entry.requestId === requestId);

  before(async () => {
    openai = await startFakeOpenAiUpstream();
    claude = await startFakeAnthropicUpstream({ keys: ['sk-ant-1'] });
    relay = await startRelay(config(openai.baseUrl, claude.baseUrl));
    keys = relay.app.get(RelayKeysService);
    ann = await addUser(relay.app, 'ann');
  });
  after(async () => {
    await relay.close();
    await openai.close();
    await claude.close();
  });
  beforeEach(() => {
    openai.reset();
    claude.reset();
  });

  it('a relay key works on /v1/chat/completions and /v1/messages; the log names its user and key', async () => {
    const created = await newKey({ name: 'laptop' });
    assert.match(created.key, /^mr-[A-Za-z0-9_-]{43}$/);
    assert.equal(created.prefix, created.key.slice(0, 9));
    assert.equal(created.status, 'active');

    const response = await chat(relay.url, created.key);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { choices: unknown[] };
    assert.equal(body.choices.length, 1);
    const entry = await entryOf(response.headers.get('x-request-id'));
    assert.equal(entry.userId, ann);
    assert.equal(entry.relayKeyId, created.id);
    assert.equal(entry.principal, `user:${ann}`);

    const anthropic = await messages(relay.url, created.key);
    assert.equal(anthropic.status, 200);
    assert.equal(((await anthropic.json()) as { type: string }).type, 'message');
    const anthropicEntry = await entryOf(anthropic.headers.get('x-request-id'));
    assert.equal(anthropicEntry.relayKeyId, created.id);
    assert.equal(anthropicEntry.userId, ann);

    // the key's Bearer form works on the Anthropic route too, and GET /v1/models
    const models = await fetch(`${relay.url}/v1/models`, {
      headers: { authorization: `Bearer ${created.key}` },
    });
    assert.equal(models.status, 200);
  });

  it('the access key still works, and logs no user', async () => {
    const response = await chat(relay.url, ACCESS_KEY);
    assert.equal(response.status, 200);
    const entry = await entryOf(response.headers.get('x-request-id'));
    assert.equal(entry.userId, null);
    assert.equal(entry.relayKeyId, null);
  });

  it('an unknown key, a key-shaped guess, or a relay key off /v1 is refused', async () => {
    const guess = 'mr-' + 'A'.repeat(43);
    for (const key of ['nonsense', guess]) {
      const response = await chat(relay.url, key);
      assert.equal(response.status, 401);
      assert.deepEqual(
        ((await response.json()) as { error: { code: string } }).error.code,
        'invalid_api_key',
      );
    }
    const created = await newKey();
    const logs = await fetch(`${relay.url}/api/logs`, {
      headers: { authorization: `Bearer ${created.key}` },
    });
    assert.notEqual(logs.status, 200);
  });

  it('a revoked key gets 401 at once, in both formats', async () => {
    const created = await newKey();
    assert.equal((await chat(relay.url, created.key)).status, 200, 'cached now');
    const revoked = await keys.revoke({ userId: ann, isAdmin: false }, created.id);
    assert.equal(revoked.status, 'revoked');

    const openAiShape = await chat(relay.url, created.key);
    assert.equal(openAiShape.status, 401);
    const error = ((await openAiShape.json()) as { error: { message: string; type: string } }).error;
    assert.equal(error.message, 'This relay key was revoked.');
    assert.equal(error.type, 'authentication_error');

    const anthropicShape = await messages(relay.url, created.key);
    assert.equal(anthropicShape.status, 401);
    assert.deepEqual(await anthropicShape.json(), {
      type: 'error',
      error: { type: 'authentication_error', message: 'This relay key was revoked.' },
    });
  });

  it('an expired key gets 401 saying when it expired', async () => {
    const expiresAt = Date.now() + 300;
    const created = await newKey({ expiresAt });
    assert.equal((await chat(relay.url, created.key)).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const response = await chat(relay.url, created.key);
    assert.equal(response.status, 401);
    const { error } = (await response.json()) as { error: { message: string } };
    assert.equal(error.message, `This relay key expired on ${new Date(expiresAt).toISOString()}.`);
    assert.equal((await keys.listOwn(ann)).find((key) => key.id === created.id)?.status, 'expired');
  });

  it('the keys of a disabled user get 401 once the user change is announced', async () => {
    const bob = await addUser(relay.app, 'bob');
    const created = await newKey({}, bob);
    assert.equal((await chat(relay.url, created.key)).status, 200);
    const database = relay.app.get<ManagedDataSource>(APP_DATA_DATABASE);
    await database.dataSource.getRepository(UserEntity).update({ id: bob }, { disabled: true });
    relay.app.get(RelayKeyLookup).userChanged(bob);
    const response = await chat(relay.url, created.key);
    assert.equal(response.status, 401);
    assert.match(((await response.json()) as { error: { message: string } }).error.message, /disabled/);
    await database.dataSource.getRepository(UserEntity).update({ id: bob }, { disabled: false });
    relay.app.get(RelayKeyLookup).userChanged(bob);
    assert.equal((await chat(relay.url, created.key)).status, 200, 're-enabled');
  });

  it('allowed models: a model outside the globs gets 403 in the client format', async () => {
    const created = await newKey({ allowedModels: ['gpt-4o*'] });
    assert.equal((await chat(relay.url, created.key, 'gpt-4o-mini')).status, 200);
    assert.equal((await chat(relay.url, created.key, 'gpt-4o@openai')).status, 200, 'pinned to a provider');
    const listed = await fetch(`${relay.url}/v1/models`, {
      headers: { authorization: `Bearer ${created.key}` },
    });
    const ids = ((await listed.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id);
    assert.deepEqual(
      ids.sort(),
      ['gpt-4o-mini@openai', 'gpt-4o@openai'],
      '/v1/models lists what the key may use',
    );

    const refused = await chat(relay.url, created.key, 'priced-model');
    assert.equal(refused.status, 403);
    const body = (await refused.json()) as { error: { type: string; code: string; message: string } };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.equal(body.error.code, 'model_not_allowed');
    assert.match(body.error.message, /'priced-model'/);
    assert.equal(openai.requests.length, 2, 'the refused request never went upstream');

    const anthropic = await messages(relay.url, created.key, 'claude-sonnet');
    assert.equal(anthropic.status, 403);
    const anthropicBody = (await anthropic.json()) as {
      type: string;
      error: { type: string; message: string };
    };
    assert.equal(anthropicBody.type, 'error');
    assert.equal(anthropicBody.error.type, 'permission_error');
    assert.match(anthropicBody.error.message, /'claude-sonnet'/);
    const entry = await entryOf(anthropic.headers.get('x-request-id'));
    assert.equal(entry.statusCode, 403);
    assert.equal(entry.errorCode, 'model_not_allowed');

    const counted = await fetch(`${relay.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: {
        'x-api-key': created.key,
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ model: 'claude-sonnet', messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(counted.status, 403, 'count_tokens too');
    assert.equal(((await counted.json()) as { error: { type: string } }).error.type, 'permission_error');
  });

  it('requests per minute: 429 with Retry-After in the OpenAI and Anthropic shapes', async () => {
    const created = await newKey({ requestsPerMinute: 2 });
    assert.equal((await chat(relay.url, created.key)).status, 200);
    assert.equal((await messages(relay.url, created.key)).status, 200);

    const limited = await chat(relay.url, created.key);
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    const body = (await limited.json()) as { error: { type: string; code: string; message: string } };
    assert.equal(body.error.code, 'rate_limit_exceeded');
    assert.equal(body.error.type, 'rate_limit_error');
    assert.match(body.error.message, /2 requests per minute/);

    const anthropic = await messages(relay.url, created.key);
    assert.equal(anthropic.status, 429);
    assert.ok(Number(anthropic.headers.get('retry-after')) >= 1);
    const anthropicBody = (await anthropic.json()) as {
      type: string;
      error: { type: string; message: string };
    };
    assert.equal(anthropicBody.type, 'error');
    assert.equal(anthropicBody.error.type, 'rate_limit_error');
    const entry = await entryOf(anthropic.headers.get('x-request-id'));
    assert.equal(entry.statusCode, 429);
    assert.equal(entry.errorType, 'rate_limit');
  });

  it('tokens per day: 429 once the finished requests used them up, until 00:00 UTC', async () => {
    const created = await newKey({ tokensPerDay: 1000 });
    openai.when({}, behaviours.ok({ usage: { promptTokens: 800, completionTokens: 300 } }));
    const first = await chat(relay.url, created.key);
    assert.equal(first.status, 200);
    await entryOf(first.headers.get('x-request-id'));

    const limited = await chat(relay.url, created.key);
    assert.equal(limited.status, 429);
    const secondsToMidnight = Math.ceil(
      (Math.ceil(Date.now() / 86_400_000) * 86_400_000 - Date.now()) / 1000,
    );
    assert.ok(Math.abs(Number(limited.headers.get('retry-after')) - secondsToMidnight) <= 2);
    const body = (await limited.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'rate_limit_exceeded');
    assert.match(body.error.message, /Daily token limit.*1100 of 1000 tokens/);

    const summary = (await keys.listOwn(ann)).find((key) => key.id === created.id)!;
    assert.equal(summary.usage.tokensToday, 1100);
    assert.equal(summary.limits.tokensPerDay, 1000);
  });

  it('budget per day: 429 once the priced usage crosses it (counted even with logging off)', async () => {
    relay.writeConfig(config(openai.baseUrl, claude.baseUrl, { logging: { enabled: false } }));
    relay.app.get(ConfigService).reload();
    try {
      const created = await newKey({ budgetUsdPerDay: 0.5 });
      openai.when({}, behaviours.ok({ usage: { promptTokens: 300, completionTokens: 300 } }));
      const first = await chat(relay.url, created.key, 'priced-model');
      assert.equal(first.status, 200);
      const entry = await entryOf(first.headers.get('x-request-id'));
      assert.ok(Math.abs((entry.costUsd ?? 0) - 0.6) < 1e-9, `cost ${entry.costUsd}`);

      const limited = await chat(relay.url, created.key, 'priced-model');
      assert.equal(limited.status, 429);
      const body = (await limited.json()) as { error: { message: string } };
      assert.match(body.error.message, /Daily budget of this relay key reached: \$0\.60 of \$0\.50/);
    } finally {
      relay.writeConfig(config(openai.baseUrl, claude.baseUrl));
      relay.app.get(ConfigService).reload();
    }
  });

  it('performance: 2000 sequential requests with a relay key are about as fast as with the access key', async () => {
    const created = await newKey({ requestsPerMinute: 100_000, tokensPerDay: 1_000_000_000 });
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const send = async (key: string) => {
      const response = await fetch(`${relay.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body,
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`status ${response.status}`);
    };
    for (let i = 0; i < 200; i++) await send(i % 2 ? created.key : ACCESS_KEY); // warm up
    // alternate blocks (and their order) so drift and noise from other processes hit both sides
    // alike; the median of the per-block ratios shrugs off a block that a neighbour disturbed
    const elapsed = { relay: 0, access: 0 };
    const ratios: number[] = [];
    for (let block = 0; block < 16; block++) {
      const sides = [
        ['access', ACCESS_KEY],
        ['relay', created.key],
      ] as const;
      const times = { relay: 0, access: 0 };
      for (const [side, key] of block % 2 ? [...sides].reverse() : sides) {
        const started = performance.now();
        for (let i = 0; i < 125; i++) await send(key);
        times[side] = performance.now() - started;
        elapsed[side] += times[side];
      }
      ratios.push(times.relay / times.access);
    }
    ratios.sort((a, b) => a - b);
    const ratio = (ratios[7] + ratios[8]) / 2;
    console.log(
      `relay key vs access key, 2000 sequential requests each: ${elapsed.relay.toFixed(0)} ms vs ` +
        `${elapsed.access.toFixed(0)} ms (median block ratio ${ratio.toFixed(3)}, total ratio ` +
        `${(elapsed.relay / elapsed.access).toFixed(3)}, ${((elapsed.relay - elapsed.access) / 2000).toFixed(3)} ms/request)`,
    );
    assert.ok(ratio < 1.3, `relay keys add ${((ratio - 1) * 100).toFixed(1)}%`);
  });
});

describe('relay key usage survives a restart', () => {
  let openai: FakeOpenAiUpstream;
  let claude: FakeAnthropicUpstream;
  let dir: string;

  before(async () => {
    openai = await startFakeOpenAiUpstream();
    claude = await startFakeAnthropicUpstream({ keys: ['sk-ant-1'] });
    dir = mkdtempSync(join(tmpdir(), 'monorelay-keys-'));
  });
  after(async () => {
    await openai.close();
    await claude.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The relay on a fixed data directory, so a second start finds the first one's databases. */
  async function start(): Promise<{ app: NestFastifyApplication; url: string }> {
    const configPath = join(dir, 'config.yml');
    writeFileSync(
      configPath,
      stringify({ ...config(openai.baseUrl, claude.baseUrl), server: { access_key: ACCESS_KEY } }),
    );
    const app = await createRelayApp(
      { configPath, dataDir: join(dir, 'data'), env: {}, watchConfig: false, host: '127.0.0.1', port: 0 },
      { logger: false },
    );
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    return { app, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
  }

  it('tokens and cost counted before a restart still count after it', async () => {
    let relay = await start();
    const userId = await addUser(relay.app, 'carol');
    const created = await relay.app.get(RelayKeysService).create(userId, {
      name: 'persistent',
      tokensPerDay: 1500,
      budgetUsdPerMonth: 100,
    });
    openai.when({}, behaviours.ok({ usage: { promptTokens: 700, completionTokens: 300 } }));
    assert.equal((await chat(relay.url, created.key, 'priced-model')).status, 200);
    await tokensToday(relay.app, created.id, 1000);
    await relay.app.close(); // writes the counters before the databases close

    relay = await start();
    try {
      const [summary] = await relay.app.get(RelayKeysService).listOwn(userId);
      assert.equal(summary.usage.tokensToday, 1000);
      assert.ok(
        summary.lastUsedAt !== null && summary.lastUsedAt <= Date.now(),
        'last use written at shutdown',
      );
      assert.equal(summary.usage.tokensThisMonth, 1000);
      assert.ok(
        Math.abs(summary.usage.costUsdThisMonth - 1) < 1e-9,
        `cost ${summary.usage.costUsdThisMonth}`,
      );
      // 1000 < 1500: one more request is allowed; it brings the day to 2000, and the next is refused
      assert.equal((await chat(relay.url, created.key, 'priced-model')).status, 200);
      await tokensToday(relay.app, created.id, 2000);
      const limited = await chat(relay.url, created.key, 'priced-model');
      assert.equal(limited.status, 429);
      assert.match(((await limited.json()) as { error: { message: string } }).error.message, /2000 of 1500/);
    } finally {
      await relay.app.close();
    }
  });
});

/** Waits until the key's counted tokens today reach `expected` (usage is counted as the exchange finishes). */
async function tokensToday(app: NestFastifyApplication, keyId: string, expected: number): Promise<void> {
  const counters = app.get(RelayKeyCounters);
  for (let i = 0; i < 200; i++) {
    if ((await counters.usage(keyId, Date.now())).tokensToday >= expected) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`tokens today did not reach ${expected}`);
}
