// The built relay serving the admin console at `/`: a console build in MONORELAY_CONSOLE_DIR, and none.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ACCESS_KEY, type RelayProcess, disposeRelay, startRelayWithConfig } from './support/relay-process';

const INDEX = '<!doctype html><title>console stand-in</title><mr-root></mr-root>';

describe('the relay serves the admin console at /', () => {
  let consoleDir: string;
  let relay: RelayProcess | undefined;

  before(async () => {
    consoleDir = mkdtempSync(join(tmpdir(), 'monorelay-console-'));
    writeFileSync(join(consoleDir, 'index.html'), INDEX);
    writeFileSync(join(consoleDir, 'main-ABC123.js'), 'console.log(1)');
    mkdirSync(join(consoleDir, 'media'));
    writeFileSync(join(consoleDir, 'media', 'logo-XYZ.svg'), '<svg/>');
    relay = await startRelayWithConfig({}, { env: { MONORELAY_CONSOLE_DIR: consoleDir } });
  });
  after(async () => {
    await disposeRelay(relay);
    rmSync(consoleDir, { recursive: true, force: true });
  });

  it('answers / and /index.html with the page, never cached', async () => {
    for (const path of ['/', '/index.html']) {
      const response = await fetch(`${relay!.url}${path}`);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', /text\/html/);
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      assert.equal(response.headers.get('x-frame-options'), 'DENY', 'an admin page is never framed');
      assert.equal(response.headers.get('content-security-policy'), "frame-ancestors 'none'");
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(await response.text(), INDEX);
    }
  });

  it('serves build files with long-lived caching (their names carry a hash)', async () => {
    const script = await fetch(`${relay!.url}/main-ABC123.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
    assert.equal(script.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(await script.text(), 'console.log(1)');
    const nested = await fetch(`${relay!.url}/media/logo-XYZ.svg`);
    assert.equal(nested.status, 200);
    await nested.arrayBuffer();
  });

  it('answers other paths with the page (SPA fallback), but not under /api, /v1 or /docs', async () => {
    for (const path of ['/logs', '/users/42', '/deep/link?x=1']) {
      const response = await fetch(`${relay!.url}${path}`);
      assert.equal(response.status, 200, path);
      assert.equal(await response.text(), INDEX, path);
    }
    for (const path of ['/api/nope', '/v1/nope', '/docs/nope', '/api', '/v1']) {
      const response = await fetch(`${relay!.url}${path}`);
      assert.equal(response.status, 404, path);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/, path);
      await response.arrayBuffer();
    }
  });

  it('leaves the API as it was', async () => {
    const models = await fetch(`${relay!.url}/v1/models`, {
      headers: { authorization: `Bearer ${ACCESS_KEY}` },
    });
    assert.equal(models.status, 200);
    assert.deepEqual(((await models.json()) as { data: unknown[] }).data, []);
    const setup = await fetch(`${relay!.url}/api/setup/status`);
    assert.deepEqual(await setup.json(), { needsSetup: true });
    const health = await fetch(`${relay!.url}/healthz`);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const docs = await fetch(`${relay!.url}/docs`);
    assert.equal(docs.status, 200);
    await docs.arrayBuffer();
  });
});

describe('the relay without a console build', () => {
  let relay: RelayProcess | undefined;

  before(async () => {
    relay = await startRelayWithConfig(
      {},
      { env: { MONORELAY_CONSOLE_DIR: join(tmpdir(), 'monorelay-no-console-here') } },
    );
  });
  after(() => disposeRelay(relay));

  it('starts, and / says how to build the console', async () => {
    for (const path of ['/', '/logs']) {
      const response = await fetch(`${relay!.url}${path}`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /text\/plain/);
      assert.match(await response.text(), /console is not built[\s\S]*npm run build/);
    }
    const models = await fetch(`${relay!.url}/v1/models`, {
      headers: { authorization: `Bearer ${ACCESS_KEY}` },
    });
    assert.equal(models.status, 200);
    await models.arrayBuffer();
    const unknown = await fetch(`${relay!.url}/api/nope`);
    assert.equal(unknown.status, 404);
    await unknown.arrayBuffer();
  });
});
