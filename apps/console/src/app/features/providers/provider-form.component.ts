import { ChangeDetectionStrategy, Component, effect, inject, input, output } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { ProviderInput, ProviderType, ProviderView } from '@monorelay/contracts';
import { I18nService } from '../../core/i18n/i18n.service';
import { PROVIDER_TYPES, TYPE_LABELS, parseList } from './provider-labels';
import type { ApiProblem } from './providers-api.service';

/** What the form's fields hold (number inputs give null when empty). */
interface ProviderDraft {
  name: string;
  enabled: boolean;
  providerType: ProviderType;
  baseUrl: string;
  timeout: number | null;
  firstTokenTimeout: number | null;
  rateLimitCooldown: number | null;
  testModel: string;
  modelsInclude: string;
  modelsExclude: string;
  costPerMInput: number | null;
  costPerMOutput: number | null;
  /** Create only: the first key and its label. */
  key: string;
  keyLabel: string;
}

function toDraft(provider: ProviderView | null): ProviderDraft {
  return {
    name: provider?.name ?? '',
    enabled: provider?.enabled ?? true,
    providerType: provider?.providerType ?? 'api',
    baseUrl: provider?.baseUrl ?? '',
    timeout: provider?.timeout ?? null,
    firstTokenTimeout: provider?.firstTokenTimeout ?? null,
    rateLimitCooldown: provider?.rateLimitCooldown ?? null,
    testModel: provider?.testModel ?? '',
    modelsInclude: provider?.modelsInclude.join('\n') ?? '',
    modelsExclude: provider?.modelsExclude.join('\n') ?? '',
    costPerMInput: provider?.costPerMInput ?? null,
    costPerMOutput: provider?.costPerMOutput ?? null,
    key: '',
    keyLabel: '',
  };
}

/**
 * The request body for the draft. An empty timeout or cooldown is left out (the relay keeps its
 * default or the saved value); other empty fields are sent as null or [] (no value).
 */
export function toProviderInput(draft: ProviderDraft, creating: boolean): ProviderInput {
  const input: ProviderInput = {
    name: draft.name.trim(),
    enabled: draft.enabled,
    providerType: draft.providerType,
    baseUrl: draft.baseUrl.trim(),
    testModel: draft.testModel.trim() || null,
    modelsInclude: parseList(draft.modelsInclude),
    modelsExclude: parseList(draft.modelsExclude),
    firstTokenTimeout: draft.firstTokenTimeout,
    costPerMInput: draft.costPerMInput,
    costPerMOutput: draft.costPerMOutput,
  };
  if (draft.timeout !== null) input.timeout = draft.timeout;
  if (draft.rateLimitCooldown !== null) input.rateLimitCooldown = draft.rateLimitCooldown;
  if (creating && draft.key.trim()) {
    input.keys = [
      { key: draft.key.trim(), ...(draft.keyLabel.trim() ? { label: draft.keyLabel.trim() } : {}) },
    ];
  }
  return input;
}

