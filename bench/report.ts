import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LatencyResult } from './latency';
import type { LoggingMeasurement } from './logging';
import type { MemoryResult } from './memory';
import type { SoakMeasurement } from './soak';
import type { Distribution } from './stats';
import { round3 } from './stats';
import type { StreamingResult } from './streaming';
import type { TargetName } from './targets';
import type { ThreadCpu } from './cpu-time';
import type { ThroughputResult } from './throughput';
import { QUIET_OTHER_CORES, type TranslationMeasurement } from './translation';

/** DESIGN.md, "Performance": the budget on this 2-core machine, request logging on. */
export const BUDGET = {
  addedLatencyP50Ms: 0.5,
  throughputRatio: 0.7,
  addedFirstContentMs: 1,
  peakRssMb: 200,
  /** "Flat under sustained load": RSS growth after the soak's first minute, as a share of it. */
  soakGrowthShare: 0.05,
} as const;

/**
 * Our own targets for "translation adds no measurable latency" (not DESIGN.md budget lines): a
 * translated route against the native route to the same upstream, through the same relay.
 */
export const TRANSLATION_TARGETS = {
  addedFirstContentMs: 1,
  throughputRatio: 0.9,
} as const;

/** The issue's goal for request logging: throughput with logging on at least 90% of logging off. */
export const LOGGING_TARGETS = {
  throughputRatio: 0.9,
} as const;

export interface Verdict {
  line: string;
  measured: number;
  comparison: '<=' | '>=' | '<';
  limit: number;
  unit: string;
  pass: boolean;
  note?: string;
}

export interface BenchEnvironment {
  node: string;
  cpus: number;
  cpuModel: string;
  quick: boolean;
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  environment: BenchEnvironment;
  latency?: LatencyResult;
  throughput?: ThroughputResult;
  streaming?: StreamingResult;
  translation?: TranslationResult;
  logging?: LoggingResult;
  soak?: SoakMeasurement;
  /** `relayLoggingOff`: the second relay of the logging phase (request logging off), when it ran. */
  memory: { relay: MemoryResult; baseline: MemoryResult; relayLoggingOff?: MemoryResult };
  /** DESIGN.md budget lines (the translation phase's own verdicts are in `translation.verdicts`). */
  verdicts: Verdict[];
}

export interface TranslationResult extends TranslationMeasurement {
  verdicts: Verdict[];
}

export interface LoggingResult extends LoggingMeasurement {
  verdicts: Verdict[];
}

/**
 * Logging on vs off, throughput at each concurrency. A level fails whatever its ratio when a request
 * failed, when the logging-on relay shed bodies or dropped entries during it (it did less work than
 * asked), or when the check of what was logged found a problem.
 */
export function judgeLogging(measurement: LoggingMeasurement): Verdict[] {
  return measurement.throughput.map((level) => {
    const verdict = atLeast(
      `logging: throughput with request logging on / off, c=${level.concurrency}`,
      level.ratio,
      LOGGING_TARGETS.throughputRatio,
    );
    const quiet =
      level.quietRounds > 0
        ? `${level.quietRounds}/${level.roundRatios.length} quiet rounds`
        : 'no quiet round (machine busy): all rounds';
    verdict.note = `${quiet}; CPU ratio off/on ${level.cpuRatio.toFixed(3)}`;
    const problems: string[] = [];
    if (level.on.failures + level.off.failures > 0)
      problems.push(`${level.on.failures}/${level.off.failures} on/off requests failed`);
    if (level.queue.shed + level.queue.dropped > 0)
      problems.push(`queue shed ${level.queue.shed} bodies, dropped ${level.queue.dropped} entries`);
    if (level.queue.written < level.answered)
      problems.push(`${level.queue.written} rows written for ${level.answered} answers`);
    if (measurement.check.problems.length > 0) problems.push('log check failed (see above)');
    if (problems.length > 0) {
      verdict.pass = false;
      verdict.note = problems.join('; ');
    }
    return verdict;
  });
}

