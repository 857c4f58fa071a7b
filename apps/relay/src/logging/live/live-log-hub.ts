import type { LiveLogEvent } from '@monorelay/contracts';
import { LiveEventIds } from './live-event-id';
import { LiveEventRing } from './live-event-ring';

export interface LiveLogDelivery {
  /** The SSE `id:` of the event; pass back as `lastEventId` to resume after it. */
  id: string;
  event: LiveLogEvent;
}

/**
 * Receives the subscriber's events, one at a time, in publication order. Returning `false` (as an
 * SSE writer does when `write()` reports a full buffer) pauses delivery until `resume()`.
 */
export type LiveLogHandler = (delivery: LiveLogDelivery) => boolean | void;

/** Why the hub ended a subscription. */
export type LiveLogDropReason =
  /** Paused with more than `maxLag` events undelivered. */
  | 'lagging'
  /** The handler or filter threw. */
  | 'handler_error'
  /** `close()` (shutdown). */
  | 'hub_closed';

export interface LiveLogSubscribeOptions {
  /** Resume after this event id (the SSE `Last-Event-ID`): every later buffered event is replayed. */
  lastEventId?: string | null;
  /** Only events it accepts are delivered (e.g. one user's entries); also applies to the replay. */
  filter?: (event: LiveLogEvent) => boolean;
  /** Called once when the hub ends the subscription (not on `unsubscribe()`). */
  onDropped?: (reason: LiveLogDropReason) => void;
}

export interface LiveLogSubscription {
  /**
   * `lastEventId` was given but cannot be resumed from: malformed, from an earlier process or another
   * replica, or older than the buffer. Nothing was replayed; the client should reload its view.
   */
  readonly reset: boolean;
  /** Events delivered during the replay. */
  readonly replayed: number;
  /** Continues a delivery paused by the handler returning `false` (call it on the sink's `drain`). */
  resume(): void;
  /** Ends the subscription; idempotent. */
  unsubscribe(): void;
}

export interface LiveLogHubOptions {
  /** Events kept for replay. Default 2000. */
  bufferSize?: number;
  /** A paused subscriber with more events than this undelivered is dropped. Default and maximum: bufferSize. */
  maxLag?: number;
  /** For ids (see `LiveEventIds`); specs fix it. */
  startedAt?: number;
}

export interface LiveLogHubStats {
  subscribers: number;
  buffered: number;
  published: number;
  droppedSubscribers: Record<LiveLogDropReason, number>;
}

interface Subscriber {
  readonly handler: LiveLogHandler;
  readonly filter: ((event: LiveLogEvent) => boolean) | undefined;
  readonly onDropped: ((reason: LiveLogDropReason) => void) | undefined;
  /** Sequence number of the next event to examine. */
  cursor: number;
  paused: boolean;
  active: boolean;
  pumping: boolean;
  delivered: number;
}

export const DEFAULT_LIVE_LOG_BUFFER_SIZE = 2000;

/**
 * Fan-out of live log events to SSE subscribers, with replay after a reconnect.
 *
 * Memory is bounded by the ring of the last `bufferSize` events alone: a subscriber is a cursor into
 * that ring (its bounded queue is the stretch between its cursor and the newest event), not a queue
 * of copies. A subscriber whose handler reports backpressure is paused; once it is more than
 * `maxLag` events behind (counting events its filter would skip) it is dropped, and as a replay
 * that long is exactly what it could not keep up with, its reconnect gets a reset, not a replay.
 * `publish` never waits for a subscriber.
 */
export class LiveLogHub {
  private readonly ids: LiveEventIds;
  private readonly ring: LiveEventRing;
  private readonly maxLag: number;
  private readonly subscribers = new Set<Subscriber>();
  private readonly dropped: Record<LiveLogDropReason, number> = {
    lagging: 0,
    handler_error: 0,
    hub_closed: 0,
  };

  constructor(options: LiveLogHubOptions = {}) {
    const bufferSize = Math.max(1, Math.floor(options.bufferSize ?? DEFAULT_LIVE_LOG_BUFFER_SIZE));
    this.ring = new LiveEventRing(bufferSize);
    this.maxLag = Math.min(bufferSize, Math.max(1, Math.floor(options.maxLag ?? bufferSize)));
    this.ids = new LiveEventIds(options.startedAt);
  }