/** The settings of one provider (the ProviderInput fields); `provider` null creates a new one. */
@Component({
  selector: 'mr-provider-form',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    form {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 15rem), 1fr));
      gap: 0.75rem;
    }
    .wide {
      grid-column: 1 / -1;
    }
    .check {
      flex-direction: row;
      align-items: center;
      gap: 0.4rem;
      color: var(--text);
    }
    .check input {
      min-height: 0;
      width: 1.1rem;
      height: 1.1rem;
    }
    textarea {
      font: inherit;
      font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      font-size: 12.5px;
      color: var(--text);
      background: var(--surface);
      border: 1px solid var(--border);
      border-radius: 6px;
      padding: 0.4rem 0.6rem;
      min-height: 4.5rem;
      resize: vertical;
      width: 100%;
    }
    input {
      width: 100%;
      min-width: 0;
    }
    .problems {
      margin: 0;
      padding-left: 1.2rem;
      overflow-wrap: anywhere;
    }
    .buttons {
      display: flex;
      gap: 0.5rem;
      flex-wrap: wrap;
    }
  `,
  template: `
    <form data-testid="provider-form" (ngSubmit)="submit()">
      @if (creating()) {
        <label
          >{{ t('providers.field.name') }}
          <input
            name="name"
            required
            autocomplete="off"
            data-testid="pf-name"
            [placeholder]="t('providers.field.namePlaceholder')"
            [(ngModel)]="draft.name"
        /></label>
      }
      <label
        >{{ t('providers.field.type') }}
        <select name="providerType" data-testid="pf-type" [(ngModel)]="draft.providerType">
          @for (type of types; track type) {
            <option [value]="type">{{ t(typeLabels[type]) }}</option>
          }
        </select>
      </label>
      <label class="wide"
        >{{ t('providers.field.baseUrl') }}
        <input
          name="baseUrl"
          type="url"
          data-testid="pf-base-url"
          placeholder="https://api.openai.com/v1"
          [(ngModel)]="draft.baseUrl"
      /></label>
      @if (creating()) {
        <label
          >{{ t('providers.field.firstKey') }}
          <input name="key" autocomplete="off" data-testid="pf-key" [(ngModel)]="draft.key"
        /></label>
        <label
          >{{ t('providers.field.firstKeyLabel') }}
          <input name="keyLabel" autocomplete="off" data-testid="pf-key-label" [(ngModel)]="draft.keyLabel"
        /></label>
      }
      <label
        >{{ t('providers.field.timeout') }}
        <input name="timeout" type="number" min="1" data-testid="pf-timeout" [(ngModel)]="draft.timeout"
      /></label>
      <label
        >{{ t('providers.field.firstTokenTimeout') }}
        <input
          name="firstTokenTimeout"
          type="number"
          min="0"
          data-testid="pf-first-token-timeout"
          [(ngModel)]="draft.firstTokenTimeout"
      /></label>
      <label
        >{{ t('providers.field.rateLimitCooldown') }}
        <input
          name="rateLimitCooldown"
          type="number"
          min="0"
          data-testid="pf-cooldown"
          [(ngModel)]="draft.rateLimitCooldown"
      /></label>
      <label
        >{{ t('providers.field.testModel') }}
        <input name="testModel" data-testid="pf-test-model" [(ngModel)]="draft.testModel"
      /></label>
      <label
        >{{ t('providers.field.costIn') }}
        <input
          name="costPerMInput"
          type="number"
          min="0"
          step="0.01"
          data-testid="pf-cost-in"
          [(ngModel)]="draft.costPerMInput"
      /></label>
      <label
        >{{ t('providers.field.costOut') }}
        <input
          name="costPerMOutput"
          type="number"
          min="0"
          step="0.01"
          data-testid="pf-cost-out"
          [(ngModel)]="draft.costPerMOutput"
      /></label>
      <label
        >{{ t('providers.field.include') }}
        <textarea
          name="modelsInclude"
          data-testid="pf-include"
          [placeholder]="t('providers.field.listPlaceholder')"
          [(ngModel)]="draft.modelsInclude"
        ></textarea>
      </label>
      <label
        >{{ t('providers.field.exclude') }}
        <textarea
          name="modelsExclude"
          data-testid="pf-exclude"
          [placeholder]="t('providers.field.listPlaceholder')"
          [(ngModel)]="draft.modelsExclude"
        ></textarea>
      </label>
      @if (provider()?.headerNames?.length) {
        <p class="wide muted small-text">
          {{ t('providers.field.headers', { names: provider()!.headerNames.join(', ') }) }}
        </p>
      }
      <label class="check wide">
        <input type="checkbox" name="enabled" data-testid="pf-enabled" [(ngModel)]="draft.enabled" />
        {{ t('providers.enabled') }}
      </label>
      @if (problems().length > 0) {
        <ul class="problems error wide" data-testid="provider-problems">
          @for (p of problems(); track $index) {
            <li>
              @if (p.path) {
                <code>{{ p.path }}</code>:
              }
              {{ p.message }}
            </li>
          }
        </ul>
      }
      <div class="buttons wide">
        <button
          type="submit"
          class="primary"
          data-testid="provider-save"
          [disabled]="saving() || (creating() && !draft.name.trim()) || !draft.baseUrl.trim()"
        >
          {{ saving() ? t('providers.saving') : creating() ? t('providers.create') : t('providers.save') }}
        </button>
      </div>
    </form>
  `,
})
export class ProviderFormComponent {
  /** The saved settings to start from; null for a new provider. A new value resets the fields. */
  readonly provider = input<ProviderView | null>(null);
  readonly saving = input(false);
  readonly problems = input<ApiProblem[]>([]);
  readonly submitted = output<ProviderInput>();
  protected readonly t = inject(I18nService).t;
  protected readonly types = PROVIDER_TYPES;
  protected readonly typeLabels = TYPE_LABELS;
  protected draft = toDraft(null);

  constructor() {
    effect(() => {
      this.draft = toDraft(this.provider());
    });
  }

  protected creating(): boolean {
    return this.provider() === null;
  }

  protected submit(): void {
    this.submitted.emit(toProviderInput(this.draft, this.creating()));
  }
}
