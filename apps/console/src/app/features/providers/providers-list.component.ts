import { ChangeDetectionStrategy, Component, DestroyRef, type OnInit, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { ProviderView } from '@monorelay/contracts';
import { I18nService } from '../../core/i18n/i18n.service';
import { HealthBadgeComponent } from './health-badge.component';
import { KeyStateBadgeComponent } from './key-state-badge.component';
import { PROVIDER_POLL_MS, pollWhileVisible } from './poll-while-visible';
import { ProviderCreateComponent } from './provider-create.component';
import { TYPE_LABELS, availableKeys, recoveryText } from './provider-labels';
import { ProvidersApiService, describeError } from './providers-api.service';
import { secondClock } from './second-clock';

/** Keys listed on a card; the rest are counted. */
const KEYS_ON_CARD = 4;

/** Admins: every upstream provider as a card with its health, 24 h numbers and keys. */
@Component({
  selector: 'mr-providers-list',
  imports: [RouterLink, HealthBadgeComponent, KeyStateBadgeComponent, ProviderCreateComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr));
      gap: 0.75rem;
    }
    .head {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      flex-wrap: wrap;
    }
    .name {
      font-weight: 600;
      font-size: 1.05rem;
      flex: 1;
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .toggle {
      flex-direction: row;
      align-items: center;
      gap: 0.3rem;
      cursor: pointer;
    }
    .toggle input {
      min-height: 0;
      width: 1.1rem;
      height: 1.1rem;
    }
    .where {
      margin: 0.4rem 0 0.6rem;
      display: flex;
      gap: 0.5rem;
      align-items: baseline;
      flex-wrap: wrap;
    }
    .where code {
      overflow-wrap: anywhere;
      min-width: 0;
    }
    .numbers {
      display: grid;
      grid-template-columns: repeat(4, minmax(0, 1fr));
      gap: 0.5rem;
      margin: 0 0 0.6rem;
    }
    .numbers dt {
      font-size: 12px;
      color: var(--muted);
    }
    .numbers dd {
      margin: 0;
      font-weight: 600;
    }
    .keys {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 0.2rem;
    }
    .keys li {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      flex-wrap: wrap;
    }
    .keys code {
      overflow-wrap: anywhere;
    }
    .create {
      display: block;
      margin-bottom: 1rem;
    }
    .countdown {
      font-size: 12px;
      color: var(--run);
    }
    .note {
      margin-top: 0.75rem;
    }
    @media (max-width: 420px) {
      .numbers {
        grid-template-columns: repeat(2, minmax(0, 1fr));
      }
    }
  `,
  template: `
    <div class="page-head">
      <h1>{{ t('providers.title') }}</h1>
      @if (!adding()) {
        <button type="button" class="primary" data-testid="provider-add" (click)="adding.set(true)">
          {{ t('providers.add') }}
        </button>
      }
    </div>
    @if (adding()) {
      <mr-provider-create class="create" (cancelled)="adding.set(false)" />
    }
    @if (error() || loadError(); as message) {
      <p class="error" role="alert" data-testid="providers-error">{{ message }}</p>
    }
    @if (providers(); as list) {
      <div class="grid" data-testid="provider-list">
        @for (p of list; track p.name) {
          <article class="card" data-testid="provider-card" [attr.data-name]="p.name">
            <div class="head">
              <a class="name" [routerLink]="['/providers', p.name]" data-testid="provider-open">{{
                p.name
              }}</a>
              <mr-health-badge [health]="p.health" />
              <label class="toggle">
                <input
                  type="checkbox"
                  data-testid="provider-enabled"
                  [checked]="p.enabled"
                  [disabled]="busy() === p.name"
                  (change)="setEnabled(p, $any($event.target).checked)"
                />{{ t('providers.enabled') }}
              </label>
            </div>
            <div class="where">
              <span class="badge">{{ t(typeLabels[p.providerType]) }}</span>
              <code data-testid="provider-base-url">{{ p.baseUrl }}</code>
            </div>
            <dl class="numbers">
              <div>
                <dt>{{ t('providers.stats.requests') }}</dt>
                <dd data-testid="provider-requests">{{ i18n.number(p.stats24h.requests) }}</dd>
              </div>
              <div>
                <dt>{{ t('providers.stats.errorRate') }}</dt>
                <dd>{{ i18n.number(p.stats24h.errorRate * 100, 1) }} %</dd>
              </div>
              <div>
                <dt>{{ t('providers.stats.p50') }}</dt>
                <dd>
                  {{
                    p.stats24h.latencyP50Ms === null
                      ? '–'
                      : t('providers.ms', { ms: i18n.number(p.stats24h.latencyP50Ms) })
                  }}
                </dd>
              </div>
              <div>
                <dt>{{ t('providers.stats.keys') }}</dt>
                <dd data-testid="provider-key-count">
                  {{ t('providers.keysAvailable', { available: available(p), total: p.keys.length }) }}
                </dd>
              </div>
            </dl>
            <ul class="keys">
              @for (k of p.keys.slice(0, keysOnCard); track k.index) {
                <li data-testid="provider-card-key">
                  <code>{{ k.envReference ?? k.masked }}</code>
                  @if (k.label) {
                    <span class="muted">{{ k.label }}</span>
                  }
                  <mr-key-state-badge [state]="k.state" />
                  @if (k.cooldownUntil !== null) {
                    <span class="countdown" data-testid="provider-card-countdown">{{
                      recovery(k.cooldownUntil)
                    }}</span>
                  }
                </li>
              }
              @if (p.keys.length > keysOnCard) {
                <li class="muted">{{ t('providers.moreKeys', { n: p.keys.length - keysOnCard }) }}</li>
              }
            </ul>
          </article>
        } @empty {
          <p class="card muted" data-testid="providers-empty">{{ t('providers.empty') }}</p>
        }
      </div>
    } @else {
      <p class="muted">{{ t('common.loading') }}</p>
    }
    <p class="hint note">{{ t('providers.statsNote') }}</p>
  `,
})
export class ProvidersListComponent implements OnInit {
  protected readonly i18n = inject(I18nService);
  protected readonly t = this.i18n.t;
  protected readonly typeLabels = TYPE_LABELS;
  protected readonly keysOnCard = KEYS_ON_CARD;
  protected readonly available = availableKeys;
  /** null until the first answer. */
  protected readonly providers = signal<ProviderView[] | null>(null);
  /** Why the last change failed (kept until the next change). */
  protected readonly error = signal('');
  /** Why the last refresh failed (cleared by the next one that works). */
  protected readonly loadError = signal('');
  /** The new-provider form is open. */
  protected readonly adding = signal(false);
  /** The provider whose enabled switch is being saved. */
  protected readonly busy = signal<string | null>(null);
  private readonly api = inject(ProvidersApiService);
  private readonly destroyRef = inject(DestroyRef);
  private readonly now = secondClock(this.destroyRef);
  /** Counts loads, so that only the newest one's answer is shown. */
  private loads = 0;

  ngOnInit(): void {
    void this.load();
    pollWhileVisible(() => this.load(), PROVIDER_POLL_MS, this.destroyRef);
  }

  protected recovery(cooldownUntil: number): string {
    return recoveryText(cooldownUntil, this.now(), this.t);
  }

  protected async setEnabled(provider: ProviderView, enabled: boolean): Promise<void> {
    this.busy.set(provider.name);
    this.error.set('');
    try {
      await this.api.update(provider.name, { enabled });
    } catch (error) {
      this.error.set(describeError(error).message);
    }
    await this.load();
    this.busy.set(null);
  }

  private async load(): Promise<void> {
    const load = ++this.loads;
    try {
      const providers = await this.api.list();
      // A poll sent before a change may answer after the reload that follows it: the newest wins.
      if (load !== this.loads) return;
      this.providers.set(providers);
      this.loadError.set('');
    } catch (error) {
      if (load === this.loads) this.loadError.set(describeError(error).message);
    }
  }
}
