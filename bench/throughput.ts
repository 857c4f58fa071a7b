import autocannon from 'autocannon';
import { type ThreadCpu, perThread, readCpuMs, readThreadCpuMs } from './cpu-time';
import { OtherLoadMeter } from './machine-load';
import type { Progress } from './sequential-loop';
import { median } from './stats';
import type { Target } from './targets';

export interface ThroughputSettings {
  concurrencies: readonly number[];
  durationSeconds: number;
  rounds: number;
}

/** One autocannon run against one target (its non-streaming body, POSTed over and over). */
export interface LoadRun {
  /** 2xx answers per second: failures never count as throughput. */
  requestsPerSecond: number;
  /** 2xx answers in the run. */
  answered: number;
  latencyP99Ms: number;
  failures: number;
  /** CPU time the serving process used per answered request, in µs (noise-resistant, unlike rps). */
  cpuUsPerRequest: number;
  /** The same by kind of thread, in µs per answered request. */
  cpuSplit: ThreadCpu;
  /** CPU the rest of the machine used meanwhile (other processes, steal), in cores: the run's noise. */
  otherCpuCores: number;
}

export interface ConcurrencyResult {
  concurrency: number;
  baselineRps: number;
  relayRps: number;
  /**
   * Median over rounds of (relay rps / baseline rps) within the round: each pair ran back to back,
   * so the machine's drifts (other work, thermal, GC) cancel out better than in a ratio of medians.
   */
  ratio: number;
  /** median relay rps / median baseline rps, for comparison. */
  ratioOfMedians: number;
  /** Median over rounds of the per-request latency autocannon saw, in ms. */
  baselineLatencyP99Ms: number;
  relayLatencyP99Ms: number;
  /** Non-2xx answers, connection errors and timeouts, summed over every run. */
  baselineFailures: number;
  relayFailures: number;
  baselineRounds: number[];
  relayRounds: number[];
  /** Median CPU time per request of the proxy process (user + system), in µs. */
  baselineCpuUsPerRequest: number;
  relayCpuUsPerRequest: number;
  /** The same by kind of thread. */
  baselineCpuSplit: ThreadCpu;
  relayCpuSplit: ThreadCpu;
}

/** Median CPU µs per answered request on each kind of thread. */
export function cpuSplitOf(runs: readonly LoadRun[]): ThreadCpu {
  return perThread((kind) => median(runs.map((run) => run.cpuSplit[kind])));
}

export interface ThroughputResult {
  durationSeconds: number;
  rounds: number;
  byConcurrency: ConcurrencyResult[];
}

/** Each autocannon connection gets up to this long per answer. */
const REQUEST_TIMEOUT_SECONDS = 10;
const WARMUP_SECONDS = 1;

export interface LoadOptions {
  /**
   * Awaited after the load and before the final CPU reading: work the load left behind in the
   * serving process (e.g. the request log's last flush) is charged to the run's CPU per request.
   */
  settle?: () => Promise<void>;
}

