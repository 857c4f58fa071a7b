import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type {
  RouteSimulation,
  RouteSimulationInput,
  SimulatedKey,
  SimulatedTarget,
} from '@monorelay/contracts';
import { firstValueFrom } from 'rxjs';
import { errorMessage } from '../../core/auth.service';
import type { MessageKey } from '../../core/i18n/en';
import { I18nService } from '../../core/i18n/i18n.service';

type Endpoint = NonNullable<RouteSimulationInput['endpoint']>;
const ENDPOINTS: readonly Endpoint[] = ['chat', 'messages', 'responses', 'completions', 'embeddings'];
const KEY_STATES = [
  'available',
  'cooling',
  'backing_off',
  'auth_failed',
  'over_quota',
  'rate_limited',
  'expired',
  'disabled',
] as const;

const EXAMPLE_REQUEST = JSON.stringify(
  {
    model: 'auto',
    messages: [{ role: 'user', content: 'Compare these two designs and analyze the trade-offs' }],
  },
  null,
  2,
);

/**
 * Dry run of the routing plan (`POST /api/routing/simulate`) for a model or a pasted request: the
 * steps, the complexity tier, and each target with its keys, cooling keys counting down live.
 */
/** The relay's reason for a provider whose API cannot answer the endpoint (`routing/endpoint-support`). */
const CANNOT_SERVE = /^cannot serve (\S+) \(its API is (\S+)\)$/;

@Component({
  selector: 'mr-route-simulator',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './route-simulator.component.css',
  template: `
    <section class="card sim" data-testid="route-simulator">
      <h2>{{ t('routing.sim.title') }}</h2>
      <p class="hint">{{ t('routing.sim.hint') }}</p>
      <div class="tabs" role="tablist">
        <button
          type="button"
          role="tab"
          data-testid="sim-mode-model"
          [class.active]="mode() === 'model'"
          [attr.aria-selected]="mode() === 'model'"
          (click)="mode.set('model')"
        >
          {{ t('routing.sim.byModel') }}
        </button>
        <button
          type="button"
          role="tab"
          data-testid="sim-mode-request"
          [class.active]="mode() === 'request'"
          [attr.aria-selected]="mode() === 'request'"
          (click)="mode.set('request')"
        >
          {{ t('routing.sim.byRequest') }}
        </button>
      </div>
      <form class="sim-form" (ngSubmit)="run()">
        @if (mode() === 'model') {
          <label class="grow"
            >{{ t('routing.sim.model') }}
            <input name="model" list="sim-models" data-testid="sim-model" [(ngModel)]="model" />
          </label>
          <datalist id="sim-models">
            @for (m of models(); track m) {
              <option [value]="m"></option>
            }
          </datalist>
        } @else {
          <label class="full"
            >{{ t('routing.sim.request') }}
            <textarea name="request" rows="8" data-testid="sim-request" [(ngModel)]="request"></textarea>
          </label>
        }
        <label
          >{{ t('routing.sim.endpoint') }}
          <select name="endpoint" data-testid="sim-endpoint" [(ngModel)]="endpoint">
            @for (e of endpoints; track e) {
              <option [value]="e">{{ e }}</option>
            }
          </select>
        </label>
        <button type="submit" class="primary" data-testid="sim-run" [disabled]="running()">
          {{ running() ? t('routing.sim.running') : t('routing.sim.run') }}
        </button>
      </form>
      @if (error()) {
        <p class="error" role="alert" data-testid="sim-error">{{ error() }}</p>
      }
      @if (result(); as r) {
        <div class="result" data-testid="sim-result">
          @if (r.error) {
            <div class="error-box" data-testid="sim-unknown">
              <strong>{{ t('routing.sim.unknown') }}</strong>
              <div>{{ r.error }}</div>
            </div>
          } @else {
            <p>
              {{ t('routing.sim.resolved') }}: <code data-testid="sim-resolved">{{ r.resolved }}</code>
            </p>
            @if (r.complexity; as c) {
              <p data-testid="sim-complexity">
                {{ t('routing.sim.complexity', { score: c.score, tier: t(tierKey(c.tier)) }) }}
              </p>
            }
            <h4>{{ t('routing.sim.targets') }}</h4>
            <ol class="targets">
              @for (target of r.targets; track $index) {
                <li class="target" data-testid="sim-target" [class.skipped]="!target.usable">
                  <div class="target-head">
                    <code class="target-name" data-testid="sim-target-name"
                      >{{ target.model }}&#64;{{ target.provider }}</code
                    >
                    <span class="badge">{{ t(stageKey(target.stage)) }}</span>
                    <span
                      class="badge"
                      data-testid="sim-target-usable"
                      [class.ok]="target.usable"
                      [class.bad]="!target.usable"
                      >{{ target.usable ? t('routing.sim.usable') : t('routing.sim.skipped') }}</span
                    >
                  </div>
                  <div class="why muted">{{ target.why }}</div>
                  @if (!target.usable) {
                    <div class="skip" data-testid="sim-skip" [title]="target.skipReason ?? ''">
                      {{ skipText(target) }}
                    </div>
                  }
                  @if (target.keys.length > 0) {
                    <div class="keys">
                      <span class="muted">{{ t('routing.sim.keys') }}:</span>
                      @for (key of target.keys; track $index) {
                        <span
                          class="badge"
                          data-testid="sim-key"
                          [class.ok]="key.state === 'available'"
                          [class.run]="key.state === 'cooling' || key.state === 'backing_off'"
                          [class.bad]="
                            key.state !== 'available' &&
                            key.state !== 'cooling' &&
                            key.state !== 'backing_off'
                          "
                          >{{ key.label }} · {{ keyState(key.state) }}
                          @if (secondsLeft(key); as s) {
                            ·
                            <span data-testid="sim-key-countdown">{{
                              t('routing.sim.backIn', { s: s })
                            }}</span>
                          }
                        </span>
                      }
                    </div>
                  }
                </li>
              }
            </ol>
          }
          @if (r.steps.length > 0) {
            <details class="steps" open>
              <summary>{{ t('routing.sim.steps') }}</summary>
              <ol data-testid="sim-steps">
                @for (step of r.steps; track $index) {
                  <li>{{ step }}</li>
                }
              </ol>
            </details>
          }
        </div>
      }
    </section>
  `,
})
export class RouteSimulatorComponent {
  private readonly i18n = inject(I18nService);
  protected readonly t = this.i18n.t;
  private readonly http = inject(HttpClient);
  readonly models = input<string[]>([]);
  protected readonly endpoints = ENDPOINTS;

