import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { ProviderTestResult, ProviderView } from '@monorelay/contracts';
import { I18nService } from '../../core/i18n/i18n.service';
import { ProvidersApiService, describeError } from './providers-api.service';

/** One small chat call through the provider (no routing, no fallback): latency, status, the answer or why not. */
@Component({
  selector: 'mr-provider-test-panel',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    form {
      display: flex;
      gap: 0.5rem;
      align-items: flex-end;
      flex-wrap: wrap;
    }
    form label {
      flex: 1 1 14rem;
      min-width: 0;
    }
    .result {
      margin-top: 0.75rem;
      display: flex;
      flex-direction: column;
      gap: 0.4rem;
    }
    .facts {
      display: flex;
      gap: 0.5rem 1rem;
      flex-wrap: wrap;
      align-items: center;
    }
    .answer {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      margin: 0;
    }
  `,
  template: `
    <form data-testid="provider-test-form" (ngSubmit)="run()">
      <label
        >{{ t('providers.test.model') }}
        <input
          name="model"
          autocomplete="off"
          data-testid="provider-test-model"
          [attr.list]="'test-models-' + provider().name"
          [placeholder]="
            provider().testModel
              ? t('providers.test.defaultModel', { model: provider().testModel! })
              : t('providers.test.modelPlaceholder')
          "
          [ngModel]="model()"
          (ngModelChange)="model.set($event)"
        />
        <datalist [id]="'test-models-' + provider().name">
          @for (m of provider().modelsInclude; track $index) {
            <option [value]="m"></option>
          }
        </datalist>
      </label>
      <button type="submit" class="primary" data-testid="provider-test" [disabled]="running()">
        {{ running() ? t('providers.test.running') : t('providers.test.run') }}
      </button>
    </form>
    @if (error()) {
      <p class="error" role="alert" data-testid="provider-test-error">{{ error() }}</p>
    }
    @if (result(); as r) {
      <div class="result" data-testid="provider-test-result" [attr.data-ok]="r.ok">
        <div class="facts">
          <span class="badge" [class.ok]="r.ok" [class.bad]="!r.ok">{{
            r.ok ? t('providers.test.ok') : t('providers.test.failed')
          }}</span>
          <span data-testid="provider-test-latency">{{
            t('providers.ms', { ms: i18n.number(r.latencyMs) })
          }}</span>
          @if (r.status !== null) {
            <span class="muted" data-testid="provider-test-status">{{
              t('providers.test.status', { status: r.status })
            }}</span>
          }
          <span class="muted">{{ t('providers.test.servedBy', { model: r.model }) }}</span>
          @if (r.keyLabel) {
            <span class="muted">{{ t('providers.test.key', { label: r.keyLabel }) }}</span>
          }
        </div>
        @if (r.ok) {
          <pre class="answer" data-testid="provider-test-answer">{{ r.answer ?? '' }}</pre>
        } @else {
          <div class="error-box" data-testid="provider-test-failure">{{ r.error ?? '' }}</div>
        }
      </div>
    }
  `,
})
export class ProviderTestPanelComponent {
  readonly provider = input.required<ProviderView>();
  protected readonly i18n = inject(I18nService);
  protected readonly t = this.i18n.t;
  protected readonly model = signal('');
  protected readonly running = signal(false);
  protected readonly result = signal<ProviderTestResult | null>(null);
  protected readonly error = signal('');
  private readonly api = inject(ProvidersApiService);

  protected async run(): Promise<void> {
    this.running.set(true);
    this.error.set('');
    this.result.set(null);
    try {
      this.result.set(await this.api.test(this.provider().name, this.model().trim() || undefined));
    } catch (error) {
      this.error.set(describeError(error).message);
    } finally {
      this.running.set(false);
    }
  }
}
