// The console's config editor API against the real app, a real config file in a temp dir and a
// loopback fake upstream: secrets never leave masked, errors come with their lines, a save applies.
import { type FakeOpenAiUpstream, startFakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigService } from '../apps/relay/src/config/config.service';
import { ApiSession, setUpAccounts } from './support/api-session';
import { ACCESS_KEY, type RelayHarness, startRelay } from './support/relay-harness';

const PASSWORD = 'config editor passphrase';
const OLD_KEY = 'sk-old-upstream-secret-1111';
const NEW_KEY = 'sk-new-upstream-secret-2222';
const SESSION_SECRET = 'session-secret-that-must-stay-hidden-0123456789';
const CLIENT_SECRET = 'github-oauth-client-secret-abcdef';
const SECRETS = [OLD_KEY, NEW_KEY, SESSION_SECRET, CLIENT_SECRET, ACCESS_KEY];

interface View {
  yaml: string;
  path: string | null;
  source: string;
  savePath: string;
  hash: string;
}
interface Problem {
  path: string;
  message: string;
  line: number | null;
  column: number | null;
}
interface Check {
  valid: boolean;
  errors: Problem[];
}

function assertNoSecret(text: string, where: string): void {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `${where} leaks ${secret}`);
}

describe('/api/config: the config.yml editor', () => {
  let upstream: FakeOpenAiUpstream;
  let relay: RelayHarness;
  let admin: ApiSession;
  let user: ApiSession;
  let mainText: string;

  const chat = () =>
    relay.fetch('/v1/chat/completions', {
      json: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
    });

  /** Waits (up to 2 s) until a /v1 request reaches the upstream with `key`. */
  async function upstreamSeesKey(key: string): Promise<void> {
    const deadline = Date.now() + 2000;
    for (;;) {
      const response = await chat();
      await response.arrayBuffer();
      if (response.status === 200 && upstream.requests.at(-1)?.key === key) return;
      if (Date.now() > deadline) throw new Error(`no /v1 request went out with ${key} within 2 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  before(async () => {
    upstream = await startFakeOpenAiUpstream({ keys: [OLD_KEY, NEW_KEY] });
    relay = await startRelay({
      providers: {
        openai: {
          base_url: upstream.baseUrl,
          keys: [{ key: OLD_KEY, label: 'k1' }],
          models: { include: ['gpt-4o-mini'] },
          timeout: 5,
        },
      },
      auth: { session_secret: SESSION_SECRET },
      sso: { github_client_secret: CLIENT_SECRET },
    });
    mainText = readFileSync(relay.configPath, 'utf8');
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
    const calls: Array<[string, { method?: string; json?: unknown }]> = [
      ['/api/config', {}],
      ['/api/config/validate', { json: { yaml: 'a: 1' } }],
      ['/api/config', { method: 'PUT', json: { yaml: 'a: 1' } }],
      ['/api/config', { method: 'PATCH', json: { ops: [{ path: ['a'], value: 1 }] } }],
    ];
    for (const [path, options] of calls) {
      const none = await anonymous.call(path, options);
      assertNoSecret(await none.text(), path);
      assert.equal(none.status, 401, `${path} without credentials`);
      const refused = await user.call(path, options);
      assertNoSecret(await refused.text(), path);
      assert.equal(refused.status, 403, `${path} as a user`);
    }
    assert.ok(!existsSync(join(relay.dataDir, 'config.yml')));
  });

  it('GET answers the main file with every secret masked', async () => {
    const response = await admin.call('/api/config');
    const raw = await response.text();
    assert.equal(response.status, 200);
    assertNoSecret(raw, 'GET /api/config');
    const view = JSON.parse(raw) as View;
    assert.equal(view.source, 'main');
    assert.equal(view.path, relay.configPath);
    assert.equal(view.savePath, join(relay.dataDir, 'config.yml'));
    assert.match(view.yaml, /key: "\*{8}"/);
    assert.match(view.yaml, /session_secret: "\*{8}"/);
    assert.match(view.yaml, /github_client_secret: "\*{8}"/);
    assert.match(view.yaml, /access_key: "\*{8}"/);
    assert.ok(view.yaml.includes(upstream.baseUrl), 'non-secret values are shown');
    assert.match(view.hash, /^[0-9a-f]{64}$/);
  });

  it('validate: a YAML syntax error comes with its line', async () => {
    const yaml = 'logging:\n  max_age_days: 7\nserver: [unclosed\n';
    const check = await admin.json<Check>('/api/config/validate', 200, { json: { yaml } });
    assert.equal(check.valid, false);
    assert.ok(check.errors.length > 0);
    assert.ok(
      check.errors.some((e) => e.line === 3 || e.line === 4),
      JSON.stringify(check.errors),
    );
  });

  it('validate: an invalid value comes with its key path and the line of that key', async () => {
    const { yaml } = await admin.json<View>('/api/config', 200);
    const edited = `${yaml.trimEnd()}\nlogging:\n  max_age_days: lots\n`;
    const line = edited.split('\n').indexOf('  max_age_days: lots') + 1;
    const check = await admin.json<Check>('/api/config/validate', 200, { json: { yaml: edited } });
    assert.equal(check.valid, false);
    const problem = check.errors.find((e) => e.path === 'logging.max_age_days');
    assert.ok(problem, JSON.stringify(check.errors));
    assert.equal(problem.line, line);
    const fine = await admin.json<Check>('/api/config/validate', 200, { json: { yaml } });
    assert.deepEqual(fine.errors, []);
    assert.equal(fine.valid, true);
  });

  it('PUT with invalid YAML: 422 with the line, nothing written', async () => {
    const response = await admin.call('/api/config', {
      method: 'PUT',
      json: { yaml: 'server:\n  port: 8080\n  host: "unterminated\n' },
    });
    const body = (await response.json()) as { error: { code: string }; errors: Problem[] };
    assert.equal(response.status, 422);
    assert.equal(body.error.code, 'invalid_config');
    assert.ok(body.errors.length > 0 && body.errors.every((e) => typeof e.line === 'number'));
    assert.ok(
      body.errors.some((e) => e.line! >= 3),
      JSON.stringify(body.errors),
    );
    const invalidValue = await admin.call('/api/config', {
      method: 'PUT',
      json: { yaml: 'logging:\n  max_age_days: lots\n' },
    });
    const rejected = (await invalidValue.json()) as { errors: Problem[] };
    assert.equal(invalidValue.status, 422);
    assert.deepEqual(
      rejected.errors.map((e) => [e.path, e.line]),
      [['logging.max_age_days', 2]],
    );
    assert.ok(!existsSync(join(relay.dataDir, 'config.yml')));
    assert.equal(readFileSync(relay.configPath, 'utf8'), mainText);
  });

  it('a masked round trip keeps the real secrets; the relay goes on using them', async () => {
    const view = await admin.json<View>('/api/config', 200);
    const edited = `${view.yaml.trimEnd()}\nlogging:\n  max_age_days: 9\n`;
    const response = await admin.call('/api/config', {
      method: 'PUT',
      json: { yaml: edited, baseHash: view.hash },
    });
    const raw = await response.text();
    assert.equal(response.status, 200, raw);
    assertNoSecret(raw, 'PUT /api/config');
    const saved = JSON.parse(raw) as View;
    assert.equal(saved.source, 'override');
    const onDisk = readFileSync(join(relay.dataDir, 'config.yml'), 'utf8');
    for (const secret of [OLD_KEY, SESSION_SECRET, CLIENT_SECRET, ACCESS_KEY])
      assert.ok(onDisk.includes(secret), `the saved file lost ${secret}`);
    assert.ok(!onDisk.includes('********'));
    assert.equal(relay.app.get(ConfigService).current.logging.max_age_days, 9);
    await upstreamSeesKey(OLD_KEY);
  });

  it('a new key value replaces the old one and is used for /v1 within 2 s', async () => {
    const view = await admin.json<View>('/api/config', 200);
    assert.equal(view.source, 'override');
    assertNoSecret(view.yaml, 'GET after a save');
    const lines = view.yaml.split('\n');
    const at = lines.findIndex((l) => /^\s*(- )?key: "\*{8}"/.test(l));
    assert.ok(at >= 0, view.yaml);
    lines[at] = lines[at].replace('"********"', NEW_KEY);
    const saved = await admin.json<View>('/api/config', 200, {
      method: 'PUT',
      json: { yaml: lines.join('\n'), baseHash: view.hash },
    });
    assertNoSecret(saved.yaml, 'PUT answer');
    await upstreamSeesKey(NEW_KEY);
    const onDisk = readFileSync(join(relay.dataDir, 'config.yml'), 'utf8');
    assert.ok(onDisk.includes(NEW_KEY) && !onDisk.includes(OLD_KEY));
  });

  it('409 when the file changed since baseHash; nothing written', async () => {
    const view = await admin.json<View>('/api/config', 200);
    const file = join(relay.dataDir, 'config.yml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}# edited by hand\n`);
    const before = readFileSync(file, 'utf8');
    const response = await admin.call('/api/config', {
      method: 'PUT',
      json: { yaml: view.yaml, baseHash: view.hash },
    });
    const body = (await response.json()) as { error: { code: string } };
    assert.equal(response.status, 409);
    assert.equal(body.error.code, 'config_changed');
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('a masked value with no saved counterpart is an error at its line', async () => {
    const { yaml } = await admin.json<View>('/api/config', 200);
    const edited = `${yaml.trimEnd()}\nsso:\n  google_client_secret: "********"\n`;
    const check = await admin.json<Check>('/api/config/validate', 200, { json: { yaml: edited } });
    // sso appears twice now: a duplicate key is a YAML error; either way the text is refused.
    assert.equal(check.valid, false);
    const fresh =
      'providers:\n  other:\n    base_url: http://127.0.0.1:1\n    keys:\n      - key: "********"\n';
    const missing = await admin.json<Check>('/api/config/validate', 200, { json: { yaml: fresh } });
    assert.equal(missing.valid, false);
    const problem = missing.errors.find((e) => e.path === 'providers.other.keys[0].key');
    assert.ok(problem, JSON.stringify(missing.errors));
    assert.equal(problem.line, 5);
  });

  it('PATCH sets and removes values, keeps comments and saved secrets, applies at once', async () => {
    const file = join(relay.dataDir, 'config.yml');
    writeFileSync(file, `# kept comment\n${readFileSync(file, 'utf8')}`);
    const view = await admin.json<View>('/api/config', 200);
    const saved = await admin.json<View>('/api/config', 200, {
      method: 'PATCH',
      json: {
        baseHash: view.hash,
        ops: [
          { path: ['key_selection', 'strategy'], value: 'weighted' },
          { path: ['providers', 'openai', 'keys', 0, 'weight'], value: 4 },
          { path: ['providers', 'openai', 'keys', 0, 'key'], value: '********' },
          { path: ['logging', 'max_age_days'], remove: true },
        ],
      },
    });
    assertNoSecret(JSON.stringify(saved), 'PATCH answer');
    const onDisk = readFileSync(file, 'utf8');
    assert.match(onDisk, /^# kept comment/);
    assert.ok(onDisk.includes(NEW_KEY), 'the masked value kept the saved key');
    const current = relay.app.get(ConfigService).current;
    assert.equal(current.key_selection.strategy, 'weighted');
    assert.equal(current.providers.openai.keys[0].weight, 4);
    assert.equal(current.logging.max_age_days, 30, 'removed: back to the default');
  });

  it('PATCH with an invalid value: 422 naming the key path, nothing written; bad paths are 400', async () => {
    const file = join(relay.dataDir, 'config.yml');
    const before = readFileSync(file, 'utf8');
    const response = await admin.call('/api/config', {
      method: 'PATCH',
      json: { ops: [{ path: ['key_selection', 'strategy'], value: 'loudest' }] },
    });
    const body = (await response.json()) as { errors: Problem[] };
    assert.equal(response.status, 422);
    assert.ok(
      body.errors.some((e) => e.path === 'key_selection.strategy'),
      JSON.stringify(body),
    );
    assert.equal(readFileSync(file, 'utf8'), before);
    for (const ops of [[], [{ path: [], value: 1 }], [{ path: [{}], value: 1 }], [{ path: ['a'] }]]) {
      const bad = await admin.call('/api/config', { method: 'PATCH', json: { ops } });
      assert.equal(bad.status, 400, JSON.stringify(ops));
      await bad.arrayBuffer();
    }
    assert.equal(readFileSync(file, 'utf8'), before);
  });
});
