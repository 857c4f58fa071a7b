/**
 * What format translation costs: through the same relay, a native route and a translated route that
 * end at the SAME fake upstream, so the upstream's work is equal and only the relay's differs.
 *   Anthropic upstream: messages→anthropic (native)  vs  chat→anthropic (translated)
 *   OpenAI upstream:    chat→openai (native)         vs  messages→openai (translated)
 * The two fakes do different work per request (different frames, stream shapes), so a translated
 * route is never compared with the native route of the other upstream.
 */
import { Client } from 'undici';
import { type AddedMs, added } from './latency';
import { type LoopBounds, type Progress, UnexpectedStatus, sampleSequentially } from './sequential-loop';
import { type Distribution, describe, median } from './stats';
import { type StreamTiming, timeStream } from './streaming';
import type { RunningServer } from './servers';
import { type RouteTarget, UPSTREAM_PROVIDER, type UpstreamKind, routeTarget } from './targets';
import type { ThreadCpu } from './cpu-time';
import { type LoadRun, cpuSplitOf, runLoad } from './throughput';

export interface TranslationSettings {
  concurrencies: readonly number[];
  durationSeconds: number;
  rounds: number;
  /** Warm-up passes (every concurrency, every route, 1 s each) before anything is measured. */
  warmupPasses: number;
  chunks: number;
  chunkDelayMs: number;
}

/** One route's non-streaming load at one concurrency, medians over the rounds. */
export interface RouteLoad {
  requestsPerSecond: number;
  /** CPU time of the relay process per answered request, user + system, in µs. */
  cpuUsPerRequest: number;
  /** The same CPU by kind of thread: main (event loop), V8 helpers, worker threads. */
  cpuSplit: ThreadCpu;
  latencyP99Ms: number;
  /** Non-2xx answers, connection errors and timeouts, summed over the rounds. */
  failures: number;
  rounds: number[];
  cpuRounds: number[];
  /** Per round, CPU the rest of the machine used during the run, in cores. */
  otherCpuCoresRounds: number[];
}

export interface PairThroughput {
  concurrency: number;
  native: RouteLoad;
  translated: RouteLoad;
  /**
   * Median of translated rps / native rps over the quiet rounds (every round when none was quiet);
   * the two ran back to back in each round.
   */
  ratio: number;
  /** The same median over every round, quiet or not. */
  ratioAllRounds: number;
  /** Rounds in which neither run saw more than QUIET_OTHER_CORES of other load; `ratio` uses these. */
  quietRounds: number;
  /** Per round, translated rps / native rps. */
  roundRatios: number[];
  /** median translated rps / median native rps, for comparison. */
  ratioOfMedians: number;
  /** Median translated CPU µs/request minus median native: what translating costs the relay's CPU. */
  addedCpuUsPerRequest: number;
  /**
   * Median native CPU µs/request over median translated: the throughput ratio to expect where the
   * relay's CPU is the limit. Far less sensitive to other work on the machine than the rps ratio.
   */
  cpuRatio: number;
}

export interface RouteStreaming {
  headersMs: Distribution;
  firstByteMs: Distribution;
  /** First bytes of the first event with content (what a user sees as the first token). */
  firstContentMs: Distribution;
  /** Request sent to the stream's last byte. */
  totalMs: Distribution;
}

export interface PairStreaming {
  native: RouteStreaming;
  translated: RouteStreaming;
  /** translated minus native, time to first content. */
  addedFirstContentMs: AddedMs;
  /** translated minus native, whole stream. */
  addedTotalMs: AddedMs;
}

export interface TranslationPair {
  /** The upstream both routes end at. */
  upstream: UpstreamKind;
  nativeRoute: string;
  translatedRoute: string;
  throughput: PairThroughput[];
  streaming: PairStreaming;
}

export interface TranslationMeasurement {
  /** Why the pairs are what they are. */
  comparison: string;
  durationSeconds: number;
  rounds: number;
  streamSamplesPerRoute: number;
  streamComplete: boolean;
  chunks: number;
  chunkDelayMs: number;
  pairs: TranslationPair[];
}

export const COMPARISON_NOTE =
  'each translated route is compared with the native route to the SAME upstream ' +
  '(chat→anthropic vs messages→anthropic, messages→openai vs chat→openai): the two fakes do different work per request';

const WARMUP_SECONDS = 1;

