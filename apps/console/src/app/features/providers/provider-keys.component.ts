import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { ProviderKeyInput, ProviderKeyView } from '@monorelay/contracts';
import { I18nService } from '../../core/i18n/i18n.service';
import { KeyStateBadgeComponent } from './key-state-badge.component';
import { recoveryText } from './provider-labels';
import { ProvidersApiService, describeError } from './providers-api.service';
import { secondClock } from './second-clock';

interface KeyDraft {
  label: string;
  weight: number | null;
  enabled: boolean;
  /** A new secret; empty keeps the saved one. */
  key: string;
  /** Empty (null) = no limit. */
  quotaLimit: number | null;
  rateLimitRps: number | null;
  /** `YYYY-MM-DD`; empty = never. */
  expiresOn: string;
}

const noLimit = (value: number | null | undefined): number | null =>
  value === null || value === undefined || Number.isNaN(value) ? null : value;

/**
 * One provider's keys: masked value, label, weight, enabled, live pool state with a countdown to
 * recovery; add, edit in place, delete, restore a key that failed authentication. After a change it
 * asks the page (`changed`) to load the provider again.
 */
@Component({
  selector: 'mr-provider-keys',
  imports: [FormsModule, KeyStateBadgeComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .add {
      margin: 0.75rem 0 0;
    }
    .limits {
      border: none;
      margin: 0;
      padding: 0;
    }
    .limits legend {
      font-weight: 600;
      padding: 0;
    }
    .limits-text {
      display: block;
    }
    .add input,
    td input {
      width: 100%;
      min-width: 0;
    }
    td input.weight {
      width: 5rem;
    }
    td.key code {
      white-space: nowrap;
    }
    .countdown {
      display: block;
      font-size: 12px;
      color: var(--run);
      white-space: nowrap;
    }
    .check {
      flex-direction: row;
      align-items: center;
      gap: 0.3rem;
    }
    .check input {
      min-height: 0;
      width: 1.1rem;
      height: 1.1rem;
    }
    /* Phones: each key becomes a small card of labelled lines, so its buttons need no sideways scrolling. */
    @media (max-width: 600px) {
      thead {
        display: none;
      }
      table,
      tbody,
      tr,
      td {
        display: block;
        width: 100%;
      }
      tr {
        padding: 0.5rem 0.75rem;
        border-bottom: 1px solid var(--border);
      }
      td {
        border: none;
        padding: 0.15rem 0;
        display: flex;
        align-items: center;
        flex-wrap: wrap;
        gap: 0.2rem 0.5rem;
      }
      td.num {
        text-align: left;
      }
      td:empty {
        display: none;
      }
      td[data-label]::before {
        content: attr(data-label);
        flex: 0 0 6rem;
        font-size: 12px;
        color: var(--muted);
      }
      td input {
        flex: 1 1 8rem;
        width: auto;
      }
      .countdown {
        display: inline;
      }
    }
  `,
  template: `
    @if (error()) {
      <p class="error" role="alert" data-testid="keys-error">{{ error() }}</p>
    }
    <div class="table-wrap card">
      <table data-testid="provider-key-table">
        <thead>
          <tr>
            <th>{{ t('providers.key.key') }}</th>
            <th>{{ t('providers.key.label') }}</th>
            <th class="num">{{ t('providers.key.weight') }}</th>
            <th>{{ t('providers.key.state') }}</th>
            <th class="num">{{ t('providers.key.successes') }}</th>
            <th>{{ t('providers.key.actions') }}</th>
          </tr>
        </thead>
        <tbody>
          @for (k of keys(); track k.index) {
            <tr data-testid="provider-key-row" [attr.data-index]="k.index" [attr.data-state]="k.state">
              @if (editing() === k.index) {
                <td class="key" [attr.data-label]="t('providers.key.key')">
                  <code>{{ k.envReference ?? k.masked }}</code>
                  <input
                    name="key"
                    autocomplete="off"
                    data-testid="key-edit-secret"
                    [placeholder]="t('providers.key.replacePlaceholder')"
                    [attr.aria-label]="t('providers.key.replace')"
                    [(ngModel)]="draft.key"
                  />
                </td>
                <td [attr.data-label]="t('providers.key.label')">
                  <input
                    name="label"
                    data-testid="key-edit-label"
                    [attr.aria-label]="t('providers.key.label')"
                    [(ngModel)]="draft.label"
                  />
                </td>
                <td class="num" [attr.data-label]="t('providers.key.weight')">
                  <input
                    class="weight"
                    name="weight"
                    type="number"
                    min="0"
                    data-testid="key-edit-weight"
                    [attr.aria-label]="t('providers.key.weight')"
                    [(ngModel)]="draft.weight"
                  />
                </td>
                <td [attr.data-label]="t('providers.key.state')">
                  <label class="check">
                    <input type="checkbox" data-testid="key-edit-enabled" [(ngModel)]="draft.enabled" />
                    {{ t('providers.enabled') }}
                  </label>
                </td>
                <td></td>
                <td>
                  <div class="actions">
                    <button type="button" class="primary small" data-testid="key-save" (click)="save(k)">
                      {{ t('providers.save') }}
                    </button>
                    <button type="button" class="small" data-testid="key-cancel" (click)="editing.set(null)">
                      {{ t('providers.cancel') }}
                    </button>
                  </div>
                </td>
              } @else {
                <td class="key" [attr.data-label]="t('providers.key.key')">
                  <code data-testid="key-masked">{{ k.envReference ?? k.masked }}</code>
                </td>
                <td [attr.data-label]="t('providers.key.label')">
                  <span data-testid="key-label">{{ k.label || '–' }}</span>
                  @if (limitsText(k); as limits) {
                    <small class="muted limits-text" data-testid="key-limits">{{ limits }}</small>
                  }
                </td>
                <td class="num" [attr.data-label]="t('providers.key.weight')">
                  <span data-testid="key-weight">{{ k.weight }}</span>
                </td>
                <td [attr.data-label]="t('providers.key.state')">
                  <mr-key-state-badge [state]="k.state" />
                  @if (k.cooldownUntil !== null) {
                    <span class="countdown" data-testid="key-countdown">{{ recovery(k.cooldownUntil) }}</span>
                  }
                </td>
                <td class="num" [attr.data-label]="t('providers.key.successes')">
                  {{ k.successCount }}
                  @if (k.consecutiveFailures > 0) {
                    <span class="error" [title]="t('providers.key.failures')"
                      >/ {{ k.consecutiveFailures }}</span
                    >
                  }
                </td>
                <td>
                  <div class="actions">
                    <button type="button" class="small" data-testid="key-edit" (click)="edit(k)">
                      {{ t('providers.edit') }}
                    </button>
                    @if (k.state === 'auth_failed') {
                      <button type="button" class="small" data-testid="key-restore" (click)="restore(k)">
                        {{ t('providers.key.restore') }}
                      </button>
                    }
                    <button type="button" class="danger small" data-testid="key-delete" (click)="remove(k)">
                      {{ t('common.delete') }}
                    </button>
                  </div>
                </td>
              }
            </tr>
            @if (editing() === k.index) {
              <tr class="limits-row" data-testid="key-limits-row">
                <td colspan="6">
                  <fieldset class="inline-form limits">
                    <legend>{{ t('providers.key.limits') }}</legend>
                    <label
                      >{{ t('providers.key.quotaLimit') }}
                      <input
                        name="quotaLimit"
                        type="number"
                        min="0"
                        step="1"
                        data-testid="key-edit-quota"
                        [placeholder]="t('providers.key.noLimit')"
                        [(ngModel)]="draft.quotaLimit"
                    /></label>
                    <label
                      >{{ t('providers.key.rateLimitRps') }}
                      <input
                        name="rateLimitRps"
                        type="number"
                        min="0"
                        step="any"
                        data-testid="key-edit-rps"
                        [placeholder]="t('providers.key.noLimit')"
                        [(ngModel)]="draft.rateLimitRps"
                    /></label>
                    <label
                      >{{ t('providers.key.expiresOn') }}
                      <input
                        name="expiresOn"
                        type="date"
                        data-testid="key-edit-expires"
                        [(ngModel)]="draft.expiresOn"
                    /></label>
                  </fieldset>
                </td>
              </tr>
            }
          } @empty {
            <tr>
              <td colspan="6" class="muted empty" data-testid="keys-empty">{{ t('providers.key.empty') }}</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
    <form class="inline-form add" data-testid="key-add-form" (ngSubmit)="add()">
      <label
        >{{ t('providers.key.newKey') }}
        <input name="newKey" autocomplete="off" required data-testid="key-add-secret" [(ngModel)]="newKey"
      /></label>
      <label
        >{{ t('providers.key.label') }}
        <input name="newLabel" autocomplete="off" data-testid="key-add-label" [(ngModel)]="newLabel"
      /></label>
      <label
        >{{ t('providers.key.weight') }}
        <input name="newWeight" type="number" min="0" data-testid="key-add-weight" [(ngModel)]="newWeight"
      /></label>
      <button type="submit" class="primary" data-testid="key-add" [disabled]="busy() || !newKey.trim()">
        {{ t('providers.key.add') }}
      </button>
    </form>
  `,
})
export class ProviderKeysComponent {
  readonly providerName = input.required<string>();
  readonly keys = input.required<ProviderKeyView[]>();
  /** A key was added, edited, deleted or restored: the provider should be loaded again. */
  readonly changed = output<void>();
  protected readonly t = inject(I18nService).t;
  protected readonly editing = signal<number | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal('');
  protected draft: KeyDraft = {
    label: '',
    weight: null,
    enabled: true,
    key: '',
    quotaLimit: null,
    rateLimitRps: null,
    expiresOn: '',
  };
  protected newKey = '';
  protected newLabel = '';
  protected newWeight: number | null = null;
  private readonly now = secondClock(inject(DestroyRef));
  private readonly api = inject(ProvidersApiService);

  protected recovery(cooldownUntil: number): string {
    return recoveryText(cooldownUntil, this.now(), this.t);
  }

  /** The key's limits in a few words ("100 requests · 2 req/s · until 2027-01-31"), or '' when it has none. */
  protected limitsText(key: ProviderKeyView): string {
    const parts: string[] = [];
    if (key.quotaLimit !== null) parts.push(this.t('providers.key.quotaShort', { n: key.quotaLimit }));
    if (key.rateLimitRps !== null) parts.push(this.t('providers.key.rpsShort', { n: key.rateLimitRps }));
    if (key.expiresAt !== null)
      parts.push(this.t('providers.key.untilShort', { date: key.expiresAt.slice(0, 10) }));
    return parts.join(' · ');
  }

  protected edit(key: ProviderKeyView): void {
    this.draft = {
      label: key.label,
      weight: key.weight,
      enabled: key.enabled,
      key: '',
      quotaLimit: key.quotaLimit,
      rateLimitRps: key.rateLimitRps,
      expiresOn: key.expiresAt?.slice(0, 10) ?? '',
    };
    this.editing.set(key.index);
  }

  protected async save(key: ProviderKeyView): Promise<void> {
    const change: ProviderKeyInput = { label: this.draft.label.trim(), enabled: this.draft.enabled };
    if (this.draft.weight !== null) change.weight = this.draft.weight;
    if (this.draft.key.trim()) change.key = this.draft.key.trim();
    // Limits go only when changed; null takes a limit off.
    const quotaLimit = noLimit(this.draft.quotaLimit);
    if (quotaLimit !== key.quotaLimit) change.quotaLimit = quotaLimit;
    const rateLimitRps = noLimit(this.draft.rateLimitRps);
    if (rateLimitRps !== key.rateLimitRps) change.rateLimitRps = rateLimitRps;
    const expiresOn = this.draft.expiresOn || null;
    if (expiresOn !== (key.expiresAt?.slice(0, 10) ?? null)) change.expiresAt = expiresOn;
    const saved = await this.run(() => this.api.updateKey(this.providerName(), key.index, change));
    if (saved) this.editing.set(null);
  }

  protected async add(): Promise<void> {
    const key: ProviderKeyInput = { key: this.newKey.trim() };
    if (this.newLabel.trim()) key.label = this.newLabel.trim();
    if (this.newWeight !== null) key.weight = this.newWeight;
    if (await this.run(() => this.api.addKey(this.providerName(), key))) {
      this.newKey = '';
      this.newLabel = '';
      this.newWeight = null;
    }
  }

  protected async remove(key: ProviderKeyView): Promise<void> {
    if (!confirm(this.t('providers.key.deleteConfirm', { key: key.label || key.masked }))) return;
    await this.run(() => this.api.removeKey(this.providerName(), key.index));
  }

  protected async restore(key: ProviderKeyView): Promise<void> {
    await this.run(() => this.api.restoreKey(this.providerName(), key.index));
  }

  /** Runs one change; true when it worked (the page is then asked to reload). */
  private async run(change: () => Promise<unknown>): Promise<boolean> {
    this.busy.set(true);
    this.error.set('');
    try {
      await change();
      this.changed.emit();
      return true;
    } catch (error) {
      this.error.set(describeError(error).message);
      return false;
    } finally {
      this.busy.set(false);
    }
  }
}
