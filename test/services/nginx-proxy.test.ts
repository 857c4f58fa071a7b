import type { LiveLogEvent, RequestLogEntry } from '@monorelay/contracts';
import { behaviours, startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ACCESS_KEY,
  type RelayProcess,
  disposeRelay,
  fakeProvider,
  startRelayWithConfig,
} from '../../e2e/support/relay-process';

// The deployment doc's nginx settings, run by Debian's nginx in front of the built relay. `.ci/run`
// installs nginx when it is missing; this tier fails, never skips, without it.
const DOCUMENTED_CONFIG = resolve(__dirname, '../../../deploy/nginx/monorelay.conf');
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path)) ?? 'nginx';
const CLIENT_IP = '203.0.113.7';

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** The documented file, pointed at this relay and listening on a loopback port. */
function siteConfig(relayPort: number, nginxPort: number): string {
  const documented = readFileSync(DOCUMENTED_CONFIG, 'utf8');
  const site = documented
    .replace('server 127.0.0.1:8787;', `server 127.0.0.1:${relayPort};`)
    .replace('listen 80;', `listen 127.0.0.1:${nginxPort};`);
  assert.notEqual(site, documented, 'the documented file still has the lines this test rewrites');
  assert.match(site, new RegExp(`server 127\\.0\\.0\\.1:${relayPort};`));
  assert.match(site, new RegExp(`listen 127\\.0\\.0\\.1:${nginxPort};`));
  return site;
}