  protected readonly mode = signal<'model' | 'request'>('model');
  protected model = '';
  protected request = EXAMPLE_REQUEST;
  protected endpoint: Endpoint = 'chat';
  protected readonly result = signal<RouteSimulation | null>(null);
  protected readonly error = signal('');
  protected readonly running = signal(false);
  /** Ticks every second while a result shows, so cooling keys count down. */
  protected readonly now = signal(Date.now());

  constructor() {
    const timer = setInterval(() => {
      if (this.result()) this.now.set(Date.now());
    }, 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  protected async run(): Promise<void> {
    this.error.set('');
    let body: RouteSimulationInput;
    if (this.mode() === 'model') {
      body = { model: this.model.trim(), endpoint: this.endpoint };
    } else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(this.request);
      } catch (error) {
        this.error.set(this.t('routing.sim.badJson', { message: (error as Error).message }));
        return;
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        this.error.set(this.t('routing.sim.notObject'));
        return;
      }
      body = { request: parsed as Record<string, unknown>, endpoint: this.endpoint };
    }
    this.running.set(true);
    try {
      const result = await firstValueFrom(this.http.post<RouteSimulation>('/api/routing/simulate', body));
      this.now.set(Date.now());
      this.result.set(result);
    } catch (error) {
      this.result.set(null);
      this.error.set(errorMessage(error));
    } finally {
      this.running.set(false);
    }
  }

  protected tierKey(tier: 'simple' | 'moderate' | 'complex'): MessageKey {
    return `routing.tier.${tier}`;
  }

  protected stageKey(stage: SimulatedTarget['stage']): MessageKey {
    return `routing.sim.stage.${stage}`;
  }

  protected keyState(state: string): string {
    return (KEY_STATES as readonly string[]).includes(state)
      ? this.t(`routing.key.${state as (typeof KEY_STATES)[number]}`)
      : state;
  }

  /** Whole seconds until a resting key is back, or 0 when it is not resting (any more). */
  protected secondsLeft(key: SimulatedKey): number {
    if (key.cooldownUntil === null) return 0;
    return Math.max(0, Math.ceil((key.cooldownUntil - this.now()) / 1000));
  }

  /** Why a target is skipped, in the page's language, with a live countdown. */
  protected skipText(target: SimulatedTarget): string {
    if (target.skipReason === 'provider disabled') return this.t('routing.sim.providerDisabled');
    const unsupported = CANNOT_SERVE.exec(target.skipReason ?? '');
    if (unsupported)
      return this.t('routing.sim.cannotServe', { endpoint: unsupported[1]!, api: unsupported[2]! });
    if (target.keys.length === 0 || target.keys.some((key) => key.state === 'available'))
      return target.skipReason ?? '';
    const counts = new Map<string, number>();
    for (const key of target.keys) counts.set(key.state, (counts.get(key.state) ?? 0) + 1);
    const summary = [...counts].map(([state, n]) => `${n} × ${this.keyState(state)}`).join(', ');
    const back = target.keys.map((key) => this.secondsLeft(key)).filter((s) => s > 0);
    const first = back.length > 0 ? ` ${this.t('routing.sim.firstBack', { s: Math.min(...back) })}` : '';
    return this.t('routing.sim.noKeyFree', { summary }) + first;
  }
}