/** Translated vs native (same upstream): time to first content p50, and throughput at each concurrency. */
export function judgeTranslation(measurement: TranslationMeasurement): Verdict[] {
  const verdicts: Verdict[] = [];
  for (const pair of measurement.pairs) {
    const vs = `${pair.translatedRoute} vs ${pair.nativeRoute}`;
    verdicts.push(
      atMost(
        `translation: added time to first content p50, ${vs}`,
        pair.streaming.addedFirstContentMs.p50,
        TRANSLATION_TARGETS.addedFirstContentMs,
        'ms',
      ),
    );
    for (const level of pair.throughput) {
      const verdict = atLeast(
        `translation: throughput ${vs}, c=${level.concurrency}`,
        level.ratio,
        TRANSLATION_TARGETS.throughputRatio,
      );
      const failures = level.native.failures + level.translated.failures;
      verdict.note =
        level.quietRounds > 0
          ? `${level.quietRounds}/${level.roundRatios.length} quiet rounds; CPU ratio ${level.cpuRatio.toFixed(3)}`
          : `no quiet round (machine busy): all rounds; CPU ratio ${level.cpuRatio.toFixed(3)}`;
      if (failures > 0) {
        verdict.pass = false;
        verdict.note = `${level.native.failures}/${level.translated.failures} native/translated requests failed`;
      }
      verdicts.push(verdict);
    }
  }
  return verdicts;
}

export function judge(results: Omit<BenchResults, 'verdicts' | 'finishedAt'>): Verdict[] {
  const verdicts: Verdict[] = [];
  if (results.latency) {
    verdicts.push(
      atMost('added latency p50, c=1', results.latency.relayAddedMs.p50, BUDGET.addedLatencyP50Ms, 'ms'),
    );
  }
  for (const level of results.throughput?.byConcurrency ?? []) {
    const verdict = atLeast(
      `throughput relay/baseline, c=${level.concurrency}`,
      level.ratio,
      BUDGET.throughputRatio,
    );
    if (level.relayFailures > 0) {
      verdict.pass = false;
      verdict.note = `${level.relayFailures} relay requests failed`;
    }
    verdicts.push(verdict);
  }
  if (results.streaming) {
    const addedMs = results.streaming.relayAddedFirstContentMs.p50;
    verdicts.push(
      atMost('streaming added time to first content, p50', addedMs, BUDGET.addedFirstContentMs, 'ms'),
    );
  }
  const peakMb = results.memory.relay.peakRssMb;
  verdicts.push({
    line: 'relay peak RSS',
    measured: peakMb,
    comparison: '<',
    limit: BUDGET.peakRssMb,
    unit: 'MB',
    pass: peakMb < BUDGET.peakRssMb,
  });
  if (results.soak) {
    const { soak } = results;
    const share = Math.max(0, soak.growthMb) / soak.warmRssMb;
    const verdict = atMost(
      `memory flat over the soak: RSS growth after minute 1, share (${soak.warmRssMb.toFixed(0)} -> ${soak.finalRssMb.toFixed(0)} MB)`,
      share,
      BUDGET.soakGrowthShare,
      '',
    );
    if (soak.failures > 0) {
      verdict.pass = false;
      verdict.note = `${soak.failures} requests failed`;
    }
    verdicts.push(verdict);
  }
  return verdicts;
}

function atMost(line: string, measured: number, limit: number, unit: string): Verdict {
  return { line, measured, comparison: '<=', limit, unit, pass: measured <= limit };
}

function atLeast(line: string, measured: number, limit: number): Verdict {
  return { line, measured, comparison: '>=', limit, unit: '', pass: measured >= limit };
}

/** Writes the results as JSON, numbers rounded to 3 decimals. */
export function writeResultsJson(file: string, results: BenchResults): void {
  mkdirSync(dirname(file), { recursive: true });
  const rounded = (_key: string, value: unknown) => (typeof value === 'number' ? round3(value) : value);
  writeFileSync(file, `${JSON.stringify(results, rounded, 2)}\n`);
}

