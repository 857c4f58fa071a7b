/** Requests admitted in the last window of one key: their times, oldest first, in a ring. */
interface Ring {
  limit: number;
  times: number[];
  /** When `times` is full: the index of the oldest time. */
  head: number;
  newest: number;
}

/**
 * An exact sliding-window limit per key ("at most N requests in any 60 s"): each key keeps the times
 * of its last N admitted requests in a ring, so a check is O(1) and a key costs 8 bytes per
 * request of its limit, only while it is in use. A refused request does not count.
 */
export class RequestWindow {
  private readonly rings = new Map<string, Ring>();

  constructor(readonly windowMs = 60_000) {}

  /** Admits and counts one request (returns 0), or returns the milliseconds until one would be admitted. */
  take(id: string, limit: number, now: number): number {
    let ring = this.rings.get(id);
    if (!ring) {
      ring = { limit, times: [], head: 0, newest: 0 };
      this.rings.set(id, ring);
    } else if (ring.limit !== limit) {
      ring = this.resized(ring, limit, now);
      this.rings.set(id, ring);
    }
    if (ring.times.length < ring.limit) {
      ring.times.push(now);
      ring.newest = now;
      return 0;
    }
    const oldest = ring.times[ring.head];
    const freeAt = oldest + this.windowMs;
    if (now < freeAt) return freeAt - now;
    ring.times[ring.head] = now;
    ring.head = (ring.head + 1) % ring.limit;
    ring.newest = now;
    return 0;
  }

  /** Requests counted in the window ending at `now`. */
  count(id: string, now: number): number {
    const ring = this.rings.get(id);
    if (!ring) return 0;
    let count = 0;
    for (const time of ring.times) if (time > now - this.windowMs) count++;
    return count;
  }

  /** Forgets keys with nothing left in their window (bounded memory: only keys used lately stay). */
  sweep(now: number): void {
    for (const [id, ring] of this.rings) if (ring.newest <= now - this.windowMs) this.rings.delete(id);
  }

  forget(id: string): void {
    this.rings.delete(id);
  }

  get size(): number {
    return this.rings.size;
  }

  /** The limit changed: keep the newest times still in the window, up to the new limit. */
  private resized(ring: Ring, limit: number, now: number): Ring {
    const ordered = [...ring.times.slice(ring.head), ...ring.times.slice(0, ring.head)].filter(
      (time) => time > now - this.windowMs,
    );
    const times = ordered.slice(Math.max(0, ordered.length - limit));
    return { limit, times, head: 0, newest: times.at(-1) ?? 0 };
  }
}