  /**
   * The id of the newest event (of a virtual event 0 before the first). A client that loads a
   * snapshot over REST and then subscribes with this id misses nothing in between.
   */
  get lastEventId(): string {
    return this.ids.format(this.ring.latestSequence);
  }

  /**
   * The id just before `id`, when a subscriber resuming there would get `id` and everything after it
   * replayed; null when that is no longer in the buffer (or `id` is not one of ours).
   */
  idBefore(id: string): string | null {
    const sequence = this.ids.parse(id);
    if (sequence === null || sequence < 1) return null;
    return this.resumePoint(this.ids.format(sequence - 1)) === null ? null : this.ids.format(sequence - 1);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Buffers `event`, delivers it to every subscriber that is keeping up, and returns its id. */
  publish(event: LiveLogEvent): string {
    const id = this.ids.format(this.ring.latestSequence + 1);
    const sequence = this.ring.append(id, event);
    for (const subscriber of this.subscribers) {
      if (!subscriber.paused) this.pump(subscriber);
      else if (sequence - subscriber.cursor + 1 > this.maxLag) this.drop(subscriber, 'lagging');
    }
    return id;
  }

  /** Replays what `lastEventId` missed (synchronously, before returning), then delivers new events. */
  subscribe(handler: LiveLogHandler, options: LiveLogSubscribeOptions = {}): LiveLogSubscription {
    const resumeAfter = this.resumePoint(options.lastEventId);
    const subscriber: Subscriber = {
      handler,
      filter: options.filter,
      onDropped: options.onDropped,
      cursor: (resumeAfter ?? this.ring.latestSequence) + 1,
      paused: false,
      active: true,
      pumping: false,
      delivered: 0,
    };
    this.subscribers.add(subscriber);
    this.pump(subscriber);
    return {
      reset: resumeAfter === null && !!options.lastEventId,
      replayed: subscriber.delivered,
      resume: () => {
        if (!subscriber.active || !subscriber.paused) return;
        subscriber.paused = false;
        this.pump(subscriber);
      },
      unsubscribe: () => {
        subscriber.active = false;
        this.subscribers.delete(subscriber);
      },
    };
  }

  /** Drops every subscriber (`hub_closed`); publishing may go on. */
  close(): void {
    for (const subscriber of this.subscribers) this.drop(subscriber, 'hub_closed');
  }

  stats(): LiveLogHubStats {
    return {
      subscribers: this.subscribers.size,
      buffered: this.ring.size,
      published: this.ring.latestSequence,
      droppedSubscribers: { ...this.dropped },
    };
  }

  /** The sequence number to replay after, or null when there is nothing (or nothing valid) to resume. */
  private resumePoint(lastEventId: string | null | undefined): number | null {
    if (!lastEventId) return null;
    const sequence = this.ids.parse(lastEventId);
    if (sequence === null) return null;
    const latest = this.ring.latestSequence;
    if (sequence > latest || latest - sequence > this.maxLag) return null;
    return sequence;
  }

  private pump(subscriber: Subscriber): void {
    // A handler that publishes re-enters here: the outer loop delivers the new event in order.
    if (subscriber.pumping) return;
    subscriber.pumping = true;
    try {
      while (subscriber.active && !subscriber.paused && subscriber.cursor <= this.ring.latestSequence) {
        const sequence = subscriber.cursor++;
        if (!this.ring.has(sequence)) {
          this.drop(subscriber, 'lagging');
          return;
        }
        const event = this.ring.event(sequence);
        if (subscriber.filter && !subscriber.filter(event)) continue;
        subscriber.delivered++;
        if (subscriber.handler({ id: this.ring.id(sequence), event }) === false) subscriber.paused = true;
      }
    } catch {
      this.drop(subscriber, 'handler_error');
    } finally {
      subscriber.pumping = false;
    }
  }

  private drop(subscriber: Subscriber, reason: LiveLogDropReason): void {
    if (!subscriber.active) return;
    subscriber.active = false;
    this.subscribers.delete(subscriber);
    this.dropped[reason]++;
    try {
      subscriber.onDropped?.(reason);
    } catch {
      // The subscriber is gone either way.
    }
  }
}
