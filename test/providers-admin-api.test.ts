// The providers admin API against the real app, a real config file in a temp dir and loopback fake
// OpenAI/Anthropic upstreams: every change goes through config.yml and is applied at once, keys
// never leave unmasked, key state follows what the upstream did.
import type {
  ProviderKeyImportResult,
  ProviderModelsResult,
  ProviderTestResult,
  ProviderView,
  SessionView,
  UserView,
} from '@monorelay/contracts';
import {
  type FakeAnthropicUpstream,
  type FakeOpenAiUpstream,
  behaviours,
  startFakeAnthropicUpstream,
  startFakeOpenAiUpstream,
} from '@monorelay/testing';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigService } from '../apps/relay/src/config/config.service';
import { ApiSession, type CallOptions } from './support/api-session';
import { ACCESS_KEY, type RelayHarness, startRelay } from './support/relay-harness';

const PASSWORD = 'providers admin passphrase';
const MAIN_KEY = 'sk-main-upstream-secret-0001';
const FRESH_KEY = 'sk-fresh-upstream-secret-0002';
const SECOND_KEY = 'sk-second-upstream-secret-0003';
const LIMITED_KEYS = ['sk-limited-upstream-secret-0004', 'sk-limited-upstream-secret-0005'];
const REFUSED_KEY = 'sk-refused-upstream-secret-0006';
const ANTHROPIC_KEY = 'sk-ant-upstream-secret-0007';
const IMPORTED = Array.from({ length: 5 }, (_, i) => `sk-imported-secret-00${10 + i}`);
const ACCEPTED = [MAIN_KEY, FRESH_KEY, SECOND_KEY, ...LIMITED_KEYS, ...IMPORTED];
const ENV_KEY = 'sk-from-the-environment-0008';
const HEADER_VALUE = 'header-value-that-may-be-a-secret';
const SECRETS = [...ACCEPTED, REFUSED_KEY, ANTHROPIC_KEY, ENV_KEY, HEADER_VALUE, ACCESS_KEY];

const FILE_COMMENT = '# Team relay: this comment must survive edits from the providers page';
const PROVIDERS_COMMENT = '  # upstream providers, edited by the console';

interface ApiErrorBody {
  error: { message: string; type: string; code: string | null };
  errors?: Array<{ path: string; message: string }>;
}

