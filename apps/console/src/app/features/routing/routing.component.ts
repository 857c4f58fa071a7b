import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, type OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { type RoutingView, formatKeyPath } from '@monorelay/contracts';
import { firstValueFrom } from 'rxjs';
import { errorMessage } from '../../core/auth.service';
import type { MessageKey } from '../../core/i18n/en';
import { I18nService } from '../../core/i18n/i18n.service';
import { type ConfigProblem, patchConfig, problemsAt, refusalMessage } from '../../shared/config-patch';
import { ConfigProblemsComponent } from '../../shared/config-problems.component';
import { RouteSimulatorComponent } from './route-simulator.component';
import {
  PAIR_TABLES,
  type PairTable,
  type RoutingDraft,
  draftOf,
  localProblems,
  routingOps,
} from './routing-draft';

interface TableText {
  title: MessageKey;
  hint: MessageKey;
  key: MessageKey;
  value: MessageKey;
}

const TABLE_TEXT: Record<PairTable, TableText> = {
  aliases: {
    title: 'routing.aliases.title',
    hint: 'routing.aliases.hint',
    key: 'routing.aliases.name',
    value: 'routing.aliases.target',
  },
  provider_mapping: {
    title: 'routing.mapping.title',
    hint: 'routing.mapping.hint',
    key: 'routing.mapping.pattern',
    value: 'routing.mapping.provider',
  },
  model_overrides: {
    title: 'routing.overrides.title',
    hint: 'routing.overrides.hint',
    key: 'routing.overrides.pattern',
    value: 'routing.overrides.model',
  },
};

const TIERS = ['simple', 'moderate', 'complex'] as const;

/**
 * Admins: aliases, provider mapping, model overrides, the cascade and complexity tiers, edited as
 * tables and saved with one `PATCH /api/config`; the relay's validation problems are shown at their
 * fields. Below, the route simulator.
 */
