/**
 * What request logging costs: two relays with the same config except `logging.enabled` (the main
 * relay, logging on into its SQLite store through the write-behind queue, and a second relay with
 * logging off), the same non-streaming chat request to the same fake upstream, interleaved rounds.
 * After each logging-on run the bench waits until that relay's queue has written everything, so the
 * last flush is charged to that run's CPU and never steals CPU from the next run. Then it checks that
 * the rows were really written (and that nothing was shed or dropped), and that the other relay
 * logged nothing.
 */
import type { RequestLogEntry } from '@monorelay/contracts';
import { request } from 'undici';
import { type AddedMs, added } from './latency';
import { type LoopBounds, type Progress, sampleSequentially } from './sequential-loop';
import { RELAY_ACCESS_KEY, type RunningServer } from './servers';
import { type Distribution, describe, median } from './stats';
import { timeStream } from './streaming';
import { type MainTarget, relayTarget } from './targets';
import { type ThreadCpu, perThread } from './cpu-time';
import { type LoadRun, runLoad } from './throughput';
import { QUIET_OTHER_CORES, type RouteLoad, routeLoad } from './translation';

export interface LoggingSettings {
  concurrencies: readonly number[];
  durationSeconds: number;
  rounds: number;
  /** Warm-up passes (every concurrency, both relays, 1 s each) before anything is measured. */
  warmupPasses: number;
}

/** The relay's write-behind queue, as `GET /api/logs/queue` reports it. */
export interface QueueStats {
  queued: number;
  written: number;
  /** Entries queued without their bodies (the queue was long). */
  shed: number;
  /** Entries not logged at all (the queue was full). */
  dropped: number;
  failedWrites: number;
  lastError: string | null;
}

/** How the logging-on relay's queue counters moved over some runs. */
export interface QueueDelta {
  /** Rows written to the store. */
  written: number;
  shed: number;
  dropped: number;
  failedWrites: number;
}

export interface LoggingThroughput {
  concurrency: number;
  on: RouteLoad;
  off: RouteLoad;
  /**
   * Median of on rps / off rps over the quiet rounds (every round when none was quiet); the two ran
   * back to back in each round, alternating which went first.
   */
  ratio: number;
  /** The same median over every round, quiet or not. */
  ratioAllRounds: number;
  /** Rounds in which neither run saw more than QUIET_OTHER_CORES of other load; `ratio` uses these. */
  quietRounds: number;
  /** Per round, on rps / off rps. */
  roundRatios: number[];
  /** median on rps / median off rps, for comparison. */
  ratioOfMedians: number;
  /** Median on CPU µs/request minus median off: what logging costs the relay's CPU per request. */
  addedCpuUsPerRequest: number;
  /**
   * `addedCpuUsPerRequest` by kind of thread: the main thread, V8's helper threads (garbage
   * collection: what logging keeps alive longer costs there) and worker threads (the log store).
   */
  addedCpuSplit: ThreadCpu;
  /** Median off CPU µs/request over median on: the throughput ratio to expect where the relay's CPU is the limit. */
  cpuRatio: number;
  /** 2xx answers of the logging-on relay over the measured rounds. */
  answered: number;
  /** What the logging-on relay's queue did over the measured rounds (each run drained before the next). */
  queue: QueueDelta;
}

export interface SideStreaming {
  firstContentMs: Distribution;
  totalMs: Distribution;
}

export interface LoggingStreaming {
  samplesPerSide: number;
  complete: boolean;
  on: SideStreaming;
  off: SideStreaming;
  /** on minus off, time to first content. */
  addedFirstContentMs: AddedMs;
  /** on minus off, whole stream. */
  addedTotalMs: AddedMs;
}

/** What the stores of the two relays hold once the phase is over. */
export interface LoggingCheck {
  /** 2xx answers of the logging-on relay during the phase: warm-up, measured runs and streams. */
  answered: number;
  /** Its queue over the whole phase (after the last flush). */
  queue: QueueDelta;
  /** Its queue's counters since it started (earlier phases included). */
  queueTotal: QueueStats;
  /** `GET /api/logs?limit=20` on the logging-on relay: the newest entry, if any. */
  newestEntry: { id: string; state: string; path: string; statusCode: number; model: string | null } | null;
  /** The logging-off relay: entries `GET /api/logs?limit=20` returned (the smallest page), and its queue. */
  offEntries: number;
  offQueue: QueueStats;
  /** Empty when the check passed: rows missing, work shed or dropped, failed writes, rows where none belong. */
  problems: string[];
}

