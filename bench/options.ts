import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export type Phase = 'latency' | 'throughput' | 'streaming' | 'translation' | 'logging' | 'soak';
/** What a run without `--only` measures; the soak (minutes of load) only runs when asked for. */
export const ALL_PHASES: readonly Phase[] = ['latency', 'throughput', 'streaming', 'translation', 'logging'];
const KNOWN_PHASES: readonly Phase[] = [...ALL_PHASES, 'soak'];

export interface BenchOptions {
  phases: readonly Phase[];
  /** Seconds per autocannon run (throughput and translation phases). */
  durationSeconds: number;
  /** Interleaved rounds per concurrency (baseline/relay; native/translated); the median is reported. */
  rounds: number;
  concurrencies: readonly number[];
  /** Seconds per autocannon run of the translation phase (shorter runs, more rounds: see below). */
  translationDurationSeconds: number;
  /**
   * Interleaved native/translated rounds per concurrency in the translation phase. More, shorter
   * rounds than the throughput phase: bursts of other work on the machine then hit fewer pairs, and
   * the median over the quiet rounds has more of them to choose from.
   */
  translationRounds: number;
  /** Seconds per autocannon run of the logging phase (relay with request logging on vs off). */
  loggingDurationSeconds: number;
  /** Interleaved on/off rounds per concurrency in the logging phase (short runs, many rounds, as above). */
  loggingRounds: number;
  /** Minutes of the soak phase (sustained load at the highest concurrency, RSS read every minute). */
  soakMinutes: number;
  /** Sequential non-streaming requests per target (after the warm-up). */
  latencyRequests: number;
  /** Sequential streaming requests per target, and per route in the translation phase (after the warm-up). */
  streamRequests: number;
  /** Requests per target before any sample is kept. */
  warmupRequests: number;
  /** The same for the streaming phase (streams are slower; the latency phase has warmed the path). */
  streamWarmupRequests: number;
  /** Upper bound, in seconds, of each sequential loop (it stops early with what it has). */
  loopTimeLimitSeconds: number;
  streamChunks: number;
  streamChunkDelayMs: number;
  /** Where the JSON results go. */
  outFile: string;
  /** When set, the relay and the baseline run with `--cpu-prof` and write into DIR/relay, DIR/baseline. */
  cpuProfileDir: string | undefined;
  /** Extra node flags for the relay child (e.g. --max-semi-space-size=8). */
  relayNodeOptions: readonly string[];
  /** Exit with status 1 when a budget line fails. */
  strict: boolean;
  quick: boolean;
}

export const USAGE = `Usage: node dist/bench/run.js [options]

  --duration S            seconds per autocannon run (default 5)
  --rounds N              interleaved rounds per concurrency (baseline/relay, native/translated),
                          median reported (default 3)
  --concurrency LIST      comma-separated concurrencies (throughput, translation, logging; default 10,64)
  --translation-duration S  seconds per autocannon run in the translation phase (default 2.5)
  --translation-rounds N  interleaved native/translated rounds per concurrency (default 6)
  --logging-duration S    seconds per autocannon run in the logging phase (default 2.5)
  --logging-rounds N      interleaved logging on/off rounds per concurrency (default 8)
  --soak-minutes N        minutes of the soak phase (--only soak): sustained load at the highest
                          concurrency, the relay's RSS read every minute (default 10)
  --requests N            sequential non-streaming samples per target (default 2000)
  --stream-requests N     sequential streaming samples per target or route (default 300)
  --warmup N              warm-up requests per target before sampling (default 300, streaming 50)
  --only LIST             phases to run: latency,throughput,streaming,translation,logging (default all),
                          and soak (only when named: see --soak-minutes);
                          translation compares native and translated routes (chat <-> Anthropic Messages)
                          through the relay, with a fake Anthropic upstream beside the OpenAI one;
                          logging compares the relay (request logging on) with a second relay that has
                          logging off, then checks what the first one logged
  --streaming-only        same as --only streaming
  --quick                 tiny counts and 1 s runs: a smoke test, not a measurement
  --out FILE              JSON results (default bench/results/latest.json)
  --cpu-prof DIR          profile the relay and the baseline (--cpu-prof) into DIR/relay and DIR/baseline
                          (and the logging-off relay of the logging phase into DIR/relay-logging-off);
                          summarise with: node dist/bench/cpu-profile-summary.js FILE.cpuprofile
  --relay-node-option F   extra node flag for the relay process (repeatable),
                          e.g. --relay-node-option=--max-semi-space-size=4
  --strict                exit with status 1 when a budget line fails
  --help                  print this help`;

/** Where the repository root is, seen from the compiled file (dist/bench or dist-bench/bench). */
export const REPO_ROOT = resolve(__dirname, '..', '..');