const TARGETS: readonly TargetName[] = ['direct', 'baseline', 'relay'];

/** The human-readable report: one table per phase, then the budget verdicts. */
export function formatReport(results: BenchResults): string {
  const { environment: env } = results;
  const sections = [
    `MonoRelay benchmark: node ${env.node}, ${env.cpus} CPUs (${env.cpuModel})${env.quick ? ', QUICK (smoke only)' : ''}`,
  ];
  if (results.latency) sections.push(formatLatency(results.latency));
  if (results.throughput) sections.push(formatThroughput(results.throughput));
  if (results.streaming) sections.push(formatStreaming(results.streaming));
  if (results.translation) sections.push(...formatTranslation(results.translation));
  if (results.logging) sections.push(...formatLogging(results.logging));
  if (results.soak) sections.push(formatSoak(results.soak));
  sections.push(formatMemory(results.memory));
  sections.push(formatVerdicts(results.verdicts));
  if (results.translation)
    sections.push(
      formatVerdicts(
        results.translation.verdicts,
        'Translation targets (ours, for "translation adds no measurable latency"; not DESIGN.md budget lines)',
        'target',
      ),
    );
  if (results.logging)
    sections.push(
      formatVerdicts(
        results.logging.verdicts,
        "Logging target (the issue's goal: throughput with request logging on >= 90% of off; not a DESIGN.md budget line)",
        'target',
      ),
    );
  return `${sections.join('\n\n')}\n`;
}

function formatLatency(latency: LatencyResult): string {
  const rows = TARGETS.map((name) => distributionRow(name, latency.roundTripMs[name]));
  rows.push(['relay added', signed(latency.relayAddedMs.p50), signed(latency.relayAddedMs.p99), '']);
  rows.push(['baseline added', signed(latency.baselineAddedMs.p50), signed(latency.baselineAddedMs.p99), '']);
  const title =
    `Added latency, non-streaming, concurrency 1 (${latency.samplesPerTarget} requests per target` +
    `${latency.complete ? '' : ', cut short by the time limit'}), ms`;
  return `${title}\n${table([['', 'p50', 'p99', 'mean'], ...rows])}`;
}

function distributionRow(name: string, distribution: Distribution): string[] {
  return [name, ms(distribution.p50), ms(distribution.p99), ms(distribution.mean)];
}

/** CPU µs per request by thread, `main/V8/workers`. */
function split(cpu: ThreadCpu): string {
  return `${cpu.main.toFixed(0)}/${cpu.v8Helpers.toFixed(0)}/${cpu.workerThreads.toFixed(0)}`;
}

function signedSplit(cpu: ThreadCpu): string {
  return `${signed0(cpu.main)}/${signed0(cpu.v8Helpers)}/${signed0(cpu.workerThreads)}`;
}

function formatThroughput(throughput: ThroughputResult): string {
  const rows = throughput.byConcurrency.map((level) => [
    String(level.concurrency),
    level.baselineRps.toFixed(0),
    level.relayRps.toFixed(0),
    level.ratio.toFixed(3),
    level.ratioOfMedians.toFixed(3),
    level.baselineLatencyP99Ms.toFixed(1),
    level.relayLatencyP99Ms.toFixed(1),
    level.baselineCpuUsPerRequest.toFixed(0),
    level.relayCpuUsPerRequest.toFixed(0),
    split(level.baselineCpuSplit),
    split(level.relayCpuSplit),
    `${level.baselineFailures}/${level.relayFailures}`,
  ]);
  const title =
    `Throughput, non-streaming (autocannon, ${throughput.durationSeconds}s runs, ` +
    `median of ${throughput.rounds} interleaved rounds), req/s;\n` +
    '  relay/baseline is the median of the per-round ratios (each round runs baseline then relay);\n' +
    '  CPU µs per request of each process, then split by thread: main (event loop) / V8 helpers\n' +
    "  (garbage collection, compilation) / worker threads (the relay's log store)";
  const header = [
    'concurrency',
    'baseline',
    'relay',
    'relay/baseline',
    'ratio of medians',
    'base p99 ms',
    'relay p99 ms',
    'base CPU µs/req',
    'relay CPU µs/req',
    'base main/V8/workers',
    'relay main/V8/workers',
    'failures b/r',
  ];
  return `${title}\n${table([header, ...rows])}`;
}

