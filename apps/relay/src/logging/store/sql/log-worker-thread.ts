import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LogWorkerCommand, LogWorkerData, LogWorkerResponse } from './log-worker-protocol';

/**
 * An operation failed in a log store worker thread (`code` is the database's, e.g.
 * `SQLITE_CONSTRAINT_PRIMARYKEY` or PostgreSQL's `23505`).
 */
export class LogWorkerError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'LogWorkerError';
  }
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/**
 * A worker's young generation defaults to the size of the main thread's (16 MB semi-spaces without
 * the relay's flags), which each of the two log threads would fill and keep: a small one keeps the
 * relay's RSS within budget. The old generation stays roomy: a batch can hold large bodies.
 */
const WORKER_HEAP_LIMITS = { maxYoungGenerationSizeMb: 6, maxOldGenerationSizeMb: 512 };

export interface LogWorkerThreadOptions {
  /**
   * Ends the thread after this long without work (0: never); the next command starts a new one. An
   * idle thread with its connection holds 10-15 MB of the relay's memory.
   */
  idleEndMs?: number;
}

/** How long a thread asked to end may take to finish its queued work before it is terminated. */
const END_GRACE_MS = 5000;

/**
 * A worker thread (`log-store.worker`) with its own database connection; commands are answered in
 * order. The thread keeps the process alive only while work is pending; if it dies, pending work
 * fails and the next command starts a new one. With `idleEndMs`, an idle thread ends the same way.
 */
export class LogWorkerThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Threads ended for idleness that have not exited yet. */
  private readonly ending = new Set<Promise<void>>();

  constructor(
    private readonly data: LogWorkerData,
    private readonly options: LogWorkerThreadOptions = {},
  ) {}

  /** The running thread's id; null when none runs (not started yet, ended or closed). */
  get threadId(): number | null {
    return this.worker?.threadId ?? null;
  }

  run(command: Exclude<LogWorkerCommand, { op: 'close' }>): Promise<unknown> {
    if (this.closed)
      return Promise.reject(new LogWorkerError(`the log ${this.data.role} thread is closed`, null));
    clearTimeout(this.idleTimer);
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ ...command, id });
    });
  }

  /** Lets queued work finish, closes the connection and ends the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    // stay alive until the thread is gone, even if nothing else holds the event loop open
    worker?.ref();
    await Promise.all([...this.ending, worker && this.end(worker)]);
  }

  /** Asks the thread to close its connection after what it has queued; terminates it if it takes too long. */
  private async end(worker: Worker): Promise<void> {
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ op: 'close', id: this.nextId++ });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, END_GRACE_MS)))]);
    clearTimeout(timer);
    await worker.terminate();
  }

  private endWhenIdle(): void {
    const idleEndMs = this.options.idleEndMs ?? 0;
    if (idleEndMs <= 0 || this.closed) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.endIdle(), idleEndMs);
    this.idleTimer.unref();
  }

  private endIdle(): void {
    const worker = this.worker;
    if (!worker || this.closed || this.pending.size > 0) return;
    // from here on, a command starts a new thread; this one only closes its connection and exits
    this.worker = null;
    const ended = this.end(worker).finally(() => this.ending.delete(ended));
    this.ending.add(ended);
  }

  private start(): Worker {
    const worker = new Worker(join(__dirname, 'log-store.worker.js'), {
      workerData: this.data,
      resourceLimits: WORKER_HEAP_LIMITS,
    });
    worker.unref();
    worker.on('message', (response: LogWorkerResponse) => {
      const pending = this.pending.get(response.id);
      if (!pending) return;
      this.pending.delete(response.id);
      if (this.pending.size === 0) {
        worker.unref();
        this.endWhenIdle();
      }
      if (response.ok) pending.resolve(response.result);
      else pending.reject(new LogWorkerError(response.message, response.code));
    });
    const fail = (error: Error): void => {
      // a thread ended for idleness had nothing pending, and nothing was sent to it since
      if (this.worker !== worker) return;
      this.worker = null;
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    };
    const role = this.data.role;
    worker.on('error', (error) =>
      fail(new LogWorkerError(`log ${role} thread failed: ${error.message}`, null)),
    );
    worker.on('exit', (code) => fail(new LogWorkerError(`log ${role} thread exited (${code})`, null)));
    this.worker = worker;
    return worker;
  }
}
