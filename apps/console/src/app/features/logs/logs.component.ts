import { HttpClient, HttpParams } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  type OnInit,
  computed,
  inject,
  signal,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { RequestLogEntry, RequestLogPage, UserView } from '@monorelay/contracts';
import { type Subscription, firstValueFrom } from 'rxjs';
import { AuthService, errorMessage } from '../../core/auth.service';
import { I18nService } from '../../core/i18n/i18n.service';
import { type LiveEvent, LiveLogService } from '../../core/live-log.service';
import { LogDetailComponent } from './log-detail.component';

const PAGE_SIZES = [20, 50, 100, 200] as const;

interface Filters {
  model: string;
  provider: string;
  /** A user's id (admins only). */
  user: string;
  status: '' | 'success' | 'error';
  q: string;
}

/**
 * The request log: page one is live (server-sent events put new requests on top and update running
 * ones in place); older pages come by cursor. A row opens to the whole entry; failed ones open by
 * themselves.
 */
@Component({
  selector: 'mr-logs',
  imports: [FormsModule, LogDetailComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page-head">
      <h1>{{ t('logs.title') }}</h1>
      <span class="live" [class.on]="live()" data-testid="live-state">{{
        live() ? t('logs.live') : t('logs.paused')
      }}</span>
      @if (auth.isAdmin()) {
        <button type="button" class="danger" data-testid="clear-logs" (click)="clear()">
          {{ t('logs.clear') }}
        </button>
      }
    </div>
    <form class="filters card" (ngSubmit)="reload()">
      <label
        >{{ t('logs.filter.model')
        }}<input name="model" [(ngModel)]="filters.model" data-testid="filter-model"
      /></label>
      <label>{{ t('logs.filter.provider') }}<input name="provider" [(ngModel)]="filters.provider" /></label>
      @if (auth.isAdmin()) {
        <label
          >{{ t('logs.filter.user') }}
          <select name="user" [(ngModel)]="filters.user" data-testid="filter-user">
            <option value="">{{ t('logs.filter.any') }}</option>
            @for (u of users(); track u.id) {
              <option [value]="u.id">{{ u.username }}</option>
            }
          </select>
        </label>
      }
      <label
        >{{ t('logs.filter.status') }}
        <select name="status" [(ngModel)]="filters.status" data-testid="filter-status">
          <option value="">{{ t('logs.filter.any') }}</option>
          <option value="success">{{ t('logs.state.success') }}</option>
          <option value="error">{{ t('logs.state.failed') }}</option>
        </select>
      </label>
      <label>{{ t('logs.filter.text') }}<input name="q" [(ngModel)]="filters.q" /></label>
      <label
        >{{ t('logs.filter.limit') }}
        <select name="limit" [ngModel]="limit()" (ngModelChange)="setLimit($event)" data-testid="limit">
          @for (size of pageSizes; track size) {
            <option [ngValue]="size">{{ size }}</option>
          }
        </select>
      </label>
      <button type="submit" class="primary">{{ t('logs.filter.apply') }}</button>
    </form>
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    <div class="table-wrap card">
      <table class="logs" data-testid="log-table">
        <thead>
          <tr>
            <th>{{ t('logs.col.time') }}</th>
            <th>{{ t('logs.col.status') }}</th>
            <th>{{ t('logs.col.model') }}</th>
            <th class="hide-sm">{{ t('logs.col.provider') }}</th>
            <th class="num">{{ t('logs.col.latency') }}</th>
            <th class="num hide-sm">{{ t('logs.col.tokens') }}</th>
            <th class="hide-sm">{{ t('logs.col.preview') }}</th>
          </tr>
        </thead>
        <tbody>
          @for (e of rows(); track e.id) {
            <tr
              class="row"
              [class.failed]="e.state === 'failed'"
              [class.pending]="e.state === 'pending'"
              [attr.data-state]="e.state"
              [attr.data-id]="e.id"
              data-testid="log-row"
              tabindex="0"
              [attr.aria-expanded]="isOpen(e)"
              (click)="toggle(e)"
              (keydown.enter)="toggle(e)"
            >
              <td class="mono">{{ time(e.timestamp) }}</td>
              <td>
                <span
                  class="badge"
                  [class.ok]="e.state === 'success'"
                  [class.bad]="e.state === 'failed'"
                  [class.run]="e.state === 'pending'"
                >
                  {{ e.state === 'pending' ? t('logs.state.pending') : e.statusCode }}
                </span>
              </td>
              <td>
                {{ e.servedModel ?? e.requestedModel ?? '–' }}
                @if (e.streaming) {
                  <span class="muted"> ⇶</span>
                }
              </td>
              <td class="hide-sm">{{ e.provider ?? '–' }}</td>
              <td class="num">{{ e.latencyMs == null ? '…' : e.latencyMs + ' ms' }}</td>
              <td class="num hide-sm">{{ e.inputTokens }} / {{ e.outputTokens }}</td>
              <td class="preview hide-sm">
                {{ e.errorMessage ?? e.responsePreview ?? e.requestPreview ?? '' }}
              </td>
            </tr>
            @if (isOpen(e)) {
              <tr class="expanded">
                <td colspan="7"><mr-log-detail [entry]="e" /></td>
              </tr>
            }
          } @empty {
            <tr>
              <td colspan="7" class="muted empty">{{ loading() ? t('common.loading') : t('logs.empty') }}</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
    <div class="pager">
      <button type="button" [disabled]="cursors().length === 0" (click)="first()" data-testid="page-newest">
        {{ t('logs.newest') }}
      </button>
      <button type="button" [disabled]="cursors().length === 0" (click)="previous()">
        {{ t('logs.newer') }}
      </button>
      <span class="muted">{{ t('logs.page', { n: cursors().length + 1 }) }}</span>
      <button type="button" [disabled]="!nextCursor()" (click)="next()" data-testid="page-older">
        {{ t('logs.older') }}
      </button>
    </div>
  `,
})
export class LogsComponent implements OnInit {
  protected readonly auth = inject(AuthService);
  private readonly i18n = inject(I18nService);
  protected readonly t = this.i18n.t;
  protected readonly pageSizes = PAGE_SIZES;
  protected readonly filters: Filters = { model: '', provider: '', user: '', status: '', q: '' };
  protected readonly limit = signal<number>(50);
  protected readonly rows = signal<RequestLogEntry[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal('');
  protected readonly nextCursor = signal<string | null>(null);
  /** Cursors of the pages before this one (empty: page one, the live page). */
  protected readonly cursors = signal<Array<string | null>>([]);
  protected readonly live = computed(() => this.cursors().length === 0 && this.streaming());
  private readonly streaming = signal(false);
  /** Rows opened by hand; failed rows closed by hand (they start open). */
  private readonly opened = signal(new Set<string>());
  private readonly closed = signal(new Set<string>());
  private readonly http = inject(HttpClient);
  private readonly liveLog = inject(LiveLogService);
  private subscription: Subscription | null = null;
  /** The filters the rows on screen were loaded with (live events are matched against them). */
  private applied: Filters = { ...this.filters };

  constructor() {
    inject(DestroyRef).onDestroy(() => this.subscription?.unsubscribe());
  }

  /** Accounts for the admins' user filter. */
  protected readonly users = signal<UserView[]>([]);

  ngOnInit(): void {
    void this.load(null);
    void this.auth.load().then(() => {
      if (!this.auth.isAdmin()) return;
      this.http
        .get<UserView[]>('/api/users')
        .subscribe({ next: (users) => this.users.set(users), error: () => undefined });
    });
  }

  protected time(epochMs: number): string {
    return this.i18n.dateTime(epochMs);
  }

  protected isOpen(entry: RequestLogEntry): boolean {
    return entry.state === 'failed' ? !this.closed().has(entry.id) : this.opened().has(entry.id);
  }

  protected toggle(entry: RequestLogEntry): void {
    const set = entry.state === 'failed' ? this.closed : this.opened;
    set.update((ids) => {
      const copy = new Set(ids);
      if (!copy.delete(entry.id)) copy.add(entry.id);
      return copy;
    });
  }

  protected setLimit(limit: number): void {
    this.limit.set(limit);
    void this.reload();
  }

  protected reload(): Promise<void> {
    this.cursors.set([]);
    return this.load(null);
  }

  protected first(): Promise<void> {
    return this.reload();
  }

  protected next(): Promise<void> {
    const cursor = this.nextCursor();
    if (!cursor) return Promise.resolve();
    this.cursors.update((list) => [...list, this.currentCursor]);
    return this.load(cursor);
  }

  protected previous(): Promise<void> {
    const list = this.cursors();
    const cursor = list[list.length - 1] ?? null;
    this.cursors.set(list.slice(0, -1));
    return this.load(cursor);
  }

  protected async clear(): Promise<void> {
    if (!confirm(this.t('logs.clearConfirm'))) return;
    try {
      await firstValueFrom(this.http.delete('/api/logs'));
      this.rows.set([]);
    } catch (error) {
      this.error.set(errorMessage(error));
    }
  }

  private currentCursor: string | null = null;

  private async load(cursor: string | null): Promise<void> {
    this.loading.set(true);
    this.error.set('');
    this.subscription?.unsubscribe();
    this.streaming.set(false);
    this.applied = { ...this.filters };
    this.currentCursor = cursor;
    let params = new HttpParams().set('limit', this.limit());
    if (cursor) params = params.set('cursor', cursor);
    if (this.applied.model) params = params.set('model', this.applied.model);
    if (this.applied.provider) params = params.set('provider', this.applied.provider);
    if (this.applied.user) params = params.set('user', this.applied.user);
    if (this.applied.status) params = params.set('status', this.applied.status);
    if (this.applied.q) params = params.set('q', this.applied.q);
    try {
      const page = await firstValueFrom(this.http.get<RequestLogPage>('/api/logs', { params }));
      const inFlight = page.inFlight.filter((entry) => this.matches(entry));
      this.rows.set([
        ...inFlight,
        ...page.entries.filter((entry) => !inFlight.some((running) => running.id === entry.id)),
      ]);
      this.nextCursor.set(page.nextCursor);
      if (!cursor) this.follow(page.lastEventId);
    } catch (error) {
      this.error.set(errorMessage(error));
    } finally {
      this.loading.set(false);
    }
  }

  /** Page one follows the live stream from the moment the page was read. */
  private follow(lastEventId: string): void {
    this.streaming.set(true);
    this.subscription = this.liveLog.events(lastEventId).subscribe({
      next: (event) => this.apply(event),
      error: () => this.streaming.set(false),
    });
  }

  private apply(event: LiveEvent): void {
    switch (event.type) {
      case 'cleared':
        this.rows.set([]);
        return;
      case 'reset':
        void this.reload();
        return;
      case 'started':
      case 'finished': {
        const entry = event.entry;
        this.rows.update((rows) => {
          const at = rows.findIndex((row) => row.id === entry.id);
          if (at >= 0) {
            // In place, unless the finished entry no longer matches the filters (say "errors" and it succeeded).
            if (event.type === 'finished' && !this.matches(entry))
              return rows.filter((row) => row.id !== entry.id);
            const copy = rows.slice();
            copy[at] = entry;
            return copy;
          }
          if (!this.matches(entry, event.type === 'started')) return rows;
          const next = [entry, ...rows];
          if (next.length <= this.limit()) return next;
          // Entries pushed off page one are now on page two. A cursor is the id of the last entry
          // shown (ids are time-ordered, as the relay's own `nextCursor`), so "Older" picks up there.
          const kept = next.slice(0, this.limit());
          this.nextCursor.set(kept[kept.length - 1]!.id);
          return kept;
        });
      }
    }
  }

  /** The list's filters applied to a live entry (a running one has no final status yet). */
  private matches(entry: RequestLogEntry, running = entry.state === 'pending'): boolean {
    const f = this.applied;
    const has = (value: string | null, needle: string): boolean =>
      (value ?? '').toLowerCase().includes(needle.toLowerCase());
    if (f.model && !has(entry.requestedModel, f.model) && !has(entry.servedModel, f.model)) return false;
    if (f.provider && !running && !has(entry.provider, f.provider)) return false;
    if (f.user && entry.userId !== f.user) return false;
    if (f.status === 'success' && !running && entry.state !== 'success') return false;
    if (f.status === 'error' && !running && entry.state !== 'failed') return false;
    if (f.q && !has(entry.requestPreview, f.q) && !has(entry.responsePreview, f.q) && !running) return false;
    return true;
  }
}
