// The built relay as a child process: `node dist/apps/relay/src/main.js --config ... --port 0`.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import OpenAI from 'openai';
import { stringify } from 'yaml';

/** The compiled relay entry point, next to this file's dist folder (dist/e2e/support -> dist/apps). */
export const RELAY_MAIN = resolve(__dirname, '../../apps/relay/src/main.js');

export const ACCESS_KEY = 'e2e-access-key';

/** Bound for the relay to print its `listening on` line. */
const START_TIMEOUT_MS = 15_000;

const LISTENING = /listening on http:\/\/([^\s:]+):(\d+)/;

/** Environment variables of ours that must not leak from the test runner into a relay. */
const RELAY_ENV = [
  'PORT',
  'HOST',
  'MONORELAY_ACCESS_KEY',
  'MONORELAY_CONFIG',
  'MONORELAY_DATA_DIR',
  'DATABASE_URL',
  'REDIS_URL',
  'LOG_LEVEL',
  'MONORELAY_ADMIN_PASSWORD',
  'MONORELAY_SESSION_SECRET',
];

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A temp folder for one relay: `config.yml` and `data/`. */
export class RelayWorkspace {
  readonly dir: string;
  readonly configPath: string;
  readonly dataDir: string;

  constructor(prefix = 'monorelay-e2e-') {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
    this.configPath = join(this.dir, 'config.yml');
    this.dataDir = join(this.dir, 'data');
    mkdirSync(this.dataDir);
  }

  /** Writes `config` as YAML (a string as is) to config.yml or `path`, adding the access key unless `withKey` is false. */
  writeConfig(config: object | string, { withKey = true, path = this.configPath } = {}): string {
    writeFileSync(
      path,
      typeof config === 'string' ? config : stringify(withKey ? withAccessKey(config) : config),
    );
    return path;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function withAccessKey(config: object): object {
  const server = (config as { server?: Record<string, unknown> }).server;
  return { ...config, server: { access_key: ACCESS_KEY, ...server } };
}

export interface SpawnOptions {
  /** Arguments after `main.js`; default: `--config <workspace config> --port 0 --host 127.0.0.1 --data-dir <data>`. */
  args?: string[];
  /** Extra environment (our variables are cleared first, so the runner's never leak in). */
  env?: Record<string, string>;
  workspace: RelayWorkspace;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** One relay process. Its stdout and stderr are collected in `output`. */
export class RelayProcess {
  readonly child: ChildProcess;
  readonly workspace: RelayWorkspace;
  /** stdout and stderr, interleaved as they arrived. */
  output = '';
  /** Settles when the process has exited. */
  readonly exited: Promise<ExitStatus>;
  exitStatus: ExitStatus | undefined;
  private listeners = new Set<() => void>();
  private url_: string | undefined;

  constructor(options: SpawnOptions) {
    this.workspace = options.workspace;
    const env: Record<string, string | undefined> = { ...process.env };
    for (const name of RELAY_ENV) delete env[name];
    Object.assign(env, options.env);
    const args = options.args ?? defaultArgs(options.workspace);
    this.child = spawn(process.execPath, [RELAY_MAIN, ...args], {
      cwd: options.workspace.dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(this.child);
    const collect = (chunk: Buffer): void => {
      this.output += chunk.toString('utf8');
      for (const listener of [...this.listeners]) listener();
    };
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
    this.exited = new Promise((resolveExit) => {
      this.child.once('exit', (code, signal) => {
        running.delete(this.child);
        this.exitStatus = { code, signal };
        for (const listener of [...this.listeners]) listener();
        resolveExit(this.exitStatus);
      });
    });
  }

  /** `http://127.0.0.1:PORT`, once `listening on` was printed. */
  get url(): string {
    if (this.url_ === undefined) throw new Error('the relay is not listening yet');
    return this.url_;
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  /** Waits for the `listening on` line; throws with the output when the process exits or is too slow. */
  async listening(timeoutMs = START_TIMEOUT_MS): Promise<string> {
    const match = await this.waitForOutput(LISTENING, timeoutMs);
    this.url_ = `http://${match[1]}:${match[2]}`;
    return this.url_;
  }

  /** Resolves with the first match of `pattern` in the output (searching from `from`). */
  waitForOutput(pattern: RegExp, timeoutMs = 5000, from = 0): Promise<RegExpMatchArray> {
    return new Promise((resolveMatch, reject) => {
      const check = (): void => {
        const match = this.output.slice(from).match(pattern);
        if (match) {
          done();
          resolveMatch(match);
        } else if (this.exitStatus) {
          done();
          reject(
            new Error(
              `relay exited (${JSON.stringify(this.exitStatus)}) before printing ${pattern}:\n${this.output}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`relay did not print ${pattern} within ${timeoutMs} ms:\n${this.output}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Waits for the process to exit; throws when it is still running after `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<ExitStatus> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`relay still running ${timeoutMs} ms later:\n${this.output}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.exitStatus) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if it is still running after `graceMs`. */
  async stop(graceMs = 5000): Promise<ExitStatus> {
    if (this.exitStatus) return this.exitStatus;
    this.child.kill('SIGTERM');
    try {
      return await this.waitForExit(graceMs);
    } catch {
      this.child.kill('SIGKILL');
      return this.exited;
    }
  }

  /** The official client against this relay. */
  client(options: { apiKey?: string; timeoutMs?: number } = {}): OpenAI {
    return new OpenAI({
      baseURL: `${this.url}/v1`,
      apiKey: options.apiKey ?? ACCESS_KEY,
      maxRetries: 0,
      timeout: options.timeoutMs ?? 15_000,
    });
  }

  /** fetch() against the relay with the access key (unless an authorization header is given). */
  fetch(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const { json, headers, ...rest } = init;
    return fetch(this.url + path, {
      method: json === undefined ? 'GET' : 'POST',
      signal: AbortSignal.timeout(15_000),
      ...rest,
      headers: {
        authorization: `Bearer ${ACCESS_KEY}`,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        ...(headers as Record<string, string> | undefined),
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
  }
}

function defaultArgs(workspace: RelayWorkspace): string[] {
  return [
    '--config',
    workspace.configPath,
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--data-dir',
    workspace.dataDir,
  ];
}

/** Spawns a relay and waits until it listens. */
export async function startRelay(options: SpawnOptions): Promise<RelayProcess> {
  const relay = new RelayProcess(options);
  try {
    await relay.listening();
  } catch (error) {
    await relay.stop(1000);
    throw error;
  }
  return relay;
}

/** Writes `config` (with the access key) to a fresh workspace and starts a relay on it. */
export async function startRelayWithConfig(
  config: object,
  options: Omit<SpawnOptions, 'workspace'> = {},
): Promise<RelayProcess> {
  const workspace = new RelayWorkspace();
  workspace.writeConfig(config);
  try {
    return await startRelay({ ...options, workspace });
  } catch (error) {
    workspace.remove();
    throw error;
  }
}

/** Stops the relay and removes its workspace. */
export async function disposeRelay(relay: RelayProcess | undefined): Promise<void> {
  if (!relay) return;
  await relay.stop();
  relay.workspace.remove();
}

/** A provider block for the fake upstream. */
export function fakeProvider(baseUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    base_url: baseUrl,
    keys: [{ key: 'sk-e2e-1', label: 'k1' }],
    timeout: 5,
    first_token_timeout: 0,
    retry: { enabled: false },
    ...extra,
  };
}

/** Polls `check` every 25 ms until it is true; throws after `timeoutMs`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 25));
  }
}
