import type { StatsResult } from '@monorelay/contracts';
import type { ChartConfiguration } from 'chart.js';
import type { MessageKey } from '../../core/i18n/en';

/** What every chart of the dashboard needs besides the figures: labels, words and colours. */
export interface ChartContext {
  /** One label per series point. */
  labels: string[];
  t: (key: MessageKey) => string;
  theme: 'light' | 'dark';
}

export type BreakdownBy = 'model' | 'provider';

const BLUE = '#3b82f6';
const RED = '#ef4444';
const INDIGO = '#6366f1';
const GREEN = '#10b981';
const AMBER = '#f59e0b';
const PURPLE = '#a855f7';

type TickFormat = (value: number) => string;

const MS: TickFormat = (value) => `${value} ms`;
/** Dollars with three significant digits: cost per bucket is often a fraction of a cent. */
const USD: TickFormat = (value) =>
  value === 0 ? '$0' : `$${value.toLocaleString('en-US', { maximumSignificantDigits: 3 })}`;

function baseOptions(theme: ChartContext['theme'], format?: TickFormat) {
  const text = theme === 'dark' ? '#c9d1d9' : '#374151';
  const grid = theme === 'dark' ? 'rgba(255,255,255,0.08)' : 'rgba(0,0,0,0.08)';
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    plugins: { legend: { labels: { color: text } } },
    scales: {
      x: { ticks: { color: text, maxRotation: 0, autoSkip: true }, grid: { color: grid } },
      y: {
        beginAtZero: true,
        ticks: {
          color: text,
          ...(format ? { callback: (value: string | number) => format(Number(value)) } : {}),
        },
        grid: { color: grid },
      },
    },
  };
}

function line(label: string, data: Array<number | null>, color: string, fill = false) {
  return {
    label,
    data,
    borderColor: color,
    backgroundColor: `${color}26`,
    fill,
    pointRadius: 0,
    tension: 0.25,
    spanGaps: true,
  };
}

export function requestsChart(stats: StatsResult, { labels, t, theme }: ChartContext): ChartConfiguration {
  return {
    type: 'line',
    data: {
      labels,
      datasets: [
        line(
          t('dash.requests'),
          stats.series.map((p) => p.figures.requests),
          BLUE,
          true,
        ),
        line(
          t('dash.errors'),
          stats.series.map((p) => p.figures.errors),
          RED,
          true,
        ),
      ],
    },
    options: baseOptions(theme),
  };
}

export function tokensChart(stats: StatsResult, { labels, t, theme }: ChartContext): ChartConfiguration {
  const options = baseOptions(theme);
  return {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          label: t('dash.input'),
          data: stats.series.map((p) => p.figures.inputTokens),
          backgroundColor: INDIGO,
        },
        {
          label: t('dash.output'),
          data: stats.series.map((p) => p.figures.outputTokens),
          backgroundColor: GREEN,
        },
      ],
    },
    options: {
      ...options,
      scales: { x: { ...options.scales.x, stacked: true }, y: { ...options.scales.y, stacked: true } },
    },
  };
}

/** Latency and time to first token, p50 and p95 per bucket; empty buckets are gaps, not zeros. */
export function latencyChart(stats: StatsResult, { labels, t, theme }: ChartContext): ChartConfiguration {
  const pick = (value: (f: StatsResult['totals']) => number | null) =>
    stats.series.map((p) => (p.figures.requests > 0 ? value(p.figures) : null));
  return {
    type: 'line',
    data: {
      labels,
      datasets: [
        line(
          t('dash.latencyP50'),
          pick((f) => f.latencyP50Ms),
          BLUE,
        ),
        line(
          t('dash.latencyP95'),
          pick((f) => f.latencyP95Ms),
          PURPLE,
        ),
        line(
          t('dash.firstTokenP50'),
          pick((f) => f.firstTokenP50Ms),
          GREEN,
        ),
        line(
          t('dash.firstTokenP95'),
          pick((f) => f.firstTokenP95Ms),
          AMBER,
        ),
      ],
    },
    options: baseOptions(theme, MS),
  };
}

export function costChart(stats: StatsResult, { labels, t, theme }: ChartContext): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          label: t('dash.cost'),
          data: stats.series.map((p) => Number(p.figures.costUsd.toFixed(6))),
          backgroundColor: AMBER,
        },
      ],
    },
    options: baseOptions(theme, USD),
  };
}

/** The ten largest groups (models or providers): requests and errors side by side. */
export function breakdownChart(stats: StatsResult, { t, theme }: ChartContext): ChartConfiguration {
  const top = stats.groups.slice(0, 10);
  return {
    type: 'bar',
    data: {
      labels: top.map((g) => g.key || '–'),
      datasets: [
        { label: t('dash.requests'), data: top.map((g) => g.figures.requests), backgroundColor: BLUE },
        { label: t('dash.errors'), data: top.map((g) => g.figures.errors), backgroundColor: RED },
      ],
    },
    options: baseOptions(theme),
  };
}
