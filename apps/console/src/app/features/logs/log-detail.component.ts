import { NgTemplateOutlet } from '@angular/common';
import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import type { RequestLogBodies, RequestLogEntry } from '@monorelay/contracts';
import { firstValueFrom } from 'rxjs';
import { errorMessage } from '../../core/auth.service';
import { I18nService } from '../../core/i18n/i18n.service';
import { type Turn, prettyBody, requestTurns, responseTurns } from '../../shared/conversation';

type Side = 'relay' | 'client';
type View = 'conversation' | 'raw';

/**
 * One log entry opened: its facts, routing attempts, and the bodies (loaded on demand) on two tabs:
 * Relay (what went upstream and came back) and Client (what the client sent and received), each as
 * a conversation or as raw JSON.
 */
@Component({
  selector: 'mr-log-detail',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let e = entry();
    <div class="detail" data-testid="log-detail">
      <dl class="facts">
        <div>
          <dt>{{ t('logs.requestId') }}</dt>
          <dd class="mono">{{ e.requestId }}</dd>
        </div>
        <div>
          <dt>{{ t('logs.endpoint') }}</dt>
          <dd class="mono">{{ e.method }} {{ e.path }}</dd>
        </div>
        <div>
          <dt>{{ t('logs.requested') }}</dt>
          <dd>{{ e.requestedModel ?? '–' }}</dd>
        </div>
        <div>
          <dt>{{ t('logs.served') }}</dt>
          <dd>{{ e.servedModel ?? '–' }} &#64; {{ e.provider ?? '–' }}</dd>
        </div>
        <div>
          <dt>{{ t('logs.key') }}</dt>
          <dd>{{ e.keyLabel ?? '–' }}</dd>
        </div>
        <div>
          <dt>{{ t('logs.client') }}</dt>
          <dd>{{ e.clientIp }} · {{ e.userAgent }}</dd>
        </div>
        <div>
          <dt>{{ t('logs.firstToken') }}</dt>
          <dd>{{ e.firstTokenMs == null ? '–' : e.firstTokenMs + ' ms' }}</dd>
        </div>
        <div>
          <dt>{{ t('logs.tokens') }}</dt>
          <dd>{{ e.inputTokens }} → {{ e.outputTokens }} ({{ t('logs.cache') }} {{ e.cacheReadTokens }})</dd>
        </div>
        <div>
          <dt>{{ t('logs.cost') }}</dt>
          <dd>{{ e.costUsd == null ? '–' : '$' + e.costUsd.toFixed(6) }}</dd>
        </div>
      </dl>
      @if (e.errorMessage) {
        <div class="error-box" data-testid="log-error">
          <strong>{{ e.errorType }} {{ e.errorCode }}</strong> {{ e.errorMessage }}
          @if (e.errorDetails) {
            <pre>{{ pretty(e.errorDetails) }}</pre>
          }
        </div>
      }
      @if (e.attempts.length > 0) {
        <h4>{{ t('logs.attempts') }}</h4>
        <ol class="attempts">
          @for (a of e.attempts; track $index) {
            <li>
              <span
                class="badge"
                [class.ok]="a.outcome === 'success'"
                [class.bad]="a.outcome !== 'success'"
                >{{ a.outcome }}</span
              >
              {{ a.provider }} / {{ a.model }} · {{ a.keyLabel ?? '–' }} · {{ a.status ?? '–' }} ·
              {{ a.durationMs }} ms
              @if (a.detail) {
                <span class="muted"> — {{ a.detail }}</span>
              }
            </li>
          }
        </ol>
      }
      <div class="tabbar">
        <div class="tabs" role="tablist">
          <button
            type="button"
            role="tab"
            data-testid="tab-relay"
            [class.active]="side() === 'relay'"
            [attr.aria-selected]="side() === 'relay'"
            (click)="side.set('relay')"
          >
            {{ t('logs.tab.relay') }}
          </button>
          <button
            type="button"
            role="tab"
            data-testid="tab-client"
            [class.active]="side() === 'client'"
            [attr.aria-selected]="side() === 'client'"
            (click)="side.set('client')"
          >
            {{ t('logs.tab.client') }}
          </button>
        </div>
        <div class="tabs">
          <button
            type="button"
            data-testid="view-conversation"
            [class.active]="view() === 'conversation'"
            (click)="view.set('conversation')"
          >
            {{ t('logs.view.conversation') }}
          </button>
          <button
            type="button"
            data-testid="view-raw"
            [class.active]="view() === 'raw'"
            (click)="view.set('raw')"
          >
            {{ t('logs.view.raw') }}
          </button>
        </div>
      </div>
      @if (loadError()) {
        <p class="error">{{ loadError() }}</p>
      } @else if (!bodies()) {
        <p class="muted">{{ e.state === 'pending' ? t('logs.inFlight') : t('common.loading') }}</p>
      } @else {
        @if (bodies()!.truncated) {
          <p class="muted">{{ t('logs.truncated') }}</p>
        }
        <div class="exchange" [attr.data-testid]="'exchange-' + side() + '-' + view()">
          <section>
            <h4>{{ t('logs.request') }}</h4>
            @if (view() === 'raw') {
              <pre class="raw" data-testid="raw-request">{{
                pretty(shown().request) || t('logs.noBody')
              }}</pre>
            } @else {
              <ng-container *ngTemplateOutlet="conversation; context: { $implicit: requestTurns() }" />
            }
          </section>
          <section>
            <h4>{{ t('logs.response') }}</h4>
            @if (view() === 'raw') {
              <pre class="raw" data-testid="raw-response">{{
                pretty(shown().response) || t('logs.noBody')
              }}</pre>
            } @else {
              <ng-container *ngTemplateOutlet="conversation; context: { $implicit: responseTurns() }" />
            }
          </section>
        </div>
      }
    </div>
    <ng-template #conversation let-turns>
      @for (turn of asTurns(turns); track $index) {
        <div class="turn" [attr.data-role]="turn.role" data-testid="turn">
          <div class="role">{{ roleName(turn.role) }}</div>
          @for (part of turn.parts; track $index) {
            @switch (part.kind) {
              @case ('thinking') {
                <details class="thinking" open>
                  <summary>{{ t('logs.thinking') }}</summary>
                  <div class="text">{{ part.text }}</div>
                </details>
              }
              @case ('tool_call') {
                <div class="tool">
                  <span class="badge">{{ t('logs.toolCall') }}</span> <code>{{ part.name }}</code>
                  <pre>{{ part.text }}</pre>
                </div>
              }
              @case ('tool_result') {
                <div class="tool">
                  <span class="badge">{{ t('logs.toolResult') }}</span> <code>{{ part.name }}</code>
                  <pre>{{ part.text }}</pre>
                </div>
              }
              @default {
                <div class="text">{{ part.text }}</div>
              }
            }
          }
        </div>
      } @empty {
        <p class="muted">{{ t('logs.noBody') }}</p>
      }
    </ng-template>
  `,
  imports: [NgTemplateOutlet],
})
export class LogDetailComponent {
  readonly entry = input.required<RequestLogEntry>();
  protected readonly t = inject(I18nService).t;
  protected readonly side = signal<Side>('relay');
  protected readonly view = signal<View>('conversation');
  protected readonly bodies = signal<RequestLogBodies | null>(null);
  protected readonly loadError = signal('');
  protected readonly pretty = prettyBody;
  private readonly http = inject(HttpClient);

  /** Relay: upstream request/response; Client: what the client sent/received (null = same as the other side). */
  protected readonly shown = computed(() => {
    const b = this.bodies();
    if (!b) return { request: null, response: null };
    return this.side() === 'relay'
      ? { request: b.upstreamRequest ?? b.clientRequest, response: b.upstreamResponse ?? b.clientResponse }
      : { request: b.clientRequest, response: b.clientResponse ?? b.upstreamResponse };
  });
  protected readonly requestTurns = computed(() => requestTurns(this.shown().request));
  protected readonly responseTurns = computed(() => responseTurns(this.shown().response));

  constructor() {
    // Bodies once the entry has finished (an in-flight one has none yet); again if it finishes later.
    effect(() => {
      const { id, state } = this.entry();
      if (state === 'pending') return;
      void this.load(id);
    });
  }

  protected asTurns(turns: unknown): Turn[] {
    return turns as Turn[];
  }

  protected roleName(role: string): string {
    switch (role) {
      case 'system':
      case 'developer':
        return this.t('logs.role.system');
      case 'user':
        return this.t('logs.role.user');
      case 'assistant':
        return this.t('logs.role.assistant');
      case 'tool':
        return this.t('logs.role.tool');
      case 'error':
        return this.t('logs.role.error');
      default:
        return role;
    }
  }

  /** Entries are written in batches: right after `finished` the bodies may not be stored yet (404), so ask again. */
  private async load(id: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const url = `/api/logs/${encodeURIComponent(id)}/bodies`;
        this.bodies.set(await firstValueFrom(this.http.get<RequestLogBodies>(url)));
        this.loadError.set('');
        return;
      } catch (error) {
        if (error instanceof HttpErrorResponse && error.status === 404 && attempt < 8) {
          await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
          continue;
        }
        this.loadError.set(errorMessage(error));
        return;
      }
    }
  }
}
