import { ChangeDetectionStrategy, Component, inject, output, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { ProviderInput } from '@monorelay/contracts';
import { I18nService } from '../../core/i18n/i18n.service';
import { ProviderFormComponent } from './provider-form.component';
import { type ApiProblem, ProvidersApiService, describeError } from './providers-api.service';

/** A new provider: the settings form, then its page once the relay has it. */
@Component({
  selector: 'mr-provider-create',
  imports: [ProviderFormComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .head {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      margin-bottom: 0.75rem;
    }
    .head h2 {
      flex: 1;
      margin: 0;
    }
  `,
  template: `
    <section class="card" data-testid="provider-create">
      <div class="head">
        <h2>{{ t('providers.new') }}</h2>
        <button type="button" class="small" data-testid="provider-create-cancel" (click)="cancelled.emit()">
          {{ t('providers.cancel') }}
        </button>
      </div>
      @if (error()) {
        <p class="error" role="alert" data-testid="provider-error">{{ error() }}</p>
      }
      <mr-provider-form [saving]="saving()" [problems]="problems()" (submitted)="create($event)" />
    </section>
  `,
})
export class ProviderCreateComponent {
  readonly cancelled = output<void>();
  protected readonly t = inject(I18nService).t;
  protected readonly saving = signal(false);
  protected readonly error = signal('');
  protected readonly problems = signal<ApiProblem[]>([]);
  private readonly api = inject(ProvidersApiService);
  private readonly router = inject(Router);

  protected async create(input: ProviderInput): Promise<void> {
    this.saving.set(true);
    this.error.set('');
    this.problems.set([]);
    try {
      await this.api.create(input);
      await this.router.navigate(['/providers', input.name]);
    } catch (error) {
      const { message, problems } = describeError(error);
      this.error.set(message);
      this.problems.set(problems);
    } finally {
      this.saving.set(false);
    }
  }
}
