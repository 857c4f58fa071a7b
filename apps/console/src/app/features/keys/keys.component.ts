import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, type OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { CreatedRelayKey, RelayKeyLimits, RelayKeySummary } from '@monorelay/contracts';
import { firstValueFrom } from 'rxjs';
import { errorMessage } from '../../core/auth.service';
import { I18nService } from '../../core/i18n/i18n.service';
import { CopyButtonComponent } from '../../shared/copy-button.component';
import { type KeyEditDraft, keyEditDraftOf, keyUpdate } from './key-edit';

/** The signed-in user's relay keys: create (the key is shown this once), list, edit, revoke. */
@Component({
  selector: 'mr-keys',
  imports: [FormsModule, CopyButtonComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .key-edit-title,
    .key-edit-hint {
      flex-basis: 100%;
      margin: 0;
    }
  `,
  template: `
    <div class="page-head">
      <h1>{{ t('keys.title') }}</h1>
    </div>
    <form class="card inline-form" (ngSubmit)="create()" data-testid="key-form">
      <label
        >{{ t('keys.name') }}<input name="name" required [(ngModel)]="name" data-testid="key-name"
      /></label>
      <label>{{ t('keys.expires') }}<input name="expires" type="date" [(ngModel)]="expires" /></label>
      <label
        >{{ t('keys.models') }}<input name="models" [placeholder]="t('keys.modelsHint')" [(ngModel)]="models"
      /></label>
      <label
        >{{ t('keys.rpm')
        }}<input name="rpm" type="number" min="1" step="1" [(ngModel)]="limits.requestsPerMinute"
      /></label>
      <label
        >{{ t('keys.tokensPerDay')
        }}<input name="tpd" type="number" min="1" step="1" [(ngModel)]="limits.tokensPerDay"
      /></label>
      <label
        >{{ t('keys.budgetDay')
        }}<input name="bpd" type="number" min="0" step="0.01" [(ngModel)]="limits.budgetUsdPerDay"
      /></label>
      <label
        >{{ t('keys.budgetMonth')
        }}<input name="bpm" type="number" min="0" step="0.01" [(ngModel)]="limits.budgetUsdPerMonth"
      /></label>
      <button class="primary" type="submit" [disabled]="!name.trim()" data-testid="key-create">
        {{ t('keys.create') }}
      </button>
    </form>
    @if (created(); as key) {
      <div class="card created" data-testid="key-created">
        <strong>{{ t('keys.createdOnce') }}</strong>
        <div class="secret">
          <code data-testid="key-secret">{{ key.key }}</code><mr-copy-button [text]="key.key" />
        </div>
        <button type="button" class="link-button" (click)="created.set(null)">
          {{ t('common.dismiss') }}
        </button>
      </div>
    }
    @if (error()) {
      <p class="error" role="alert">{{ error() }}</p>
    }
    @if (notice()) {
      <p class="notice" role="status" data-testid="key-edit-saved">{{ notice() }}</p>
    }
    @if (editing(); as k) {
      <form class="card inline-form key-edit" (ngSubmit)="saveEdit(k)" data-testid="key-edit-form">
        <h3 class="key-edit-title">{{ t('keys.edit.title', { name: k.name }) }}</h3>
        <label
          >{{ t('keys.name')
          }}<input name="edit-name" required [(ngModel)]="draft.name" data-testid="key-edit-name"
        /></label>
        <label
          >{{ t('keys.expires')
          }}<input name="edit-expires" type="date" [(ngModel)]="draft.expires" data-testid="key-edit-expires"
        /></label>
        <label
          >{{ t('keys.models')
          }}<input
            name="edit-models"
            [placeholder]="t('keys.modelsHint')"
            [(ngModel)]="draft.models"
            data-testid="key-edit-models"
        /></label>
        <label
          >{{ t('keys.rpm')
          }}<input
            name="edit-rpm"
            type="number"
            min="1"
            step="1"
            [(ngModel)]="draft.limits.requestsPerMinute"
            data-testid="key-edit-rpm"
        /></label>
        <label
          >{{ t('keys.tokensPerDay')
          }}<input name="edit-tpd" type="number" min="1" step="1" [(ngModel)]="draft.limits.tokensPerDay"
        /></label>
        <label
          >{{ t('keys.budgetDay')
          }}<input
            name="edit-bpd"
            type="number"
            min="0"
            step="0.01"
            [(ngModel)]="draft.limits.budgetUsdPerDay"
        /></label>
        <label
          >{{ t('keys.budgetMonth')
          }}<input
            name="edit-bpm"
            type="number"
            min="0"
            step="0.01"
            [(ngModel)]="draft.limits.budgetUsdPerMonth"
        /></label>
        <p class="hint key-edit-hint">{{ t('keys.edit.noExpiry') }}</p>
        <button class="primary" type="submit" [disabled]="!draft.name.trim()" data-testid="key-edit-save">
          {{ t('keys.edit.save') }}
        </button>
        <button type="button" (click)="editing.set(null)">{{ t('keys.edit.cancel') }}</button>
      </form>
    }
    <div class="table-wrap card">
      <table data-testid="key-table">
        <thead>
          <tr>
            <th>{{ t('keys.name') }}</th>
            <th>{{ t('keys.prefix') }}</th>
            <th>{{ t('keys.status') }}</th>
            <th class="hide-sm">{{ t('keys.created') }}</th>
            <th class="hide-sm">{{ t('keys.lastUsed') }}</th>
            <th class="num hide-sm">{{ t('keys.today') }}</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          @for (k of keys(); track k.id) {
            <tr data-testid="key-row">
              <td>{{ k.name }}</td>
              <td class="mono">{{ k.prefix }}…</td>
              <td>
                <span class="badge" [class.ok]="k.status === 'active'" [class.bad]="k.status !== 'active'">{{
                  stateLabel(k.status)
                }}</span>
              </td>
              <td class="hide-sm">{{ date(k.createdAt) }}</td>
              <td class="hide-sm">{{ k.lastUsedAt ? date(k.lastUsedAt) : '–' }}</td>
              <td class="num hide-sm">
                {{ k.usage.tokensToday }} · {{ '$' + k.usage.costUsdToday.toFixed(4) }}
                @if (limitText(k); as limit) {
                  <div class="muted small-text">{{ limit }}</div>
                }
              </td>
              <td>
                @if (k.status === 'active') {
                  <div class="actions">
                    <button type="button" class="small" data-testid="key-edit" (click)="startEdit(k)">
                      {{ t('keys.edit') }}
                    </button>
                    <button type="button" class="danger small" data-testid="key-revoke" (click)="revoke(k)">
                      {{ t('keys.revoke') }}
                    </button>
                  </div>
                }
              </td>
            </tr>
          } @empty {
            <tr>
              <td colspan="7" class="muted empty">{{ t('keys.empty') }}</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
})
export class KeysComponent implements OnInit {
  private readonly i18n = inject(I18nService);
  protected readonly t = this.i18n.t;
  protected readonly keys = signal<RelayKeySummary[]>([]);
  protected readonly created = signal<CreatedRelayKey | null>(null);
  protected readonly error = signal('');
  protected readonly notice = signal('');
  /** The key being edited; its form values are in `draft`. */
  protected readonly editing = signal<RelayKeySummary | null>(null);
  protected draft: KeyEditDraft = { name: '', expires: '', models: '', limits: emptyLimits() };
  protected name = '';
  protected expires = '';
  protected models = '';
  /** Optional limits; empty fields (null from number inputs) are left out. */
  protected limits: Record<keyof RelayKeyLimits, number | null> = emptyLimits();
  private readonly http = inject(HttpClient);

  ngOnInit(): void {
    void this.load();
  }

  /** The key's limits in words, e.g. "60/min · 2000000 tokens/day · $5/day". */
  protected limitText(key: RelayKeySummary): string {
    const {
      requestsPerMinute: rpm,
      tokensPerDay: tpd,
      budgetUsdPerDay: bpd,
      budgetUsdPerMonth: bpm,
    } = key.limits;
    return [
      rpm != null ? this.t('keys.limit.rpm', { n: rpm }) : '',
      tpd != null ? this.t('keys.limit.tpd', { n: tpd }) : '',
      bpd != null ? this.t('keys.limit.bpd', { n: bpd }) : '',
      bpm != null ? this.t('keys.limit.bpm', { n: bpm }) : '',
    ]
      .filter(Boolean)
      .join(' · ');
  }

  protected stateLabel(status: RelayKeySummary['status']): string {
    return this.t(
      status === 'active'
        ? 'keys.state.active'
        : status === 'expired'
          ? 'keys.state.expired'
          : 'keys.state.revoked',
    );
  }

  protected date(epochMs: number): string {
    return this.i18n.dateTime(epochMs);
  }

  protected async create(): Promise<void> {
    const allowedModels = this.models
      .split(',')
      .map((model) => model.trim())
      .filter(Boolean);
    const body = {
      name: this.name.trim(),
      ...(this.expires ? { expiresAt: new Date(`${this.expires}T23:59:59Z`).toISOString() } : {}),
      ...(allowedModels.length > 0 ? { allowedModels } : {}),
      ...Object.fromEntries(Object.entries(this.limits).filter(([, value]) => typeof value === 'number')),
    };
    try {
      this.created.set(await firstValueFrom(this.http.post<CreatedRelayKey>('/api/keys', body)));
      this.name = '';
      this.expires = '';
      this.models = '';
      this.limits = emptyLimits();
      this.error.set('');
      await this.load();
    } catch (error) {
      this.error.set(errorMessage(error));
    }
  }

  protected startEdit(key: RelayKeySummary): void {
    this.draft = keyEditDraftOf(key);
    this.notice.set('');
    this.editing.set(key);
  }

  protected async saveEdit(key: RelayKeySummary): Promise<void> {
    const update = keyUpdate(key, this.draft);
    try {
      if (Object.keys(update).length > 0)
        await firstValueFrom(
          this.http.patch<RelayKeySummary>(`/api/keys/${encodeURIComponent(key.id)}`, update),
        );
      this.editing.set(null);
      this.error.set('');
      this.notice.set(this.t('keys.edit.saved'));
      await this.load();
    } catch (error) {
      this.error.set(errorMessage(error));
    }
  }

  protected async revoke(key: RelayKeySummary): Promise<void> {
    if (!confirm(this.t('keys.revokeConfirm', { name: key.name }))) return;
    try {
      await firstValueFrom(this.http.delete(`/api/keys/${encodeURIComponent(key.id)}`));
      await this.load();
    } catch (error) {
      this.error.set(errorMessage(error));
    }
  }

  private async load(): Promise<void> {
    try {
      this.keys.set(await firstValueFrom(this.http.get<RelayKeySummary[]>('/api/keys')));
    } catch (error) {
      this.error.set(errorMessage(error));
    }
  }
}

function emptyLimits(): Record<keyof RelayKeyLimits, number | null> {
  return { requestsPerMinute: null, tokensPerDay: null, budgetUsdPerDay: null, budgetUsdPerMonth: null };
}