function formatStreaming(streaming: StreamingResult): string {
  const rows = TARGETS.map((name) => [
    name,
    ms(streaming.headersMs[name].p50),
    ms(streaming.firstByteMs[name].p50),
    ms(streaming.firstContentMs[name].p50),
    ms(streaming.firstContentMs[name].p99),
    ms(streaming.totalMs[name].p50),
  ]);
  const { relayAddedFirstByteMs: byte, relayAddedFirstContentMs: content } = streaming;
  rows.push(['relay added', '', signed(byte.p50), signed(content.p50), signed(content.p99), '']);
  const title =
    `Streaming, sequential (${streaming.samplesPerTarget} streams per target, ${streaming.chunks} content chunks ` +
    `${streaming.chunkDelayMs} ms apart${streaming.complete ? '' : ', cut short by the time limit'}), ms`;
  const header = ['', 'headers p50', 'first byte p50', 'first content p50', 'first content p99', 'total p50'];
  return `${title}\n${table([header, ...rows])}`;
}

function formatMemory(memory: BenchResults['memory']): string {
  const row = (name: string, m: MemoryResult) => [
    name,
    m.peakRssMb.toFixed(1),
    m.highWaterMarkMb.toFixed(1),
    m.rssAtStartMb.toFixed(1),
    m.rssAtEndMb.toFixed(1),
  ];
  const header = ['', 'peak RSS', 'VmHWM', 'RSS at start', 'RSS at end'];
  const rows = [row('relay', memory.relay), row('baseline', memory.baseline)];
  if (memory.relayLoggingOff) rows.push(row('relay, logging off', memory.relayLoggingOff));
  return `Memory, MB (sampled every 200 ms during the load)\n${table([header, ...rows])}`;
}

function formatSoak(soak: SoakMeasurement): string {
  const header = ['minutes', 'req/s', 'RSS MB', 'VmHWM MB', 'failures'];
  const rows = soak.intervals.map((interval) => [
    interval.atMinutes.toFixed(1),
    interval.requestsPerSecond.toFixed(0),
    interval.rssMb.toFixed(1),
    interval.highWaterMarkMb.toFixed(1),
    String(interval.failures),
  ]);
  return (
    `Soak: sustained non-streaming load on the relay at concurrency ${soak.connections}, request logging on;\n` +
    `  RSS read after each interval; growth after the first: ${signed1(soak.growthMb)} MB at the end, ` +
    `${signed1(soak.maxGrowthMb)} MB at most; ${soak.answered} answers\n${table([header, ...rows])}`
  );
}

