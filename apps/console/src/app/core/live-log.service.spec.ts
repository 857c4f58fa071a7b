import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import type { RequestLogEntry } from '@monorelay/contracts';
import { AuthService } from './auth.service';
import { type LiveEvent, LiveLogService } from './live-log.service';

/** A stand-in EventSource: records the URLs opened, lets the test deliver events and close it. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static opened: FakeEventSource[] = [];
  readyState = FakeEventSource.OPEN;
  onerror: (() => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, (event: MessageEvent<string>) => void>();

  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, listener);
  }
  close(): void {
    this.closed = true;
  }
  emit(type: string, id: string, data: unknown): void {
    this.listeners.get(type)?.({ type, lastEventId: id, data: JSON.stringify(data) } as MessageEvent<string>);
  }
  /** The relay refused the stream (say 401): the browser gives up on it for good. */
  refuse(): void {
    this.readyState = FakeEventSource.CLOSED;
    this.onerror?.();
  }
}

describe('LiveLogService', () => {
  const realEventSource = globalThis.EventSource;
  let refreshes: boolean[];
  let navigations: string[];

  beforeEach(() => {
    FakeEventSource.opened = [];
    refreshes = [];
    navigations = [];
    (globalThis as { EventSource: unknown }).EventSource = FakeEventSource;
    TestBed.configureTestingModule({
      providers: [
        { provide: AuthService, useValue: { refresh: () => Promise.resolve(refreshes.shift() ?? true) } },
        { provide: Router, useValue: { navigateByUrl: (url: string) => navigations.push(url) } },
      ],
    });
  });
  afterEach(() => {
    (globalThis as { EventSource: unknown }).EventSource = realEventSource;
  });

  const entry = { id: 'e1', state: 'pending' } as RequestLogEntry;
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('resumes from the page it was given, and after a refusal refreshes and resumes from the last event', async () => {
    const seen: LiveEvent[] = [];
    const subscription = TestBed.inject(LiveLogService)
      .events('ev-1')
      .subscribe((event) => seen.push(event));
    expect(FakeEventSource.opened.map((source) => source.url)).toEqual([
      '/api/logs/stream?last_event_id=ev-1',
    ]);

    FakeEventSource.opened[0]!.emit('started', 'ev-2', { type: 'started', entry });
    expect(seen).toEqual([{ type: 'started', entry }]);

    FakeEventSource.opened[0]!.refuse();
    await wait(700); // the first retry waits 500 ms after the refresh
    expect(FakeEventSource.opened[0]!.closed).toBe(true);
    expect(FakeEventSource.opened.map((source) => source.url)).toEqual([
      '/api/logs/stream?last_event_id=ev-1',
      '/api/logs/stream?last_event_id=ev-2',
    ]);
    FakeEventSource.opened[1]!.emit('reset', 'ev-9', { reason: 'unknown_last_event_id' });
    expect(seen[1]).toEqual({ type: 'reset' });
    subscription.unsubscribe();
    expect(FakeEventSource.opened[1]!.closed).toBe(true);
    expect(navigations).toEqual([]);
  });

  it('stops and goes to the sign-in page when the session is over', async () => {
    refreshes = [false];
    let failed = false;
    TestBed.inject(LiveLogService)
      .events(null)
      .subscribe({ error: () => (failed = true) });
    expect(FakeEventSource.opened[0]!.url).toBe('/api/logs/stream');
    FakeEventSource.opened[0]!.refuse();
    await wait(50);
    expect(failed).toBe(true);
    expect(navigations).toEqual(['/login']);
    expect(FakeEventSource.opened.length).toBe(1);
  });
});