const DEFAULTS = {
  durationSeconds: 5,
  rounds: 3,
  translationDurationSeconds: 2.5,
  translationRounds: 6,
  loggingDurationSeconds: 2.5,
  loggingRounds: 8,
  soakMinutes: 10,
  concurrencies: [10, 64],
  latencyRequests: 2000,
  streamRequests: 300,
  warmupRequests: 300,
  streamWarmupRequests: 50,
  loopTimeLimitSeconds: 45,
  streamChunks: 4,
  streamChunkDelayMs: 2,
};

const QUICK = {
  durationSeconds: 1,
  rounds: 1,
  translationDurationSeconds: 1,
  translationRounds: 1,
  loggingDurationSeconds: 1,
  loggingRounds: 1,
  soakMinutes: 0.1,
  latencyRequests: 100,
  streamRequests: 30,
  warmupRequests: 20,
  streamWarmupRequests: 10,
  loopTimeLimitSeconds: 10,
};

export class BenchUsageError extends Error {}

export function parseBenchOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      duration: { type: 'string' },
      rounds: { type: 'string' },
      'translation-duration': { type: 'string' },
      'translation-rounds': { type: 'string' },
      'logging-duration': { type: 'string' },
      'logging-rounds': { type: 'string' },
      'soak-minutes': { type: 'string' },
      concurrency: { type: 'string' },
      requests: { type: 'string' },
      'stream-requests': { type: 'string' },
      warmup: { type: 'string' },
      only: { type: 'string' },
      'streaming-only': { type: 'boolean' },
      quick: { type: 'boolean' },
      out: { type: 'string' },
      'cpu-prof': { type: 'string' },
      'relay-node-option': { type: 'string', multiple: true },
      strict: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const base = values.quick ? { ...DEFAULTS, ...QUICK } : DEFAULTS;
  const durationSeconds = positiveNumber('duration', values.duration) ?? base.durationSeconds;
  return {
    phases: values['streaming-only'] ? ['streaming'] : parsePhases(values.only),
    durationSeconds,
    rounds: positiveInteger('rounds', values.rounds) ?? base.rounds,
    translationDurationSeconds:
      positiveNumber('translation-duration', values['translation-duration']) ??
      (values.quick ? durationSeconds : base.translationDurationSeconds),
    translationRounds:
      positiveInteger('translation-rounds', values['translation-rounds']) ?? base.translationRounds,
    loggingDurationSeconds:
      positiveNumber('logging-duration', values['logging-duration']) ??
      (values.quick ? durationSeconds : base.loggingDurationSeconds),
    loggingRounds: positiveInteger('logging-rounds', values['logging-rounds']) ?? base.loggingRounds,
    soakMinutes: positiveNumber('soak-minutes', values['soak-minutes']) ?? base.soakMinutes,
    concurrencies: parseConcurrencies(values.concurrency) ?? base.concurrencies,
    latencyRequests: positiveInteger('requests', values.requests) ?? base.latencyRequests,
    streamRequests: positiveInteger('stream-requests', values['stream-requests']) ?? base.streamRequests,
    warmupRequests: positiveInteger('warmup', values.warmup) ?? base.warmupRequests,
    streamWarmupRequests: positiveInteger('warmup', values.warmup) ?? base.streamWarmupRequests,
    loopTimeLimitSeconds: base.loopTimeLimitSeconds,
    streamChunks: base.streamChunks,
    streamChunkDelayMs: base.streamChunkDelayMs,
    outFile: resolve(values.out ?? resolve(REPO_ROOT, 'bench', 'results', 'latest.json')),
    cpuProfileDir: values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']),
    relayNodeOptions: values['relay-node-option'] ?? [],
    strict: values.strict ?? false,
    quick: values.quick ?? false,
  };
}

function parsePhases(text: string | undefined): readonly Phase[] {
  if (text === undefined) return ALL_PHASES;
  const phases = text.split(',').map((part) => part.trim());
  for (const phase of phases) {
    if (!(KNOWN_PHASES as readonly string[]).includes(phase))
      throw new BenchUsageError(`--only: unknown phase "${phase}"; known: ${KNOWN_PHASES.join(', ')}`);
  }
  return phases as Phase[];
}

function parseConcurrencies(text: string | undefined): readonly number[] | undefined {
  if (text === undefined) return undefined;
  return text.split(',').map((part) => positiveInteger('concurrency', part.trim()) as number);
}

function positiveNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new BenchUsageError(`--${flag} must be a positive number, got "${text}"`);
  return value;
}

function positiveInteger(flag: string, text: string | undefined): number | undefined {
  const value = positiveNumber(flag, text);
  if (value !== undefined && !Number.isInteger(value))
    throw new BenchUsageError(`--${flag} must be a positive integer, got "${text}"`);
  return value;
}
