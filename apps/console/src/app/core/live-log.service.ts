import { Injectable, inject } from '@angular/core';
import type { LiveLogEvent } from '@monorelay/contracts';
import { Router } from '@angular/router';
import { Observable, defer, from, retry, share, switchMap, throwError, timer } from 'rxjs';
import { AuthService } from './auth.service';

/** What the live stream delivers: the relay's events, and `reset` when it could not resume. */
export type LiveEvent = LiveLogEvent | { type: 'reset' };

const EVENT_TYPES = ['started', 'finished', 'cleared', 'reset'] as const;

/**
 * `GET /api/logs/stream` (server-sent events) as an Observable. EventSource reconnects by itself and
 * resumes with `Last-Event-ID`; when the relay refuses the stream (expired access cookie: 401), the
 * EventSource closes for good, so the session is refreshed and the stream opened again, resuming
 * from the last event seen.
 */
@Injectable({ providedIn: 'root' })
export class LiveLogService {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);

  /** Events after `lastEventId` (from the page the view loaded over REST), so nothing falls between. */
  events(lastEventId: string | null): Observable<LiveEvent> {
    let resumeFrom = lastEventId;
    return defer(() => this.open(resumeFrom, (id) => (resumeFrom = id))).pipe(
      retry({
        // Refused (expired access cookie) or cut: refresh the session and open again, backing off;
        // when the session is over, stop and go to the sign-in page.
        delay: (error: unknown, attempt) =>
          from(this.auth.refresh()).pipe(
            switchMap((signedIn) => {
              if (signedIn) return timer(Math.min(30_000, 500 * 2 ** (attempt - 1)));
              void this.router.navigateByUrl('/login');
              return throwError(() => error);
            }),
          ),
      }),
      share(),
    );
  }

  private open(lastEventId: string | null, seen: (id: string) => void): Observable<LiveEvent> {
    return new Observable<LiveEvent>((subscriber) => {
      const url = lastEventId
        ? `/api/logs/stream?last_event_id=${encodeURIComponent(lastEventId)}`
        : '/api/logs/stream';
      const source = new EventSource(url, { withCredentials: true });
      const onEvent = (message: MessageEvent<string>): void => {
        if (message.lastEventId) seen(message.lastEventId);
        try {
          const data = JSON.parse(message.data) as LiveLogEvent | { reason: string };
          subscriber.next(message.type === 'reset' ? { type: 'reset' } : (data as LiveLogEvent));
        } catch {
          // not ours: ignore
        }
      };
      for (const type of EVENT_TYPES) source.addEventListener(type, onEvent as EventListener);
      source.onerror = () => {
        // CONNECTING: the browser retries on its own. CLOSED: refused (401, 403): let retry() handle it.
        if (source.readyState === EventSource.CLOSED) subscriber.error(new Error('live log stream closed'));
      };
      return () => source.close();
    });
  }
}
