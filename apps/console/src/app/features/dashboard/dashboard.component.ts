import { HttpClient, HttpParams } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  type ElementRef,
  computed,
  effect,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import type { StatsBucket, StatsResult } from '@monorelay/contracts';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';
import { firstValueFrom } from 'rxjs';
import { errorMessage } from '../../core/auth.service';
import { I18nService } from '../../core/i18n/i18n.service';
import type { MessageKey } from '../../core/i18n/en';
import { ThemeService } from '../../core/theme.service';
import { SnippetsComponent } from './snippets.component';

// Only the chart.js parts in use (keeps the bundle small).
Chart.register(
  LineController,
  LineElement,
  PointElement,
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  Filler,
  Legend,
  Tooltip,
);

interface Range {
  id: string;
  label: MessageKey;
  ms: number;
  bucket: StatsBucket;
}

const HOUR = 3_600_000;
const RANGES: Range[] = [
  { id: '1h', label: 'dash.range.1h', ms: HOUR, bucket: 'minute' },
  { id: '24h', label: 'dash.range.24h', ms: 24 * HOUR, bucket: 'hour' },
  { id: '7d', label: 'dash.range.7d', ms: 7 * 24 * HOUR, bucket: 'hour' },
  { id: '30d', label: 'dash.range.30d', ms: 30 * 24 * HOUR, bucket: 'day' },
];

