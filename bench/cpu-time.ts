import { execFileSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';

/** Kernel clock ticks per second (the unit of utime/stime in /proc/<pid>/stat). */
export const TICKS_PER_SECOND = readTicksPerSecond();

function readTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

/**
 * CPU time (user + system, every thread) a process has used so far, in ms, from /proc/<pid>/stat.
 * The resolution is one clock tick (10 ms at 100 Hz): fine over seconds of load.
 */
export async function readCpuMs(pid: number): Promise<number> {
  return cpuMsOfStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
}

/**
 * CPU time by kind of thread: the main thread (the event loop: what bounds a Node server's
 * throughput when the other threads have a core to themselves), V8's helper threads (parallel and
 * concurrent garbage collection, background compilation) and worker_threads (the relay's log store).
 * The unit is the caller's: ms so far, or µs per request.
 */
export interface ThreadCpu {
  main: number;
  v8Helpers: number;
  workerThreads: number;
}

/** A `ThreadCpu` whose every kind of thread is `value(kind)`. */
export function perThread(value: (kind: keyof ThreadCpu) => number): ThreadCpu {
  return { main: value('main'), v8Helpers: value('v8Helpers'), workerThreads: value('workerThreads') };
}

/**
 * A process's CPU time so far by kind of thread, in ms. Threads are told apart by their names
 * (`V8Worker`, `WorkerThread`); CPU of threads that exited between two readings is lost to both.
 */
export async function readThreadCpuMs(pid: number): Promise<ThreadCpu> {
  const totals: ThreadCpu = { main: 0, v8Helpers: 0, workerThreads: 0 };
  for (const tid of await readdir(`/proc/${pid}/task`)) {
    const read = (file: string) => readFile(`/proc/${pid}/task/${tid}/${file}`, 'utf8');
    let name: string;
    let cpuMs: number;
    try {
      name = (await read('comm')).trim();
      cpuMs = cpuMsOfStat(await read('stat'));
    } catch {
      continue; // the thread exited meanwhile
    }
    if (tid === String(pid)) totals.main += cpuMs;
    else if (name.startsWith('V8Worker')) totals.v8Helpers += cpuMs;
    else if (name.startsWith('WorkerThread')) totals.workerThreads += cpuMs;
  }
  return totals;
}

function cpuMsOfStat(stat: string): number {
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  return ((userTicks + systemTicks) * 1000) / TICKS_PER_SECOND;
}
