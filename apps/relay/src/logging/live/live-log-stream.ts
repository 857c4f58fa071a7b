import type { LiveLogEvent } from '@monorelay/contracts';
import type { LiveLogHub, LiveLogSubscription } from './live-log-hub';
import { sseEventFrame, sseHeartbeatFrame, sseResetFrame, sseRetryFrame } from './sse-writer';

/** What the stream writes to: an `http.ServerResponse` (Fastify's `reply.raw`) fits. */
export interface SseSink {
  /** False when the buffer is full: writing pauses until `drain`. */
  write(chunk: string): boolean;
  end(): void;
  on(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

export interface LiveLogStreamOptions {
  /** The request's `Last-Event-ID` header (or `lastEventId` query parameter). */
  lastEventId?: string | null;
  filter?: (event: LiveLogEvent) => boolean;
  /** Default 15 s. */
  heartbeatMs?: number;
  /** The client's reconnect delay. Default 3 s. */
  retryMs?: number;
}

/**
 * Streams the hub's events to an SSE response whose headers are already sent: a `retry:` frame,
 * the replay (or a `reset` event), then live events and heartbeats, pausing while the socket is
 * backed up. When the hub drops the subscriber (it lagged too far), the response ends and the
 * browser's EventSource reconnects with `Last-Event-ID`. Returns `stop()`, which also runs when the
 * sink closes; it unsubscribes but leaves the response to its owner.
 */
export function streamLiveLog(
  hub: LiveLogHub,
  sink: SseSink,
  options: LiveLogStreamOptions = {},
): () => void {
  let subscription: LiveLogSubscription | null = null;
  let stopped = false;
  const resume = (): void => subscription?.resume();
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    clearInterval(heartbeat);
    subscription?.unsubscribe();
    sink.off('drain', resume);
    sink.off('close', stop);
  };
  const heartbeat = setInterval(() => sink.write(sseHeartbeatFrame()), options.heartbeatMs ?? 15_000).unref();
  sink.on('drain', resume);
  sink.on('close', stop);

  sink.write(sseRetryFrame(options.retryMs ?? 3000));
  subscription = hub.subscribe(({ id, event }) => sink.write(sseEventFrame(id, event)), {
    lastEventId: options.lastEventId,
    filter: options.filter,
    onDropped: () => {
      stop();
      sink.end();
    },
  });
  if (stopped) subscription.unsubscribe();
  else if (subscription.reset) sink.write(sseResetFrame(hub.lastEventId));
  return stop;
}
