import type { LifecycleConfig, LocalModelConfig } from '../config/relay-config';
import { CircuitBreaker } from './circuit-breaker';
import { LogRing } from './log-ring';
import type { ModelProcess } from './model-process';

export type ModelState = 'stopped' | 'starting' | 'ready' | 'stopping';

/** One configured model and its process, if any. */
export class ModelSlot {
  state: ModelState = 'stopped';
  port = 0;
  process: ModelProcess | null = null;
  inflight = 0;
  lastUsedAt = 0;
  readyAt = 0;
  session: string | null = null;
  /** Takes no new requests: another model has waited too long for its slot. */
  draining = false;
  /** Configuration replaced: applied once the process is stopped. */
  nextConfig: LocalModelConfig | null = null;
  /** Removed from the configuration: dropped once stopped. */
  removed = false;
  lastError: string | null = null;
  idleTimer: NodeJS.Timeout | null = null;
  startAbort: AbortController | null = null;
  stopping: Promise<void> | null = null;
  readonly ring: LogRing;
  readonly breaker: CircuitBreaker;

  constructor(
    readonly name: string,
    public config: LocalModelConfig,
    settings: () => LifecycleConfig,
  ) {
    this.ring = new LogRing(settings().ring_buffer_bytes);
    this.breaker = new CircuitBreaker(() => settings().circuit_breaker);
  }

  get active(): boolean {
    return this.state !== 'stopped';
  }
}

export interface ModelStatus {
  name: string;
  state: ModelState;
  port: number | null;
  pid: number | null;
  uptimeMs: number | null;
  lastUsedAt: string | null;
  inFlight: number;
  waiting: number;
  ctxSize: number;
  multimodal: boolean;
  thinkingLevels: string[];
  circuit: { open: boolean; retryInMs: number; recentFailures: number };
  lastError: string | null;
  logs: string[];
}

/** What the API shows of one slot. */
export function slotStatus(
  slot: ModelSlot,
  waiting: number,
  logLines: number,
  now = Date.now(),
): ModelStatus {
  return {
    name: slot.name,
    state: slot.state,
    port: slot.active ? slot.port || null : null,
    pid: slot.process?.running ? slot.process.pid : null,
    uptimeMs: slot.state === 'ready' ? now - slot.readyAt : null,
    lastUsedAt: slot.lastUsedAt ? new Date(slot.lastUsedAt).toISOString() : null,
    inFlight: slot.inflight,
    waiting,
    ctxSize: slot.config.ctx_size,
    multimodal: slot.config.multimodal,
    thinkingLevels: [...slot.config.thinking_levels],
    circuit: {
      open: slot.breaker.open,
      retryInMs: slot.breaker.remainingMs(),
      recentFailures: slot.breaker.recentFailures,
    },
    lastError: slot.lastError,
    logs: slot.ring.lines(logLines),
  };
}