/**
 * A round of a pair is "quiet" when, during both of its runs, the rest of the machine (other
 * processes, steal) used at most this much CPU, in cores. On this shared 2-core machine other work
 * comes and goes in bursts that halve the req/s of whichever run it lands on; the throughput ratio
 * is taken over quiet rounds when there are any. Loopback interrupts of our own load show up as
 * about 0.1 core here.
 */
export const QUIET_OTHER_CORES = 0.3;

interface RoutePair {
  upstream: UpstreamKind;
  native: RouteTarget;
  translated: RouteTarget;
}

/** The four routes through the relay, paired by upstream. */
export function routePairs(relay: RunningServer): RoutePair[] {
  return [
    {
      upstream: 'anthropic',
      native: routeTarget(relay, 'messages', 'anthropic'),
      translated: routeTarget(relay, 'chat', 'anthropic'),
    },
    {
      upstream: 'openai',
      native: routeTarget(relay, 'chat', 'openai'),
      translated: routeTarget(relay, 'messages', 'openai'),
    },
  ];
}

export async function measureTranslation(
  relay: RunningServer,
  settings: TranslationSettings,
  streamBounds: LoopBounds,
  progress: Progress,
): Promise<TranslationMeasurement> {
  const pairs = routePairs(relay);
  const routes = pairs.flatMap((pair) => [pair.native, pair.translated]);
  await checkRoutes(routes, progress);

  // Two passes by default: with one short pass the first measured run was still systematically
  // slower (the relay's heap was still growing).
  for (let pass = 1; pass <= settings.warmupPasses; pass++) {
    for (const connections of settings.concurrencies) {
      progress(
        `translation: warm-up pass ${pass}/${settings.warmupPasses}, ${WARMUP_SECONDS}s per route at c=${connections}`,
      );
      for (const route of routes) await runLoad(route, connections, WARMUP_SECONDS);
    }
  }
  const throughput = new Map<RoutePair, PairThroughput[]>(pairs.map((pair) => [pair, []]));
  for (const concurrency of settings.concurrencies) {
    const levels = await measureConcurrency(pairs, concurrency, settings, progress);
    pairs.forEach((pair, index) => throughput.get(pair)!.push(levels[index]!));
  }

  progress('translation: streaming time to first content at concurrency 1');
  const { samples, complete } = await sampleSequentially(
    'translation streaming',
    routes,
    streamBounds,
    timeStream,
    progress,
  );
  const streamingOf = (route: RouteTarget) => describeStreams(samples.get(route.name) ?? []);
  const results = pairs.map((pair) => {
    const native = streamingOf(pair.native);
    const translated = streamingOf(pair.translated);
    return {
      upstream: pair.upstream,
      nativeRoute: pair.native.name,
      translatedRoute: pair.translated.name,
      throughput: throughput.get(pair)!,
      streaming: {
        native,
        translated,
        addedFirstContentMs: added(translated.firstContentMs, native.firstContentMs),
        addedTotalMs: added(translated.totalMs, native.totalMs),
      },
    };
  });
  return {
    comparison: COMPARISON_NOTE,
    durationSeconds: settings.durationSeconds,
    rounds: settings.rounds,
    streamSamplesPerRoute: Math.min(...routes.map((route) => samples.get(route.name)?.length ?? 0)),
    streamComplete: complete,
    chunks: settings.chunks,
    chunkDelayMs: settings.chunkDelayMs,
    pairs: results,
  };
}

/**
 * One request per route before any load: it must answer 200, in the client's format, from the
 * provider the route is meant to reach (no fallback, no misrouting would be measured by mistake).
 */
async function checkRoutes(routes: readonly RouteTarget[], progress: Progress): Promise<void> {
  const client = new Client(routes[0]!.origin, { pipelining: 1 });
  try {
    for (const route of routes) {
      const response = await client.request({
        path: route.path,
        method: 'POST',
        headers: route.headers,
        body: route.body,
      });
      const text = await response.body.text();
      if (response.statusCode !== 200) throw new UnexpectedStatus(route, response.statusCode, text);
      const provider = response.headers['x-monorelay-provider'];
      if (provider !== UPSTREAM_PROVIDER[route.upstream])
        throw new Error(
          `${route.name}: served by provider ${String(provider)}, not ${UPSTREAM_PROVIDER[route.upstream]}`,
        );
      const answer = answerText(route, JSON.parse(text) as Record<string, unknown>);
      if (!answer) throw new Error(`${route.name}: no ${route.client} answer text in ${text.slice(0, 300)}`);
      progress(
        `translation: ${route.name} (${route.translated ? 'translated' : 'native'}) answers "${answer.slice(0, 60)}"`,
      );
    }
  } finally {
    await client.close();
  }
}

