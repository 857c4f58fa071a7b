import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { I18nService } from '../../core/i18n/i18n.service';
import { ProvidersApiService, describeError } from './providers-api.service';

/**
 * The upstream's own model list (its /v1/models) with a checkbox each, preselected from what the
 * include list lets through; Save writes the ticked ones as the provider's `modelsInclude`. Entries of
 * the include list that are not upstream ids (globs such as `gpt-4o*`) are kept, and said so.
 */
@Component({
  selector: 'mr-models-picker',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .toolbar {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      flex-wrap: wrap;
    }
    .toolbar input {
      flex: 1 1 10rem;
      min-width: 0;
    }
    .list {
      list-style: none;
      margin: 0.75rem 0;
      padding: 0;
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 16rem), 1fr));
      gap: 0.25rem 1rem;
      max-height: 22rem;
      overflow-y: auto;
    }
    .list label {
      flex-direction: row;
      align-items: center;
      gap: 0.4rem;
      color: var(--text);
      cursor: pointer;
      overflow-wrap: anywhere;
    }
    .list input {
      min-height: 0;
      width: 1rem;
      height: 1rem;
      flex: none;
    }
  `,
  template: `
    <div class="toolbar">
      <button type="button" data-testid="models-fetch" [disabled]="loading()" (click)="fetch()">
        {{ loading() ? t('providers.models.fetching') : t('providers.models.fetch') }}
      </button>
      @if (models().length > 0) {
        <input
          type="search"
          data-testid="models-filter"
          [placeholder]="t('providers.models.filter')"
          [attr.aria-label]="t('providers.models.filter')"
          [ngModel]="filter()"
          (ngModelChange)="filter.set($event)"
        />
        <button type="button" class="small" data-testid="models-all" (click)="selectShown(true)">
          {{ t('providers.models.all') }}
        </button>
        <button type="button" class="small" data-testid="models-none" (click)="selectShown(false)">
          {{ t('providers.models.none') }}
        </button>
      }
    </div>
    @if (error()) {
      <p class="error" role="alert" data-testid="models-error">{{ error() }}</p>
    }
    @if (notice()) {
      <p class="notice" role="status" data-testid="models-saved">{{ notice() }}</p>
    }
    @if (fetched()) {
      @if (models().length === 0) {
        <p class="muted" data-testid="models-empty">{{ t('providers.models.empty') }}</p>
      } @else {
        <ul class="list" data-testid="models-list">
          @for (id of shown(); track id) {
            <li>
              <label>
                <input
                  type="checkbox"
                  data-testid="model-option"
                  [attr.data-model]="id"
                  [checked]="picked().has(id)"
                  (change)="toggle(id, $any($event.target).checked)"
                />
                <span class="mono">{{ id }}</span>
              </label>
            </li>
          }
        </ul>
        <div class="toolbar">
          <button
            type="button"
            class="primary"
            data-testid="models-save"
            [disabled]="saving()"
            (click)="save()"
          >
            {{ t('providers.models.save', { n: picked().size }) }}
          </button>
          <span class="muted small-text">{{
            picked().size === 0 && kept().length === 0
              ? t('providers.models.noneMeansAll')
              : t('providers.models.pickedOnly')
          }}</span>
        </div>
        @if (kept().length > 0) {
          <p class="hint" data-testid="models-kept">
            {{ t('providers.models.kept', { list: kept().join(', ') }) }}
          </p>
        }
      }
    }
  `,
})
export class ModelsPickerComponent {
  readonly providerName = input.required<string>();
  /** The provider's include list as saved. */
  readonly include = input<string[]>([]);
  /** The include list was saved: the provider should be loaded again. */
  readonly saved = output<void>();
  protected readonly t = inject(I18nService).t;
  protected readonly models = signal<string[]>([]);
  protected readonly picked = signal<ReadonlySet<string>>(new Set());
  protected readonly filter = signal('');
  protected readonly fetched = signal(false);
  protected readonly loading = signal(false);
  protected readonly saving = signal(false);
  protected readonly error = signal('');
  protected readonly notice = signal('');
  protected readonly shown = computed(() => {
    const filter = this.filter().trim().toLowerCase();
    return filter ? this.models().filter((id) => id.toLowerCase().includes(filter)) : this.models();
  });
  /** Include entries the upstream does not list: saved again as they are. */
  protected readonly kept = computed(() => {
    const listed = new Set(this.models());
    return this.include().filter((entry) => !listed.has(entry));
  });
  private readonly api = inject(ProvidersApiService);

  protected async fetch(): Promise<void> {
    this.loading.set(true);
    this.error.set('');
    this.notice.set('');
    try {
      const result = await this.api.models(this.providerName());
      this.models.set(result.models.map((model) => model.id));
      this.picked.set(new Set(result.models.filter((model) => model.included).map((model) => model.id)));
      this.fetched.set(true);
      if (result.error) this.error.set(result.error);
    } catch (error) {
      this.error.set(describeError(error).message);
    } finally {
      this.loading.set(false);
    }
  }

  protected toggle(id: string, on: boolean): void {
    this.picked.update((picked) => {
      const next = new Set(picked);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  /** Ticks or clears every model the filter shows (the others keep their state). */
  protected selectShown(on: boolean): void {
    this.picked.update((picked) => {
      const next = new Set(picked);
      for (const id of this.shown()) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  }

  protected async save(): Promise<void> {
    this.saving.set(true);
    this.error.set('');
    this.notice.set('');
    // In the upstream's order, so the saved list reads like the one shown.
    const modelsInclude = [...this.models().filter((id) => this.picked().has(id)), ...this.kept()];
    try {
      await this.api.update(this.providerName(), { modelsInclude });
      this.notice.set(this.t('providers.models.saved', { n: modelsInclude.length }));
      this.saved.emit();
    } catch (error) {
      this.error.set(describeError(error).message);
    } finally {
      this.saving.set(false);
    }
  }
}
