import { readProcStatusMb } from './memory';
import { runLoad } from './throughput';
import type { Target } from './targets';

export interface SoakSettings {
  minutes: number;
  connections: number;
  /** Seconds per load run; RSS is read after each (60 = one reading a minute). */
  intervalSeconds: number;
}

export interface SoakInterval {
  /** Minutes since the soak began, at the end of this interval. */
  atMinutes: number;
  requestsPerSecond: number;
  answered: number;
  failures: number;
  rssMb: number;
  /** VmHWM so far. */
  highWaterMarkMb: number;
}

export interface SoakMeasurement {
  connections: number;
  intervals: SoakInterval[];
  /** RSS after the first interval: the warmed-up level the rest is compared with. */
  warmRssMb: number;
  finalRssMb: number;
  /** finalRssMb - warmRssMb. */
  growthMb: number;
  /** The largest RSS reading after the first interval minus the first one. */
  maxGrowthMb: number;
  answered: number;
  failures: number;
}

/**
 * Sustained load on the relay (DESIGN.md: memory flat over a 10-minute soak): back-to-back load
 * runs at one concurrency, the relay's RSS read after each. The first interval is the warm-up
 * (heaps and caches grow to their working size); what counts is growth after it.
 */
export async function measureSoak(
  relay: Target,
  settings: SoakSettings,
  progress: (line: string) => void,
): Promise<SoakMeasurement> {
  const intervals: SoakInterval[] = [];
  const runs = Math.max(2, Math.round((settings.minutes * 60) / settings.intervalSeconds));
  for (let run = 1; run <= runs; run++) {
    const load = await runLoad(relay, settings.connections, settings.intervalSeconds);
    const interval: SoakInterval = {
      atMinutes: (run * settings.intervalSeconds) / 60,
      requestsPerSecond: load.requestsPerSecond,
      answered: load.answered,
      failures: load.failures,
      rssMb: await readProcStatusMb(relay.pid, 'VmRSS'),
      highWaterMarkMb: await readProcStatusMb(relay.pid, 'VmHWM'),
    };
    intervals.push(interval);
    progress(
      `soak ${run}/${runs} (${interval.atMinutes.toFixed(1)} min): ${Math.round(interval.requestsPerSecond)} req/s, ` +
        `RSS ${interval.rssMb.toFixed(1)} MB (peak so far ${interval.highWaterMarkMb.toFixed(1)} MB)`,
    );
  }
  const warmRssMb = intervals[0]!.rssMb;
  const finalRssMb = intervals.at(-1)!.rssMb;
  const afterWarmUp = intervals.slice(1).map((interval) => interval.rssMb);
  return {
    connections: settings.connections,
    intervals,
    warmRssMb,
    finalRssMb,
    growthMb: finalRssMb - warmRssMb,
    maxGrowthMb: Math.max(...afterWarmUp) - warmRssMb,
    answered: intervals.reduce((sum, i) => sum + i.answered, 0),
    failures: intervals.reduce((sum, i) => sum + i.failures, 0),
  };
}
