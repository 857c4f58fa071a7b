import type { LifecycleConfig } from '../config/relay-config';
import { waitUntilHealthy } from './health-check';
import { type AcquireOptions, LocalModelError, type ModelLease } from './local-model';
import { ModelProcess } from './model-process';
import { ModelSlot, type ModelStatus, slotStatus } from './model-slot';
import { allocatePort, portIsFree } from './port-allocator';

export { type AcquireOptions, LocalModelError, type ModelLease } from './local-model';
export type { ModelState, ModelStatus } from './model-slot';

interface Waiter {
  model: string;
  enqueuedAt: number;
  session: string | null;
  /** A load nobody will use right away (API start, fallback while loading): released at once. */
  background: boolean;
  resolve(lease: ModelLease): void;
  reject(error: LocalModelError): void;
  timers: NodeJS.Timeout[];
  detach(): void;
}

export interface SchedulerLogger {
  log(message: string): void;
  warn(message: string): void;
}

/**
 * Decides which local model runs when: lazy start, health wait, LRU eviction under
 * max_warm_models (eager: stop the old, then start the new), serving queued requests for a
 * running model before switching away (unless someone waited switch_max_wait_ms), per-model
 * serialisation, session restarts, idle unload, the circuit breaker, cancelling loads nobody
 * waits for. All decisions happen in {@link pump}, run after every change.
 */