export interface LoggingMeasurement {
  durationSeconds: number;
  rounds: number;
  throughput: LoggingThroughput[];
  streaming: LoggingStreaming;
  check: LoggingCheck;
}

const WARMUP_SECONDS = 1;
const DRAIN_POLL_MS = 20;
const DRAIN_TIMEOUT_MS = 30_000;

type Side = 'on' | 'off';

export async function measureLogging(
  relayOn: RunningServer,
  relayOff: RunningServer,
  settings: LoggingSettings,
  streamBounds: LoopBounds,
  progress: Progress,
): Promise<LoggingMeasurement> {
  const targets: Record<Side, MainTarget> = { on: relayTarget(relayOn), off: relayTarget(relayOff) };
  const on = new QueueWatch(relayOn);
  const startStats = await on.drained();
  let answered = 0;
  const run = async (side: Side, connections: number, seconds: number) => {
    const result = await runLoad(
      targets[side],
      connections,
      seconds,
      side === 'on' ? { settle: () => on.drained().then(() => undefined) } : {},
    );
    if (side === 'on') answered += result.answered;
    return result;
  };

  for (let pass = 1; pass <= settings.warmupPasses; pass++) {
    for (const connections of settings.concurrencies) {
      progress(
        `logging: warm-up pass ${pass}/${settings.warmupPasses}, ${WARMUP_SECONDS}s per relay at c=${connections}`,
      );
      await run('on', connections, WARMUP_SECONDS);
      await run('off', connections, WARMUP_SECONDS);
    }
  }

  const throughput: LoggingThroughput[] = [];
  for (const concurrency of settings.concurrencies) {
    const before = await on.drained();
    const runs: Record<Side, LoadRun[]> = { on: [], off: [] };
    for (let round = 1; round <= settings.rounds; round++) {
      const order: Side[] = round % 2 === 1 ? ['on', 'off'] : ['off', 'on'];
      for (const side of order) runs[side].push(await run(side, concurrency, settings.durationSeconds));
      progress(
        `logging c=${concurrency} round ${round}/${settings.rounds} (${order.join(' first, ')} second): ` +
          `on ${describeRun(runs.on.at(-1)!)} / off ${describeRun(runs.off.at(-1)!)}`,
      );
    }
    const queue = queueDelta(before, await on.drained());
    throughput.push(summarize(concurrency, runs.on, runs.off, queue));
  }

  progress('logging: streaming time to first content at concurrency 1, logging on vs off');
  const streamTargets = [
    { ...targets.on, name: 'logging on' },
    { ...targets.off, name: 'logging off' },
  ];
  const { samples, complete } = await sampleSequentially(
    'logging streaming',
    streamTargets,
    streamBounds,
    timeStream,
    progress,
  );
  const timings = (name: string) => samples.get(name) ?? [];
  const streamSide = (name: string): SideStreaming => ({
    firstContentMs: describe(timings(name).map((t) => t.firstContentMs)),
    totalMs: describe(timings(name).map((t) => t.totalMs)),
  });
  const streamOn = streamSide('logging on');
  const streamOff = streamSide('logging off');
  // Streams kept as samples answered 200 (warm-up streams did too, but may have been cut short).
  answered += timings('logging on').length;

  progress('logging: checking what each relay logged');
  const check = await checkLogs(relayOn, relayOff, startStats, await on.drained(), answered);
  return {
    durationSeconds: settings.durationSeconds,
    rounds: settings.rounds,
    throughput,
    streaming: {
      samplesPerSide: Math.min(timings('logging on').length, timings('logging off').length),
      complete,
      on: streamOn,
      off: streamOff,
      addedFirstContentMs: added(streamOn.firstContentMs, streamOff.firstContentMs),
      addedTotalMs: added(streamOn.totalMs, streamOff.totalMs),
    },
    check,
  };
}

function describeRun(run: LoadRun): string {
  return (
    `${Math.round(run.requestsPerSecond)} req/s ${Math.round(run.cpuUsPerRequest)} µs, ` +
    `main thread ${Math.round(run.cpuSplit.main)} µs, V8 helpers ${Math.round(run.cpuSplit.v8Helpers)} µs, ` +
    `log thread ${Math.round(run.cpuSplit.workerThreads)} µs (other ${run.otherCpuCores.toFixed(2)})`
  );
}

