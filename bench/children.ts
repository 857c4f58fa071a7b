import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A server the benchmark started as its own process. */
export interface ChildServer {
  readonly name: string;
  readonly pid: number;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface ChildSpec<Ready> {
  name: string;
  /** Arguments to this same node binary (script first). */
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Looks at each stdout line; returns a value once the server is listening. */
  readyWhen: (line: string) => Ready | undefined;
  readyTimeoutMs?: number;
}

const running = new Set<ChildProcess>();
const TAIL_LINES = 20;

/** The process ids of every child still running. */
export function childPids(): number[] {
  return [...running].flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
}

/** Kills every child still running, synchronously: for `exit` and fatal paths. */
export function killAllChildrenNow(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

process.on('exit', killAllChildrenNow);

/** Spawns `node ...args` and resolves once `readyWhen` recognises a stdout line. */
export function startChild<Ready>(spec: ChildSpec<Ready>): Promise<{ server: ChildServer; ready: Ready }> {
  const child = spawn(process.execPath, [...spec.args], {
    env: spec.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const tail = keepTail(child);
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${spec.name} ${why}\n--- last output ---\n${tail.join('\n')}`));
    };
    const timer = setTimeout(() => fail('did not get ready in time'), spec.readyTimeoutMs ?? 20_000);
    child.once('exit', (code, signal) => fail(`exited before it was ready (code ${code}, signal ${signal})`));
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (settled) return;
      const ready = spec.readyWhen(line);
      if (ready === undefined) return;
      settled = true;
      clearTimeout(timer);
      resolve({ server: childServer(spec.name, child), ready });
    });
  });
}

/** Remembers the last lines a child printed (stdout and stderr) for error messages; drains both pipes. */
function keepTail(child: ChildProcess): string[] {
  const tail: string[] = [];
  const remember = (line: string) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  createInterface({ input: child.stdout! }).on('line', remember);
  createInterface({ input: child.stderr! }).on('line', remember);
  return tail;
}

function childServer(name: string, child: ChildProcess): ChildServer {
  return {
    name,
    pid: child.pid!,
    stop: (graceMs = 5000) => stopChild(child, graceMs),
  };
}

function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      running.delete(child);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
