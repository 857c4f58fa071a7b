export interface Distribution {
  samples: number;
  p50: number;
  p99: number;
  mean: number;
  min: number;
}

/** Nearest-rank percentile of an ascending array (q in 0..1). */
export function percentileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function describe(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    samples: sorted.length,
    p50: percentileOfSorted(sorted, 0.5),
    p99: percentileOfSorted(sorted, 0.99),
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
    min: sorted.length === 0 ? Number.NaN : sorted[0]!,
  };
}

/** Rounds to 3 decimals (microseconds when the unit is ms) for printing and JSON. */
export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