describe('/api/providers: providers and their keys', () => {
  let upstream: FakeOpenAiUpstream;
  let claude: FakeAnthropicUpstream;
  let relay: RelayHarness;
  let admin: ApiSession;
  let user: ApiSession;

  /** Calls as `session`, checks the status, and that no secret is anywhere in the body. */
  async function call<T>(
    session: ApiSession,
    path: string,
    status: number,
    options: CallOptions = {},
  ): Promise<T> {
    const response = await session.call(path, options);
    const text = await response.text();
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `${path} answers ${secret}`);
    assert.equal(response.status, status, `${options.method ?? 'GET'} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  const asAdmin = <T>(path: string, status: number, options: CallOptions = {}) =>
    call<T>(admin, path, status, options);
  const provider = (name: string) => asAdmin<ProviderView>(`/api/providers/${name}`, 200);

  const chat = (model: string) =>
    relay.fetch('/v1/chat/completions', { json: { model, messages: [{ role: 'user', content: 'hi' }] } });
  const listedModels = async () => {
    const response = await relay.fetch('/v1/models');
    assert.equal(response.status, 200);
    return ((await response.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id);
  };

  before(async () => {
    upstream = await startFakeOpenAiUpstream({ keys: ACCEPTED });
    claude = await startFakeAnthropicUpstream({ keys: [ANTHROPIC_KEY] });
    relay = await startRelay(
      {
        providers: {
          openai: {
            base_url: upstream.baseUrl,
            keys: [{ key: MAIN_KEY, label: 'main' }],
            models: { include: ['gpt-4o-mini'] },
            timeout: 5,
          },
          limited: {
            base_url: upstream.baseUrl,
            keys: LIMITED_KEYS.map((key, i) => ({ key, label: `limited-${i}` })),
            models: { include: ['limited-model'] },
            retry: { enabled: false },
            timeout: 5,
          },
          refused: {
            base_url: upstream.baseUrl,
            keys: [{ key: REFUSED_KEY, label: 'refused' }],
            models: { include: ['refused-model'] },
            timeout: 5,
          },
          claude: {
            provider_type: 'anthropic',
            base_url: claude.baseUrl,
            keys: [{ key: ANTHROPIC_KEY, label: 'ant' }],
            models: { include: ['claude-sonnet-*', 'claude-3-5-haiku-20241022'], exclude: ['*-20250514'] },
            timeout: 5,
          },
          envy: {
            base_url: upstream.baseUrl,
            keys: ['${ENVY_KEY}'],
            headers: { 'x-team-token': HEADER_VALUE },
            models: { include: ['envy-model'] },
          },
        },
      },
      { env: { ENVY_KEY: ENV_KEY } },
    );
    // The same file with comments, as a person would keep it.
    const text = readFileSync(relay.configPath, 'utf8').replace(
      'providers:\n',
      `providers:\n${PROVIDERS_COMMENT}\n`,
    );
    writeFileSync(relay.configPath, `${FILE_COMMENT}\n${text}`);
    assert.ok(relay.app.get(ConfigService).reload().ok);

    const root = new ApiSession(relay.url);
    await root.json<SessionView>('/api/setup', 201, {
      json: { username: 'root', password: PASSWORD, accessKey: ACCESS_KEY },
    });
    const signIn = async (username: string, role: 'user' | 'admin') => {
      await root.json<UserView>('/api/users', 201, { json: { username, password: PASSWORD, role } });
      const session = new ApiSession(relay.url);
      await session.login(username, PASSWORD);
      return session;
    };
    admin = await signIn('ada', 'admin');
    user = await signIn('uma', 'user');
  });
  after(async () => {
    await relay.close();
    await upstream.close();
    await claude.close();
  });

  it('refuses callers without credentials (401) and non-admins (403) on every route', async () => {
    const anonymous = new ApiSession(relay.url);
    const calls: Array<[string, CallOptions]> = [
      ['/api/providers', {}],
      ['/api/providers', { json: { name: 'x', baseUrl: upstream.baseUrl } }],
      ['/api/providers/openai', {}],
      ['/api/providers/openai', { method: 'PATCH', json: { timeout: 9 } }],
      ['/api/providers/openai', { method: 'DELETE' }],
      ['/api/providers/openai/keys', { json: { key: 'sk-anything-at-all-123' } }],
      ['/api/providers/openai/keys/import', { json: { text: 'sk-anything-at-all-123' } }],
      ['/api/providers/openai/keys/0', { method: 'PATCH', json: { weight: 2 } }],
      ['/api/providers/openai/keys/0', { method: 'DELETE' }],
      ['/api/providers/openai/keys/0/restore', { method: 'POST' }],
      ['/api/providers/openai/test', { json: {} }],
      ['/api/providers/openai/models', {}],
    ];
    for (const [path, options] of calls) {
      await call(anonymous, path, 401, options);
      await call(user, path, 403, options);
    }
    const view = await provider('openai');
    assert.equal(view.timeout, 5);
    assert.equal(view.keys.length, 1);
  });

  it('lists every provider with its keys masked and their settings in camelCase', async () => {
    const list = await asAdmin<ProviderView[]>('/api/providers', 200);
    assert.deepEqual(
      list.map((p) => p.name),
      ['openai', 'limited', 'refused', 'claude', 'envy'],
    );
    const openai = list[0];
    assert.equal(openai.baseUrl, upstream.baseUrl);
    assert.equal(openai.providerType, 'api');
    assert.deepEqual(openai.modelsInclude, ['gpt-4o-mini']);
    assert.equal(openai.health, 'healthy');
    assert.deepEqual(openai.keys[0], {
      index: 0,
      label: 'main',
      masked: 'sk-...0001',
      envReference: null,
      weight: 1,
      enabled: true,
      quotaLimit: null,
      rateLimitRps: null,
      expiresAt: null,
      state: 'available',
      cooldownUntil: null,
      consecutiveFailures: 0,
      successCount: 0,
    });
    assert.equal(list[3].providerType, 'anthropic');
    assert.equal(list[3].preset, null, 'a loopback base_url matches no preset');
    assert.deepEqual(list[3].modelsExclude, ['*-20250514']);
    const envy = list[4];
    assert.deepEqual(envy.headerNames, ['x-team-token']);
    assert.deepEqual(
      envy.keys.map((k) => [k.masked, k.envReference]),
      [['********', '${ENVY_KEY}']],
    );
  });

  it('editing a key written as a bare `${VAR}` string keeps the reference in the file', async () => {
    const edited = await asAdmin<ProviderView>('/api/providers/envy/keys/0', 200, {
      method: 'PATCH',
      json: { label: 'from env', weight: 3 },
    });
    assert.deepEqual(
      [edited.keys[0].label, edited.keys[0].weight, edited.keys[0].envReference],
      ['from env', 3, '${ENVY_KEY}'],
    );
    assert.equal(relay.app.get(ConfigService).current.providers.envy.keys[0].key, ENV_KEY);
    const saved = readFileSync(join(relay.dataDir, 'config.yml'), 'utf8');
    assert.ok(saved.includes('key: ${ENVY_KEY}'), saved);
    assert.ok(!saved.includes(ENV_KEY));
  });

  it('adds a provider pointing at an upstream: a /v1 request goes through it within 2 s', async () => {
    const created = await asAdmin<ProviderView>('/api/providers', 201, {
      json: {
        name: 'fresh',
        baseUrl: upstream.baseUrl,
        timeout: 4,
        modelsInclude: ['fresh-model'],
        keys: [{ key: FRESH_KEY, label: 'fresh-key', weight: 2 }],
      },
    });
    assert.equal(created.name, 'fresh');
    assert.equal(created.timeout, 4);
    assert.deepEqual(
      created.keys.map((k) => [k.label, k.masked, k.weight]),
      [['fresh-key', 'sk-...0002', 2]],
    );
    const deadline = Date.now() + 2000;
    for (;;) {
      const response = await chat('fresh-model');
      await response.arrayBuffer();
      if (response.status === 200 && upstream.requests.at(-1)?.key === FRESH_KEY) break;
      assert.ok(Date.now() < deadline, 'no /v1 request went through the new provider within 2 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const taken = await asAdmin<ApiErrorBody>('/api/providers', 409, { json: { name: 'fresh' } });
    assert.equal(taken.error.code, 'provider_exists');
  });

  it('edits settings (timeout, include list) and the relay applies them', async () => {
    const edited = await asAdmin<ProviderView>('/api/providers/fresh', 200, {
      method: 'PATCH',
      json: { timeout: 7, modelsInclude: ['fresh-model', 'fresh-extra'], testModel: 'fresh-model' },
    });
    assert.equal(edited.timeout, 7);
    assert.deepEqual(edited.modelsInclude, ['fresh-model', 'fresh-extra']);
    assert.equal(edited.testModel, 'fresh-model');
    const live = relay.app.get(ConfigService).current.providers.fresh;
    assert.equal(live.timeout, 7);
    assert.ok((await listedModels()).includes('fresh-extra@fresh'));
    const response = await chat('fresh-extra');
    assert.equal(response.status, 200, await response.text());
    assert.equal(response.headers.get('x-monorelay-provider'), 'fresh');
  });

  it('the config file keeps its comments after edits', () => {
    const saved = readFileSync(join(relay.dataDir, 'config.yml'), 'utf8');
    assert.ok(saved.startsWith(FILE_COMMENT), saved.slice(0, 200));
    assert.ok(saved.includes(PROVIDERS_COMMENT));
    assert.ok(saved.includes('fresh-extra'));
  });

  it('disabling a provider takes its models out of /v1/models; deleting removes it', async () => {
    const disabled = await asAdmin<ProviderView>('/api/providers/fresh', 200, {
      method: 'PATCH',
      json: { enabled: false },
    });
    assert.equal(disabled.enabled, false);
    assert.equal(disabled.health, 'disabled');
    const models = await listedModels();
    assert.ok(!models.some((id) => id.endsWith('@fresh')), models.join(', '));
    assert.ok(models.includes('gpt-4o-mini@openai'), models.join(', '));

    await asAdmin('/api/providers/fresh', 204, { method: 'DELETE' });
    await asAdmin('/api/providers/fresh', 404);
    assert.equal(relay.app.get(ConfigService).current.providers.fresh, undefined);
    assert.ok(!readFileSync(join(relay.dataDir, 'config.yml'), 'utf8').includes('fresh-model'));
  });

  it('keys: add, edit weight, label and enabled, delete', async () => {
    const added = await asAdmin<ProviderView>('/api/providers/openai/keys', 201, {
      json: { key: SECOND_KEY, label: 'second', weight: 2 },
    });
    assert.deepEqual(
      added.keys.map((k) => [k.index, k.label, k.masked, k.weight, k.enabled]),
      [
        [0, 'main', 'sk-...0001', 1, true],
        [1, 'second', 'sk-...0003', 2, true],
      ],
    );
    const duplicate = await admin.call('/api/providers/openai/keys', { json: { key: SECOND_KEY } });
    assert.equal(duplicate.status, 409);
    assert.equal(((await duplicate.json()) as ApiErrorBody).error.code, 'duplicate_key');

    const edited = await asAdmin<ProviderView>('/api/providers/openai/keys/1', 200, {
      method: 'PATCH',
      json: { weight: 5, label: 'renamed', enabled: false },
    });
    assert.deepEqual(
      [edited.keys[1].weight, edited.keys[1].label, edited.keys[1].enabled, edited.keys[1].state],
      [5, 'renamed', false, 'disabled'],
    );
    const live = relay.app.get(ConfigService).current.providers.openai.keys[1];
    assert.deepEqual([live.key, live.weight, live.label, live.enabled], [SECOND_KEY, 5, 'renamed', false]);

    const removed = await asAdmin<ProviderView>('/api/providers/openai/keys/1', 200, { method: 'DELETE' });
    assert.deepEqual(
      removed.keys.map((k) => k.label),
      ['main'],
    );
    await asAdmin('/api/providers/openai/keys/1', 404, { method: 'PATCH', json: { weight: 1 } });
    await asAdmin('/api/providers/openai/keys/first', 404, { method: 'DELETE' });
  });

  it('imports keys as lines, CSV and JSON, counting duplicates and rejected lines', async () => {
    await asAdmin<ProviderView>('/api/providers', 201, {
      json: { name: 'bulk', baseUrl: upstream.baseUrl, modelsInclude: ['bulk-model'] },
    });
    const [k1, k2, k3, k4, k5] = IMPORTED;
    const lines = await asAdmin<ProviderKeyImportResult>('/api/providers/bulk/keys/import', 200, {
      json: { text: `# pasted\n${k1}\n${k2},two,3\n${k1},again\n${k4} has spaces\n` },
    });
    assert.equal(lines.added, 2);
    assert.equal(lines.duplicates, 1);
    assert.deepEqual(
      lines.rejected.map((r) => r.line),
      [5],
    );
    assert.deepEqual(
      lines.provider.keys.map((k) => [k.masked, k.label, k.weight]),
      [
        ['sk-...0010', 'default', 1],
        ['sk-...0011', 'two', 3],
      ],
    );

    const csv = await asAdmin<ProviderKeyImportResult>('/api/providers/bulk/keys/import', 200, {
      json: {
        text: `key,label,weight,enabled\n${k3},three,1,false\n${k2},dup,1,true\n${k4},four,heavy,true\n`,
      },
    });
    assert.deepEqual([csv.added, csv.duplicates], [1, 1]);
    assert.deepEqual(csv.rejected, [{ line: 4, reason: 'the weight must be a number >= 0' }]);
    assert.deepEqual([csv.provider.keys[2].label, csv.provider.keys[2].enabled], ['three', false]);

    const json = await asAdmin<ProviderKeyImportResult>('/api/providers/bulk/keys/import', 200, {
      json: {
        text: JSON.stringify([k5, { key: k3, label: 'dup' }, 42, { key: k4, weight: 2 }]),
        format: 'json',
      },
    });
    assert.deepEqual([json.added, json.duplicates], [2, 1]);
    assert.deepEqual(
      json.rejected.map((r) => r.line),
      [3],
    );
    assert.equal(json.provider.keys.length, 5);
    assert.deepEqual(
      relay.app.get(ConfigService).current.providers.bulk.keys.map((k) => k.key),
      [k1, k2, k3, k5, k4],
    );

    const broken = await admin.call('/api/providers/bulk/keys/import', {
      json: { text: `["${k1}", `, format: 'json' },
    });
    const brokenText = await broken.text();
    assert.equal(broken.status, 400);
    assert.ok(!brokenText.includes(k1));
  });

  it('a 429 with Retry-After: 30 cools the key until about now + 30 s', async () => {
    upstream.when({ key: LIMITED_KEYS[0] }, behaviours.rateLimited({ retryAfter: 30 }), { times: 1 });
    const before = Date.now();
    const response = await chat('limited-model');
    assert.equal(response.status, 200, await response.text());
    const view = await provider('limited');
    const [cooling, other] = view.keys;
    assert.equal(cooling.state, 'cooling');
    assert.ok(cooling.cooldownUntil !== null);
    assert.ok(
      cooling.cooldownUntil >= before + 29_000 && cooling.cooldownUntil <= Date.now() + 31_000,
      `cooldownUntil ${cooling.cooldownUntil - before} ms after the request`,
    );
    assert.equal(other.state, 'available');
    assert.equal(other.successCount, 1);
    assert.equal(view.health, 'degraded');
  });

  it('test call: ok with latency and answer, counted for the key', async () => {
    const result = await asAdmin<ProviderTestResult>('/api/providers/openai/test', 200, { json: {} });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.model, 'gpt-4o-mini');
    assert.equal(result.keyLabel, 'main');
    assert.equal(result.status, 200);
    assert.equal(result.error, null);
    assert.ok(result.answer && result.answer.length > 0);
    assert.ok(result.latencyMs >= 0 && result.latencyMs < 5000);
    const sent = upstream.requests.at(-1)!;
    assert.equal(sent.path, '/v1/chat/completions');
    assert.equal(sent.body?.max_tokens, 16);
    assert.equal(sent.body?.model, 'gpt-4o-mini');

    const other = await asAdmin<ProviderTestResult>('/api/providers/openai/test', 200, {
      json: { model: 'gpt-4o' },
    });
    assert.equal(other.ok, true);
    assert.equal(other.model, 'gpt-4o');

    const bulk = await admin.call('/api/providers/limited/test', { json: {} });
    assert.equal(bulk.status, 200);
    await asAdmin('/api/providers/bulk', 200, { method: 'PATCH', json: { modelsInclude: ['bulk-*'] } });
    const noModel = await admin.call('/api/providers/bulk/test', { json: {} });
    assert.equal(noModel.status, 400);
    assert.match(((await noModel.json()) as ApiErrorBody).error.message, /test_model/);
  });

  it('a key the upstream refuses (401) shows auth_failed; a failing test says why; restore brings it back', async () => {
    const failing = await asAdmin<ProviderTestResult>('/api/providers/refused/test', 200, {
      json: { model: 'refused-model' },
    });
    assert.equal(failing.ok, false);
    assert.equal(failing.status, 401);
    assert.equal(failing.answer, null);
    assert.match(failing.error ?? '', /401/);
    assert.equal((await provider('refused')).keys[0].state, 'auth_failed');

    const restored = await asAdmin<ProviderView>('/api/providers/refused/keys/0/restore', 200, {
      method: 'POST',
    });
    assert.equal(restored.keys[0].state, 'available');

    // The relay path does the same to the key.
    const response = await chat('refused-model');
    await response.arrayBuffer();
    assert.equal(response.status, 502);
    const view = await provider('refused');
    assert.equal(view.keys[0].state, 'auth_failed');
    assert.equal(view.health, 'down');
    const noKey = await asAdmin<ProviderTestResult>('/api/providers/refused/test', 200, {
      json: { model: 'refused-model' },
    });
    assert.equal(noKey.ok, false);
    assert.match(noKey.error ?? '', /auth_failed/);
  });

  it('models: the upstream list with `included` flags from the include/exclude globs', async () => {
    const openai = await asAdmin<ProviderModelsResult>('/api/providers/openai/models', 200);
    assert.equal(openai.error, null);
    const flags = new Map(openai.models.map((m) => [m.id, m.included]));
    assert.equal(flags.get('gpt-4o-mini'), true);
    assert.equal(flags.get('gpt-4o'), false);

    const anthropic = await asAdmin<ProviderModelsResult>('/api/providers/claude/models', 200);
    assert.equal(anthropic.error, null);
    const claudeFlags = new Map(anthropic.models.map((m) => [m.id, m.included]));
    assert.equal(claudeFlags.get('claude-sonnet-4-5-20250929'), true);
    assert.equal(claudeFlags.get('claude-3-5-haiku-20241022'), true);
    assert.equal(claudeFlags.get('claude-sonnet-4-20250514'), false, 'excluded by *-20250514');
    assert.equal(claudeFlags.get('claude-opus-4-1-20250805'), false);
    const asked = claude.requests.at(-1)!;
    assert.equal(asked.path, '/v1/models');
    assert.ok(asked.headers['anthropic-version']);

    await asAdmin('/api/providers/refused/keys/0/restore', 200, { method: 'POST' });
    const refused = await asAdmin<ProviderModelsResult>('/api/providers/refused/models', 200);
    assert.deepEqual(refused.models, []);
    assert.match(refused.error ?? '', /401/);
  });

  it('unknown providers are 404 on every route', async () => {
    const calls: Array<[string, CallOptions]> = [
      ['/api/providers/ghost', {}],
      ['/api/providers/ghost', { method: 'PATCH', json: { timeout: 9 } }],
      ['/api/providers/ghost', { method: 'DELETE' }],
      ['/api/providers/ghost/keys', { json: { key: 'sk-anything-at-all-123' } }],
      ['/api/providers/ghost/keys/import', { json: { text: 'sk-anything-at-all-123' } }],
      ['/api/providers/ghost/keys/0', { method: 'PATCH', json: { weight: 2 } }],
      ['/api/providers/ghost/keys/0', { method: 'DELETE' }],
      ['/api/providers/ghost/keys/0/restore', { method: 'POST' }],
      ['/api/providers/ghost/test', { json: { model: 'x' } }],
      ['/api/providers/ghost/models', {}],
    ];
    for (const [path, options] of calls) {
      const body = await asAdmin<ApiErrorBody>(path, 404, options);
      assert.equal(body.error.code, 'provider_not_found', path);
    }
  });

  it('invalid input: 400 naming the field, 422 with the config path, never a crash', async () => {
    const badName = await asAdmin<ApiErrorBody>('/api/providers', 400, {
      json: { name: 'has spaces!', baseUrl: upstream.baseUrl },
    });
    assert.match(badName.error.message, /name/);
    const badTimeout = await asAdmin<ApiErrorBody>('/api/providers/openai', 400, {
      method: 'PATCH',
      json: { timeout: 'soon' },
    });
    assert.match(badTimeout.error.message, /timeout/);
    const unknownField = await asAdmin<ApiErrorBody>('/api/providers/openai', 400, {
      method: 'PATCH',
      json: { keys: [] },
    });
    assert.match(unknownField.error.message, /keys/);
    const rename = await asAdmin<ApiErrorBody>('/api/providers/openai', 400, {
      method: 'PATCH',
      json: { name: 'other' },
    });
    assert.match(rename.error.message, /name/);
    const badKey = await asAdmin<ApiErrorBody>('/api/providers/openai/keys', 400, {
      json: { key: 'two words' },
    });
    assert.match(badKey.error.message, /key/);
    const masked = await asAdmin<ApiErrorBody>('/api/providers/openai/keys', 400, {
      json: { key: '********' },
    });
    assert.match(masked.error.message, /mask/);
    await asAdmin('/api/providers/openai/keys/import', 400, { json: { text: 'x', format: 'xml' } });

    const hash = (await admin.call('/api/config').then((r) => r.json())) as { hash: string };
    const badUrl = await asAdmin<ApiErrorBody>('/api/providers/openai', 422, {
      method: 'PATCH',
      json: { baseUrl: 'not a url' },
    });
    assert.equal(badUrl.error.code, 'invalid_config');
    assert.deepEqual(
      badUrl.errors?.map((e) => e.path),
      ['providers.openai.base_url'],
    );
    const after = (await admin.call('/api/config').then((r) => r.json())) as { hash: string };
    assert.equal(after.hash, hash.hash, 'nothing was written');
    assert.equal((await provider('openai')).baseUrl, upstream.baseUrl);
  });

  it('request statistics of the last 24 h show up per provider', async () => {
    const deadline = Date.now() + 3000;
    for (;;) {
      const view = await provider('limited');
      if (view.stats24h.requests >= 1) {
        assert.equal(view.stats24h.errors, 0);
        assert.ok(view.stats24h.tokens > 0);
        break;
      }
      assert.ok(Date.now() < deadline, 'no request counted for provider limited within 3 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});
