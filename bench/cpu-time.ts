import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

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
 * CPU time of a process's main thread only (its event loop: what bounds a Node server's
 * throughput when the other threads have a core to themselves), in ms.
 */
export async function readMainThreadCpuMs(pid: number): Promise<number> {
  return cpuMsOfStat(await readFile(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
}

function cpuMsOfStat(stat: string): number {
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  return ((userTicks + systemTicks) * 1000) / TICKS_PER_SECOND;
}
