import type { LiveLogEvent } from '@monorelay/contracts';

/**
 * The last `capacity` events by sequence number (1, 2, 3, ...): a fixed-size ring, so memory does
 * not grow with traffic.
 */
export class LiveEventRing {
  private readonly events: (LiveLogEvent | undefined)[];
  private readonly ids: string[];
  private latest = 0;

  constructor(readonly capacity: number) {
    this.events = new Array<LiveLogEvent | undefined>(capacity);
    this.ids = new Array<string>(capacity);
  }

  /** Sequence number of the newest event; 0 before the first. */
  get latestSequence(): number {
    return this.latest;
  }

  /** Sequence number of the oldest event still held (latest + 1 when empty). */
  get oldestSequence(): number {
    return Math.max(1, this.latest - this.capacity + 1);
  }

  get size(): number {
    return this.latest - this.oldestSequence + 1;
  }

  /** Appends the next event (sequence `latestSequence + 1`). */
  append(id: string, event: LiveLogEvent): number {
    const sequence = ++this.latest;
    const slot = sequence % this.capacity;
    this.events[slot] = event;
    this.ids[slot] = id;
    return sequence;
  }

  has(sequence: number): boolean {
    return sequence >= this.oldestSequence && sequence <= this.latest;
  }

  /** The event with `sequence`; only valid when `has(sequence)`. */
  event(sequence: number): LiveLogEvent {
    return this.events[sequence % this.capacity] as LiveLogEvent;
  }

  id(sequence: number): string {
    return this.ids[sequence % this.capacity];
  }
}
