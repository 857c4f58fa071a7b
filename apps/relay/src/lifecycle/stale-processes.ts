import { readFileSync, readdirSync } from 'node:fs';
import { MODEL_ENV, OWNER_ENV, PARENT_ENV, signalGroup } from './model-process';

export interface StaleProcess {
  pid: number;
  pgid: number;
  model: string;
}

/**
 * Processes a previous run of this relay (same owner tag: its data directory) left behind after
 * a crash, found by the marker in their environment. A process whose relay (another process on the
 * same data directory, e.g. an admin command next to the server) is still alive is left alone.
 * Linux (/proc) only; elsewhere, none.
 */
export function findStaleProcesses(owner: string, exclude: ReadonlySet<number> = new Set()): StaleProcess[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const marker = `${OWNER_ENV}=${owner}`;
  const found: StaleProcess[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid || exclude.has(pid)) continue;
    let environ: string;
    let stat: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
      stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    } catch {
      continue;
    }
    const vars = environ.split('\0');
    if (!vars.includes(marker)) continue;
    const parent = Number(vars.find((v) => v.startsWith(`${PARENT_ENV}=`))?.slice(PARENT_ENV.length + 1));
    if (Number.isInteger(parent) && parent > 0 && parent !== process.pid && processAlive(parent)) continue;
    // stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so read after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') continue;
    const pgid = Number(fields[2]);
    const model = vars.find((v) => v.startsWith(`${MODEL_ENV}=`))?.slice(MODEL_ENV.length + 1) ?? '';
    found.push({ pid, pgid, model });
  }
  return found;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownProcessGroup(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return -1;
  }
}

/** Kills what {@link findStaleProcesses} finds (whole groups); returns what was killed. */
export function killStaleProcesses(owner: string, exclude: ReadonlySet<number> = new Set()): StaleProcess[] {
  const stale = findStaleProcesses(owner, exclude);
  const own = ownProcessGroup();
  for (const found of stale) {
    if (found.pgid > 1 && found.pgid !== own && !exclude.has(found.pgid)) signalGroup(found.pgid, 'SIGKILL');
    try {
      process.kill(found.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return stale;
}
