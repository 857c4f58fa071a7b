import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

export interface HealthWait {
  timeoutMs: number;
  intervalMs: number;
  signal: AbortSignal;
  /** false once the process has exited: stop polling. */
  alive(): boolean;
}

/** One poll: true on 200 (llama-server answers 503 while it loads the model). */
export async function isHealthy(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await request(url, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    await response.body.dump();
    return response.statusCode === 200;
  } catch {
    return false;
  }
}

/** Polls `url` until it answers 200; throws when the process exits or the timeout passes. */
export async function waitUntilHealthy(url: string, wait: HealthWait): Promise<void> {
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    if (wait.signal.aborted) throw new Error('load cancelled');
    if (!wait.alive()) throw new Error('the process exited while loading');
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`not healthy within ${wait.timeoutMs} ms`);
    if (await isHealthy(url, Math.min(2000, left))) {
      if (!wait.alive()) throw new Error('the process exited while loading');
      return;
    }
    await sleep(Math.min(wait.intervalMs, Math.max(1, deadline - Date.now())), undefined, {
      signal: wait.signal,
    }).catch(() => undefined);
  }
}
