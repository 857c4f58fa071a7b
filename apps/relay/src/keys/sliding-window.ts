/** More slots than this would cost memory for no precision anyone needs. */
const MAX_SLOTS = 10_000;

/**
 * A key's `rate_limit_rps` as a sliding window: the timestamps of the last `capacity` requests in a
 * ring. The key is full while the oldest of them is younger than the window. Integer rates use a
 * one-second window; fractional ones keep the rate with a longer window (0.5 rps = 1 per 2 s).
 */
export class SlidingWindow {
  readonly capacity: number;
  readonly windowMs: number;
  private readonly stamps: Float64Array;
  private next = 0;
  private count = 0;

  constructor(readonly perSecond: number) {
    this.capacity = Math.min(MAX_SLOTS, Math.max(1, Math.floor(perSecond)));
    this.windowMs = (1000 * this.capacity) / perSecond;
    this.stamps = new Float64Array(this.capacity);
  }

  isFull(now: number): boolean {
    return this.count === this.capacity && this.stamps[this.next] + this.windowMs > now;
  }

  /** When the next request fits (0 when it fits now or the window is not full). */
  freeAt(): number {
    return this.count === this.capacity ? this.stamps[this.next] + this.windowMs : 0;
  }

  record(now: number): void {
    this.stamps[this.next] = now;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }
}