class Nginx {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
    private output: string,
  ) {}

  static async start(relayPort: number): Promise<Nginx> {
    const dir = mkdtempSync(join(tmpdir(), 'monorelay-nginx-'));
    chmodSync(dir, 0o777); // nginx's workers may run as another user and write their temp files here
    const port = await freePort();
    writeFileSync(join(dir, 'site.conf'), siteConfig(relayPort, port));
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
      .map((kind) => `  ${kind}_temp_path ${join(dir, kind)};`)
      .join('\n');
    writeFileSync(
      join(dir, 'nginx.conf'),
      [
        'daemon off;',
        'worker_processes 1;',
        `pid ${join(dir, 'nginx.pid')};`,
        `error_log ${join(dir, 'error.log')} warn;`,
        'events { worker_connections 256; }',
        'http {',
        '  access_log off;',
        temp,
        `  include ${join(dir, 'site.conf')};`,
        '}',
        '',
      ].join('\n'),
    );
    const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const nginx = new Nginx(child, dir, `http://127.0.0.1:${port}`, '');
    child.stdout!.on('data', (chunk: Buffer) => (nginx.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (nginx.output += chunk.toString()));
    const spawnFailed = new Promise<Error>((resolveError) => child.once('error', resolveError));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const failure = await Promise.race([spawnFailed, new Promise((r) => setTimeout(r, 100, null))]);
      if (failure) throw new Error(`cannot run ${NGINX} (install Debian's nginx): ${String(failure)}`);
      if (child.exitCode !== null) throw new Error(`nginx exited ${child.exitCode}:\n${nginx.output}`);
      const answer = await fetch(`${nginx.url}/healthz`).catch(() => null);
      if (answer?.status === 200) return nginx;
    }
    await nginx.stop();
    throw new Error(`nginx did not proxy /healthz within 10 s:\n${nginx.output}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGQUIT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (this.child.exitCode === null) this.child.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

interface Frame {
  id?: string;
  data: string;
  atMs: number;
}

/** Reads SSE frames, each stamped with when it arrived, until `done` or the time runs out. */
async function readFrames(response: Response, done: (frames: Frame[]) => boolean, timeoutMs = 10_000) {
  const started = performance.now();
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const frames: Frame[] = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  while (!done(frames) && Date.now() < deadline) {
    const result = await Promise.race([
      reader.read(),
      new Promise<null>((r) => setTimeout(r, Math.max(1, deadline - Date.now()), null)),
    ]);
    if (!result || result.done) break;
    buffer += decoder.decode(result.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (data !== undefined)
        frames.push({ id: /^id: (.*)$/m.exec(frame)?.[1], data, atMs: performance.now() - started });
    }
  }
  await reader.cancel();
  return frames;
}

const liveEvents = (frames: Frame[]) =>
  frames.filter((f) => f.id).map((f) => ({ id: f.id!, event: JSON.parse(f.data) as LiveLogEvent }));

describe('behind nginx with the deployment doc settings', () => {
  let upstream: FakeOpenAiUpstream;
  let relay: RelayProcess | undefined;
  let nginx: Nginx | undefined;
  const headers = {
    authorization: `Bearer ${ACCESS_KEY}`,
    'content-type': 'application/json',
    'x-forwarded-for': CLIENT_IP,
  };
  const ask = (content: string, stream = false) =>
    fetch(`${nginx!.url}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content }] }),
    });

  before(async () => {
    upstream = await startFakeOpenAiUpstream();
    relay = await startRelayWithConfig({
      providers: { fake: fakeProvider(upstream.baseUrl, { models: { include: ['gpt-4o-mini'] } }) },
      relay: { trusted_proxies: ['127.0.0.1'] },
      // the live log is read with the access key, which has no /api role by default
      auth: { access_key_role: 'admin' },
    });
    nginx = await Nginx.start(relay.port);
  });
  after(async () => {
    await nginx?.stop();
    await disposeRelay(relay);
    await upstream.close();
  });

  it('a chat stream arrives event by event, not at the end', async () => {
    upstream.when(
      {},
      behaviours.ok({ content: 'one two three four five six', chunks: 6, chunkDelayMs: 300 }),
    );
    const response = await ask('stream please', true);
    assert.equal(response.status, 200);
    const frames = await readFrames(response, (got) => got.some((f) => f.data === '[DONE]'));
    const content = frames.filter((f) => f.data.includes('"content"'));
    assert.ok(content.length >= 6, `${content.length} content events`);
    const last = frames.at(-1)!;
    assert.equal(last.data, '[DONE]');
    // Six chunks 300 ms apart: buffered, all would arrive together at the end.
    assert.ok(
      last.atMs - content[0]!.atMs > 1000,
      `first content at ${content[0]!.atMs.toFixed(0)} ms, end at ${last.atMs.toFixed(0)} ms`,
    );
  });

  it('the live log stream delivers each entry as it happens, with the client IP from X-Forwarded-For', async () => {
    upstream.when({}, behaviours.ok({ delayMs: 500 }));
    const live = await fetch(`${nginx!.url}/api/logs/stream`, { headers });
    assert.equal(live.status, 200);
    assert.equal(live.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const receiving = readFrames(live, (got) =>
      liveEvents(got).some(
        (e) => e.event.type === 'finished' && (e.event.entry.requestPreview ?? '').includes('live-a'),
      ),
    );
    const sentAt = performance.now();
    const answer = await ask('live-a');
    const answeredMs = performance.now() - sentAt;
    assert.equal(answer.status, 200);
    await answer.arrayBuffer();
    const frames = await receiving;
    const events = liveEvents(frames);
    const started = events.find((e) => e.event.type === 'started');
    const finished = events.find((e) => e.event.type === 'finished');
    assert.ok(started && finished, `events: ${events.map((e) => e.event.type).join(', ')}`);
    const entry = (finished.event as { entry: RequestLogEntry }).entry;
    assert.equal(entry.clientIp, CLIENT_IP);
    assert.equal(entry.statusCode, 200);
    // `started` reached the viewer while the upstream was still thinking (500 ms), not with `finished`.
    const startedFrame = frames.find((f) => f.id === started.id)!;
    const finishedFrame = frames.find((f) => f.id === finished.id)!;
    assert.ok(
      finishedFrame.atMs - startedFrame.atMs > 300,
      `started at ${startedFrame.atMs.toFixed(0)} ms, finished at ${finishedFrame.atMs.toFixed(0)} ms (answer took ${answeredMs.toFixed(0)} ms)`,
    );

    // Resuming through nginx replays exactly what came after the given id.
    await ask('live-b').then((r) => r.arrayBuffer());
    const resumed = await fetch(`${nginx!.url}/api/logs/stream`, {
      headers: { ...headers, 'last-event-id': finished.id },
    });
    const replay = liveEvents(
      await readFrames(
        resumed,
        (got) => liveEvents(got).filter((e) => e.event.type === 'finished').length >= 1,
      ),
    );
    // `started` is published only while someone watches, so live-b's may or may not be there.
    const replayed = replay.filter((e) => e.event.type !== 'cleared');
    assert.equal(replayed.at(-1)?.event.type, 'finished', JSON.stringify(replayed.map((e) => e.event.type)));
    // previews are filled in when an entry finishes, so live-b is recognised by its finished event,
    // and a `started` replayed with it must be of the same entry
    const liveB = (replayed.at(-1)!.event as { entry: RequestLogEntry }).entry;
    assert.match(liveB.requestPreview ?? '', /live-b/);
    for (const event of replayed) {
      assert.ok(event.id > finished.id, 'only events after Last-Event-ID');
      assert.equal((event.event as { entry: RequestLogEntry }).entry.id, liveB.id);
    }
  });

  it('large request bodies pass nginx up to the relay, which answers over-limit ones itself', async () => {
    upstream.when({}, behaviours.ok());
    const big = await ask('x'.repeat(2 * 1024 * 1024));
    assert.equal(big.status, 200, await big.clone().text());
    const tooBig = await ask('x'.repeat(12 * 1024 * 1024));
    assert.equal(tooBig.status, 413);
    const body = (await tooBig.json()) as { error: { type: string } };
    assert.ok(body.error, 'the relay’s own OpenAI-shaped error, not nginx’s HTML page');
  });
});