@Component({
  selector: 'mr-routing',
  imports: [FormsModule, RouteSimulatorComponent, ConfigProblemsComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './routing.component.css',
  template: `
    <div class="page-head">
      <h1>{{ t('routing.title') }}</h1>
    </div>
    <p class="muted">{{ t('routing.intro') }}</p>
    @if (view(); as v) {
      <p class="muted small-text" data-testid="routing-strategy">
        {{ t('routing.keyStrategy', { strategy: v.keyStrategy }) }}
      </p>
    }
    @if (loadError()) {
      <p class="error" role="alert">{{ loadError() }}</p>
    }
    @if (draft(); as d) {
      <div class="sections">
        @for (table of tables; track table) {
          <section class="card" [attr.data-testid]="'routing-' + table">
            <h3>{{ t(text[table].title) }}</h3>
            <p class="hint">{{ t(text[table].hint) }}</p>
            @for (row of d[table]; track $index; let i = $index) {
              <div class="row" data-testid="routing-row">
                <label class="grow"
                  >{{ t(text[table].key) }}
                  <input
                    [name]="table + '-key-' + i"
                    [(ngModel)]="row.key"
                    [attr.data-testid]="table + '-key'"
                    [class.invalid]="
                      local(table + '.' + i + '.key') || serverProblems([table, row.key]).length
                    "
                  />
                  @if (local(table + '.' + i + '.key'); as why) {
                    <span class="field-error">{{ t(why) }}</span>
                  }
                </label>
                <label class="grow"
                  >{{ t(text[table].value) }}
                  <input
                    [name]="table + '-value-' + i"
                    [(ngModel)]="row.value"
                    [attr.list]="table === 'provider_mapping' ? 'routing-providers' : 'routing-models'"
                    [attr.data-testid]="table + '-value'"
                    [class.invalid]="
                      local(table + '.' + i + '.value') || serverProblems([table, row.key]).length
                    "
                  />
                  @if (local(table + '.' + i + '.value'); as why) {
                    <span class="field-error">{{ t(why) }}</span>
                  }
                </label>
                <button
                  type="button"
                  class="small danger"
                  [attr.aria-label]="t('routing.remove')"
                  (click)="removeRow(table, i)"
                >
                  {{ t('routing.remove') }}
                </button>
                @for (message of serverProblems([table, row.key]); track $index) {
                  <p class="field-error full" data-testid="field-error">{{ message }}</p>
                }
                @for (message of warningsAt([table, row.key]); track $index) {
                  <p class="field-warning full" data-testid="field-warning">{{ message }}</p>
                }
              </div>
            } @empty {
              <p class="muted">{{ t('routing.empty') }}</p>
            }
            @for (message of exactProblems([table]); track $index) {
              <p class="field-error" data-testid="field-error">{{ message }}</p>
            }
            <button type="button" class="small" [attr.data-testid]="table + '-add'" (click)="addRow(table)">
              + {{ t('routing.add') }}
            </button>
          </section>
        }

        <section class="card" data-testid="routing-cascade">
          <h3>{{ t('routing.cascade.title') }}</h3>
          <p class="hint">{{ t('routing.cascade.hint') }}</p>
          <label class="check"
            ><input
              type="checkbox"
              name="cascade-enabled"
              data-testid="cascade-enabled"
              [(ngModel)]="d.cascade.enabled"
            />{{ t('routing.enabled') }}</label
          >
          <h4>{{ t('routing.cascade.models') }}</h4>
          @for (model of d.cascade.models; track $index; let i = $index; let last = $last) {
            <div class="row" data-testid="cascade-row">
              <span class="ordinal">{{ i + 1 }}.</span>
              <input
                class="grow"
                [name]="'cascade-' + i"
                list="routing-models"
                data-testid="cascade-model"
                [attr.aria-label]="t('routing.cascade.model')"
                [ngModel]="model"
                (ngModelChange)="d.cascade.models[i] = $event"
                [class.invalid]="local('cascade.' + i) || serverProblems(['cascade', 'models', i]).length"
              />
              <button
                type="button"
                class="small"
                [disabled]="i === 0"
                [attr.aria-label]="t('routing.moveUp')"
                [title]="t('routing.moveUp')"
                data-testid="cascade-up"
                (click)="move(i, -1)"
              >
                ↑
              </button>
              <button
                type="button"
                class="small"
                [disabled]="last"
                [attr.aria-label]="t('routing.moveDown')"
                [title]="t('routing.moveDown')"
                data-testid="cascade-down"
                (click)="move(i, 1)"
              >
                ↓
              </button>
              <button type="button" class="small danger" (click)="removeCascade(i)">
                {{ t('routing.remove') }}
              </button>
              @if (local('cascade.' + i); as why) {
                <p class="field-error full">{{ t(why) }}</p>
              }
              @for (message of serverProblems(['cascade', 'models', i]); track $index) {
                <p class="field-error full" data-testid="field-error">{{ message }}</p>
              }
            </div>
          } @empty {
            <p class="muted">{{ t('routing.empty') }}</p>
          }
          @for (message of exactProblems(['cascade', 'models']); track $index) {
            <p class="field-error" data-testid="field-error">{{ message }}</p>
          }
          <button type="button" class="small" data-testid="cascade-add" (click)="addCascade()">
            + {{ t('routing.add') }}
          </button>
          <label class="narrow"
            >{{ t('routing.cascade.maxRetries') }}
            <input
              type="number"
              min="0"
              step="1"
              name="max-retries"
              data-testid="cascade-max-retries"
              [(ngModel)]="d.cascade.max_retries"
              [class.invalid]="serverProblems(['cascade', 'max_retries']).length"
            />
          </label>
          @for (message of serverProblems(['cascade', 'max_retries']); track $index) {
            <p class="field-error" data-testid="field-error">{{ message }}</p>
          }
        </section>

        <section class="card" data-testid="routing-complexity">
          <h3>{{ t('routing.complexity.title') }}</h3>
          <p class="hint">{{ t('routing.complexity.hint') }}</p>
          <label class="check"
            ><input
              type="checkbox"
              name="complexity-enabled"
              data-testid="complexity-enabled"
              [(ngModel)]="d.complexity.enabled"
            />{{ t('routing.enabled') }}</label
          >
          <div class="tiers">
            @for (tier of tiers; track tier) {
              <label
                >{{ t(tierLabel(tier)) }}
                <input
                  [name]="'tier-' + tier"
                  list="routing-models"
                  [attr.data-testid]="'tier-' + tier"
                  [(ngModel)]="d.complexity[tier]"
                  [class.invalid]="serverProblems(['complexity', tier]).length"
                />
                @for (message of serverProblems(['complexity', tier]); track $index) {
                  <span class="field-error" data-testid="field-error">{{ message }}</span>
                }
              </label>
            }
          </div>
        </section>
      </div>

      <div class="save-bar">
        <button
          type="button"
          class="primary"
          data-testid="routing-save"
          [disabled]="saving()"
          (click)="save()"
        >
          {{ saving() ? t('routing.saving') : t('routing.save') }}
        </button>
        <button type="button" [disabled]="saving()" (click)="discard()">{{ t('routing.discard') }}</button>
        @if (notice()) {
          <span class="notice" role="status" data-testid="routing-saved">{{ notice() }}</span>
        }
      </div>
      @if (saveError()) {
        <mr-config-problems data-testid="routing-error" [message]="saveError()" [problems]="problems()" />
      }
    }
    <datalist id="routing-models">
      @for (m of view()?.availableModels ?? []; track m) {
        <option [value]="m"></option>
      }
    </datalist>
    <datalist id="routing-providers">
      @for (p of providers(); track p) {
        <option [value]="p"></option>
      }
    </datalist>

    <mr-route-simulator [models]="view()?.availableModels ?? []" />
  `,
})
export class RoutingComponent implements OnInit {
  private readonly i18n = inject(I18nService);
  protected readonly t = this.i18n.t;
  private readonly http = inject(HttpClient);
  protected readonly tables = PAIR_TABLES;
  protected readonly text = TABLE_TEXT;
  protected readonly tiers = TIERS;

  protected readonly view = signal<RoutingView | null>(null);
  protected readonly draft = signal<RoutingDraft | null>(null);
  protected readonly problems = signal<ConfigProblem[]>([]);
  /** Problems of the last save that did not stop it. */
  protected readonly warnings = signal<ConfigProblem[]>([]);
  /** Provider names, from the `model@provider` entries of the available models. */
  protected readonly providers = computed(() => [
    ...new Set(
      (this.view()?.availableModels ?? [])
        .filter((m) => m.includes('@'))
        .map((m) => m.slice(m.lastIndexOf('@') + 1)),
    ),
  ]);
  protected readonly saving = signal(false);
  protected readonly notice = signal('');
  protected readonly saveError = signal('');
  protected readonly loadError = signal('');

  ngOnInit(): void {
    void this.load();
  }

  protected tierLabel(tier: (typeof TIERS)[number]): MessageKey {
    return `routing.tier.${tier}`;
  }

  /** A problem the page found itself, as a message key. */
  protected local(id: string): MessageKey | null {
    const draft = this.draft();
    const problem = draft ? localProblems(draft).get(id) : undefined;
    return problem ? (problem === 'required' ? 'routing.required' : 'routing.duplicate') : null;
  }

  /** The relay's messages for `model_routing.<path>` and below. */
  protected serverProblems(path: Array<string | number>): string[] {
    return problemsAt(this.problems(), ['model_routing', ...path]);
  }

  protected warningsAt(path: Array<string | number>): string[] {
    return problemsAt(this.warnings(), ['model_routing', ...path]);
  }

  /** The relay's messages for exactly `model_routing.<path>` (a whole table or list). */
  protected exactProblems(path: string[]): string[] {
    const at = formatKeyPath(['model_routing', ...path]);
    return this.problems()
      .filter((p) => p.path === at)
      .map((p) => p.message);
  }

  protected addRow(table: PairTable): void {
    this.edit((d) => d[table].push({ key: '', value: '' }));
  }

  protected removeRow(table: PairTable, index: number): void {
    this.edit((d) => d[table].splice(index, 1));
  }

  protected addCascade(): void {
    this.edit((d) => d.cascade.models.push(''));
  }

  protected removeCascade(index: number): void {
    this.edit((d) => d.cascade.models.splice(index, 1));
  }

  protected move(index: number, by: -1 | 1): void {
    this.edit((d) => {
      const models = d.cascade.models;
      [models[index], models[index + by]] = [models[index + by], models[index]];
    });
  }

  protected discard(): void {
    const view = this.view();
    if (view) this.draft.set(draftOf(view));
    this.problems.set([]);
    this.warnings.set([]);
    this.saveError.set('');
    this.notice.set('');
  }

  protected async save(): Promise<void> {
    const view = this.view();
    const draft = this.draft();
    if (!view || !draft) return;
    this.notice.set('');
    this.saveError.set('');
    if (localProblems(draft).size > 0) {
      this.saveError.set(this.t('routing.fixLocal'));
      return;
    }
    const ops = routingOps(view, draft);
    if (ops.length === 0) {
      this.notice.set(this.t('routing.unchanged'));
      return;
    }
    this.saving.set(true);
    const outcome = await patchConfig(this.http, ops);
    this.saving.set(false);
    if (outcome.ok) {
      this.problems.set([]);
      this.warnings.set(outcome.warnings);
      await this.load();
      this.notice.set(this.t('routing.saved'));
      return;
    }
    this.warnings.set([]);
    this.problems.set(outcome.problems);
    this.saveError.set(
      refusalMessage(outcome, { conflict: this.t('routing.conflict'), rejected: this.t('routing.rejected') }),
    );
  }

  /** A structural change (rows added, removed, moved): a new draft object so the view re-renders. */
  private edit(change: (draft: RoutingDraft) => void): void {
    const draft = this.draft();
    if (!draft) return;
    change(draft);
    this.draft.set({ ...draft });
  }

  private async load(): Promise<void> {
    try {
      const view = await firstValueFrom(this.http.get<RoutingView>('/api/routing'));
      this.view.set(view);
      this.draft.set(draftOf(view));
      this.loadError.set('');
    } catch (error) {
      this.loadError.set(errorMessage(error));
    }
  }
}