function answerText(route: RouteTarget, body: Record<string, unknown>): string | undefined {
  if (route.client === 'chat') {
    const choices = body.choices as Array<{ message?: { content?: unknown } }> | undefined;
    const content = choices?.[0]?.message?.content;
    return typeof content === 'string' ? content : undefined;
  }
  if (body.type !== 'message') return undefined;
  const blocks = body.content as Array<{ type?: unknown; text?: unknown }> | undefined;
  const text = blocks?.find((block) => block.type === 'text')?.text;
  return typeof text === 'string' ? text : undefined;
}

/**
 * Every round runs all four routes, each pair back to back; odd rounds put the translated route
 * first so that the order of a pair does not favour one side.
 */
async function measureConcurrency(
  pairs: readonly RoutePair[],
  concurrency: number,
  settings: TranslationSettings,
  progress: Progress,
): Promise<PairThroughput[]> {
  const runs = pairs.map(() => ({ native: [] as LoadRun[], translated: [] as LoadRun[] }));
  for (let round = 1; round <= settings.rounds; round++) {
    const parts: string[] = [];
    for (const [index, pair] of pairs.entries()) {
      const order =
        round % 2 === 1 ? (['native', 'translated'] as const) : (['translated', 'native'] as const);
      for (const side of order)
        runs[index]![side].push(await runLoad(pair[side], concurrency, settings.durationSeconds));
      const native = runs[index]!.native.at(-1)!;
      const translated = runs[index]!.translated.at(-1)!;
      parts.push(
        `${pair.native.name} ${describeRun(native)} / ${pair.translated.name} ${describeRun(translated)}`,
      );
    }
    progress(`translation c=${concurrency} round ${round}/${settings.rounds}: ${parts.join('; ')}`);
  }
  return runs.map(({ native, translated }) => summarize(concurrency, native, translated));
}

function describeRun(run: LoadRun): string {
  return `${Math.round(run.requestsPerSecond)} req/s ${Math.round(run.cpuUsPerRequest)} µs (other ${run.otherCpuCores.toFixed(2)})`;
}

/** Medians over the rounds of one side's runs (also used by the logging phase). */
export function routeLoad(runs: readonly LoadRun[]): RouteLoad {
  return {
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    cpuUsPerRequest: median(runs.map((run) => run.cpuUsPerRequest)),
    cpuSplit: cpuSplitOf(runs),
    latencyP99Ms: median(runs.map((run) => run.latencyP99Ms)),
    failures: runs.reduce((sum, run) => sum + run.failures, 0),
    rounds: runs.map((run) => run.requestsPerSecond),
    cpuRounds: runs.map((run) => run.cpuUsPerRequest),
    otherCpuCoresRounds: runs.map((run) => run.otherCpuCores),
  };
}

function summarize(concurrency: number, nativeRuns: LoadRun[], translatedRuns: LoadRun[]): PairThroughput {
  const native = routeLoad(nativeRuns);
  const translated = routeLoad(translatedRuns);
  const roundRatios = translatedRuns.map(
    (run, round) => run.requestsPerSecond / nativeRuns[round]!.requestsPerSecond,
  );
  const quiet = roundRatios.filter(
    (_, round) =>
      nativeRuns[round]!.otherCpuCores <= QUIET_OTHER_CORES &&
      translatedRuns[round]!.otherCpuCores <= QUIET_OTHER_CORES,
  );
  return {
    concurrency,
    native,
    translated,
    ratio: median(quiet.length > 0 ? quiet : roundRatios),
    ratioAllRounds: median(roundRatios),
    quietRounds: quiet.length,
    roundRatios,
    ratioOfMedians: translated.requestsPerSecond / native.requestsPerSecond,
    addedCpuUsPerRequest: translated.cpuUsPerRequest - native.cpuUsPerRequest,
    cpuRatio: native.cpuUsPerRequest / translated.cpuUsPerRequest,
  };
}

function describeStreams(timings: readonly StreamTiming[]): RouteStreaming {
  return {
    headersMs: describe(timings.map((t) => t.headersMs)),
    firstByteMs: describe(timings.map((t) => t.firstByteMs)),
    firstContentMs: describe(timings.map((t) => t.firstContentMs)),
    totalMs: describe(timings.map((t) => t.totalMs)),
  };
}
