/**
 * `npm run bench`: MonoRelay's overhead against DESIGN.md's performance budget, in one run.
 *
 * Child processes on 127.0.0.1 (fake OpenAI upstream, bare pass-through baseline proxy, the built
 * relay with request logging on, for the translation phase a fake Anthropic upstream that the relay
 * knows as a second provider, and for the logging phase a second relay with logging off); the load
 * comes from this process.
 *   1. added latency at concurrency 1 (sequential undici loop, performance.now())
 *   2. throughput at 10 and 64 connections, relay vs baseline (autocannon, interleaved rounds, median)
 *   3. streaming time to first content, relay vs direct (sequential)
 *   4. translation: native vs translated routes to the same upstream through the relay (OpenAI chat
 *      <-> Anthropic Messages), throughput and CPU per request at 10 and 64, streaming TTFB at 1
 *   5. logging: the relay (request logging on) vs the logging-off relay, throughput and CPU per
 *      request at 10 and 64 (interleaved rounds, goal on/off >= 0.90), streaming TTFB at 1, then a
 *      check of what was logged (rows written, nothing shed or dropped; none on the logging-off relay)
 *   6. the relay's peak RSS (VmHWM and VmRSS sampled during the load)
 * Prints a table and verdicts to stdout, progress to stderr, and writes bench/results/latest.json.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { killAllChildrenNow } from './children';
import { measureAddedLatency } from './latency';
import { measureLogging } from './logging';
import { RssSampler } from './memory';
import { type BenchOptions, BenchUsageError, USAGE, parseBenchOptions } from './options';
import {
  type BenchResults,
  formatReport,
  judge,
  judgeLogging,
  judgeTranslation,
  writeResultsJson,
} from './report';
import type { LoopBounds } from './sequential-loop';
import {
  type RunningServer,
  startBaselineProxy,
  startFakeAnthropicUpstream,
  startFakeUpstream,
  startRelay,
} from './servers';
import { measureSoak } from './soak';
import { measureStreaming } from './streaming';
import { type MainTarget, baselineTarget, directTarget, relayTarget } from './targets';
import { measureThroughput } from './throughput';
import { measureTranslation } from './translation';

export interface BenchIo {
  /** Progress lines while the benchmark runs. */
  progress: (message: string) => void;
  /** The final report. */
  print: (text: string) => void;
}

