export type LocalModelErrorCode =
  | 'unknown_model'
  | 'circuit_open'
  | 'start_failed'
  | 'queue_timeout'
  | 'stopped'
  | 'aborted'
  | 'shutting_down';

/** Why a request could not have its local model. */
export class LocalModelError extends Error {
  constructor(
    readonly code: LocalModelErrorCode,
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** A request's hold on a ready model: where to send it; `release()` when the answer is over. */
export interface ModelLease {
  origin: string;
  port: number;
  release(): void;
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** The client's session id; a different one restarts the model (when enabled). */
  session?: string | null;
  /** Called every keepalive interval while the request waits. */
  onWaiting?: (elapsedMs: number) => void;
}