function formatTranslation(translation: TranslationResult): string[] {
  const throughputRows = translation.pairs.flatMap((pair) =>
    pair.throughput.map((level) => [
      `${pair.upstream} c=${level.concurrency}`,
      level.native.requestsPerSecond.toFixed(0),
      level.translated.requestsPerSecond.toFixed(0),
      level.ratio.toFixed(3),
      `${level.quietRounds}/${level.roundRatios.length}`,
      level.ratioAllRounds.toFixed(3),
      level.native.cpuUsPerRequest.toFixed(0),
      level.translated.cpuUsPerRequest.toFixed(0),
      signed0(level.addedCpuUsPerRequest),
      level.cpuRatio.toFixed(3),
      `${level.native.latencyP99Ms.toFixed(0)}/${level.translated.latencyP99Ms.toFixed(0)}`,
      `${level.native.failures}/${level.translated.failures}`,
    ]),
  );
  const legend = translation.pairs
    .map((pair) => `${pair.upstream}: ${pair.nativeRoute} (native) vs ${pair.translatedRoute} (translated)`)
    .join('; ');
  const throughputTitle =
    `Translation, non-streaming throughput through the relay (autocannon, ${translation.durationSeconds}s runs, ` +
    `median of ${translation.rounds} interleaved rounds), req/s;\n` +
    `  ${legend};\n` +
    '  each translated route is compared with the native route to the SAME upstream (the two fakes do\n' +
    '  different work per request); transl./native is the median of the per-round ratios over the quiet\n' +
    `  rounds (other load <= ${QUIET_OTHER_CORES} core during both runs; every round when none was quiet),\n` +
    "  'all rounds' the same median over every round; CPU is the relay process's, µs per answered\n" +
    '  request; CPU n/t = native CPU / translated CPU, the throughput ratio to expect where the relay is\n' +
    '  CPU-bound (steadier than req/s on a busy machine)';
  const throughputHeader = [
    'upstream',
    'native',
    'translated',
    'transl./native',
    'quiet',
    'all rounds',
    'native CPU µs',
    'transl. CPU µs',
    'added CPU µs',
    'CPU n/t',
    'p99 ms n/t',
    'failures n/t',
  ];
  const streamingRows = translation.pairs.flatMap((pair) => {
    const { native, translated, addedFirstContentMs: content, addedTotalMs: total } = pair.streaming;
    const row = (name: string, route: (typeof pair.streaming)['native']) => [
      name,
      ms(route.firstContentMs.p50),
      ms(route.firstContentMs.p99),
      ms(route.totalMs.p50),
      ms(route.totalMs.p99),
    ];
    return [
      row(`${pair.nativeRoute} (native)`, native),
      row(`${pair.translatedRoute} (translated)`, translated),
      ['  translated added', signed(content.p50), signed(content.p99), signed(total.p50), signed(total.p99)],
    ];
  });
  const streamingTitle =
    `Translation, streaming at concurrency 1 (${translation.streamSamplesPerRoute} streams per route, ` +
    `${translation.chunks} content chunks ${translation.chunkDelayMs} ms apart` +
    `${translation.streamComplete ? '' : ', cut short by the time limit'}), ms;\n` +
    '  the Anthropic fake sends more frames before the first content than the OpenAI one: compare within a pair';
  const streamingHeader = ['', 'first content p50', 'first content p99', 'total p50', 'total p99'];
  return [
    `${throughputTitle}\n${table([throughputHeader, ...throughputRows])}`,
    `${streamingTitle}\n${table([streamingHeader, ...streamingRows])}`,
  ];
}

