import type { LiveLogEvent } from '@monorelay/contracts';

/**
 * Server-sent event frames of the live log stream (`GET /api/logs/stream`), per the WHATWG
 * EventSource format. JSON.stringify escapes line breaks inside strings, so one `data:` line always
 * carries the whole event.
 */

/** `id:` (for `Last-Event-ID`), `event:` the event type, `data:` the event as JSON. */
export function sseEventFrame(id: string, event: LiveLogEvent): string {
  return `id: ${singleLine(id)}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export type SseResetReason = 'unknown_last_event_id';

/**
 * Tells the client that its `Last-Event-ID` could not be resumed from, so it reloads its view over
 * REST. Carries the current id, so its next reconnect resumes from here instead of resetting again.
 */
export function sseResetFrame(currentId: string, reason: SseResetReason = 'unknown_last_event_id'): string {
  return `id: ${singleLine(currentId)}\nevent: reset\ndata: ${JSON.stringify({ reason })}\n\n`;
}

/** A comment frame: keeps proxies and load balancers from closing an idle stream. */
export function sseHeartbeatFrame(): string {
  return ': heartbeat\n\n';
}

/** How long the browser waits before reconnecting. */
export function sseRetryFrame(milliseconds: number): string {
  return `retry: ${Math.max(0, Math.floor(milliseconds))}\n\n`;
}

/** An SSE field value may not contain line breaks (they would end the field). */
function singleLine(value: string): string {
  return value.replace(/[\r\n]/g, '');
}