export async function runLoad(
  target: Target,
  connections: number,
  durationSeconds: number,
  options: LoadOptions = {},
): Promise<LoadRun> {
  const cpuMsBefore = await readCpuMs(target.pid);
  const threadsBefore = await readThreadCpuMs(target.pid);
  const otherLoad = await OtherLoadMeter.start();
  const result = await autocannon({
    url: `${target.origin}${target.path}`,
    method: 'POST',
    headers: target.headers,
    body: target.body,
    connections,
    pipelining: 1,
    duration: durationSeconds,
    timeout: REQUEST_TIMEOUT_SECONDS,
  });
  await options.settle?.();
  const cpuMs = (await readCpuMs(target.pid)) - cpuMsBefore;
  const threads = await readThreadCpuMs(target.pid);
  const otherCpuCores = await otherLoad.coresUsed();
  const perRequest = (ms: number) => (ms * 1000) / Math.max(1, result['2xx']);
  return {
    otherCpuCores,
    requestsPerSecond: result['2xx'] / result.duration,
    answered: result['2xx'],
    cpuUsPerRequest: perRequest(cpuMs),
    cpuSplit: perThread((kind) => perRequest(threads[kind] - threadsBefore[kind])),
    latencyP99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * Baseline and relay take turns (baseline, relay, baseline, relay, ...) at each concurrency, so slow
 * drifts of the machine hit both; the median of the rounds resists one-off noise.
 */
export async function measureThroughput(
  baseline: Target,
  relay: Target,
  settings: ThroughputSettings,
  progress: Progress,
): Promise<ThroughputResult> {
  await warmUp([baseline, relay], Math.max(...settings.concurrencies), progress);
  const byConcurrency: ConcurrencyResult[] = [];
  for (const concurrency of settings.concurrencies) {
    byConcurrency.push(await measureConcurrency(baseline, relay, concurrency, settings, progress));
  }
  return { durationSeconds: settings.durationSeconds, rounds: settings.rounds, byConcurrency };
}

async function warmUp(targets: readonly Target[], connections: number, progress: Progress): Promise<void> {
  for (const target of targets) {
    progress(`throughput: warming up ${target.name} (${WARMUP_SECONDS}s at c=${connections})`);
    await runLoad(target, connections, WARMUP_SECONDS);
  }
}

async function measureConcurrency(
  baseline: Target,
  relay: Target,
  concurrency: number,
  settings: ThroughputSettings,
  progress: Progress,
): Promise<ConcurrencyResult> {
  const baselineRuns: LoadRun[] = [];
  const relayRuns: LoadRun[] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    const label = `throughput c=${concurrency} round ${round}/${settings.rounds}`;
    baselineRuns.push(await runLoad(baseline, concurrency, settings.durationSeconds));
    relayRuns.push(await runLoad(relay, concurrency, settings.durationSeconds));
    progress(
      `${label}: baseline ${describeRun(baselineRuns.at(-1)!)}, relay ${describeRun(relayRuns.at(-1)!)}`,
    );
  }
  return summarizeConcurrency(concurrency, baselineRuns, relayRuns);
}

function describeRun(run: LoadRun): string {
  return (
    `${Math.round(run.requestsPerSecond)} req/s (${Math.round(run.cpuUsPerRequest)} µs CPU/request, ` +
    `other load ${run.otherCpuCores.toFixed(2)} cores)`
  );
}

function summarizeConcurrency(
  concurrency: number,
  baselineRuns: LoadRun[],
  relayRuns: LoadRun[],
): ConcurrencyResult {
  const baselineRps = median(baselineRuns.map((run) => run.requestsPerSecond));
  const relayRps = median(relayRuns.map((run) => run.requestsPerSecond));
  const total = (runs: LoadRun[]) => runs.reduce((sum, run) => sum + run.failures, 0);
  return {
    concurrency,
    baselineRps,
    relayRps,
    ratio: median(
      relayRuns.map((run, round) => run.requestsPerSecond / baselineRuns[round]!.requestsPerSecond),
    ),
    ratioOfMedians: relayRps / baselineRps,
    baselineLatencyP99Ms: median(baselineRuns.map((run) => run.latencyP99Ms)),
    relayLatencyP99Ms: median(relayRuns.map((run) => run.latencyP99Ms)),
    baselineFailures: total(baselineRuns),
    relayFailures: total(relayRuns),
    baselineRounds: baselineRuns.map((run) => run.requestsPerSecond),
    relayRounds: relayRuns.map((run) => run.requestsPerSecond),
    baselineCpuUsPerRequest: median(baselineRuns.map((run) => run.cpuUsPerRequest)),
    relayCpuUsPerRequest: median(relayRuns.map((run) => run.cpuUsPerRequest)),
    baselineCpuSplit: cpuSplitOf(baselineRuns),
    relayCpuSplit: cpuSplitOf(relayRuns),
  };
}
