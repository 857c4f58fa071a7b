import { readFile } from 'node:fs/promises';

export interface MemoryResult {
  /** The larger of the kernel's high-water mark (VmHWM) and the highest sampled VmRSS, in MB. */
  peakRssMb: number;
  /** VmHWM from /proc/<pid>/status at the end of the run. */
  highWaterMarkMb: number;
  /** VmRSS sampled once the process was up, and at the end. */
  rssAtStartMb: number;
  rssAtEndMb: number;
  samples: number;
}

const KIB_PER_MB = 1024;
const SAMPLE_EVERY_MS = 200;
const STATUS_FIELDS = {
  VmRSS: /^VmRSS:\s+(\d+)\s+kB/m,
  VmHWM: /^VmHWM:\s+(\d+)\s+kB/m,
};

/** Reads one `Vm...:   123 kB` field of /proc/<pid>/status, in MB. */
export async function readProcStatusMb(pid: number, field: keyof typeof STATUS_FIELDS): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = STATUS_FIELDS[field].exec(status);
  if (!match) throw new Error(`/proc/${pid}/status has no ${field} line`);
  return Number(match[1]) / KIB_PER_MB;
}

/** Samples a process's resident set size in the background while the load runs (Linux /proc). */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private peakMb = 0;
  private firstMb = Number.NaN;
  private count = 0;

  constructor(private readonly pid: number) {}

  async start(): Promise<void> {
    await this.sample();
    this.timer = setInterval(() => void this.sample().catch(() => {}), SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Stops sampling and reads the final figures; call while the process still runs. */
  async finish(): Promise<MemoryResult> {
    this.stop();
    const rssAtEndMb = await this.sample();
    const highWaterMarkMb = await readProcStatusMb(this.pid, 'VmHWM');
    return {
      peakRssMb: Math.max(highWaterMarkMb, this.peakMb),
      highWaterMarkMb,
      rssAtStartMb: this.firstMb,
      rssAtEndMb,
      samples: this.count,
    };
  }

  private async sample(): Promise<number> {
    const rssMb = await readProcStatusMb(this.pid, 'VmRSS');
    if (Number.isNaN(this.firstMb)) this.firstMb = rssMb;
    this.peakMb = Math.max(this.peakMb, rssMb);
    this.count += 1;
    return rssMb;
  }
}
