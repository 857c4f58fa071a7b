import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Subscription } from 'rxjs';
import { ConfigSource } from '../config/config-source';
import type { LifecycleConfig } from '../config/relay-config';
import { RUNTIME_OPTIONS, type RuntimeOptions } from '../runtime-options';
import {
  type AcquireOptions,
  LocalModelError,
  type ModelLease,
  ModelScheduler,
  type ModelStatus,
} from './model-scheduler';
import { killStaleProcesses } from './stale-processes';

/**
 * Local llama.cpp models behind the relay: the relay path calls {@link ensureReady} before each
 * attempt on a `provider_type: local` target; the API shows and drives the processes. Every child
 * is stopped on shutdown; children a crashed run left behind are killed at start.
 */
@Injectable()
export class LifecycleService implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(LifecycleService.name);
  private readonly scheduler: ModelScheduler;
  private readonly subscription: Subscription;
  /** Identifies this relay's children: its data directory. */
  readonly owner: string;
  private readonly onExit = (): void => this.scheduler.killAllNow();

  constructor(
    private readonly config: ConfigSource,
    @Inject(RUNTIME_OPTIONS) options: RuntimeOptions,
  ) {
    this.owner = createHash('sha256').update(resolve(options.dataDir)).digest('hex').slice(0, 16);
    this.scheduler = new ModelScheduler(() => this.settings, this.owner, {
      log: (message) => this.logger.log(message),
      warn: (message) => this.logger.warn(message),
    });
    this.subscription = config.changes$.subscribe((next) => {
      this.scheduler.applyConfig();
      if (!next.lifecycle.enabled) void this.scheduler.stopAll('lifecycle disabled');
    });
  }

  get settings(): LifecycleConfig {
    return this.config.current.lifecycle;
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  onModuleInit(): void {
    const killed = killStaleProcesses(this.owner, new Set(this.scheduler.pids()));
    for (const stale of killed) {
      this.logger.warn(
        `killed a local model process left by an earlier run: pid ${stale.pid} (${stale.model})`,
      );
    }
    process.once('exit', this.onExit);
  }

  /** Requests waiting for a model load would hold the HTTP server open: refuse them. */
  beforeApplicationShutdown(): void {
    this.scheduler.refuseWaiting();
  }

  /** After the HTTP server has closed: stop every model process group. */
  async onApplicationShutdown(): Promise<void> {
    this.subscription.unsubscribe();
    await this.scheduler.shutdown();
    process.off('exit', this.onExit);
  }

  /**
   * Resolves with where to send the request once `model` runs and may take it; waits for a
   * start, a switch or a turn (serialised models). Rejects with a {@link LocalModelError}.
   */
  ensureReady(model: string, options: AcquireOptions = {}): Promise<ModelLease> {
    if (!this.enabled) {
      return Promise.reject(
        new LocalModelError('unknown_model', 'local models are disabled (lifecycle.enabled)'),
      );
    }
    return this.scheduler.acquire(model, options);
  }

  /** The lease when `model` can serve at once; else null, and it starts loading for later. */
  readyNow(model: string, session: string | null): Promise<ModelLease> | null {
    if (!this.enabled)
      throw new LocalModelError('unknown_model', 'local models are disabled (lifecycle.enabled)');
    return this.scheduler.acquireIfReady(model, session);
  }

  has(model: string): boolean {
    return this.scheduler.has(model);
  }

  status(logLines?: number): ModelStatus[] {
    return this.scheduler.status(logLines);
  }

  start(model: string): void {
    if (!this.enabled)
      throw new LocalModelError('unknown_model', 'local models are disabled (lifecycle.enabled)');
    this.scheduler.warm(model);
  }

  stop(model: string): Promise<void> {
    return this.scheduler.stop(model);
  }
}
