import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { RequestLogEntry, RequestLogPage } from '@monorelay/contracts';
import { Subject } from 'rxjs';
import { I18nService } from '../../core/i18n/i18n.service';
import { type LiveEvent, LiveLogService } from '../../core/live-log.service';
import { LogsComponent } from './logs.component';

function entry(id: string, change: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    id,
    requestId: `req-${id}`,
    timestamp: 1_700_000_000_000,
    state: 'success',
    endpoint: 'chat',
    method: 'POST',
    path: '/v1/chat/completions',
    streaming: false,
    principal: 'access_key',
    userId: null,
    relayKeyId: null,
    clientIp: '127.0.0.1',
    userAgent: 'test',
    requestedModel: 'gpt-4o-mini',
    servedModel: 'gpt-4o-mini',
    provider: 'fake',
    keyLabel: 'k1',
    statusCode: 200,
    latencyMs: 12,
    firstTokenMs: null,
    inputTokens: 1,
    outputTokens: 2,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    errorType: null,
    errorCode: null,
    errorMessage: null,
    errorDetails: null,
    costUsd: null,
    requestPreview: 'hi',
    responsePreview: 'hello',
    attempts: [],
    routeSteps: [],
    ...change,
  };
}

describe('LogsComponent (live request log)', () => {
  let live: Subject<LiveEvent>;
  let http: HttpTestingController;
  let lastEventIds: Array<string | null>;

  beforeEach(() => {
    live = new Subject<LiveEvent>();
    lastEventIds = [];
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: LiveLogService,
          useValue: {
            events: (id: string | null) => {
              lastEventIds.push(id);
              return live;
            },
          },
        },
      ],
    });
    TestBed.inject(I18nService).lang.set('en');
    http = TestBed.inject(HttpTestingController);
  });

  /** Lets promise continuations (after a flushed request) run, then waits for rendering. */
  async function settle(fixture: { whenStable(): Promise<unknown> }): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await fixture.whenStable();
  }

  async function render(page: Partial<RequestLogPage>) {
    const fixture = TestBed.createComponent(LogsComponent);
    fixture.detectChanges();
    const request = http.expectOne((r) => r.url === '/api/logs');
    expect(request.request.params.get('limit')).toBe('50');
    request.flush({ entries: [], inFlight: [], nextCursor: null, lastEventId: 'ev-7', ...page });
    await settle(fixture);
    return fixture;
  }

  const rowIds = (element: HTMLElement) =>
    [...element.querySelectorAll('[data-testid="log-row"]')].map((row) => row.getAttribute('data-id'));
  const rowStates = (element: HTMLElement) =>
    [...element.querySelectorAll('[data-testid="log-row"]')].map((row) => row.getAttribute('data-state'));

  it('follows the stream from the page it loaded: new entries on top, running ones updated in place', async () => {
    const fixture = await render({ entries: [entry('a')] });
    const element = fixture.nativeElement as HTMLElement;
    expect(lastEventIds).toEqual(['ev-7']);
    expect(rowIds(element)).toEqual(['a']);

    live.next({ type: 'started', entry: entry('b', { state: 'pending', statusCode: 0, latencyMs: null }) });
    await settle(fixture);
    expect(rowIds(element)).toEqual(['b', 'a']);
    expect(rowStates(element)).toEqual(['pending', 'success']);

    live.next({ type: 'finished', entry: entry('b') });
    await settle(fixture);
    expect(rowIds(element)).toEqual(['b', 'a']);
    expect(rowStates(element)).toEqual(['success', 'success']);

    live.next({ type: 'cleared' });
    await settle(fixture);
    expect(rowIds(element)).toEqual([]);
  });

  it('opens failed entries by themselves and loads their bodies on demand', async () => {
    const fixture = await render({});
    const element = fixture.nativeElement as HTMLElement;
    live.next({
      type: 'finished',
      entry: entry('x', { state: 'failed', statusCode: 502, errorMessage: 'upstream down' }),
    });
    await settle(fixture);
    expect(element.querySelector('[data-testid="log-row"]')!.getAttribute('aria-expanded')).toBe('true');
    expect(element.querySelector('[data-testid="log-error"]')!.textContent).toContain('upstream down');
    http.expectOne('/api/logs/x/bodies').flush({
      clientRequest: JSON.stringify({ messages: [{ role: 'user', content: 'ping' }] }),
      upstreamRequest: null,
      upstreamResponse: JSON.stringify({ error: { message: 'bad gateway' } }),
      clientResponse: null,
      truncated: false,
    });
    await settle(fixture);
    const turns = [...element.querySelectorAll('[data-testid="turn"]')].map((turn) => turn.textContent);
    expect(turns.some((text) => text?.includes('ping'))).toBe(true);
    expect(turns.some((text) => text?.includes('bad gateway'))).toBe(true);
  });

  it('keeps live entries to the filters and the page size', async () => {
    const fixture = await render({ entries: [entry('a')] });
    const element = fixture.nativeElement as HTMLElement;
    const component = fixture.componentInstance as unknown as {
      filters: { model: string };
      reload(): Promise<void>;
    };
    component.filters.model = 'claude';
    void component.reload();
    http
      .expectOne((r) => r.url === '/api/logs' && r.params.get('model') === 'claude')
      .flush({
        entries: [],
        inFlight: [],
        nextCursor: null,
        lastEventId: 'ev-9',
      });
    await settle(fixture);
    live.next({ type: 'finished', entry: entry('g', { requestedModel: 'gpt-4o', servedModel: 'gpt-4o' }) });
    live.next({
      type: 'finished',
      entry: entry('c', { requestedModel: 'claude-sonnet', servedModel: 'claude-sonnet' }),
    });
    await settle(fixture);
    expect(rowIds(element)).toEqual(['c']);
  });
});