const CONSOLE_IO: BenchIo = {
  progress: (message) =>
    process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`),
  print: (text) => process.stdout.write(text),
};

interface Servers {
  upstream: RunningServer;
  /** Started only when the translation phase runs. */
  anthropicUpstream: RunningServer | undefined;
  baseline: RunningServer;
  relay: RunningServer;
  /** The same relay with request logging off: started only when the logging phase runs. */
  relayLoggingOff: RunningServer | undefined;
}

/** Parses the flags and runs the benchmark; undefined when only the help was asked for. */
export async function main(
  argv: readonly string[],
  io: BenchIo = CONSOLE_IO,
): Promise<BenchResults | undefined> {
  const options = parseBenchOptions(argv);
  if (options === 'help') {
    io.print(`${USAGE}\n`);
    return undefined;
  }
  return runBench(options, io);
}

export async function runBench(options: BenchOptions, io: BenchIo): Promise<BenchResults> {
  const startedAt = new Date().toISOString();
  const started: RunningServer[] = [];
  const samplers: RssSampler[] = [];
  try {
    const servers = await startServers(options, started, io);
    const relayMemory = new RssSampler(servers.relay.pid);
    const baselineMemory = new RssSampler(servers.baseline.pid);
    const loggingOffMemory = servers.relayLoggingOff && new RssSampler(servers.relayLoggingOff.pid);
    samplers.push(relayMemory, baselineMemory, ...(loggingOffMemory ? [loggingOffMemory] : []));
    await Promise.all(samplers.map((sampler) => sampler.start()));

    const phases = await runPhases(options, servers, io);
    const memory: BenchResults['memory'] = {
      relay: await relayMemory.finish(),
      baseline: await baselineMemory.finish(),
    };
    if (loggingOffMemory) memory.relayLoggingOff = await loggingOffMemory.finish();
    const partial = { startedAt, environment: environment(options), ...phases, memory };
    const results: BenchResults = {
      ...partial,
      finishedAt: new Date().toISOString(),
      verdicts: judge(partial),
    };

    writeResultsJson(options.outFile, results);
    io.print(formatReport(results));
    io.progress(`results written to ${options.outFile}`);
    return results;
  } finally {
    samplers.forEach((sampler) => sampler.stop());
    await stopServers(started, io);
  }
}

async function startServers(options: BenchOptions, started: RunningServer[], io: BenchIo): Promise<Servers> {
  const translation = options.phases.includes('translation');
  const logging = options.phases.includes('logging');
  io.progress(
    `starting the fake upstream${translation ? ', the fake Anthropic upstream' : ''}, the baseline proxy ` +
      `and the relay${logging ? ' (and a second relay with request logging off)' : ''} (each its own process)`,
  );
  const fakeOptions = { streamChunks: options.streamChunks, streamChunkDelayMs: options.streamChunkDelayMs };
  const upstream = await startFakeUpstream(fakeOptions);
  started.push(upstream);
  let anthropicUpstream: RunningServer | undefined;
  if (translation) {
    anthropicUpstream = await startFakeAnthropicUpstream(fakeOptions);
    started.push(anthropicUpstream);
  }
  const profileDir = (name: string) => options.cpuProfileDir && join(options.cpuProfileDir, name);
  const baseline = await startBaselineProxy(upstream, { cpuProfileDir: profileDir('baseline') });
  started.push(baseline);
  const relay = await startRelay(
    upstream,
    { cpuProfileDir: profileDir('relay'), extra: options.relayNodeOptions },
    anthropicUpstream,
  );
  started.push(relay);
  let relayLoggingOff: RunningServer | undefined;
  if (logging) {
    relayLoggingOff = await startRelay(
      upstream,
      { cpuProfileDir: profileDir('relay-logging-off'), extra: options.relayNodeOptions },
      anthropicUpstream,
      { logging: false, name: 'relay (logging off)' },
    );
    started.push(relayLoggingOff);
  }
  io.progress(
    `upstream ${upstream.origin}${anthropicUpstream ? `, Anthropic upstream ${anthropicUpstream.origin}` : ''}, ` +
      `baseline ${baseline.origin}, relay ${relay.origin} (pid ${relay.pid})` +
      (relayLoggingOff
        ? `, relay with logging off ${relayLoggingOff.origin} (pid ${relayLoggingOff.pid})`
        : ''),
  );
  return { upstream, anthropicUpstream, baseline, relay, relayLoggingOff };
}

/** The relay goes first so that it exits cleanly (a --cpu-prof profile is written on exit). */
async function stopServers(started: RunningServer[], io: BenchIo): Promise<void> {
  for (const server of [...started].reverse()) await server.stop();
  if (started.length > 0) io.progress('stopped every child process');
}

type PhaseResults = Pick<
  BenchResults,
  'latency' | 'throughput' | 'streaming' | 'translation' | 'logging' | 'soak'
>;

async function runPhases(options: BenchOptions, servers: Servers, io: BenchIo): Promise<PhaseResults> {
  const targets: MainTarget[] = [
    directTarget(servers.upstream),
    baselineTarget(servers.baseline),
    relayTarget(servers.relay),
  ];
  const results: PhaseResults = {};
  if (options.phases.includes('latency')) {
    io.progress('phase 1/5: added latency at concurrency 1');
    results.latency = await measureAddedLatency(
      targets,
      loopBounds(options, options.warmupRequests, options.latencyRequests),
      io.progress,
    );
  }
  if (options.phases.includes('throughput')) {
    io.progress('phase 2/5: throughput at concurrency ' + options.concurrencies.join(' and '));
    results.throughput = await measureThroughput(targets[1]!, targets[2]!, options, io.progress);
  }
  if (options.phases.includes('streaming')) {
    io.progress('phase 3/5: streaming time to first content');
    const setup = { chunks: options.streamChunks, chunkDelayMs: options.streamChunkDelayMs };
    const bounds = loopBounds(options, options.streamWarmupRequests, options.streamRequests);
    results.streaming = await measureStreaming(targets, bounds, setup, io.progress);
  }
  if (options.phases.includes('translation')) {
    io.progress('phase 4/5: translation, native vs translated routes to the same upstream');
    const measurement = await measureTranslation(
      servers.relay,
      {
        concurrencies: options.concurrencies,
        durationSeconds: options.translationDurationSeconds,
        rounds: options.translationRounds,
        warmupPasses: options.quick ? 1 : 2,
        chunks: options.streamChunks,
        chunkDelayMs: options.streamChunkDelayMs,
      },
      loopBounds(options, options.streamWarmupRequests, options.streamRequests),
      io.progress,
    );
    results.translation = { ...measurement, verdicts: judgeTranslation(measurement) };
  }
  if (options.phases.includes('logging')) {
    io.progress('phase 5/5: request logging on vs off, two relays to the same upstream');
    const measurement = await measureLogging(
      servers.relay,
      servers.relayLoggingOff!,
      {
        concurrencies: options.concurrencies,
        durationSeconds: options.loggingDurationSeconds,
        rounds: options.loggingRounds,
        warmupPasses: options.quick ? 1 : 2,
      },
      loopBounds(options, options.streamWarmupRequests, options.streamRequests),
      io.progress,
    );
    results.logging = { ...measurement, verdicts: judgeLogging(measurement) };
  }
  if (options.phases.includes('soak')) {
    const connections = Math.max(...options.concurrencies);
    io.progress(
      `soak: ${options.soakMinutes} min of load at concurrency ${connections}, RSS read each interval`,
    );
    results.soak = await measureSoak(
      targets[2]!,
      { minutes: options.soakMinutes, connections, intervalSeconds: options.quick ? 3 : 60 },
      io.progress,
    );
  }
  return results;
}

function loopBounds(options: BenchOptions, warmup: number, samples: number): LoopBounds {
  return { warmup, samples, timeLimitMs: options.loopTimeLimitSeconds * 1000 };
}

function environment(options: BenchOptions): BenchResults['environment'] {
  const cores = cpus();
  return {
    node: process.version,
    cpus: cores.length,
    cpuModel: cores[0]?.model ?? 'unknown',
    quick: options.quick,
  };
}

/** Failed DESIGN.md budget lines, failed translation and logging targets (what `--strict` exits 1 on). */
export function failedBudgetLines(results: BenchResults): string[] {
  return [...results.verdicts, ...(results.translation?.verdicts ?? []), ...(results.logging?.verdicts ?? [])]
    .filter((verdict) => !verdict.pass)
    .map((verdict) => verdict.line);
}

function runFromCommandLine(): void {
  const onSignal = (signal: NodeJS.Signals, code: number) =>
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping every child process\n`);
      killAllChildrenNow();
      process.exit(code);
    });
  onSignal('SIGINT', 130);
  onSignal('SIGTERM', 143);
  const argv = process.argv.slice(2);
  main(argv).then(
    (results) => {
      if (results && argv.includes('--strict') && failedBudgetLines(results).length > 0) process.exitCode = 1;
    },
    (error: unknown) => {
      if (
        error instanceof BenchUsageError ||
        (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
      ) {
        console.error(`${(error as Error).message}\n\n${USAGE}`);
        process.exitCode = 2;
        return;
      }
      console.error(
        `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      process.exitCode = 1;
    },
  );
}

if (require.main === module) runFromCommandLine();
