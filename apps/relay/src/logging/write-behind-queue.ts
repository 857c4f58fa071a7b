/**
 * A bounded write-behind queue: producers `push` without waiting, batches are written in the
 * background, one write at a time.
 *
 * Limits (read through getters on every use, so a config reload applies at once):
 * - at most `shedAbove` items wait in full; items pushed beyond that are queued through `shed`
 *   (e.g. without their bodies) and counted as `shed`;
 * - at most `maxQueued` items wait (the batch being written included); items pushed beyond that are
 *   dropped and counted as `dropped`. It is the NEWEST item that is dropped, never a queued one: what
 *   is kept is an unbroken prefix of history, the batch in flight is never touched, and push stays
 *   O(1). During a long database outage the log therefore keeps the requests from the start of the
 *   outage and counts the rest.
 *
 * Flushing: `intervalMs` after the first item arrives in an idle queue, or on the next tick once
 * `batchSize` items wait. A failed write keeps its items at the head of the queue and is retried
 * after an exponential back-off (`retryBaseMs` doubling up to `retryMaxMs`); new items keep queueing
 * (and shedding, and dropping) meanwhile.
 *
 * `drain()` (shutdown) writes everything, including items pushed while it runs, until the queue is
 * empty or its deadline passes, then closes the queue: later pushes are dropped (and counted).
 */
export interface WriteBehindQueueOptions<T> {
  write: (batch: T[]) => Promise<void>;
  intervalMs: () => number;
  batchSize: () => number;
  maxQueued: () => number;
  shedAbove: () => number;
  shed: (item: T) => T;
  /** Told about every failed write (and a throwing `shed`); never about anything else. */
  onError: (error: unknown) => void;
  /** First retry delay after a failed write; doubles with each consecutive failure. Default 500 ms. */
  retryBaseMs?: number;
  /** Longest retry delay. Default 30 s. */
  retryMaxMs?: number;
  /** How long `drain()` may take before it gives up on what is left. Default 10 s. */
  drainTimeoutMs?: number;
}

export interface WriteBehindQueueStats {
  /** Items waiting, the batch being written included. */
  queued: number;
  written: number;
  shed: number;
  dropped: number;
  failedWrites: number;
  lastError: string | null;
}

const DEFAULT_RETRY_BASE_MS = 500;
const DEFAULT_RETRY_MAX_MS = 30_000;
const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

export class WriteBehindQueue<T> {
  private readonly pending = new Fifo<T>();
  /** Items at the head of `pending` that the current write carries. */
  private inFlight = 0;
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private consecutiveFailures = 0;
  private draining: Promise<void> | null = null;
  private closed = false;
  private written = 0;
  private shedCount = 0;
  private dropped = 0;
  private failedWrites = 0;
  private lastError: string | null = null;

  constructor(private readonly options: WriteBehindQueueOptions<T>) {}

  /** Queues `item` for writing. O(1); never blocks, never throws. */
  push(item: T): void {
    const waiting = this.pending.size;
    if (this.closed || waiting >= atLeast(0, this.options.maxQueued())) {
      this.dropped++;
      return;
    }
    if (waiting >= atLeast(0, this.options.shedAbove())) {
      item = this.shedItem(item);
      this.shedCount++;
    }
    this.pending.push(item);
    this.scheduleFlush();
  }

  /** The oldest item not yet written (the batch being written included), if any. */
  oldest(): T | undefined {
    return this.pending.size > 0 ? this.pending.peek(1)[0] : undefined;
  }

  stats(): WriteBehindQueueStats {
    return {
      queued: this.pending.size,
      written: this.written,
      shed: this.shedCount,
      dropped: this.dropped,
      failedWrites: this.failedWrites,
      lastError: this.lastError,
    };
  }

  /**
   * Writes everything queued (and whatever arrives meanwhile), then closes the queue. Resolves, never
   * rejects, by `timeoutMs`; items still unwritten by then are counted as dropped. Its timers are
   * ref'd on purpose, so the process stays up until the log is on disk.
   */
  drain(timeoutMs = this.options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS): Promise<void> {
    this.draining ??= this.drainUntil(Date.now() + timeoutMs);
    return this.draining;
  }

