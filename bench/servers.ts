import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RELAY_MALLOC_ENV, RELAY_NODE_FLAGS } from '../apps/relay/src/node-flags';
import { type ChildServer, startChild } from './children';

/** The compiled entry points, found from this compiled file (works from dist/ and dist-*). */
const DIST_ROOT = resolve(__dirname, '..');
const FAKE_UPSTREAM_MAIN = join(DIST_ROOT, 'libs', 'testing', 'src', 'fake-openai-upstream.main.js');
const FAKE_ANTHROPIC_MAIN = join(DIST_ROOT, 'libs', 'testing', 'src', 'fake-anthropic-upstream.main.js');
const BASELINE_PROXY_MAIN = join(__dirname, 'baseline-proxy.js');
const RELAY_MAIN = join(DIST_ROOT, 'apps', 'relay', 'src', 'main.js');

export const BENCH_MODEL = 'gpt-4o-mini';
export const UPSTREAM_KEY = 'sk-bench';
export const ANTHROPIC_BENCH_MODEL = 'claude-3-5-haiku-20241022';
export const ANTHROPIC_UPSTREAM_KEY = 'sk-ant-bench';
export const RELAY_ACCESS_KEY = 'bench-key';

export interface RunningServer extends ChildServer {
  /** `http://127.0.0.1:PORT`, without a path. */
  readonly origin: string;
}

const RELAY_LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/;
const CHILD_ENV = { ...process.env, NODE_ENV: 'production' };

export interface FakeUpstreamOptions {
  streamChunks: number;
  streamChunkDelayMs: number;
}

/** The fake OpenAI upstream: answers at once; streams are split into chunks with a small delay. */
export function startFakeUpstream(options: FakeUpstreamOptions): Promise<RunningServer> {
  return startFake('fake upstream', FAKE_UPSTREAM_MAIN, options, UPSTREAM_KEY, BENCH_MODEL);
}

/** The fake Anthropic Messages upstream, with the same flags (its url has no `/v1`). */
export function startFakeAnthropicUpstream(options: FakeUpstreamOptions): Promise<RunningServer> {
  return startFake(
    'fake Anthropic upstream',
    FAKE_ANTHROPIC_MAIN,
    options,
    ANTHROPIC_UPSTREAM_KEY,
    ANTHROPIC_BENCH_MODEL,
  );
}

async function startFake(
  name: string,
  main: string,
  options: FakeUpstreamOptions,
  key: string,
  model: string,
): Promise<RunningServer> {
  const { server, ready } = await startChild({
    name,
    args: [
      main,
      ...['--port', '0', '--host', '127.0.0.1', '--latency-ms', '0'],
      ...['--chunks', String(options.streamChunks), '--chunk-delay-ms', String(options.streamChunkDelayMs)],
      ...['--key', key, '--model', model],
    ],
    env: CHILD_ENV,
    readyWhen: (line) => jsonField(line, 'port'),
  });
  return withOrigin(server, Number(ready));
}

/** Node flags for a proxy child: a CPU profile into `profileDir` when asked, then any extra flags. */
export interface NodeFlags {
  cpuProfileDir?: string;
  extra?: readonly string[];
}

function nodeFlags(flags: NodeFlags): string[] {
  const profile = flags.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', flags.cpuProfileDir] : [];
  return [...profile, ...(flags.extra ?? [])];
}

/** The bare node:http + undici pass-through the relay is compared with. */
export async function startBaselineProxy(
  upstream: RunningServer,
  flags: NodeFlags = {},
): Promise<RunningServer> {
  const { server, ready } = await startChild({
    name: 'baseline proxy',
    args: [...nodeFlags(flags), BASELINE_PROXY_MAIN, '--upstream', upstream.origin, '--port', '0'],
    env: CHILD_ENV,
    readyWhen: (line) => jsonField(line, 'url'),
  });
  return { ...server, origin: String(ready) };
}

export interface RelayOptions {
  /** `logging.enabled` in the relay's config.yml (default true: the budget is measured with logging on). */
  logging?: boolean;
  /** The child's name in progress and error messages (default `relay`). */
  name?: string;
}

/**
 * The built relay, request logging on unless `options.logging` is false (its SQLite store lives in
 * the relay's temporary data dir), one provider (`fake`) pointing at the fake OpenAI upstream and,
 * when given, a second (`claude`, provider_type anthropic) at the fake Anthropic upstream.
 */
export async function startRelay(
  upstream: RunningServer,
  flags: NodeFlags = {},
  anthropicUpstream?: RunningServer,
  options: RelayOptions = {},
): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'monorelay-bench-'));
  const configPath = join(dir, 'config.yml');
  writeFileSync(configPath, relayConfig(upstream, anthropicUpstream, options.logging ?? true));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  const started = startChild({
    name: options.name ?? 'relay',
    args: [
      ...RELAY_NODE_FLAGS,
      ...nodeFlags(flags),
      RELAY_MAIN,
      ...['--config', configPath, '--port', '0', '--host', '127.0.0.1', '--data-dir', join(dir, 'data')],
    ],
    env: { ...CHILD_ENV, ...RELAY_MALLOC_ENV, LOG_LEVEL: 'info' },
    readyWhen: (line) => RELAY_LISTENING.exec(line)?.[1],
  });
  const { server, ready } = await started.catch((error: unknown) => {
    process.off('exit', removeDir);
    removeDir();
    throw error;
  });
  const relay = withOrigin(server, Number(ready));
  return {
    ...relay,
    stop: async (graceMs) => {
      await relay.stop(graceMs);
      process.off('exit', removeDir);
      removeDir();
    },
  };
}

function relayConfig(
  upstream: RunningServer,
  anthropicUpstream: RunningServer | undefined,
  logging: boolean,
): string {
  const lines = [
    `server: { access_key: ${RELAY_ACCESS_KEY} }`,
    'auth: { access_key_role: admin }',
    `logging: { enabled: ${logging} }`,
    'providers:',
    `  fake: { base_url: ${upstream.origin}/v1, keys: [${UPSTREAM_KEY}], models: { include: [${BENCH_MODEL}] }, timeout: 30 }`,
  ];
  if (anthropicUpstream)
    lines.push(
      `  claude: { provider_type: anthropic, base_url: ${anthropicUpstream.origin}, keys: [${ANTHROPIC_UPSTREAM_KEY}], models: { include: [${ANTHROPIC_BENCH_MODEL}] }, timeout: 30 }`,
    );
  return [...lines, ''].join('\n');
}

function withOrigin(server: ChildServer, port: number): RunningServer {
  if (!Number.isInteger(port) || port <= 0) throw new Error(`${server.name} reported no usable port`);
  return { ...server, origin: `http://127.0.0.1:${port}` };
}

function jsonField(line: string, field: string): unknown {
  if (!line.startsWith('{')) return undefined;
  try {
    return (JSON.parse(line) as Record<string, unknown>)[field];
  } catch {
    return undefined;
  }
}
