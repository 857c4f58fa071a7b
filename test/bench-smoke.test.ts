import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../bench/run';

/** Every number anywhere in a JSON value, with its path. */
function numbersIn(value: unknown, path = '$'): Array<[string, unknown]> {
  if (typeof value === 'number') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, index) => numbersIn(item, `${path}[${index}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => numbersIn(item, `${path}.${key}`));
  return [];
}

function at(json: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], json);
}

/** The figures the report is about: they must all be there. */
const HEADLINE_FIGURES = [
  'latency.relayAddedMs.p50',
  'latency.relayAddedMs.p99',
  'latency.baselineAddedMs.p50',
  'latency.roundTripMs.direct.p50',
  'throughput.byConcurrency.0.ratio',
  'throughput.byConcurrency.0.relayRps',
  'throughput.byConcurrency.0.baselineRps',
  'throughput.byConcurrency.1.ratio',
  'throughput.byConcurrency.0.relayCpuSplit.main',
  'throughput.byConcurrency.0.relayCpuSplit.v8Helpers',
  'throughput.byConcurrency.0.relayCpuSplit.workerThreads',
  'throughput.byConcurrency.0.baselineCpuSplit.main',
  'streaming.relayAddedFirstContentMs.p50',
  'streaming.firstContentMs.relay.p50',
  'memory.relay.peakRssMb',
  'memory.relay.highWaterMarkMb',
  'translation.pairs.0.throughput.0.ratio',
  'translation.pairs.0.throughput.0.native.requestsPerSecond',
  'translation.pairs.0.throughput.0.translated.cpuUsPerRequest',
  'translation.pairs.0.throughput.1.ratio',
  'translation.pairs.0.streaming.addedFirstContentMs.p50',
  'translation.pairs.0.streaming.translated.firstContentMs.p50',
  'translation.pairs.1.throughput.0.ratio',
  'translation.pairs.1.streaming.addedFirstContentMs.p50',
  'translation.pairs.1.streaming.native.totalMs.p99',
];

describe('bench smoke (npm run bench --quick)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'monorelay-bench-smoke-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'runs every phase against real child processes and writes finite figures as JSON',
    { timeout: 90_000 },
    async () => {
      const outFile = join(dir, 'latest.json');
      const printed: string[] = [];
      const quick = [
        '--quick',
        '--duration',
        '0.5',
        '--requests',
        '40',
        '--stream-requests',
        '10',
        '--warmup',
        '10',
      ];
      const results = await main([...quick, '--out', outFile], {
        progress: () => {},
        print: (text) => printed.push(text),
      });

      assert.ok(results, 'main returned results');
      const json: unknown = JSON.parse(readFileSync(outFile, 'utf8'));
      for (const path of HEADLINE_FIGURES) {
        const value = at(json, path);
        assert.ok(
          typeof value === 'number' && Number.isFinite(value),
          `${path} is a finite number, got ${value}`,
        );
      }
      // JSON turns NaN and Infinity into null: look at the results themselves.
      const notFinite = numbersIn(results).filter(([, value]) => !Number.isFinite(value));
      assert.deepEqual(notFinite, [], 'every figure is a finite number');
      assert.equal(
        at(json, 'throughput.byConcurrency.0.relayFailures'),
        0,
        'the relay answered every request',
      );
      const relayCpu = results.throughput!.byConcurrency[0]!;
      assert.ok(relayCpu.relayCpuSplit.main > 0, 'the relay main thread used CPU');
      // the relay's log store runs on a worker thread; the baseline proxy has none
      assert.equal(relayCpu.baselineCpuSplit.workerThreads, 0, 'the baseline has no worker threads');
      assert.equal(results.verdicts.length, 5, 'one verdict per budget line');
      for (const pair of results.translation?.pairs ?? []) {
        assert.equal(pair.streaming.native.firstContentMs.samples > 0, true, `${pair.nativeRoute} streamed`);
        for (const level of pair.throughput) {
          assert.equal(level.native.failures, 0, `${pair.nativeRoute} answered every request`);
          assert.equal(level.translated.failures, 0, `${pair.translatedRoute} answered every request`);
        }
      }
      assert.deepEqual(
        results.translation?.pairs.map((pair) => [pair.upstream, pair.nativeRoute, pair.translatedRoute]),
        [
          ['anthropic', 'messages→anthropic', 'chat→anthropic'],
          ['openai', 'chat→openai', 'messages→openai'],
        ],
        'translated routes are paired with the native route to the same upstream',
      );
      assert.equal(results.translation?.verdicts.length, 6, 'TTFB and two throughput targets per pair');
      assert.match(printed.join(''), /Budget \(DESIGN\.md, Performance\)/);
      assert.match(printed.join(''), /Translation targets/);
    },
  );

  it(
    'the soak phase (only when asked for) reads the relay RSS after each interval and judges growth',
    { timeout: 60_000 },
    async () => {
      const outFile = join(dir, 'soak.json');
      const printed: string[] = [];
      const results = await main(['--quick', '--only', 'soak', '--concurrency', '8', '--out', outFile], {
        progress: () => {},
        print: (text) => printed.push(text),
      });
      const soak = results?.soak;
      assert.ok(soak, 'soak results');
      assert.equal(soak.connections, 8);
      assert.equal(soak.intervals.length, 2);
      for (const interval of soak.intervals) {
        assert.ok(interval.rssMb > 20 && interval.rssMb < 4096, `a plausible RSS: ${interval.rssMb}`);
        assert.ok(interval.requestsPerSecond > 0);
        assert.equal(interval.failures, 0);
      }
      assert.equal(soak.growthMb, soak.intervals[1]!.rssMb - soak.intervals[0]!.rssMb);
      assert.ok(results.verdicts.some((v) => v.line.startsWith('memory flat over the soak')));
      assert.match(printed.join(''), /Soak: sustained non-streaming load/);
      assert.equal(results.latency, undefined, 'no other phase ran');
    },
  );
});
