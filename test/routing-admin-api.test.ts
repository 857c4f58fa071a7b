// The routing page's API (`/api/routing`, `/api/routing/simulate`) and the settings page's
// (`/api/settings`) against the real app and a loopback fake upstream: the view follows the
// config, the simulator runs the real routing plan and reports each target's keys as they are now.
import type { RouteSimulation, RoutingView, SettingsView } from '@monorelay/contracts';
import { behaviours, type FakeOpenAiUpstream, startFakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiSession, apiError, setUpAccounts } from './support/api-session';
import { ACCESS_KEY, type RelayHarness, startRelay } from './support/relay-harness';

const PASSWORD = 'routing admin passphrase';
const GITHUB_SECRET = 'github-client-secret-0123456789';
const SESSION_SECRET = 'session-secret-for-the-routing-test-0123456789';
const SECRETS = [GITHUB_SECRET, SESSION_SECRET, ACCESS_KEY, 'sk-a-secret', 'sk-b-secret', 'sk-backup-secret'];

describe('/api/routing and /api/settings', () => {
  let upstream: FakeOpenAiUpstream;
  let relay: RelayHarness;
  let admin: ApiSession;
  let user: ApiSession;

  const simulate = (body: object) =>
    admin.json<RouteSimulation>('/api/routing/simulate', 200, { json: body });

  before(async () => {
    upstream = await startFakeOpenAiUpstream();
    const provider = (keys: Array<{ key: string; label: string }>, include: string[]) => ({
      base_url: upstream.baseUrl,
      keys,
      models: { include },
      timeout: 5,
    });
    relay = await startRelay({
      providers: {
        primary: provider(
          [
            { key: 'sk-a-secret', label: 'a' },
            { key: 'sk-b-secret', label: 'b' },
          ],
          ['gpt-4o-mini', 'gpt-4o'],
        ),
        backup: provider([{ key: 'sk-backup-secret', label: 'backup' }], ['backup-model']),
        groq: provider([{ key: 'sk-groq', label: 'g' }], ['llama-3-70b']),
        claude: {
          ...provider([{ key: 'sk-ant-claude', label: 'c' }], ['claude-sonnet-4']),
          provider_type: 'anthropic',
        },
      },
      model_routing: {
        aliases: { fast: 'smart', smart: 'gpt-4o' },
        provider_mapping: { 'llama-*': 'groq' },
        model_overrides: { 'gpt-3.5*': 'gpt-4o-mini' },
        complexity: { enabled: true, simple: 'gpt-4o-mini', moderate: 'gpt-4o', complex: 'backup-model' },
        cascade: { enabled: true, models: ['backup-model'], max_retries: 2 },
      },
      key_selection: { strategy: 'weighted' },
      logging: { max_age_days: 9 },
      auth: { session_secret: SESSION_SECRET, allowed_email_domains: ['example.com'] },
      sso: {
        github_client_id: 'gh-client-id',
        github_client_secret: GITHUB_SECRET,
        admin_usernames: ['ada'],
      },
    });
    ({ ada: admin, uma: user } = await setUpAccounts(relay.url, ACCESS_KEY, PASSWORD, {
      ada: 'admin',
      uma: 'user',
    }));
  });
  after(async () => {
    await relay.close();
    await upstream.close();
  });

  it('refuses callers without credentials (401) and non-admins (403)', async () => {
    const anonymous = new ApiSession(relay.url);
    const calls: Array<[string, { json?: unknown }]> = [
      ['/api/routing', {}],
      ['/api/routing/simulate', { json: { model: 'fast' } }],
      ['/api/settings', {}],
    ];
    for (const [path, options] of calls) {
      const none = await anonymous.call(path, options);
      assert.equal(none.status, 401, `${path} without credentials`);
      await none.arrayBuffer();
      const refused = await user.call(path, options);
      assert.equal(refused.status, 403, `${path} as a user`);
      await refused.arrayBuffer();
    }
  });

  it('GET /api/routing reflects the config', async () => {
    const view = await admin.json<RoutingView>('/api/routing', 200);
    assert.deepEqual(view.aliases, { fast: 'smart', smart: 'gpt-4o' });
    assert.deepEqual(view.providerMapping, { 'llama-*': 'groq' });
    assert.deepEqual(view.modelOverrides, { 'gpt-3.5*': 'gpt-4o-mini' });
    assert.deepEqual(view.complexity, {
      enabled: true,
      simple: 'gpt-4o-mini',
      moderate: 'gpt-4o',
      complex: 'backup-model',
    });
    assert.deepEqual(view.cascade, { enabled: true, models: ['backup-model'], maxRetries: 2 });
    assert.equal(view.keyStrategy, 'weighted');
    for (const model of ['gpt-4o-mini@primary', 'backup-model@backup', 'llama-3-70b@groq', 'fast', 'smart'])
      assert.ok(view.availableModels.includes(model), `${model} in ${view.availableModels.join(', ')}`);
  });

  it('simulate: an alias chain, then the cascade after the requested model’s own targets', async () => {
    const result = await simulate({ model: 'fast' });
    assert.equal(result.error, null);
    assert.equal(result.requested, 'fast');
    assert.equal(result.resolved, 'gpt-4o');
    assert.ok(result.steps.includes('alias fast -> smart'), result.steps.join('\n'));
    assert.ok(result.steps.includes('alias smart -> gpt-4o'), result.steps.join('\n'));
    assert.deepEqual(
      result.targets.map((t) => [t.provider, t.model, t.stage, t.usable]),
      [
        ['primary', 'gpt-4o', 'requested', true],
        ['backup', 'backup-model', 'cascade', true],
      ],
    );
    assert.match(
      result.targets[0].why,
      /alias fast -> smart; alias smart -> gpt-4o; include list of primary/,
    );
    assert.deepEqual(result.targets[0].keys, [
      { label: 'a', state: 'available', cooldownUntil: null },
      { label: 'b', state: 'available', cooldownUntil: null },
    ]);
    assert.equal(result.complexity, null, 'no prompt was scored');
    assert.ok(!SECRETS.some((secret) => JSON.stringify(result).includes(secret)));
  });

  it('simulate: a provider_mapping glob and a model override', async () => {
    const mapped = await simulate({ model: 'llama-3-8b' });
    assert.deepEqual(
      mapped.targets.map((t) => [t.provider, t.model, t.stage]),
      [
        ['groq', 'llama-3-8b', 'requested'],
        ['backup', 'backup-model', 'cascade'],
      ],
    );
    assert.match(mapped.targets[0].why, /provider_mapping llama-\* -> groq/);
    const overridden = await simulate({ model: 'gpt-3.5-turbo' });
    assert.equal(overridden.resolved, 'gpt-4o-mini');
    assert.equal(overridden.targets[0].provider, 'primary');
    assert.match(overridden.targets[0].why, /model_override gpt-3\.5\*: gpt-3\.5-turbo -> gpt-4o-mini/);
  });

  it('simulate: a target whose API cannot serve the endpoint is not usable, as the relay would skip it', async () => {
    const chat = await simulate({ model: 'claude-sonnet-4', endpoint: 'chat' });
    assert.deepEqual(
      chat.targets.map((t) => [t.provider, t.usable]),
      [
        ['claude', true],
        ['backup', true],
      ],
    );
    const embeddings = await simulate({ model: 'claude-sonnet-4', endpoint: 'embeddings' });
    assert.deepEqual(
      embeddings.targets.map((t) => [t.provider, t.usable, t.skipReason]),
      [['claude', false, 'cannot serve embeddings (its API is anthropic)']],
    );
    const real = await relay.fetch('/v1/embeddings', { json: { model: 'claude-sonnet-4', input: 'hi' } });
    const body = await real.text();
    assert.ok(real.status >= 400, `the relay does not call it either: ${real.status}`);
    assert.match(body, /\[claude\] cannot serve \/embeddings \(its API is anthropic\)/);
    assert.ok(!SECRETS.some((secret) => body.includes(secret)));
  });

  it('simulate: complexity routing scores the prompt of a pasted request', async () => {
    const hard = await simulate({
      request: {
        model: 'auto',
        messages: [
          { role: 'system', content: 'You are a reviewer.' },
          { role: 'user', content: 'Analyze and compare the architecture of these two services.' },
        ],
      },
    });
    assert.deepEqual(hard.complexity, { score: 0.95, tier: 'complex' });
    assert.equal(hard.resolved, 'backup-model');
    assert.deepEqual(
      hard.targets.map((t) => [t.provider, t.model, t.stage]),
      [['backup', 'backup-model', 'requested']],
      'the cascade entry is the same target: planned once',
    );
    const easy = await simulate({
      endpoint: 'messages',
      request: {
        model: 'auto',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hello, what is new?' }],
      },
    });
    assert.equal(easy.complexity?.tier, 'simple');
    assert.ok(easy.complexity.score < 0);
    assert.equal(easy.targets[0].model, 'gpt-4o-mini');
    assert.ok(easy.steps.some((step) => step.startsWith('complexity score')));
    const embeddings = await simulate({ endpoint: 'embeddings', model: 'fast' });
    assert.equal(embeddings.targets.length, 1, 'no cascade for embeddings');
  });

  it('simulate: an unknown model answers 200 with the client’s error and the available models', async () => {
    const result = await simulate({ model: 'no-such-model' });
    assert.deepEqual(result.targets, []);
    assert.match(result.error ?? '', /^The model 'no-such-model' does not exist/);
    assert.match(result.error ?? '', /Available models: .*gpt-4o-mini@primary/);
    const v1 = await relay.fetch('/v1/chat/completions', {
      json: { model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] },
    });
    const body = (await v1.json()) as { error: { message: string } };
    assert.equal(v1.status, 404);
    assert.equal(result.error, body.error.message, 'the same message a client gets');
  });

  it('simulate: bad input is a 400 with a clear error', async () => {
    for (const json of [
      {},
      { model: '  ' },
      { request: { messages: [] } },
      { model: 'x', endpoint: 'fax' },
    ]) {
      const response = await admin.call('/api/routing/simulate', { json });
      assert.equal(response.status, 400, JSON.stringify(json));
      const error = await apiError(response);
      assert.ok(error.message.length > 0);
    }
    const missing = await admin.call('/api/routing/simulate', { json: {} });
    assert.equal((await apiError(missing)).code, 'model_required');
  });

  it('simulate: keys cooling after a 429 + Retry-After show with their recovery time', async () => {
    upstream.when({ key: 'sk-a-secret' }, behaviours.rateLimited({ retryAfter: 60 }));
    upstream.when({ key: 'sk-b-secret' }, behaviours.rateLimited({ retryAfter: 45 }));
    const answered = await relay.fetch('/v1/chat/completions', {
      json: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
    });
    assert.equal(answered.status, 200, await answered.text());
    assert.equal(answered.headers.get('x-monorelay-provider'), 'backup', 'served by the cascade');

    const started = Date.now();
    const result = await simulate({ model: 'gpt-4o-mini' });
    const [primary, backup] = result.targets;
    assert.equal(primary.provider, 'primary');
    assert.equal(primary.usable, false);
    assert.match(primary.skipReason ?? '', /^all 2 keys cooling, first back in (44|45) s$/);
    const byLabel = Object.fromEntries(primary.keys.map((key) => [key.label, key]));
    assert.equal(byLabel.a.state, 'cooling');
    assert.equal(byLabel.b.state, 'cooling');
    const inA = byLabel.a.cooldownUntil! - started;
    const inB = byLabel.b.cooldownUntil! - started;
    assert.ok(inA > 55_000 && inA <= 60_000, `a back in ${inA} ms`);
    assert.ok(inB > 40_000 && inB <= 45_000, `b back in ${inB} ms`);
    assert.deepEqual([backup.provider, backup.usable, backup.skipReason], ['backup', true, null]);
  });

  it('follows a PATCH /api/config at once', async () => {
    await admin.json('/api/config', 200, {
      method: 'PATCH',
      json: {
        ops: [
          { path: ['model_routing', 'aliases', 'brainy'], value: 'backup-model' },
          { path: ['model_routing', 'cascade', 'enabled'], value: false },
        ],
      },
    });
    const view = await admin.json<RoutingView>('/api/routing', 200);
    assert.equal(view.aliases.brainy, 'backup-model');
    assert.equal(view.cascade.enabled, false);
    assert.ok(view.availableModels.includes('brainy'));
    const result = await simulate({ model: 'brainy' });
    assert.deepEqual(
      result.targets.map((t) => [t.provider, t.model, t.stage]),
      [['backup', 'backup-model', 'requested']],
    );
  });

  it('GET /api/settings: effective values with defaults, never a secret', async () => {
    const response = await admin.call('/api/settings');
    const raw = await response.text();
    assert.equal(response.status, 200, raw);
    for (const secret of SECRETS) assert.ok(!raw.includes(secret), `leaks ${secret}`);
    const view = JSON.parse(raw) as SettingsView;
    assert.equal(view.sso.githubClientId, 'gh-client-id');
    assert.equal(view.sso.githubClientSecretSet, true);
    assert.equal(view.sso.googleClientSecretSet, false);
    assert.deepEqual(view.sso.adminUsernames, ['ada']);
    assert.equal(view.keySelection.strategy, 'weighted');
    assert.deepEqual(view.logging, { enabled: true, maxAgeDays: 9, contentPreviewLength: 200 });
    assert.deepEqual(view.auth, { openSignup: false, allowedEmailDomains: ['example.com'] });
    assert.equal(view.server.accessKeyEnabled, true);
    assert.equal(typeof view.toolCalling.autoDowngrade, 'boolean');
  });
});
