import { readFile } from 'node:fs/promises';
import { childPids } from './children';
import { TICKS_PER_SECOND, readCpuMs } from './cpu-time';

/**
 * CPU time the whole machine has been busy so far (every core, user + nice + system + irq + softirq +
 * steal), in ms, from the first line of /proc/stat.
 */
export async function readMachineBusyMs(): Promise<number> {
  const stat = await readFile('/proc/stat', 'utf8');
  const fields = stat.slice(0, stat.indexOf('\n')).trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return ((user + nice + system + irq + softirq + steal) * 1000) / TICKS_PER_SECOND;
}

/** CPU time used so far by this process and every child the benchmark started, in ms. */
export async function readOwnCpuMs(): Promise<number> {
  const self = process.cpuUsage();
  let total = (self.user + self.system) / 1000;
  for (const pid of childPids()) total += await readCpuMs(pid).catch(() => 0);
  return total;
}

/**
 * Measures how busy the rest of the machine is (other processes, the hypervisor's steal, interrupts
 * not charged to our processes) while something runs: in cores, e.g. 0.5 = half a core taken away.
 */
export class OtherLoadMeter {
  private constructor(
    private readonly startedAt: number,
    private readonly machineMs: number,
    private readonly ownMs: number,
  ) {}

  static async start(): Promise<OtherLoadMeter> {
    const [machineMs, ownMs] = await Promise.all([readMachineBusyMs(), readOwnCpuMs()]);
    return new OtherLoadMeter(performance.now(), machineMs, ownMs);
  }

  async coresUsed(): Promise<number> {
    const [machineMs, ownMs] = await Promise.all([readMachineBusyMs(), readOwnCpuMs()]);
    const wallMs = performance.now() - this.startedAt;
    const otherMs = machineMs - this.machineMs - (ownMs - this.ownMs);
    return Math.max(0, otherMs / Math.max(1, wallMs));
  }
}