function formatLogging(logging: LoggingResult): string[] {
  const rows = logging.throughput.map((level) => [
    String(level.concurrency),
    level.off.requestsPerSecond.toFixed(0),
    level.on.requestsPerSecond.toFixed(0),
    level.ratio.toFixed(3),
    `${level.quietRounds}/${level.roundRatios.length}`,
    level.ratioAllRounds.toFixed(3),
    level.off.cpuUsPerRequest.toFixed(0),
    level.on.cpuUsPerRequest.toFixed(0),
    signed0(level.addedCpuUsPerRequest),
    signedSplit(level.addedCpuSplit),
    level.cpuRatio.toFixed(3),
    `${level.off.latencyP99Ms.toFixed(0)}/${level.on.latencyP99Ms.toFixed(0)}`,
    `${level.queue.written}/${level.answered}`,
    `${level.queue.shed}/${level.queue.dropped}`,
    `${level.off.failures}/${level.on.failures}`,
  ]);
  const throughputTitle =
    `Request logging, non-streaming throughput (autocannon, ${logging.durationSeconds}s runs, ` +
    `${logging.rounds} interleaved rounds), req/s;\n` +
    '  the relay with request logging on (SQLite store, write-behind queue) vs a second relay, same config,\n' +
    '  logging off; on/off is the median of the per-round ratios over the quiet rounds (other load\n' +
    `  <= ${QUIET_OTHER_CORES} core during both runs; every round when none was quiet), the rounds alternating\n` +
    "  which relay goes first; CPU is each relay process's, µs per answered request, the logging-on\n" +
    "  relay's including its queue's last flush after each run; the added CPU split by thread: main\n" +
    '  (event loop) / V8 helpers (garbage collection, compilation) / log store thread; CPU off/on is the\n' +
    '  throughput ratio to expect where the relay is CPU-bound; rows/answers = rows the queue wrote /\n' +
    '  2xx answers of the on relay';
  const header = [
    'concurrency',
    'off',
    'on',
    'on/off',
    'quiet',
    'all rounds',
    'off CPU µs',
    'on CPU µs',
    'added CPU µs',
    'of it main/V8/log',
    'CPU off/on',
    'p99 ms off/on',
    'rows/answers',
    'shed/dropped',
    'failures off/on',
  ];
  const { on, off, addedFirstContentMs: content, addedTotalMs: total } = logging.streaming;
  const streamRow = (name: string, side: typeof on) => [
    name,
    ms(side.firstContentMs.p50),
    ms(side.firstContentMs.p99),
    ms(side.totalMs.p50),
    ms(side.totalMs.p99),
  ];
  const streamingTitle =
    `Request logging, streaming at concurrency 1 (${logging.streaming.samplesPerSide} streams per relay` +
    `${logging.streaming.complete ? '' : ', cut short by the time limit'}), ms`;
  const streamingRows = [
    streamRow('logging off', off),
    streamRow('logging on', on),
    ['  on added', signed(content.p50), signed(content.p99), signed(total.p50), signed(total.p99)],
  ];
  const { check } = logging;
  const newest = check.newestEntry;
  const checkLines = [
    'Request log check (GET /api/logs?limit=20 and GET /api/logs/queue after the load)',
    `  logging on:  ${check.queue.written} rows written during the phase for ${check.answered} answered requests; ` +
      `shed ${check.queue.shed}, dropped ${check.queue.dropped}, failed writes ${check.queue.failedWrites}; ` +
      `since start ${check.queueTotal.written} rows, ${check.queueTotal.queued} queued`,
    `               newest entry: ${newest ? `${newest.state} ${newest.statusCode} ${newest.path} ${newest.model ?? '-'} (${newest.id})` : 'none'}`,
    `  logging off: ${check.offEntries} entries listed, ${check.offQueue.written} rows written`,
    check.problems.length === 0
      ? '  OK'
      : check.problems.map((problem) => `  PROBLEM: ${problem}`).join('\n'),
  ];
  return [
    `${throughputTitle}\n${table([header, ...rows])}`,
    `${streamingTitle}\n${table([['', 'first content p50', 'first content p99', 'total p50', 'total p99'], ...streamingRows])}`,
    checkLines.join('\n'),
  ];
}

function signed0(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(0)}`;
}

function formatVerdicts(
  verdicts: readonly Verdict[],
  title = 'Budget (DESIGN.md, Performance)',
  limitHeader = 'budget',
): string {
  const rows = verdicts.map((verdict) => [
    verdict.line,
    `${verdict.unit === 'ms' ? signed(verdict.measured) : verdict.measured.toFixed(verdict.unit === 'MB' ? 1 : 3)} ${verdict.unit}`.trim(),
    `${verdict.comparison} ${verdict.limit} ${verdict.unit}`.trim(),
    verdict.pass ? 'PASS' : 'FAIL',
    verdict.note ?? '',
  ]);
  return `${title}\n${table([['', 'measured', limitHeader, 'verdict', ''], ...rows])}`;
}

function ms(value: number): string {
  return value.toFixed(3);
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;
}

/** Plain-text table: first column left-aligned, the others right-aligned. */
export function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `  ${line}`)
    .join('\n');
}

function signed1(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
}
