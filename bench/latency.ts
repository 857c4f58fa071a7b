import type { Client } from 'undici';
import { type LoopBounds, type Progress, UnexpectedStatus, sampleSequentially } from './sequential-loop';
import { type Distribution, describe } from './stats';
import type { Target, TargetName } from './targets';

export interface AddedMs {
  p50: number;
  p99: number;
}

export interface LatencyResult {
  samplesPerTarget: number;
  complete: boolean;
  /** Full non-streaming round trip (request sent to last body byte), per target, in ms. */
  roundTripMs: Record<TargetName, Distribution>;
  /** relay minus direct. */
  relayAddedMs: AddedMs;
  /** baseline proxy minus direct: what any extra hop costs. */
  baselineAddedMs: AddedMs;
}

/** Times one non-streaming chat completion, from sending it to having read the whole answer. */
export async function timeChatCompletion(client: Client, target: Target): Promise<number> {
  const started = performance.now();
  const response = await client.request({
    path: target.path,
    method: 'POST',
    headers: target.headers,
    body: target.body,
  });
  const text = await response.body.text();
  const elapsed = performance.now() - started;
  if (response.statusCode !== 200) throw new UnexpectedStatus(target, response.statusCode, text);
  return elapsed;
}

/** Concurrency 1: the same request, in turn, straight to the upstream, through the baseline, through the relay. */
export async function measureAddedLatency(
  targets: readonly Target[],
  bounds: LoopBounds,
  progress: Progress,
): Promise<LatencyResult> {
  const { samples, complete } = await sampleSequentially(
    'latency',
    targets,
    bounds,
    timeChatCompletion,
    progress,
  );
  const roundTripMs = describeEach(samples);
  return {
    samplesPerTarget: roundTripMs.relay.samples,
    complete,
    roundTripMs,
    relayAddedMs: added(roundTripMs.relay, roundTripMs.direct),
    baselineAddedMs: added(roundTripMs.baseline, roundTripMs.direct),
  };
}

export function describeEach(samples: ReadonlyMap<string, number[]>): Record<TargetName, Distribution> {
  return {
    direct: describe(samples.get('direct') ?? []),
    baseline: describe(samples.get('baseline') ?? []),
    relay: describe(samples.get('relay') ?? []),
  };
}

export function added(through: Distribution, direct: Distribution): AddedMs {
  return { p50: through.p50 - direct.p50, p99: through.p99 - direct.p99 };
}