/** Totals and charts from `/api/stats` over a chosen range, plus how to point clients at the relay. */
@Component({
  selector: 'mr-dashboard',
  imports: [SnippetsComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page-head">
      <h1>{{ t('dash.title') }}</h1>
      <div class="tabs" role="group" [attr.aria-label]="t('dash.range')">
        @for (r of ranges; track r.id) {
          <button
            type="button"
            [class.active]="range().id === r.id"
            [attr.data-testid]="'range-' + r.id"
            (click)="range.set(r)"
          >
            {{ t(r.label) }}
          </button>
        }
      </div>
    </div>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    @let s = stats()?.totals;
    <div class="cards" data-testid="totals">
      <div class="card stat">
        <span>{{ t('dash.requests') }}</span><strong data-testid="total-requests">{{
          s ? num(s.requests) : '–'
        }}</strong>
      </div>
      <div class="card stat">
        <span>{{ t('dash.errorRate') }}</span><strong>{{ s ? num(s.errorRate * 100, 1) + '%' : '–' }}</strong>
      </div>
      <div class="card stat">
        <span>{{ t('dash.tokens') }}</span><strong>{{
          s ? num(s.inputTokens + s.outputTokens) : '–'
        }}</strong>
      </div>
      <div class="card stat">
        <span>{{ t('dash.cost') }}</span><strong>{{ s ? '$' + num(s.costUsd, 4) : '–' }}</strong>
      </div>
      <div class="card stat">
        <span>{{ t('dash.latency') }}</span><strong>{{
          s?.latencyP50Ms == null ? '–' : num(s!.latencyP50Ms!) + ' / ' + num(s!.latencyP95Ms ?? 0) + ' ms'
        }}</strong>
      </div>
      <div class="card stat">
        <span>{{ t('dash.firstToken') }}</span><strong>{{
          s?.firstTokenP50Ms == null ? '–' : num(s!.firstTokenP50Ms!) + ' ms'
        }}</strong>
      </div>
    </div>
    <div class="charts">
      <section class="card chart">
        <h3>{{ t('dash.chart.requests') }}</h3>
        <div class="canvas-box"><canvas #requestsCanvas data-testid="chart-requests"></canvas></div>
      </section>
      <section class="card chart">
        <h3>{{ t('dash.chart.tokens') }}</h3>
        <div class="canvas-box"><canvas #tokensCanvas></canvas></div>
      </section>
      <section class="card chart">
        <h3>{{ t('dash.chart.models') }}</h3>
        <div class="canvas-box"><canvas #modelsCanvas></canvas></div>
      </section>
    </div>
    <mr-snippets />
  `,
})
export class DashboardComponent {
  private readonly i18n = inject(I18nService);
  protected readonly t = this.i18n.t;
  protected readonly ranges = RANGES;
  protected readonly range = signal<Range>(RANGES[1]!);
  protected readonly stats = signal<StatsResult | null>(null);
  protected readonly error = signal('');
  private readonly http = inject(HttpClient);
  private readonly theme = inject(ThemeService);
  private readonly requestsCanvas = viewChild.required<ElementRef<HTMLCanvasElement>>('requestsCanvas');
  private readonly tokensCanvas = viewChild.required<ElementRef<HTMLCanvasElement>>('tokensCanvas');
  private readonly modelsCanvas = viewChild.required<ElementRef<HTMLCanvasElement>>('modelsCanvas');
  private charts: Chart[] = [];

  private readonly labels = computed(() => {
    const stats = this.stats();
    if (!stats) return [];
    const lang = this.i18n.lang();
    const options: Intl.DateTimeFormatOptions =
      stats.bucket === 'day'
        ? { month: 'short', day: 'numeric' }
        : stats.bucket === 'hour' && this.range().id === '7d'
          ? { month: 'short', day: 'numeric', hour: '2-digit' }
          : { hour: '2-digit', minute: '2-digit', hour12: false };
    return stats.series.map((point) => new Date(point.t).toLocaleString(lang, options));
  });

  constructor() {
    effect(() => void this.load(this.range()));
    // Charts are redrawn when the data, the language (labels) or the theme (colours) change.
    effect(() => this.draw(this.stats(), this.labels(), this.theme.theme()));
    inject(DestroyRef).onDestroy(() => this.charts.forEach((chart) => chart.destroy()));
  }

  protected num(value: number, digits = 0): string {
    return this.i18n.number(value, digits);
  }

  private async load(range: Range): Promise<void> {
    const to = Date.now();
    const params = new HttpParams()
      .set('from', to - range.ms)
      .set('to', to)
      .set('bucket', range.bucket)
      .set('group_by', 'model');
    try {
      this.stats.set(await firstValueFrom(this.http.get<StatsResult>('/api/stats', { params })));
      this.error.set('');
    } catch (error) {
      this.error.set(errorMessage(error));
    }
  }

  private draw(stats: StatsResult | null, labels: string[], theme: string): void {
    this.charts.forEach((chart) => chart.destroy());
    this.charts = [];
    if (!stats) return;
    const t = this.t;
    const text = theme === 'dark' ? '#c9d1d9' : '#374151';
    const grid = theme === 'dark' ? 'rgba(255,255,255,0.08)' : 'rgba(0,0,0,0.08)';
    const scales = {
      x: { ticks: { color: text, maxRotation: 0, autoSkip: true }, grid: { color: grid } },
      y: { beginAtZero: true, ticks: { color: text }, grid: { color: grid } },
    };
    const common = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false as const,
      plugins: { legend: { labels: { color: text } } },
      scales,
    };
    this.charts.push(
      new Chart(this.requestsCanvas().nativeElement, {
        type: 'line',
        data: {
          labels,
          datasets: [
            {
              label: t('dash.requests'),
              data: stats.series.map((p) => p.figures.requests),
              borderColor: '#3b82f6',
              backgroundColor: 'rgba(59,130,246,0.15)',
              fill: true,
              pointRadius: 0,
              tension: 0.25,
            },
            {
              label: t('dash.errors'),
              data: stats.series.map((p) => p.figures.errors),
              borderColor: '#ef4444',
              backgroundColor: 'rgba(239,68,68,0.15)',
              fill: true,
              pointRadius: 0,
              tension: 0.25,
            },
          ],
        },
        options: common,
      }),
      new Chart(this.tokensCanvas().nativeElement, {
        type: 'bar',
        data: {
          labels,
          datasets: [
            {
              label: t('dash.input'),
              data: stats.series.map((p) => p.figures.inputTokens),
              backgroundColor: '#6366f1',
            },
            {
              label: t('dash.output'),
              data: stats.series.map((p) => p.figures.outputTokens),
              backgroundColor: '#10b981',
            },
          ],
        },
        options: {
          ...common,
          scales: { x: { ...scales.x, stacked: true }, y: { ...scales.y, stacked: true } },
        },
      }),
      new Chart(this.modelsCanvas().nativeElement, {
        type: 'bar',
        data: {
          labels: stats.groups.slice(0, 10).map((g) => g.key || '–'),
          datasets: [
            {
              label: t('dash.requests'),
              data: stats.groups.slice(0, 10).map((g) => g.figures.requests),
              backgroundColor: '#3b82f6',
            },
          ],
        },
        options: common,
      }),
    );
  }
}
