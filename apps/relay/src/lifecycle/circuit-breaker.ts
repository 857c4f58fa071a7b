/**
 * Counts a model's failures (failed starts, crashes); after `threshold` within `windowMs` it opens
 * for `cooldownMs`, during which the model is not started. A success closes it and forgets failures.
 */
export class CircuitBreaker {
  private failures: number[] = [];
  private openUntil = 0;

  constructor(
    private readonly settings: () => { threshold: number; window_ms: number; cooldown_ms: number },
    private readonly now: () => number = Date.now,
  ) {}

  recordFailure(): void {
    const now = this.now();
    const { threshold, window_ms, cooldown_ms } = this.settings();
    this.failures = this.failures.filter((at) => now - at < window_ms);
    this.failures.push(now);
    if (this.failures.length >= threshold) {
      this.openUntil = now + cooldown_ms;
      this.failures = [];
    }
  }

  recordSuccess(): void {
    this.failures = [];
    this.openUntil = 0;
  }

  /** Milliseconds until the model may be started again; 0 when closed. */
  remainingMs(): number {
    return Math.max(0, this.openUntil - this.now());
  }

  get open(): boolean {
    return this.remainingMs() > 0;
  }

  get recentFailures(): number {
    const now = this.now();
    const { window_ms } = this.settings();
    return this.failures.filter((at) => now - at < window_ms).length;
  }

  reset(): void {
    this.recordSuccess();
  }
}