function summarize(
  concurrency: number,
  onRuns: LoadRun[],
  offRuns: LoadRun[],
  queue: QueueDelta,
): LoggingThroughput {
  const on = routeLoad(onRuns);
  const off = routeLoad(offRuns);
  const roundRatios = onRuns.map((run, round) => run.requestsPerSecond / offRuns[round]!.requestsPerSecond);
  const quiet = roundRatios.filter(
    (_, round) =>
      onRuns[round]!.otherCpuCores <= QUIET_OTHER_CORES && offRuns[round]!.otherCpuCores <= QUIET_OTHER_CORES,
  );
  return {
    concurrency,
    on,
    off,
    ratio: median(quiet.length > 0 ? quiet : roundRatios),
    ratioAllRounds: median(roundRatios),
    quietRounds: quiet.length,
    roundRatios,
    ratioOfMedians: on.requestsPerSecond / off.requestsPerSecond,
    addedCpuUsPerRequest: on.cpuUsPerRequest - off.cpuUsPerRequest,
    addedCpuSplit: perThread((kind) => on.cpuSplit[kind] - off.cpuSplit[kind]),
    cpuRatio: off.cpuUsPerRequest / on.cpuUsPerRequest,
    answered: onRuns.reduce((sum, run) => sum + run.answered, 0),
    queue,
  };
}

export function queueDelta(before: QueueStats, after: QueueStats): QueueDelta {
  return {
    written: after.written - before.written,
    shed: after.shed - before.shed,
    dropped: after.dropped - before.dropped,
    failedWrites: after.failedWrites - before.failedWrites,
  };
}

/** Reads a relay's write-behind queue; `drained()` waits until nothing is left to write. */
class QueueWatch {
  constructor(private readonly relay: RunningServer) {}

  stats(): Promise<QueueStats> {
    return getJson<QueueStats>(this.relay, '/api/logs/queue');
  }

  async drained(): Promise<QueueStats> {
    const deadline = performance.now() + DRAIN_TIMEOUT_MS;
    for (;;) {
      const stats = await this.stats();
      if (stats.queued === 0) return stats;
      if (performance.now() > deadline)
        throw new Error(
          `${this.relay.name}: the request log queue still holds ${stats.queued} entries after ${DRAIN_TIMEOUT_MS} ms`,
        );
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
  }
}

interface LogPage {
  entries: Array<
    Pick<RequestLogEntry, 'id' | 'state' | 'path' | 'statusCode' | 'servedModel' | 'requestedModel'>
  >;
}

async function checkLogs(
  relayOn: RunningServer,
  relayOff: RunningServer,
  startStats: QueueStats,
  endStats: QueueStats,
  answered: number,
): Promise<LoggingCheck> {
  const queue = queueDelta(startStats, endStats);
  const [onPage, offPage, offQueue] = await Promise.all([
    getJson<LogPage>(relayOn, '/api/logs?limit=20'),
    getJson<LogPage>(relayOff, '/api/logs?limit=20'),
    getJson<QueueStats>(relayOff, '/api/logs/queue'),
  ]);
  const newest = onPage.entries[0];
  const problems: string[] = [];
  if (queue.written < answered)
    problems.push(`logging on: ${queue.written} rows written for ${answered} answered requests`);
  if (!newest)
    problems.push(
      `logging on: GET /api/logs returned no entry although the queue wrote ${queue.written} rows ` +
        '(does the access key see every entry?)',
    );
  if (queue.shed > 0) problems.push(`logging on: ${queue.shed} entries queued without their bodies (shed)`);
  if (queue.dropped > 0) problems.push(`logging on: ${queue.dropped} entries dropped`);
  if (queue.failedWrites > 0) problems.push(`logging on: ${queue.failedWrites} failed writes`);
  if (offPage.entries.length > 0 || offQueue.written > 0)
    problems.push(
      `logging off: ${offPage.entries.length} entries listed, ${offQueue.written} rows written (expected none)`,
    );
  return {
    answered,
    queue,
    queueTotal: endStats,
    newestEntry: newest
      ? {
          id: newest.id,
          state: newest.state,
          path: newest.path,
          statusCode: newest.statusCode,
          model: newest.servedModel ?? newest.requestedModel,
        }
      : null,
    offEntries: offPage.entries.length,
    offQueue,
    problems,
  };
}

async function getJson<T>(relay: RunningServer, path: string): Promise<T> {
  const response = await request(`${relay.origin}${path}`, {
    headers: { authorization: `Bearer ${RELAY_ACCESS_KEY}` },
  });
  const text = await response.body.text();
  if (response.statusCode !== 200)
    throw new Error(`${relay.name}: GET ${path} answered ${response.statusCode}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}
