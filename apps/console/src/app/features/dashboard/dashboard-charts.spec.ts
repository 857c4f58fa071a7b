import type { StatsFigures, StatsResult } from '@monorelay/contracts';
import { EN, type MessageKey } from '../../core/i18n/en';
import { breakdownChart, costChart, latencyChart, requestsChart } from './dashboard-charts';

function figures(over: Partial<StatsFigures> = {}): StatsFigures {
  return {
    requests: 0,
    errors: 0,
    errorRate: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0,
    latencyP50Ms: null,
    latencyP95Ms: null,
    firstTokenP50Ms: null,
    firstTokenP95Ms: null,
    tokensPerSecond: null,
    ...over,
  };
}

const STATS: StatsResult = {
  from: 0,
  to: 180_000,
  bucket: 'minute',
  totals: figures({ requests: 5, errors: 1 }),
  series: [
    {
      t: 0,
      figures: figures({
        requests: 3,
        errors: 1,
        latencyP50Ms: 120,
        latencyP95Ms: 480,
        costUsd: 0.0123456789,
      }),
    },
    { t: 60_000, figures: figures() },
    {
      t: 120_000,
      figures: figures({ requests: 2, latencyP50Ms: 90, latencyP95Ms: 95, firstTokenP50Ms: 40 }),
    },
  ],
  groups: Array.from({ length: 12 }, (_, i) => ({
    key: i === 0 ? '' : `model-${i}`,
    figures: figures({ requests: 100 - i, errors: i }),
  })),
};

const context = {
  labels: ['00:00', '00:01', '00:02'],
  t: (key: MessageKey) => EN[key],
  theme: 'light' as const,
};

describe('dashboard charts', () => {
  it('requests and errors per bucket, with the labels given', () => {
    const config = requestsChart(STATS, context);
    expect(config.data.labels).toEqual(context.labels);
    expect(config.data.datasets.map((d) => d.label)).toEqual(['Requests', 'Errors']);
    expect(config.data.datasets[0].data).toEqual([3, 0, 2]);
    expect(config.data.datasets[1].data).toEqual([1, 0, 0]);
  });

  it('latency percentiles leave a gap for an empty bucket instead of drawing zero', () => {
    const config = latencyChart(STATS, context);
    const [p50, p95, firstP50] = config.data.datasets;
    expect(p50.label).toBe('Latency p50');
    expect(p50.data).toEqual([120, null, 90]);
    expect(p95.data).toEqual([480, null, 95]);
    expect(firstP50.data).toEqual([null, null, 40]);
  });

  it('cost per bucket, rounded to a millionth of a dollar', () => {
    expect(costChart(STATS, context).data.datasets[0].data).toEqual([0.012346, 0, 0]);
  });

  it('cost ticks are dollars with three significant digits, latency ticks milliseconds', () => {
    type Ticks = { callback: (value: number) => string };
    const costTicks = (costChart(STATS, context).options as { scales: { y: { ticks: Ticks } } }).scales.y
      .ticks;
    expect(costTicks.callback(0.000044999999999999996)).toBe('$0.000045');
    expect(costTicks.callback(0)).toBe('$0');
    expect(costTicks.callback(1234.5)).toBe('$1,230');
    const msTicks = (latencyChart(STATS, context).options as { scales: { y: { ticks: Ticks } } }).scales.y
      .ticks;
    expect(msTicks.callback(250)).toBe('250 ms');
  });

  it('the breakdown shows the ten largest groups, an empty key as a dash', () => {
    const config = breakdownChart(STATS, context);
    expect(config.data.labels).toHaveLength(10);
    expect(config.data.labels?.[0]).toBe('–');
    expect(config.data.labels?.[1]).toBe('model-1');
    expect(config.data.datasets[1].data[3]).toBe(3);
  });

  it('dark theme changes the text colour of the axes', () => {
    const light = JSON.stringify(requestsChart(STATS, context).options);
    const dark = JSON.stringify(requestsChart(STATS, { ...context, theme: 'dark' }).options);
    expect(light).not.toEqual(dark);
  });
});
