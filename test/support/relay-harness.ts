import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RequestLogEntry } from '@monorelay/contracts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createRelayApp } from '../../apps/relay/src/bootstrap';
import { ConfigService } from '../../apps/relay/src/config/config.service';
import { RequestLogService } from '../../apps/relay/src/logging/request-log.service';
import { createProcessLogger } from '../../apps/relay/src/process-logger';

export const ACCESS_KEY = 'test-access-key';

export interface RelayHarness {
  /** e.g. `http://127.0.0.1:PORT` */
  url: string;
  app: NestFastifyApplication;
  configPath: string;
  dataDir: string;
  /** Every request log entry recorded so far, in order. */
  entries: RequestLogEntry[];
  /** Resolves with the next entry recorded (or the first already recorded) that matches. */
  entry(match?: (entry: RequestLogEntry) => boolean, timeoutMs?: number): Promise<RequestLogEntry>;
  /** Rewrites config.yml (for hot-reload tests). */
  writeConfig(config: object): void;
  /** fetch() against the relay with the access key. */
  fetch(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  watchConfig?: boolean;
}

/**
 * Starts the relay in this process on 127.0.0.1 with a config file in a temp dir. Logs are silent
 * unless RELAY_TEST_LOGS=1.
 */
export async function startRelay(config: object, options: HarnessOptions = {}): Promise<RelayHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'monorelay-test-'));
  const configPath = join(dir, 'config.yml');
  const dataDir = join(dir, 'data');
  const withKey = {
    ...config,
    server: { access_key: ACCESS_KEY, ...(config as { server?: object }).server },
  };
  writeFileSync(configPath, stringify(withKey));
  const app = await createRelayApp(
    {
      configPath,
      dataDir,
      env: { ...options.env },
      watchConfig: options.watchConfig ?? false,
      host: '127.0.0.1',
      port: 0,
    },
    { logger: process.env.RELAY_TEST_LOGS ? createProcessLogger('debug') : false },
  );
  const entries: RequestLogEntry[] = [];
  const waiters: Array<{ match: (e: RequestLogEntry) => boolean; resolve: (e: RequestLogEntry) => void }> =
    [];
  app.get(RequestLogService).entries$.subscribe((logged) => {
    entries.push(logged);
    for (const waiter of [...waiters]) {
      if (waiter.match(logged)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(logged);
      }
    }
  });
  const server = app.get(ConfigService).current.server;
  await app.listen(server.port, server.host);
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    url,
    app,
    configPath,
    dataDir,
    entries,
    entry(match = () => true, timeoutMs = 5000) {
      const found = entries.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve };
        waiters.push(waiter);
        setTimeout(() => {
          const index = waiters.indexOf(waiter);
          if (index >= 0) {
            waiters.splice(index, 1);
            reject(new Error(`no matching request log entry within ${timeoutMs}ms`));
          }
        }, timeoutMs).unref();
      });
    },
    writeConfig(next) {
      const nextWithKey = {
        ...next,
        server: { access_key: ACCESS_KEY, ...(next as { server?: object }).server },
      };
      writeFileSync(configPath, stringify(nextWithKey));
    },
    fetch(path, init = {}) {
      const { json, headers, ...rest } = init;
      return fetch(url + path, {
        method: json === undefined ? 'GET' : 'POST',
        ...rest,
        headers: {
          authorization: `Bearer ${ACCESS_KEY}`,
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
    },
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A provider block pointing at a fake upstream. */
export function fakeProvider(baseUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { base_url: baseUrl, keys: [{ key: 'sk-test-1', label: 'k1' }], timeout: 5, ...extra };
}

/** Reads an SSE body into its `data:` payloads (and whether the stream ended with [DONE]). */
export async function readSse(response: Response): Promise<{ events: string[]; done: boolean; raw: string }> {
  const raw = await response.text();
  const events = raw
    .split('\n\n')
    .filter((frame) => frame.trim().length > 0)
    .flatMap((frame) =>
      frame
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6)),
    );
  return { events: events.filter((e) => e !== '[DONE]'), done: events.at(-1) === '[DONE]', raw };
}
