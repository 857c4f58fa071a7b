import { ChangeDetectionStrategy, Component, DestroyRef, type OnInit, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import type { ProviderInput, ProviderView } from '@monorelay/contracts';
import { I18nService } from '../../core/i18n/i18n.service';
import { HealthBadgeComponent } from './health-badge.component';
import { KeyImportDialogComponent } from './key-import-dialog.component';
import { ModelsPickerComponent } from './models-picker.component';
import { PROVIDER_POLL_MS, pollWhileVisible } from './poll-while-visible';
import { ProviderFormComponent } from './provider-form.component';
import { ProviderKeysComponent } from './provider-keys.component';
import { TYPE_LABELS } from './provider-labels';
import { ProviderTestPanelComponent } from './provider-test-panel.component';
import { type ApiProblem, ProvidersApiService, describeError } from './providers-api.service';

/**
 * One provider (`/providers/:name`): its 24 h numbers, a test call, the upstream's models, its keys
 * and its settings. Provider state is loaded again every few seconds while the page is visible, so
 * key cooldowns move on their own.
 */
@Component({
  selector: 'mr-provider-detail',
  imports: [
    RouterLink,
    HealthBadgeComponent,
    ProviderFormComponent,
    ProviderKeysComponent,
    ProviderTestPanelComponent,
    ModelsPickerComponent,
    KeyImportDialogComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .page-head h1 {
      overflow-wrap: anywhere;
      min-width: 0;
    }
    .back {
      flex-basis: 100%;
      text-decoration: none;
    }
    section.card {
      margin-bottom: 1rem;
    }
    section.card > h2,
    .section-head h2 {
      margin: 0 0 0.75rem;
    }
    .section-head {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      flex-wrap: wrap;
      margin: 1.5rem 0 0.75rem;
    }
    .section-head h2 {
      flex: 1;
      margin: 0;
    }
    .where {
      display: flex;
      gap: 0.5rem;
      align-items: baseline;
      flex-wrap: wrap;
      margin: -0.5rem 0 1rem;
    }
    .where code {
      overflow-wrap: anywhere;
      min-width: 0;
    }
    .keys {
      margin-bottom: 1rem;
    }
  `,
  template: `
    <div class="page-head">
      <a class="back" routerLink="/providers" data-testid="providers-back">← {{ t('providers.back') }}</a>
      <h1 data-testid="provider-title">{{ name() }}</h1>
      @if (provider(); as p) {
        <mr-health-badge [health]="p.health" />
        <button type="button" class="danger" data-testid="provider-delete" (click)="remove(p)">
          {{ t('providers.delete') }}
        </button>
      }
    </div>
    @if (error() || loadError(); as message) {
      <p class="error" role="alert" data-testid="provider-error">{{ message }}</p>
    }
    @if (notice()) {
      <p class="notice" role="status" data-testid="provider-notice">{{ notice() }}</p>
    }
    @if (provider(); as p) {
      <div class="where muted">
        <span class="badge">{{ t(typeLabels[p.providerType]) }}</span>
        <code>{{ p.baseUrl }}</code>
        @if (!p.enabled) {
          <span class="badge">{{ t('providers.disabled') }}</span>
        }
      </div>
      <div class="cards" data-testid="provider-stats">
        <div class="card stat">
          <span>{{ t('providers.stats.requests') }}</span>
          <strong data-testid="provider-stat-requests">{{ i18n.number(p.stats24h.requests) }}</strong>
        </div>
        <div class="card stat">
          <span>{{ t('providers.stats.errors') }}</span>
          <strong>{{ i18n.number(p.stats24h.errors) }}</strong>
        </div>
        <div class="card stat">
          <span>{{ t('providers.stats.errorRate') }}</span>
          <strong>{{ i18n.number(p.stats24h.errorRate * 100, 1) }} %</strong>
        </div>
        <div class="card stat">
          <span>{{ t('providers.stats.p50') }}</span>
          <strong>{{
            p.stats24h.latencyP50Ms === null
              ? '–'
              : t('providers.ms', { ms: i18n.number(p.stats24h.latencyP50Ms) })
          }}</strong>
        </div>
        <div class="card stat">
          <span>{{ t('providers.stats.tokens') }}</span>
          <strong>{{ i18n.number(p.stats24h.tokens) }}</strong>
        </div>
        <div class="card stat">
          <span>{{ t('providers.stats.cost') }}</span>
          <strong>{{ '$' + p.stats24h.costUsd.toFixed(4) }}</strong>
        </div>
      </div>

      <section class="card">
        <h2>{{ t('providers.test.title') }}</h2>
        <mr-provider-test-panel [provider]="p" />
      </section>

      <section class="card">
        <h2>{{ t('providers.models.title') }}</h2>
        <mr-models-picker [providerName]="p.name" [include]="p.modelsInclude" (saved)="reload(true)" />
      </section>

      <div class="section-head">
        <h2>{{ t('providers.keys.title') }}</h2>
        <button type="button" data-testid="key-import-open" (click)="importing.set(true)">
          {{ t('providers.import.open') }}
        </button>
      </div>
      <div class="keys">
        <mr-provider-keys [providerName]="p.name" [keys]="p.keys" (changed)="reload()" />
      </div>
      @if (importing()) {
        <mr-key-import-dialog [providerName]="p.name" (imported)="reload()" (closed)="importing.set(false)" />
      }

      <section class="card">
        <h2>{{ t('providers.settings') }}</h2>
        <mr-provider-form
          [provider]="formSource()"
          [saving]="saving()"
          [problems]="problems()"
          (submitted)="save($event)"
        />
      </section>
    } @else if (!loadError()) {
      <p class="muted">{{ t('common.loading') }}</p>
    }
  `,
})
export class ProviderDetailComponent implements OnInit {
  protected readonly i18n = inject(I18nService);
  protected readonly t = this.i18n.t;
  protected readonly typeLabels = TYPE_LABELS;
  /** The provider's name from the URL. */
  protected readonly name = signal('');
  /** Live state, refreshed by polling. */
  protected readonly provider = signal<ProviderView | null>(null);
  /** What the settings form starts from: replaced only on load and after a save, so polling never resets typing. */
  protected readonly formSource = signal<ProviderView | null>(null);
  protected readonly importing = signal(false);
  protected readonly saving = signal(false);
  protected readonly problems = signal<ApiProblem[]>([]);
  /** Why the last change failed (kept until the next change). */
  protected readonly error = signal('');
  /** Why the last load failed (cleared by the next one that works). */
  protected readonly loadError = signal('');
  protected readonly notice = signal('');
  private readonly api = inject(ProvidersApiService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly destroyRef = inject(DestroyRef);
  /** Counts loads, so that only the newest one's answer is shown. */
  private loads = 0;
  /** A reload asked for the form to be reset; whichever load answers last does it. */
  private formResetDue = false;

  ngOnInit(): void {
    this.route.paramMap.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((params) => {
      this.name.set(params.get('name') ?? '');
      this.provider.set(null);
      this.formSource.set(null);
      void this.reload(true);
    });
    pollWhileVisible(() => this.reload(), PROVIDER_POLL_MS, this.destroyRef);
  }

  /** Loads the provider again; `resetForm` also puts its saved settings back into the form. */
  protected async reload(resetForm = false): Promise<void> {
    const name = this.name();
    const load = ++this.loads;
    this.formResetDue ||= resetForm;
    try {
      const provider = await this.api.get(name);
      // A poll sent before a change may answer after the reload that follows it: the newest wins.
      if (load !== this.loads) return;
      this.provider.set(provider);
      if (this.formResetDue || this.formSource() === null) this.formSource.set(provider);
      this.formResetDue = false;
      this.loadError.set('');
    } catch (error) {
      if (load === this.loads) this.loadError.set(describeError(error).message);
    }
  }

  protected async save({ name: _name, ...change }: ProviderInput): Promise<void> {
    const name = this.name();
    if (await this.submit(() => this.api.update(name, change))) {
      this.notice.set(this.t('providers.saved'));
      await this.reload(true);
    }
  }

  protected async remove(provider: ProviderView): Promise<void> {
    if (!confirm(this.t('providers.deleteConfirm', { name: provider.name }))) return;
    this.error.set('');
    try {
      await this.api.remove(provider.name);
      await this.router.navigateByUrl('/providers');
    } catch (error) {
      this.error.set(describeError(error).message);
    }
  }

  /** Sends a save; on failure shows the message and the per-field problems. */
  private async submit(send: () => Promise<unknown>): Promise<boolean> {
    this.saving.set(true);
    this.error.set('');
    this.notice.set('');
    this.problems.set([]);
    try {
      await send();
      return true;
    } catch (error) {
      const { message, problems } = describeError(error);
      this.error.set(message);
      this.problems.set(problems);
      return false;
    } finally {
      this.saving.set(false);
    }
  }
}
