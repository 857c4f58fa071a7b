/**
 * Fixed log-scale histogram of durations (latency, time to first token) kept in the statistics
 * rollups, and percentiles read back from it.
 *
 * 32 bins: bin 0 holds [0, 10 ms); bin k (1..30) holds [10·√2^(k-1), 10·√2^k) ms; bin 31 holds
 * everything from 10·2^15 ms = 327.68 s up. So a percentile is exact to within one bin: its true
 * value and the estimate lie in the same bin, a factor of at most √2 (≈ 41 %) apart (10 ms absolute
 * below 10 ms). Inside the bin the estimate is interpolated geometrically by rank, which is usually
 * much closer. Durations past 327.68 s are not resolved (their estimate stays near 327.68–463 s).
 */
export const HISTOGRAM_BINS = 32;
const FIRST_EDGE_MS = 10;
const LAST_BIN = HISTOGRAM_BINS - 1;

/** Lower edge (ms) of each bin; bin 0 starts at 0. */
export const HISTOGRAM_LOWER_EDGES_MS: readonly number[] = Array.from({ length: HISTOGRAM_BINS }, (_, k) =>
  k === 0 ? 0 : FIRST_EDGE_MS * Math.SQRT2 ** (k - 1),
);

/** Upper edge (ms, exclusive) of a bin; the last bin is open (Infinity). */
export function histogramUpperEdge(bin: number): number {
  return bin >= LAST_BIN ? Infinity : HISTOGRAM_LOWER_EDGES_MS[bin + 1];
}

/** The bin a duration (ms) falls in. Negative or non-finite-small values go to bin 0. */
export function histogramBin(ms: number): number {
  if (!(ms >= FIRST_EDGE_MS)) return 0;
  let bin = Math.min(LAST_BIN, Math.floor(2 * Math.log2(ms / FIRST_EDGE_MS)) + 1);
  // log2 rounding at the exact edges
  while (bin < LAST_BIN && ms >= HISTOGRAM_LOWER_EDGES_MS[bin + 1]) bin++;
  while (bin > 1 && ms < HISTOGRAM_LOWER_EDGES_MS[bin]) bin--;
  return bin;
}

/**
 * The `p` quantile (0 < p ≤ 1) of the durations counted in `counts` (nearest-rank definition,
 * interpolated inside the bin); null when nothing was counted.
 */
export function histogramPercentile(counts: ArrayLike<number>, p: number): number | null {
  let total = 0;
  for (let k = 0; k < counts.length; k++) total += counts[k];
  if (total <= 0) return null;
  const rank = Math.min(total, Math.max(1, Math.ceil(p * total)));
  let before = 0;
  for (let bin = 0; bin < counts.length; bin++) {
    const inBin = counts[bin];
    if (inBin <= 0) continue;
    if (before + inBin >= rank) {
      const fraction = (rank - before - 0.5) / inBin;
      const low = HISTOGRAM_LOWER_EDGES_MS[bin];
      if (bin === 0) return round1(low + fraction * (histogramUpperEdge(0) - low));
      const high = bin >= LAST_BIN ? low * Math.SQRT2 : histogramUpperEdge(bin);
      return round1(low * (high / low) ** fraction);
    }
    before += inBin;
  }
  return null;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Column names of the bins in `request_stats`: `lat_00`…`lat_31` and `ftt_00`…`ftt_31`. */
export const LATENCY_BIN_COLUMNS: readonly string[] = binColumns('lat');
export const FIRST_TOKEN_BIN_COLUMNS: readonly string[] = binColumns('ftt');

function binColumns(prefix: string): string[] {
  return Array.from({ length: HISTOGRAM_BINS }, (_, k) => `${prefix}_${String(k).padStart(2, '0')}`);
}
