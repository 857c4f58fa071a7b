/**
 * The shared-state port: state that must agree across relay replicas (key cooldowns, counters,
 * rate-limit windows, change notices). One process uses the in-memory implementation; a
 * scaled-out deployment uses Redis behind the same interface.
 */
export abstract class SharedStateStore {
  /** Adds `by` to a counter; a new counter expires `ttlMs` after creation (0 = never). */
  abstract increment(key: string, by?: number, ttlMs?: number): Promise<number>;
  abstract get(key: string): Promise<string | null>;
  /** Stores a value; `ttlMs` > 0 makes it expire. */
  abstract set(key: string, value: string, ttlMs?: number): Promise<void>;
  abstract delete(key: string): Promise<void>;
  /** Delivers `message` to every subscriber of `channel`, in this process and in other replicas. */
  abstract publish(channel: string, message: string): Promise<void>;
  /** Returns the unsubscribe function. */
  abstract subscribe(channel: string, handler: (message: string) => void): () => void;
  abstract isReady(): boolean;
  abstract close(): Promise<void>;
}
