import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, type OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { SettingsView } from '@monorelay/contracts';
import { firstValueFrom } from 'rxjs';
import { errorMessage } from '../../core/auth.service';
import { I18nService } from '../../core/i18n/i18n.service';
import { type ConfigProblem, patchConfig, problemsAt, refusalMessage } from '../../shared/config-patch';
import { ConfigProblemsComponent } from '../../shared/config-problems.component';
import { SECTIONS, type SettingField, type SettingsDraft, draftOf, settingsOps } from './settings-fields';

/**
 * Admins: server, single sign-on, sign-up, key selection, tool calling and request log settings,
 * saved with one `PATCH /api/config`; and clearing the request log.
 */
@Component({
  selector: 'mr-settings',
  imports: [FormsModule, ConfigProblemsComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './settings.component.css',
  template: `
    <div class="page-head">
      <h1>{{ t('settings.title') }}</h1>
    </div>
    <p class="muted">{{ t('settings.intro') }}</p>
    @if (loadError()) {
      <p class="error" role="alert">{{ loadError() }}</p>
    }
    @if (draft(); as d) {
      <form class="sections" (ngSubmit)="save()" data-testid="settings-form">
        @for (section of sections; track section.id) {
          <section class="card" [attr.data-testid]="'settings-' + section.id">
            <h3>{{ t(section.title) }}</h3>
            @for (field of section.fields; track field.id) {
              @switch (field.kind) {
                @case ('bool') {
                  <label class="check"
                    ><input
                      type="checkbox"
                      [name]="field.id"
                      [attr.data-testid]="'setting-' + field.id"
                      [(ngModel)]="d[field.id]"
                    />{{ t(field.label) }}</label
                  >
                }
                @case ('select') {
                  <label
                    >{{ t(field.label) }}
                    <select
                      [name]="field.id"
                      [attr.data-testid]="'setting-' + field.id"
                      [(ngModel)]="d[field.id]"
                    >
                      @for (option of field.options ?? []; track option.value) {
                        <option [value]="option.value">
                          {{ option.label ? t(option.label) : option.value }}
                        </option>
                      }
                    </select>
                  </label>
                }
                @case ('number') {
                  <label
                    >{{ t(field.label) }}
                    <input
                      type="number"
                      min="0"
                      step="1"
                      [name]="field.id"
                      [attr.data-testid]="'setting-' + field.id"
                      [(ngModel)]="d[field.id]"
                    />
                  </label>
                }
                @case ('secret') {
                  <label
                    >{{ t(field.label) }}
                    <input
                      type="password"
                      autocomplete="new-password"
                      [name]="field.id"
                      [attr.data-testid]="'setting-' + field.id"
                      [(ngModel)]="d[field.id]"
                    />
                    <span class="hint-text">{{
                      secretSet(field) ? t('settings.secretSet') : t('settings.secretUnset')
                    }}</span>
                  </label>
                }
                @default {
                  <label
                    >{{ t(field.label) }}
                    <input
                      [name]="field.id"
                      [attr.data-testid]="'setting-' + field.id"
                      [(ngModel)]="d[field.id]"
                    />
                    @if (field.kind === 'list') {
                      <span class="hint-text">{{ t('settings.listHint') }}</span>
                    }
                  </label>
                }
              }
              @for (message of problemsOf(field); track $index) {
                <span class="field-error" data-testid="field-error">{{ message }}</span>
              }
            }
          </section>
        }
        <div class="save-bar">
          <button type="submit" class="primary" data-testid="settings-save" [disabled]="saving()">
            {{ saving() ? t('settings.saving') : t('settings.save') }}
          </button>
          <button type="button" [disabled]="saving()" (click)="discard()">{{ t('settings.discard') }}</button>
          @if (notice()) {
            <span class="notice" role="status" data-testid="settings-saved">{{ notice() }}</span>
          }
        </div>
        @if (saveError()) {
          <mr-config-problems data-testid="settings-error" [message]="saveError()" [problems]="problems()" />
        }
      </form>
    }

    <section class="card danger-zone" data-testid="settings-clear">
      <h3>{{ t('settings.clear.title') }}</h3>
      <p class="hint">{{ t('settings.clear.hint') }}</p>
      @if (!confirming()) {
        <button type="button" class="danger" data-testid="clear-logs" (click)="confirming.set(true)">
          {{ t('settings.clear.logs') }}
        </button>
      } @else {
        <div class="confirm" role="alertdialog" data-testid="clear-confirm">
          <strong>{{ t('settings.clear.confirm') }}</strong>
          <button
            type="button"
            class="danger"
            data-testid="clear-yes"
            [disabled]="clearing()"
            (click)="clearLogs()"
          >
            {{ t('settings.clear.yes') }}
          </button>
          <button type="button" data-testid="clear-cancel" (click)="confirming.set(false)">
            {{ t('settings.clear.cancel') }}
          </button>
        </div>
      }
      @if (cleared() !== null) {
        <p class="notice" role="status" data-testid="clear-done">
          {{ t('settings.clear.done', { count: cleared() ?? 0 }) }}
        </p>
      }
      @if (clearError()) {
        <p class="error" role="alert">{{ clearError() }}</p>
      }
    </section>
  `,
})
export class SettingsComponent implements OnInit {
  private readonly i18n = inject(I18nService);
  protected readonly t = this.i18n.t;
  private readonly http = inject(HttpClient);
  protected readonly sections = SECTIONS;

  protected readonly view = signal<SettingsView | null>(null);
  protected readonly draft = signal<SettingsDraft | null>(null);
  protected readonly problems = signal<ConfigProblem[]>([]);
  protected readonly saving = signal(false);
  protected readonly notice = signal('');
  protected readonly saveError = signal('');
  protected readonly loadError = signal('');
  protected readonly confirming = signal(false);
  protected readonly clearing = signal(false);
  protected readonly cleared = signal<number | null>(null);
  protected readonly clearError = signal('');

  ngOnInit(): void {
    void this.load();
  }

  protected secretSet(field: SettingField): boolean {
    const view = this.view();
    return view !== null && field.read(view) === true;
  }

  protected problemsOf(field: SettingField): string[] {
    return problemsAt(this.problems(), field.path);
  }

  protected discard(): void {
    const view = this.view();
    if (view) this.draft.set(draftOf(view));
    this.problems.set([]);
    this.saveError.set('');
    this.notice.set('');
  }

  protected async save(): Promise<void> {
    const view = this.view();
    const draft = this.draft();
    if (!view || !draft) return;
    this.notice.set('');
    this.saveError.set('');
    const ops = settingsOps(view, draft);
    if (ops.length === 0) {
      this.notice.set(this.t('settings.unchanged'));
      return;
    }
    this.saving.set(true);
    const outcome = await patchConfig(this.http, ops);
    this.saving.set(false);
    if (outcome.ok) {
      this.problems.set([]);
      await this.load();
      this.notice.set(this.t('settings.saved'));
      return;
    }
    this.problems.set(outcome.problems);
    this.saveError.set(
      refusalMessage(outcome, {
        conflict: this.t('settings.conflict'),
        rejected: this.t('settings.rejected'),
      }),
    );
  }

  protected async clearLogs(): Promise<void> {
    this.clearing.set(true);
    this.clearError.set('');
    try {
      const { deleted } = await firstValueFrom(this.http.delete<{ deleted: number }>('/api/logs'));
      this.cleared.set(deleted);
      this.confirming.set(false);
    } catch (error) {
      this.clearError.set(errorMessage(error));
    } finally {
      this.clearing.set(false);
    }
  }

  private async load(): Promise<void> {
    try {
      const view = await firstValueFrom(this.http.get<SettingsView>('/api/settings'));
      this.view.set(view);
      this.draft.set(draftOf(view));
      this.loadError.set('');
    } catch (error) {
      this.loadError.set(errorMessage(error));
    }
  }
}
