import { FAKE_LLAMA_SERVER_MAIN, fakeLlamaCommand, type FakeLlamaCommandOptions } from '@monorelay/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { LifecycleService } from '../../apps/relay/src/lifecycle/lifecycle.service';
import type { ModelStatus } from '../../apps/relay/src/lifecycle/model-scheduler';
import { findStaleProcesses } from '../../apps/relay/src/lifecycle/stale-processes';
import type { RelayHarness } from './relay-harness';

export { FAKE_LLAMA_SERVER_MAIN, fakeLlamaCommand };

/** A port base of its own per relay, so test files running side by side do not race for ports. */
export function randomPortBase(): number {
  return 20_000 + Math.floor(Math.random() * 400) * 100;
}

/** A lifecycle model entry that runs the fake llama-server. */
export function fakeModel(options: FakeLlamaCommandOptions = {}, extra: Record<string, unknown> = {}) {
  return { cmd: fakeLlamaCommand(options), ctx_size: 8192, ...extra };
}

/** Short times so tests are quick; generous bounds so a loaded machine does not make them flaky. */
export function lifecycleBlock(models: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    enabled: true,
    models,
    port_base: randomPortBase(),
    start_timeout_ms: 20_000,
    health_interval_ms: 50,
    stop_timeout_ms: 3000,
    keepalive_interval_ms: 100,
    idle_shutdown_ms: 0,
    switch_max_wait_ms: 20_000,
    ...extra,
  };
}

/** Polls `check` until it returns a value (not undefined/false) or `timeoutMs` passes. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export function lifecycleOf(relay: RelayHarness): LifecycleService {
  return relay.app.get(LifecycleService);
}

export function statusOf(relay: RelayHarness, model: string): ModelStatus {
  const found = lifecycleOf(relay)
    .status(200)
    .find((entry) => entry.name === model);
  if (!found) throw new Error(`no status for ${model}`);
  return found;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Closes the relay and checks nothing it started survives: no process carries its owner marker.
 * Kills (and reports) any that did, so one failing test cannot leave orphans behind.
 */
export async function closeAndCheckNoOrphans(relay: RelayHarness): Promise<void> {
  const { owner } = lifecycleOf(relay);
  await relay.close();
  const left = await waitFor(
    'no orphans',
    () => findStaleProcesses(owner).length === 0 || undefined,
    5000,
  ).catch(() => findStaleProcesses(owner));
  if (Array.isArray(left) && left.length > 0) {
    for (const stale of left) {
      try {
        process.kill(-stale.pgid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    throw new Error(`orphan processes after close: ${JSON.stringify(left)}`);
  }
}

export const chat = (model: string | undefined, content = 'hi', extra: Record<string, unknown> = {}) => ({
  ...(model === undefined ? {} : { model }),
  messages: [{ role: 'user', content }],
  ...extra,
});