  private async drainUntil(deadline: number): Promise<void> {
    this.clearTimers();
    while (this.pending.size > 0) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      if (!(await settlesWithin(this.writing ?? this.startWrite(), remaining))) break;
      if (this.consecutiveFailures > 0 && this.pending.size > 0) {
        await delay(Math.min(this.retryDelayMs(), deadline - Date.now()));
      }
    }
    this.closed = true;
    // The batch still in flight (if the deadline cut it short) is settled by its own outcome.
    const abandoned = this.pending.size - this.inFlight;
    if (abandoned > 0) {
      this.pending.truncate(this.inFlight);
      this.dropped += abandoned;
      this.lastError = `drain timed out with ${abandoned} item(s) unwritten`;
    }
  }

  private scheduleFlush(): void {
    // A write in progress, a pending retry and a drain each schedule the next write themselves.
    if (this.writing || this.draining || this.consecutiveFailures > 0) return;
    // Nothing waits (a write just emptied the queue): the next push arms the timer, with the
    // interval as configured then.
    if (this.pending.size === 0) return;
    if (this.pending.size >= this.batchSize()) {
      // Not unref'd: it runs within one loop turn anyway, and (Node 24) a timer armed inside an
      // unref'd immediate's callback fired late in tests, which would delay retries.
      this.immediate ??= setImmediate(this.flush);
    } else if (!this.timer) {
      this.timer = setTimeout(this.flush, atLeast(0, this.options.intervalMs())).unref();
    }
  }

  private readonly flush = (): void => {
    this.clearTimers();
    void this.startWrite();
  };

  /** Starts writing the next batch; the returned promise never rejects. */
  private startWrite(): Promise<void> {
    if (this.writing) return this.writing;
    const count = Math.min(this.pending.size, this.batchSize());
    if (count === 0) return Promise.resolve();
    this.inFlight = count;
    this.writing = this.callWrite(this.pending.peek(count)).then(
      () => this.onWritten(count),
      (error: unknown) => this.onWriteFailed(count, error),
    );
    return this.writing;
  }

  private callWrite(batch: T[]): Promise<void> {
    try {
      return Promise.resolve(this.options.write(batch));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private onWritten(count: number): void {
    this.pending.removeFirst(count);
    this.inFlight = 0;
    this.writing = null;
    this.written += count;
    this.consecutiveFailures = 0;
    this.scheduleFlush();
  }

  private onWriteFailed(count: number, error: unknown): void {
    this.inFlight = 0;
    this.writing = null;
    this.failedWrites++;
    this.consecutiveFailures++;
    this.lastError = describe(error);
    this.report(error);
    if (this.closed) {
      // Only a write cut short by drain's deadline can end after the queue closed: nobody retries it.
      this.pending.removeFirst(count);
      this.dropped += count;
    } else if (!this.draining) {
      this.timer = setTimeout(this.flush, this.retryDelayMs()).unref();
    }
  }

  private retryDelayMs(): number {
    const base = this.options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
    const max = this.options.retryMaxMs ?? DEFAULT_RETRY_MAX_MS;
    return Math.min(max, base * 2 ** Math.min(this.consecutiveFailures - 1, 30));
  }

  private batchSize(): number {
    return atLeast(1, Math.floor(this.options.batchSize()));
  }

  private shedItem(item: T): T {
    try {
      return this.options.shed(item);
    } catch (error) {
      this.report(error);
      return item;
    }
  }

  private report(error: unknown): void {
    try {
      this.options.onError(error);
    } catch {
      // A broken error reporter must not break the queue.
    }
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }
}

/** An array queue with O(1) amortised push and removal from the head. */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(count: number): T[] {
    return this.items.slice(this.head, this.head + count) as T[];
  }

  removeFirst(count: number): void {
    const end = Math.min(this.head + count, this.items.length);
    for (let i = this.head; i < end; i++) this.items[i] = undefined;
    this.head = end;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Keeps the first `count` items. */
  truncate(count: number): void {
    this.items.length = this.head + Math.min(count, this.size);
  }
}

function atLeast(min: number, value: number): number {
  return Number.isFinite(value) ? Math.max(min, value) : min;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Whether `promise` (which must not reject) settled within `ms`. */
async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
