import { Client } from 'undici';
import type { Target } from './targets';

export interface LoopBounds {
  /** Requests per target whose results are thrown away. */
  warmup: number;
  /** Requests per target that are kept. */
  samples: number;
  /** The loop stops early, with what it has, after this long. */
  timeLimitMs: number;
}

export type Progress = (message: string) => void;

/** One request to a target, over that target's own keep-alive connection; returns what was measured. */
export type MeasureOne<Sample, T extends Target = Target> = (client: Client, target: T) => Promise<Sample>;

export interface LoopOutcome<Sample> {
  /** By target name. */
  samples: Map<string, Sample[]>;
  /** False when the time limit cut the loop short. */
  complete: boolean;
}

const PROGRESS_STEPS = 4;

/**
 * Sends one request at a time, rotating over the targets request by request so that every target
 * sees the same machine conditions; warm-up rounds first. Each target has its own undici Client
 * (one keep-alive connection), like a single well-behaved API client.
 */
export async function sampleSequentially<Sample, T extends Target = Target>(
  label: string,
  targets: readonly T[],
  bounds: LoopBounds,
  measure: MeasureOne<Sample, T>,
  progress: Progress,
): Promise<LoopOutcome<Sample>> {
  const clients = targets.map((target) => openClient(target));
  try {
    const deadline = performance.now() + bounds.timeLimitMs;
    await runRounds(targets, clients, bounds.warmup, deadline, measure, () => {});
    progress(`${label}: warm-up done (${bounds.warmup} per target), sampling ${bounds.samples} per target`);
    const samples = new Map<string, Sample[]>(targets.map((target) => [target.name, []]));
    const step = Math.max(1, Math.ceil(bounds.samples / PROGRESS_STEPS));
    const rounds = await runRounds(targets, clients, bounds.samples, deadline, measure, (round, results) => {
      results.forEach((result, index) => samples.get(targets[index]!.name)!.push(result));
      if ((round + 1) % step === 0 && round + 1 < bounds.samples)
        progress(`${label}: ${round + 1}/${bounds.samples}`);
    });
    if (rounds < bounds.samples) progress(`${label}: time limit reached after ${rounds} samples per target`);
    return { samples, complete: rounds === bounds.samples };
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}

/** Runs up to `count` rounds (one request per target each) before `deadline`; returns the rounds run. */
async function runRounds<Sample, T extends Target>(
  targets: readonly T[],
  clients: readonly Client[],
  count: number,
  deadline: number,
  measure: MeasureOne<Sample, T>,
  onRound: (round: number, results: Sample[]) => void,
): Promise<number> {
  const results = new Array<Sample>(targets.length);
  for (let round = 0; round < count; round++) {
    if (performance.now() > deadline) return round;
    for (let offset = 0; offset < targets.length; offset++) {
      const index = (round + offset) % targets.length;
      results[index] = await measure(clients[index]!, targets[index]!);
    }
    onRound(round, results);
  }
  return count;
}

function openClient(target: Target): Client {
  return new Client(target.origin, {
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
}

export class UnexpectedStatus extends Error {
  constructor(target: Target, status: number, body: string) {
    super(`${target.name} answered ${status}: ${body.slice(0, 300)}`);
  }
}
