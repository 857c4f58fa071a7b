import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogRing } from './log-ring';

/** Env var that marks a child as started by this relay (data directory); see stale cleanup. */
export const OWNER_ENV = 'MONORELAY_LIFECYCLE_OWNER';
export const MODEL_ENV = 'MONORELAY_LIFECYCLE_MODEL';
/** The relay process that started the child: a child whose relay still runs is not stale. */
export const PARENT_ENV = 'MONORELAY_LIFECYCLE_PARENT';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ModelProcessOptions {
  model: string;
  command: string;
  stopCommand: string;
  port: number;
  owner: string;
  ring: LogRing;
}

/** Characters a model name may not bring into a shell command line. */
const SHELL_META = /[^A-Za-z0-9._:@/+-]/g;

/** `${PORT}` and `${MODEL}` in a start/stop command. */
export function expandCommand(command: string, port: number, model: string): string {
  return command
    .replaceAll('${PORT}', String(port))
    .replaceAll('${LLAMA_PORT}', String(port))
    .replaceAll('${MODEL}', model.replace(SHELL_META, ''));
}

/** Signals a whole process group; false when it no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * One llama-server (or anything that honours LLAMA_PORT) in its own process group, so a stop
 * reaches the shell, the server and anything they started. Output goes to the model's ring.
 */
export class ModelProcess {
  readonly pid: number;
  readonly startedAt = Date.now();
  readonly exited: Promise<ProcessExit>;
  private exit: ProcessExit | null = null;
  private readonly child: ChildProcess;

  constructor(private readonly options: ModelProcessOptions) {
    const { port, model, owner } = options;
    this.child = spawn('/bin/sh', ['-c', expandCommand(options.command, port, model)], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        LLAMA_PORT: String(port),
        [OWNER_ENV]: owner,
        [MODEL_ENV]: model,
        [PARENT_ENV]: String(process.pid),
      },
    });
    this.child.stdout?.on('data', (chunk: Buffer) => options.ring.push(chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => options.ring.push(chunk));
    this.pid = this.child.pid ?? -1;
    this.exited = new Promise((resolve) => {
      const done = (exit: ProcessExit): void => {
        if (this.exit) return;
        this.exit = exit;
        // whatever the leader left behind in its group goes with it
        if (this.pid > 0) signalGroup(this.pid, 'SIGKILL');
        resolve(exit);
      };
      this.child.once('exit', (code, signal) => done({ code, signal }));
      this.child.once('error', (error) => {
        options.ring.note(`could not start: ${error.message}`);
        done({ code: null, signal: null });
      });
    });
  }

  get running(): boolean {
    return this.exit === null && this.pid > 0;
  }

  get exitInfo(): ProcessExit | null {
    return this.exit;
  }

  /**
   * Stops the group: the stop command first (if any), then SIGTERM, then SIGKILL after
   * `graceMs`. Resolves once the leader has exited (bounded: SIGKILL cannot be refused).
   */
  async stop(graceMs: number): Promise<ProcessExit> {
    if (!this.running) return this.exited;
    if (this.options.stopCommand) await this.runStopCommand(graceMs);
    if (!this.running) return this.exited;
    signalGroup(this.pid, 'SIGTERM');
    const timer = sleep(graceMs, 'timeout' as const);
    const result = await Promise.race([this.exited, timer]);
    if (result === 'timeout') {
      this.options.ring.note(`no exit ${graceMs} ms after SIGTERM; sending SIGKILL`);
      signalGroup(this.pid, 'SIGKILL');
    }
    return this.exited;
  }

  /** Last resort (relay exiting): SIGKILL the group at once, synchronously. */
  killNow(): void {
    if (this.pid > 0) signalGroup(this.pid, 'SIGKILL');
  }

  private async runStopCommand(timeoutMs: number): Promise<void> {
    const { port, model, owner } = this.options;
    const stopper = spawn('/bin/sh', ['-c', expandCommand(this.options.stopCommand, port, model)], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, LLAMA_PORT: String(port), [OWNER_ENV]: owner, [MODEL_ENV]: model },
    });
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      await once(stopper, 'exit', { signal: timeout });
    } catch {
      this.options.ring.note(`stop command did not finish within ${timeoutMs} ms`);
      if (stopper.pid) signalGroup(stopper.pid, 'SIGKILL');
    }
  }
}
