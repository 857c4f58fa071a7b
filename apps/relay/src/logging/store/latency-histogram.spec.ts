import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  HISTOGRAM_BINS,
  HISTOGRAM_LOWER_EDGES_MS,
  histogramBin,
  histogramPercentile,
  histogramUpperEdge,
} from './latency-histogram';

describe('latency histogram', () => {
  it('has 32 bins: [0, 10 ms), then a factor of √2 each, open above 327.68 s', () => {
    assert.equal(HISTOGRAM_BINS, 32);
    assert.equal(HISTOGRAM_LOWER_EDGES_MS[0], 0);
    assert.equal(HISTOGRAM_LOWER_EDGES_MS[1], 10);
    for (let k = 2; k < HISTOGRAM_BINS; k++) {
      assert.ok(Math.abs(HISTOGRAM_LOWER_EDGES_MS[k] / HISTOGRAM_LOWER_EDGES_MS[k - 1] - Math.SQRT2) < 1e-12);
    }
    assert.ok(Math.abs(HISTOGRAM_LOWER_EDGES_MS[31] - 327_680) < 1e-6);
    assert.equal(histogramUpperEdge(31), Infinity);
  });

  it('puts every duration in the bin whose edges hold it, exact edges included', () => {
    for (const ms of [0, 1, 9.999, 10, 14, 14.2, 20, 99, 100, 1000, 1234, 65_432, 327_679, 327_680, 9e9]) {
      const bin = histogramBin(ms);
      assert.ok(
        ms >= HISTOGRAM_LOWER_EDGES_MS[bin] && ms < histogramUpperEdge(bin),
        `${ms} ms in bin ${bin}`,
      );
    }
    for (let k = 1; k < HISTOGRAM_BINS; k++) assert.equal(histogramBin(HISTOGRAM_LOWER_EDGES_MS[k]), k);
    assert.equal(histogramBin(-5), 0);
    assert.equal(histogramBin(Number.NaN), 0);
  });

  it('reads percentiles within the bin of the exact nearest-rank value', () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.round(20 + ((i * 7919) % 1000) * 4.5));
    const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
    for (const v of values) counts[histogramBin(v)]++;
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [0.01, 0.5, 0.9, 0.95, 0.99, 1]) {
      const exact = sorted[Math.ceil(p * sorted.length) - 1];
      const estimate = histogramPercentile(counts, p)!;
      assert.equal(histogramBin(estimate), histogramBin(exact), `p${p * 100}: ${estimate} vs ${exact}`);
    }
  });

  it('returns null for an empty histogram and interpolates a single sample to its bin', () => {
    assert.equal(histogramPercentile(new Array(HISTOGRAM_BINS).fill(0), 0.5), null);
    const one = new Array<number>(HISTOGRAM_BINS).fill(0);
    one[histogramBin(1234)] = 1;
    const estimate = histogramPercentile(one, 0.5)!;
    assert.equal(histogramBin(estimate), histogramBin(1234));
  });
});