export class ModelScheduler {
  private readonly slots = new Map<string, ModelSlot>();
  private queue: Waiter[] = [];
  private closed = false;
  private allocating: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly settings: () => LifecycleConfig,
    private readonly owner: string,
    private readonly logger: SchedulerLogger,
  ) {
    this.applyConfig();
  }

  has(model: string): boolean {
    const slot = this.slots.get(model);
    return slot !== undefined && !slot.removed;
  }

  /** Waits until `model` is ready and may take this request; rejects with a {@link LocalModelError}. */
  acquire(model: string, options: AcquireOptions = {}): Promise<ModelLease> {
    return this.enqueue(model, options, false);
  }

  /**
   * The model's lease if it is ready and may take a request now; else null, and a load is started
   * in the background (so a later request finds it ready).
   */
  acquireIfReady(model: string, session: string | null): Promise<ModelLease> | null {
    const slot = this.checkSlot(model);
    if (slot.breaker.open && slot.state !== 'ready') {
      const retryIn = slot.breaker.remainingMs();
      throw new LocalModelError(
        'circuit_open',
        `local model ${model} failed repeatedly (${slot.lastError ?? 'start failed'}); not started for ${Math.ceil(retryIn / 1000)}s`,
        retryIn,
      );
    }
    if (
      slot.state === 'ready' &&
      this.admissible(slot, session) &&
      !this.queue.some((w) => w.model === model)
    ) {
      return this.acquire(model, { session });
    }
    this.warm(model);
    return null;
  }

  /** Starts `model` (if not running) without a request waiting for it. */
  warm(model: string): void {
    this.checkSlot(model);
    if (this.queue.some((waiter) => waiter.model === model && waiter.background)) return;
    this.enqueue(model, {}, true).then(
      () => undefined,
      () => undefined,
    );
  }

  /** Stops `model` now (an admin's request): its waiters are refused, in-flight requests cut. */
  async stop(model: string): Promise<void> {
    const slot = this.checkSlot(model);
    this.rejectWaiters(model, new LocalModelError('stopped', `local model ${model} was stopped`));
    await this.stopSlot(slot, 'stopped through the API');
  }

  status(logLines = 50): ModelStatus[] {
    const now = Date.now();
    return [...this.slots.values()]
      .filter((slot) => !slot.removed)
      .map((slot) => {
        const waiting = this.queue.filter((waiter) => waiter.model === slot.name && !waiter.background);
        return slotStatus(slot, waiting.length, logLines, now);
      });
  }

  /** Process ids of running models (kept out of stale-process cleanup). */
  pids(): number[] {
    return [...this.slots.values()].flatMap((slot) => (slot.process?.running ? [slot.process.pid] : []));
  }

  /** Reconciles the slots with the current configuration (hot reload). */
  applyConfig(): void {
    const models = this.settings().models;
    for (const [name, config] of Object.entries(models)) {
      const slot = this.slots.get(name);
      if (!slot) {
        this.slots.set(name, new ModelSlot(name, config, this.settings));
        continue;
      }
      slot.removed = false;
      if (JSON.stringify(slot.config) !== JSON.stringify(config)) slot.nextConfig = config;
    }
    for (const [name, slot] of this.slots) {
      if (name in models) continue;
      slot.removed = true;
      this.rejectWaiters(name, new LocalModelError('unknown_model', `local model ${name} was removed`));
    }
    this.pump();
  }

  /**
   * The relay is closing: requests still waiting for a model are refused (so they do not hold the
   * shutdown), while the ones already answered by a model finish.
   */
  refuseWaiting(): void {
    this.closed = true;
    for (const waiter of [...this.queue]) {
      this.drop(waiter);
      waiter.reject(new LocalModelError('shutting_down', 'the relay is shutting down'));
    }
  }

  /** Refuses every waiter and stops every process; resolves when all have exited. */
  async shutdown(): Promise<void> {
    this.refuseWaiting();
    await this.stopAll('relay shutdown');
  }

  /** Stops every model process (lifecycle disabled, shutdown); waiters are refused. */
  async stopAll(reason: string): Promise<void> {
    for (const waiter of [...this.queue]) {
      this.drop(waiter);
      waiter.reject(new LocalModelError('stopped', `local models were stopped (${reason})`));
    }
    await Promise.all([...this.slots.values()].map((slot) => this.stopSlot(slot, reason)));
  }

  /** Synchronous last resort when the process exits: SIGKILL every model's process group. */
  killAllNow(): void {
    for (const slot of this.slots.values()) slot.process?.killNow();
  }

  private checkSlot(model: string): ModelSlot {
    const slot = this.slots.get(model);
    if (!slot || slot.removed) {
      throw new LocalModelError('unknown_model', `no local model named ${model} is configured`);
    }
    return slot;
  }

  private enqueue(model: string, options: AcquireOptions, background: boolean): Promise<ModelLease> {
    if (this.closed) {
      return Promise.reject(new LocalModelError('shutting_down', 'the relay is shutting down'));
    }
    let slot: ModelSlot;
    try {
      slot = this.checkSlot(model);
    } catch (error) {
      return Promise.reject(error as LocalModelError);
    }
    if (slot.breaker.open && slot.state !== 'ready') {
      const retryIn = slot.breaker.remainingMs();
      return Promise.reject(
        new LocalModelError(
          'circuit_open',
          `local model ${model} failed repeatedly (${slot.lastError ?? 'start failed'}); not started for ${Math.ceil(retryIn / 1000)}s`,
          retryIn,
        ),
      );
    }
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new LocalModelError('aborted', 'the client left'));
    return new Promise<ModelLease>((resolve, reject) => {
      const settings = this.settings();
      const startTimeout =
        slot.config.timeout_sec > 0 ? slot.config.timeout_sec * 1000 : settings.start_timeout_ms;
      const onAbort = (): void => {
        this.drop(waiter);
        reject(new LocalModelError('aborted', 'the client left'));
        this.pump();
      };
      const waiter: Waiter = {
        model,
        enqueuedAt: Date.now(),
        session: options.session ?? null,
        background,
        resolve,
        reject,
        timers: [],
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // bounded: the start timeout, plus the longest wait for a switch
      const bound = startTimeout + settings.switch_max_wait_ms + settings.stop_timeout_ms;
      waiter.timers.push(
        setTimeout(() => {
          this.drop(waiter);
          reject(
            new LocalModelError('queue_timeout', `local model ${model} was not ready within ${bound} ms`),
          );
          this.pump();
        }, bound),
      );
      // when the starvation guard may act, look again
      waiter.timers.push(setTimeout(() => this.pump(), settings.switch_max_wait_ms + 1));
      if (options.onWaiting) {
        const tick = options.onWaiting;
        waiter.timers.push(
          setInterval(() => tick(Date.now() - waiter.enqueuedAt), settings.keepalive_interval_ms),
        );
      }
      for (const timer of waiter.timers) timer.unref();
      this.queue.push(waiter);
      this.pump();
    });
  }

  private drop(waiter: Waiter): void {
    const index = this.queue.indexOf(waiter);
    if (index >= 0) this.queue.splice(index, 1);
    for (const timer of waiter.timers) clearTimeout(timer);
    waiter.detach();
  }

  private rejectWaiters(model: string, error: LocalModelError): void {
    for (const waiter of this.queue.filter((w) => w.model === model)) {
      this.drop(waiter);
      waiter.reject(error);
    }
  }

  private hasWaiters(slot: ModelSlot): boolean {
    return this.queue.some((waiter) => waiter.model === slot.name);
  }

  /** A ready model may take a request with this session now. */
  private admissible(slot: ModelSlot, session: string | null): boolean {
    if (slot.draining || slot.nextConfig || slot.removed) return false;
    if (this.settings().serialize_requests && slot.inflight > 0) return false;
    return !this.sessionChanges(slot, session);
  }

  private sessionChanges(slot: ModelSlot, session: string | null): boolean {
    return (
      this.settings().session_restart && session !== null && slot.session !== null && session !== slot.session
    );
  }

  /** Every decision, in queue order (first come, first served). */
  private pump(): void {
    if (this.closed) return;
    const blocked = new Set<ModelSlot>();
    for (const waiter of [...this.queue]) {
      if (!this.queue.includes(waiter)) continue;
      const slot = this.slots.get(waiter.model);
      if (!slot || slot.removed) continue;
      if (blocked.has(slot)) continue;
      if (slot.state === 'ready') {
        if (this.admissible(slot, waiter.session)) {
          this.admit(waiter, slot);
          continue;
        }
        blocked.add(slot);
        if (this.sessionChanges(slot, waiter.session) && slot.inflight === 0 && !slot.draining) {
          void this.stopSlot(
            slot,
            `session changed (${slot.session} -> ${waiter.session}): clearing the KV cache`,
          );
        }
        continue;
      }
      if (slot.state !== 'stopped') continue;
      if (slot.breaker.open) {
        this.rejectWaiters(
          slot.name,
          new LocalModelError(
            'circuit_open',
            `local model ${slot.name} failed repeatedly (${slot.lastError ?? 'start failed'})`,
            slot.breaker.remainingMs(),
          ),
        );
        continue;
      }
      if (this.makeRoom(slot, waiter)) this.startSlot(slot);
      else blocked.add(slot);
    }
    this.housekeeping();
  }

  /** Stops what should stop: changed, removed or unwaited models. */
  private housekeeping(): void {
    const settings = this.settings();
    for (const [name, slot] of this.slots) {
      if ((slot.nextConfig || slot.removed) && slot.inflight === 0) {
        if (slot.state === 'ready' || slot.state === 'starting') {
          void this.stopSlot(slot, slot.removed ? 'removed from the configuration' : 'configuration changed');
        } else if (slot.state === 'stopped') {
          if (slot.removed) {
            this.slots.delete(name);
            continue;
          }
          slot.config = slot.nextConfig!;
          slot.nextConfig = null;
        }
      }
      if (slot.state === 'starting' && settings.cancel_unwaited_loads && !this.hasWaiters(slot)) {
        void this.stopSlot(slot, 'no request waits for it anymore: load cancelled');
      }
    }
  }

  /**
   * True when `slot` may start now. Otherwise, when max_warm_models is reached, stops the least
   * recently used idle model that nobody waits for (eager switch); when every running model is
   * busy and this request has waited switch_max_wait_ms, the least recently used one drains.
   */
  private makeRoom(slot: ModelSlot, waiter: Waiter): boolean {
    const settings = this.settings();
    const active = [...this.slots.values()].filter((other) => other.active);
    if (active.length < settings.max_warm_models) return true;
    if (active.some((other) => other.state === 'stopping')) return false;
    const byAge = (a: ModelSlot, b: ModelSlot): number => a.lastUsedAt - b.lastUsedAt;
    const victim = active
      .filter(
        (other) =>
          other.state === 'ready' && other.inflight === 0 && (other.draining || !this.hasWaiters(other)),
      )
      .sort(byAge)[0];
    if (victim) {
      void this.stopSlot(victim, `switching to ${slot.name} (max_warm_models ${settings.max_warm_models})`);
      return false;
    }
    if (Date.now() - waiter.enqueuedAt >= settings.switch_max_wait_ms) {
      const starved = active.filter((other) => other.state === 'ready' && !other.draining).sort(byAge)[0];
      if (starved) {
        starved.draining = true;
        starved.ring.note(`draining: ${slot.name} has waited ${settings.switch_max_wait_ms} ms for a slot`);
        if (starved.inflight === 0) void this.stopSlot(starved, `switching to ${slot.name}`);
      }
    }
    return false;
  }

  private admit(waiter: Waiter, slot: ModelSlot): void {
    this.drop(waiter);
    if (waiter.session !== null) slot.session = waiter.session;
    slot.inflight++;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    let released = false;
    const lease: ModelLease = {
      origin: `http://${this.settings().host}:${slot.port}`,
      port: slot.port,
      release: () => {
        if (released) return;
        released = true;
        slot.inflight--;
        slot.lastUsedAt = Date.now();
        if (slot.draining && slot.inflight === 0) void this.stopSlot(slot, 'drained for a switch');
        else this.scheduleIdle(slot);
        this.pump();
      },
    };
    slot.lastUsedAt = Date.now();
    waiter.resolve(lease);
    if (waiter.background) lease.release();
  }

  private scheduleIdle(slot: ModelSlot): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    const idleMs = this.settings().idle_shutdown_ms;
    if (idleMs <= 0 || slot.inflight > 0 || slot.state !== 'ready') return;
    slot.idleTimer = setTimeout(() => {
      slot.idleTimer = null;
      if (slot.state !== 'ready' || slot.inflight > 0 || this.hasWaiters(slot)) return;
      const idleFor = Date.now() - slot.lastUsedAt;
      if (idleFor + 5 < idleMs) return this.scheduleIdle(slot);
      void this.stopSlot(slot, `idle for ${idleFor} ms`);
    }, idleMs);
    slot.idleTimer.unref();
  }

  private reservedPorts(except: ModelSlot): Set<number> {
    const ports = new Set<number>();
    for (const slot of this.slots.values()) {
      if (slot !== except && slot.active && slot.port) ports.add(slot.port);
      if (slot !== except && slot.config.port) ports.add(slot.config.port);
    }
    return ports;
  }

  private startSlot(slot: ModelSlot): void {
    const settings = this.settings();
    slot.state = 'starting';
    slot.lastError = null;
    slot.draining = false;
    slot.session = null;
    const abort = new AbortController();
    slot.startAbort = abort;
    const timeoutMs =
      slot.config.timeout_sec > 0 ? slot.config.timeout_sec * 1000 : settings.start_timeout_ms;
    const run = async (): Promise<void> => {
      const port = await this.portFor(slot, settings);
      if (abort.signal.aborted) return;
      slot.port = port;
      const proc = new ModelProcess({
        model: slot.name,
        command: slot.config.cmd,
        stopCommand: slot.config.stop_cmd,
        port,
        owner: this.owner,
        ring: slot.ring,
      });
      slot.process = proc;
      slot.ring.note(`starting on port ${port} (pid ${proc.pid})`);
      this.logger.log(`local model ${slot.name}: starting on port ${port} (pid ${proc.pid})`);
      void proc.exited.then((exit) => this.onExit(slot, proc, exit));
      const healthUrl = slot.config.health_url
        ? slot.config.health_url.replaceAll('${PORT}', String(port))
        : `http://${settings.host}:${port}/health`;
      await waitUntilHealthy(healthUrl, {
        timeoutMs,
        intervalMs: settings.health_interval_ms,
        signal: abort.signal,
        alive: () => proc.running,
      });
      if (abort.signal.aborted || slot.process !== proc) return;
      slot.state = 'ready';
      slot.readyAt = Date.now();
      slot.lastUsedAt = slot.readyAt;
      slot.startAbort = null;
      slot.breaker.recordSuccess();
      slot.ring.note(`ready after ${slot.readyAt - proc.startedAt} ms`);
      this.logger.log(`local model ${slot.name}: ready after ${slot.readyAt - proc.startedAt} ms`);
      this.scheduleIdle(slot);
      this.pump();
    };
    run().catch((error: unknown) => {
      if (abort.signal.aborted) return;
      this.failStart(slot, error instanceof Error ? error.message : String(error));
    });
  }

  private portFor(slot: ModelSlot, settings: LifecycleConfig): Promise<number> {
    const next = this.allocating.then(async () => {
      if (slot.config.port) {
        if (!(await portIsFree(slot.config.port, settings.host))) {
          throw new Error(`port ${slot.config.port} is in use by another process`);
        }
        return slot.config.port;
      }
      return allocatePort(settings.port_base, settings.host, this.reservedPorts(slot));
    });
    this.allocating = next.catch(() => undefined);
    return next;
  }

  private failStart(slot: ModelSlot, message: string): void {
    slot.breaker.recordFailure();
    slot.lastError = `start failed: ${message}`;
    slot.ring.note(slot.lastError);
    this.logger.warn(`local model ${slot.name}: ${slot.lastError}`);
    this.rejectWaiters(
      slot.name,
      new LocalModelError('start_failed', `local model ${slot.name} failed to start: ${message}`),
    );
    void this.stopSlot(slot, 'start failed');
  }

  private onExit(
    slot: ModelSlot,
    proc: ModelProcess,
    exit: { code: number | null; signal: string | null },
  ): void {
    const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
    slot.ring.note(`process ${proc.pid} exited (${how})`);
    if (slot.process !== proc || slot.state === 'stopping') return;
    if (slot.state === 'starting') return; // the health wait notices and fails the start
    // crashed while serving
    slot.breaker.recordFailure();
    slot.lastError = `exited unexpectedly (${how})`;
    this.logger.warn(`local model ${slot.name}: ${slot.lastError}`);
    this.markStopped(slot);
    this.pump();
  }

  private markStopped(slot: ModelSlot): void {
    slot.state = 'stopped';
    slot.process = null;
    slot.port = 0;
    slot.draining = false;
    slot.session = null;
    slot.startAbort = null;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
  }

  private stopSlot(slot: ModelSlot, reason: string): Promise<void> {
    if (slot.stopping) return slot.stopping;
    if (slot.state === 'stopped') return Promise.resolve();
    slot.state = 'stopping';
    slot.startAbort?.abort();
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    slot.ring.note(`stopping: ${reason}`);
    this.logger.log(`local model ${slot.name}: stopping (${reason})`);
    const proc = slot.process;
    slot.stopping = (proc ? proc.stop(this.settings().stop_timeout_ms) : Promise.resolve())
      .then(() => undefined)
      .finally(() => {
        slot.stopping = null;
        this.markStopped(slot);
        this.pump();
      });
    return slot.stopping;
  }
}
