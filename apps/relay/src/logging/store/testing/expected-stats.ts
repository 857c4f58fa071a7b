import type { RequestLogEntry, StatsFigures, StatsGroupBy } from '@monorelay/contracts';

/**
 * Statistics computed the slow, obvious way from the entries themselves (exact percentiles by
 * nearest rank), to check the rollups against. Not used by the relay.
 */
export interface ExactFigures extends StatsFigures {
  /** Exact values the histogram estimates approximate. */
  exact: {
    latencyP50: number | null;
    latencyP95: number | null;
    firstTokenP50: number | null;
    firstTokenP95: number | null;
  };
}

export function nearestRank(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1];
}

export function exactFigures(entries: readonly RequestLogEntry[]): ExactFigures {
  const latencies = entries.filter((e) => e.latencyMs !== null).map((e) => e.latencyMs!);
  const firstTokens = entries.filter((e) => e.firstTokenMs !== null).map((e) => e.firstTokenMs!);
  let generationMs = 0;
  let generationTokens = 0;
  for (const e of entries) {
    if (e.streaming && e.state === 'success' && e.latencyMs !== null && e.firstTokenMs !== null) {
      const ms = e.latencyMs - e.firstTokenMs;
      if (ms > 0) {
        generationMs += ms;
        generationTokens += e.outputTokens;
      }
    }
  }
  const requests = entries.length;
  const errors = entries.filter((e) => e.state === 'failed').length;
  const sum = (pick: (e: RequestLogEntry) => number): number =>
    entries.reduce((total, e) => total + pick(e), 0);
  const exact = {
    latencyP50: nearestRank(latencies, 0.5),
    latencyP95: nearestRank(latencies, 0.95),
    firstTokenP50: nearestRank(firstTokens, 0.5),
    firstTokenP95: nearestRank(firstTokens, 0.95),
  };
  return {
    requests,
    errors,
    errorRate: requests ? errors / requests : 0,
    inputTokens: sum((e) => e.inputTokens),
    outputTokens: sum((e) => e.outputTokens),
    cacheReadTokens: sum((e) => e.cacheReadTokens),
    cacheWriteTokens: sum((e) => e.cacheWriteTokens),
    costUsd: sum((e) => e.costUsd ?? 0),
    latencyP50Ms: exact.latencyP50,
    latencyP95Ms: exact.latencyP95,
    firstTokenP50Ms: exact.firstTokenP50,
    firstTokenP95Ms: exact.firstTokenP95,
    tokensPerSecond: generationMs > 0 ? generationTokens / (generationMs / 1000) : null,
    exact,
  };
}

/** The group an entry falls in, as the store names groups. */
export function groupOf(entry: RequestLogEntry, groupBy: StatsGroupBy): string {
  switch (groupBy) {
    case 'provider':
      return entry.provider ?? '';
    case 'model':
      return entry.servedModel ?? entry.requestedModel ?? '';
    case 'user':
      return entry.userId ?? '';
    case 'key':
      return entry.keyLabel ? `${entry.provider ?? ''}/${entry.keyLabel}` : '';
  }
}
