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
import {
  type BreakdownBy,
  type ChartContext,
  breakdownChart,
  costChart,
  latencyChart,
  requestsChart,
  tokensChart,
} from './dashboard-charts';
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
        <span>{{ t('dash.latency') }}</span><strong>{{ pair(s?.latencyP50Ms, s?.latencyP95Ms) }}</strong>
      </div>
      <div class="card stat">
        <span>{{ t('dash.firstToken') }}</span><strong data-testid="first-token">{{
          pair(s?.firstTokenP50Ms, s?.firstTokenP95Ms)
        }}</strong>
      </div>
      <div class="card stat">
        <span>{{ t('dash.tokensPerSecond') }}</span><strong data-testid="tokens-per-second">{{
          s?.tokensPerSecond == null ? '–' : num(s!.tokensPerSecond!, 1)
        }}</strong>
      </div>
    </div>
    <div class="charts">
      <section class="card chart">
        <h3>{{ t('dash.chart.requests') }}</h3>
        <div class="canvas-box"><canvas #requestsCanvas data-testid="chart-requests"></canvas></div>
      </section>
      <section class="card chart">
        <h3>{{ t('dash.chart.latency') }}</h3>
        <div class="canvas-box"><canvas #latencyCanvas data-testid="chart-latency"></canvas></div>
      </section>
      <section class="card chart">
        <h3>{{ t('dash.chart.tokens') }}</h3>
        <div class="canvas-box"><canvas #tokensCanvas data-testid="chart-tokens"></canvas></div>
      </section>
      <section class="card chart">
        <h3>{{ t('dash.chart.cost') }}</h3>
        <div class="canvas-box"><canvas #costCanvas data-testid="chart-cost"></canvas></div>
      </section>
      <section class="card chart">
        <div class="chart-head">
          <h3>{{ t(breakdown() === 'model' ? 'dash.chart.models' : 'dash.chart.providers') }}</h3>
          <div class="tabs" role="group" [attr.aria-label]="t('dash.breakdown')">
            <button
              type="button"
              [class.active]="breakdown() === 'model'"
              data-testid="breakdown-model"
              (click)="breakdown.set('model')"
            >
              {{ t('dash.byModel') }}
            </button>
            <button
              type="button"
              [class.active]="breakdown() === 'provider'"
              data-testid="breakdown-provider"
              (click)="breakdown.set('provider')"
            >
              {{ t('dash.byProvider') }}
            </button>
          </div>
        </div>
        <div class="canvas-box"><canvas #breakdownCanvas data-testid="chart-breakdown"></canvas></div>
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
  protected readonly breakdown = signal<BreakdownBy>('model');
  protected readonly stats = signal<StatsResult | null>(null);
  protected readonly error = signal('');
  private readonly http = inject(HttpClient);
  private readonly theme = inject(ThemeService);
  private readonly requestsCanvas = viewChild.required<ElementRef<HTMLCanvasElement>>('requestsCanvas');
  private readonly latencyCanvas = viewChild.required<ElementRef<HTMLCanvasElement>>('latencyCanvas');
  private readonly tokensCanvas = viewChild.required<ElementRef<HTMLCanvasElement>>('tokensCanvas');
  private readonly costCanvas = viewChild.required<ElementRef<HTMLCanvasElement>>('costCanvas');
  private readonly breakdownCanvas = viewChild.required<ElementRef<HTMLCanvasElement>>('breakdownCanvas');
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
    effect(() => void this.load(this.range(), this.breakdown()));
    // Charts are redrawn when the data, the language (labels) or the theme (colours) change.
    effect(() => this.draw(this.stats(), { labels: this.labels(), t: this.t, theme: this.theme.theme() }));
    inject(DestroyRef).onDestroy(() => this.charts.forEach((chart) => chart.destroy()));
  }

  protected num(value: number, digits = 0): string {
    return this.i18n.number(value, digits);
  }

  /** "p50 / p95 ms", or a dash when nothing was measured. */
  protected pair(p50: number | null | undefined, p95: number | null | undefined): string {
    if (p50 == null) return '–';
    return `${this.num(p50)} / ${this.num(p95 ?? p50)} ms`;
  }

  private async load(range: Range, breakdown: BreakdownBy): Promise<void> {
    const to = Date.now();
    const params = new HttpParams()
      .set('from', to - range.ms)
      .set('to', to)
      .set('bucket', range.bucket)
      .set('group_by', breakdown);
    try {
      this.stats.set(await firstValueFrom(this.http.get<StatsResult>('/api/stats', { params })));
      this.error.set('');
    } catch (error) {
      this.error.set(errorMessage(error));
    }
  }

  private draw(stats: StatsResult | null, context: ChartContext): void {
    this.charts.forEach((chart) => chart.destroy());
    this.charts = [];
    if (!stats) return;
    this.charts = [
      new Chart(this.requestsCanvas().nativeElement, requestsChart(stats, context)),
      new Chart(this.latencyCanvas().nativeElement, latencyChart(stats, context)),
      new Chart(this.tokensCanvas().nativeElement, tokensChart(stats, context)),
      new Chart(this.costCanvas().nativeElement, costChart(stats, context)),
      new Chart(this.breakdownCanvas().nativeElement, breakdownChart(stats, context)),
    ];
  }
}
