// The relay as a process: health, docs, access key, CLI flags and env, invalid config, shutdown.
import { type FakeOpenAiUpstream, behaviours, startFakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { type AddressInfo, createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import {
  ACCESS_KEY,
  RelayProcess,
  RelayWorkspace,
  disposeRelay,
  fakeProvider,
  startRelay,
  startRelayWithConfig,
  waitUntil,
} from './support/relay-process';

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether a new TCP connection to 127.0.0.1:port is accepted. */
function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function chatWith(relay: RelayProcess, apiKey: string, model = 'gpt-4o-mini') {
  return relay
    .client({ apiKey })
    .chat.completions.create({ model, messages: [{ role: 'user', content: 'key?' }] });
}

/** POST on a new connection; the error code when it cannot connect. */
function rawPost(
  port: number,
  path: string,
  body: unknown,
): Promise<{ status: number; body: string } | string> {
  return new Promise((resolve) => {
    const request = httpRequest(
      {
        method: 'POST',
        host: '127.0.0.1',
        port,
        path,
        agent: false,
        timeout: 5000,
        headers: { authorization: `Bearer ${ACCESS_KEY}`, 'content-type': 'application/json' },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    request.end(JSON.stringify(body));
  });
}

const GENERATED_KEY = /mr-[A-Za-z0-9_-]{40}/g;

describe('the relay process', () => {
  let upstream: FakeOpenAiUpstream;
  const relays: RelayProcess[] = [];
  const workspaces: RelayWorkspace[] = [];
  const providers = () => ({
    fake: fakeProvider(upstream.baseUrl, { models: { include: ['gpt-4o-mini'] } }),
  });
  const track = (relay: RelayProcess): RelayProcess => {
    relays.push(relay);
    return relay;
  };
  const workspace = (): RelayWorkspace => {
    const created = new RelayWorkspace();
    workspaces.push(created);
    return created;
  };

  before(async () => {
    upstream = await startFakeOpenAiUpstream();
  });

  beforeEach(() => upstream.reset());

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    for (const removed of workspaces.splice(0)) removed.remove();
  });

  after(async () => {
    await upstream?.close();
  });

  describe('endpoints without auth', () => {
    let relay: RelayProcess;
    before(async () => {
      relay = await startRelayWithConfig({ providers: providers() });
    });
    after(() => disposeRelay(relay));

    it('GET /healthz and GET /readyz answer 200 without an access key', async () => {
      const health = await fetch(`${relay.url}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok' });
      const ready = await fetch(`${relay.url}/readyz`);
      assert.equal(ready.status, 200);
      assert.equal(((await ready.json()) as { status: string }).status, 'ready');
      // ...while the API itself needs the key.
      assert.equal((await fetch(`${relay.url}/v1/models`)).status, 401);
    });

    it('GET /docs-json is an OpenAPI document listing /v1/chat/completions', async () => {
      const response = await fetch(`${relay.url}/docs-json`);
      assert.equal(response.status, 200);
      const document = (await response.json()) as { openapi?: string; paths?: Record<string, unknown> };
      assert.match(document.openapi ?? '', /^3\./);
      assert.ok(document.paths?.['/v1/chat/completions'], Object.keys(document.paths ?? {}).join(', '));
      assert.ok((document.paths['/v1/chat/completions'] as { post?: unknown }).post);
      // the relayed endpoints are Fastify routes, documented from their table (relay-openapi.ts)
      const relayed = [
        'chat/completions',
        'completions',
        'embeddings',
        'responses',
        'moderations',
        'images/generations',
        'audio/speech',
        'audio/transcriptions',
        'audio/translations',
        'messages',
        'messages/count_tokens',
      ].map((path) => `/v1/${path}`);
      assert.deepEqual(
        relayed.filter((url) => !(document.paths?.[url] as { post?: unknown } | undefined)?.post),
        [],
      );
      const messages = (
        document.paths['/v1/messages'] as { post?: { tags?: string[]; security?: unknown[] } }
      ).post;
      assert.deepEqual(messages?.tags, ['Anthropic-compatible relay']);
      assert.deepEqual(messages?.security, [{ bearer: [] }, { 'x-api-key': [] }]);
      assert.ok(document.paths['/v1/models']);
      const ui = await fetch(`${relay.url}/docs`);
      assert.equal(ui.status, 200);
      assert.match(await ui.text(), /swagger/i);
    });
  });

  describe('access key', () => {
    it('none configured: the first start generates one, prints it once and stores it; a restart reuses it silently', async () => {
      const space = workspace();
      space.writeConfig({ providers: providers() }, { withKey: false });

      const first = track(await startRelay({ workspace: space }));
      const printed = first.output.match(GENERATED_KEY) ?? [];
      assert.equal(printed.length, 1, `the key is printed exactly once:\n${first.output}`);
      const key = printed[0]!;
      const file = join(space.dataDir, 'access_key');
      assert.equal(readFileSync(file, 'utf8').trim(), key);
      assert.equal(statSync(file).mode & 0o777, 0o600, 'only the owner may read the key file');
      const completion = await chatWith(first, key);
      assert.equal(completion.choices[0]!.message.content, 'Echo: key?');
      await assert.rejects(chatWith(first, ACCESS_KEY), OpenAI.AuthenticationError);
      assert.equal((await first.stop()).code, 0);

      const second = track(await startRelay({ workspace: space }));
      await chatWith(second, key);
      assert.equal(second.output.match(GENERATED_KEY), null, `not printed again:\n${second.output}`);
      assert.ok(!second.output.includes(key));
      assert.equal(readFileSync(file, 'utf8').trim(), key, 'the stored key is unchanged');
    });

    it('MONORELAY_ACCESS_KEY sets the key (and wins over server.access_key); nothing is generated', async () => {
      const space = workspace();
      space.writeConfig({ server: { access_key: 'key-from-file' }, providers: providers() });
      const relay = track(
        await startRelay({ workspace: space, env: { MONORELAY_ACCESS_KEY: 'key-from-env' } }),
      );
      const completion = await chatWith(relay, 'key-from-env');
      assert.equal(completion.model, 'gpt-4o-mini');
      await assert.rejects(chatWith(relay, 'key-from-file'), OpenAI.AuthenticationError);
      assert.equal(existsSync(join(space.dataDir, 'access_key')), false);
      assert.equal(relay.output.match(GENERATED_KEY), null);
    });

    it('MONORELAY_ACCESS_KEY alone, with no server block at all', async () => {
      const space = workspace();
      space.writeConfig({ providers: providers() }, { withKey: false });
      const relay = track(
        await startRelay({ workspace: space, env: { MONORELAY_ACCESS_KEY: 'only-env-key' } }),
      );
      await chatWith(relay, 'only-env-key');
      assert.equal(existsSync(join(space.dataDir, 'access_key')), false);
    });
  });

  describe('flags and environment', () => {
    it('--port is honoured', async () => {
      const space = workspace();
      space.writeConfig({ providers: providers() });
      const port = await freePort();
      const relay = track(
        await startRelay({
          workspace: space,
          args: [
            '--config',
            space.configPath,
            '--port',
            String(port),
            '--host',
            '127.0.0.1',
            '--data-dir',
            space.dataDir,
          ],
        }),
      );
      assert.equal(relay.port, port);
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    });

    it('PORT is honoured, and --port wins over it', async () => {
      const space = workspace();
      space.writeConfig({ server: { port: 1 }, providers: providers() });
      const envPort = await freePort();
      const base = ['--config', space.configPath, '--host', '127.0.0.1', '--data-dir', space.dataDir];
      const fromEnv = track(
        await startRelay({ workspace: space, args: base, env: { PORT: String(envPort) } }),
      );
      assert.equal(fromEnv.port, envPort);
      assert.equal((await fetch(`http://127.0.0.1:${envPort}/healthz`)).status, 200);
      await fromEnv.stop();

      const flagPort = await freePort();
      const fromFlag = track(
        await startRelay({
          workspace: space,
          args: [...base, '--port', String(flagPort)],
          env: { PORT: String(envPort) },
        }),
      );
      assert.equal(fromFlag.port, flagPort);
    });

    it('MONORELAY_CONFIG is honoured, and --config wins over it', async () => {
      const space = workspace();
      const viaEnv = space.writeConfig(
        { providers: providers(), model_routing: { aliases: { 'from-env-config': 'gpt-4o-mini' } } },
        { path: join(space.dir, 'env-config.yml') },
      );
      const viaFlag = space.writeConfig(
        { providers: providers(), model_routing: { aliases: { 'from-flag-config': 'gpt-4o-mini' } } },
        { path: join(space.dir, 'flag-config.yml') },
      );
      const base = ['--port', '0', '--host', '127.0.0.1', '--data-dir', space.dataDir];
      const aliases = async (relay: RelayProcess): Promise<string[]> => {
        const ids: string[] = [];
        for await (const model of relay.client().models.list()) ids.push(model.id);
        return ids.filter((id) => id.startsWith('from-'));
      };

      const fromEnv = track(
        await startRelay({ workspace: space, args: base, env: { MONORELAY_CONFIG: viaEnv } }),
      );
      assert.deepEqual(await aliases(fromEnv), ['from-env-config']);
      await fromEnv.stop();

      const fromFlag = track(
        await startRelay({
          workspace: space,
          args: ['--config', viaFlag, ...base],
          env: { MONORELAY_CONFIG: viaEnv },
        }),
      );
      assert.deepEqual(await aliases(fromFlag), ['from-flag-config']);
    });

    it('starts with no config file at all (built-in defaults)', async () => {
      const space = workspace();
      const relay = track(
        await startRelay({
          workspace: space,
          args: ['--port', '0', '--host', '127.0.0.1', '--data-dir', space.dataDir],
        }),
      );
      assert.equal((await fetch(`${relay.url}/healthz`)).status, 200);
      const key = (relay.output.match(GENERATED_KEY) ?? [])[0];
      assert.ok(key, 'a key was generated');
      const models = await relay.fetch('/v1/models', { headers: { authorization: `Bearer ${key}` } });
      assert.equal(models.status, 200);
    });

    it('an invalid config makes the process exit non-zero, naming the key path', async () => {
      const space = workspace();
      space.writeConfig({
        providers: { x: fakeProvider(upstream.baseUrl, { keys: [{ key: 'sk-x', weight: -1 }] }) },
      });
      const relay = track(new RelayProcess({ workspace: space }));
      const status = await relay.waitForExit(10_000);
      assert.notEqual(status.code, 0);
      assert.notEqual(status.code, null, 'it exited by itself, not by a signal');
      assert.match(relay.output, /providers\.x\.keys\[0\]\.weight/);
      assert.doesNotMatch(relay.output, /listening on/);
    });
  });

  describe('graceful shutdown', () => {
    /** A relay with one slow request (1.5 s upstream delay) in flight. */
    async function relayWithSlowRequest(): Promise<{
      relay: RelayProcess;
      inFlight: Promise<{ data: OpenAI.ChatCompletion; response: Response }>;
    }> {
      upstream.when(
        { model: 'gpt-4o-mini' },
        behaviours.ok({ content: 'finished after all', delayMs: 1500 }),
        {
          times: 1,
        },
      );
      const relay = track(await startRelayWithConfig({ providers: providers() }));
      workspaces.push(relay.workspace);
      const inFlight = relay
        .client()
        .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'slow' }] })
        .withResponse();
      await waitUntil(() => upstream.requests.length === 1, 5000, 'the request reached the upstream');
      return { relay, inFlight };
    }

    it('SIGTERM: an in-flight slow request completes with 200 and the process exits 0 soon after', async () => {
      const { relay, inFlight } = await relayWithSlowRequest();
      const signalledAt = Date.now();
      relay.signal('SIGTERM');
      await relay.waitForOutput(/SIGTERM/, 2000);
      assert.equal(relay.exitStatus, undefined, 'still running while the request is in flight');

      const { data: completion, response } = await inFlight;
      assert.equal(response.status, 200);
      assert.equal(completion.choices[0]!.message.content, 'finished after all');
      const status = await relay.waitForExit(3000);
      assert.deepEqual(status, { code: 0, signal: null });
      const elapsed = Date.now() - signalledAt;
      assert.ok(elapsed < 4000, `exited ${elapsed} ms after SIGTERM`);
    });

    it('SIGTERM: new connections are refused while a request is still in flight', async () => {
      const { relay, inFlight } = await relayWithSlowRequest();
      assert.equal(await canConnect(relay.port), true, 'control: the relay accepts connections');
      relay.signal('SIGTERM');
      await relay.waitForOutput(/SIGTERM/, 2000);
      try {
        await waitUntil(
          async () => !(await canConnect(relay.port)),
          500,
          'new connections are refused after SIGTERM',
        );
        assert.equal(relay.exitStatus, undefined, 'refused while the slow request is still in flight');
      } finally {
        await inFlight.catch(() => undefined);
      }
    });

    it('SIGTERM: a request that still reaches the relay is refused or gets 503, never a client error', async () => {
      const { relay, inFlight } = await relayWithSlowRequest();
      relay.signal('SIGTERM');
      await relay.waitForOutput(/SIGTERM/, 2000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // A fresh connection (no keep-alive reuse), as a new client would open.
      const late = await rawPost(relay.port, '/v1/chat/completions', {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'too late' }],
      });
      await inFlight.catch(() => undefined);
      assert.ok(
        late === 'ECONNREFUSED' || (typeof late !== 'string' && late.status === 503),
        `after SIGTERM: ${typeof late === 'string' ? late : `${late.status} ${late.body}`}`,
      );
    });

    it('SIGTERM: a stream in flight completes with every chunk', async () => {
      upstream.when(
        { model: 'gpt-4o-mini' },
        behaviours.ok({ content: 'a stream that outlives the signal', chunks: 6, chunkDelayMs: 200 }),
        { times: 1 },
      );
      const relay = track(await startRelayWithConfig({ providers: providers() }));
      workspaces.push(relay.workspace);
      const stream = await relay.client().chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'stream' }],
        stream: true,
      });
      let text = '';
      let signalled = false;
      let finish: string | null = null;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (!signalled && text.length > 0) {
          signalled = true;
          relay.signal('SIGTERM');
        }
      }
      assert.ok(signalled);
      assert.equal(text, 'a stream that outlives the signal');
      assert.equal(finish, 'stop');
      assert.deepEqual(await relay.waitForExit(3000), { code: 0, signal: null });
    });

    it('relay.shutdown_grace_seconds bounds the wait: a hung request is cut and the process exits', async () => {
      upstream.when({ model: 'gpt-4o-mini' }, behaviours.hang(), { times: 1 });
      const relay = track(
        await startRelayWithConfig({
          relay: { shutdown_grace_seconds: 1 },
          providers: {
            fake: fakeProvider(upstream.baseUrl, { timeout: 60, models: { include: ['gpt-4o-mini'] } }),
          },
        }),
      );
      workspaces.push(relay.workspace);
      const hung = relay
        .client({ timeoutMs: 20_000 })
        .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hang' }] })
        .then(
          () => 'answered',
          (error: unknown) => error,
        );
      await waitUntil(() => upstream.requests.length === 1, 5000, 'the request reached the upstream');

      const signalledAt = Date.now();
      relay.signal('SIGTERM');
      const status = await relay.waitForExit(5000);
      const elapsed = Date.now() - signalledAt;
      assert.ok(elapsed >= 900, `waited for the grace period (${elapsed} ms)`);
      assert.ok(elapsed < 3000, `but not much longer (${elapsed} ms)`);
      assert.notEqual(status.code, null, 'it exited by itself');
      const outcome = await hung;
      assert.ok(outcome instanceof Error, `the hung request was cut, got ${String(outcome)}`);
    });
  });
});
