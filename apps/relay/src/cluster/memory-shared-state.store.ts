import { SharedStateStore } from './shared-state.store';

interface Entry {
  value: string;
  expiresAt: number;
}

/** Single-process implementation of the shared-state port. */
export class MemorySharedStateStore extends SharedStateStore {
  private readonly entries = new Map<string, Entry>();
  private readonly channels = new Map<string, Set<(message: string) => void>>();
  private closed = false;

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  increment(key: string, by = 1, ttlMs = 0): Promise<number> {
    const entry = this.live(key);
    const next = (entry ? Number(entry.value) : 0) + by;
    this.entries.set(key, {
      value: String(next),
      expiresAt: entry ? entry.expiresAt : this.expiry(ttlMs),
    });
    return Promise.resolve(next);
  }

  get(key: string): Promise<string | null> {
    return Promise.resolve(this.live(key)?.value ?? null);
  }

  set(key: string, value: string, ttlMs = 0): Promise<void> {
    this.entries.set(key, { value, expiresAt: this.expiry(ttlMs) });
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  publish(channel: string, message: string): Promise<void> {
    for (const handler of this.channels.get(channel) ?? []) handler(message);
    return Promise.resolve();
  }

  subscribe(channel: string, handler: (message: string) => void): () => void {
    let handlers = this.channels.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.channels.set(channel, handlers);
    }
    handlers.add(handler);
    return () => handlers.delete(handler);
  }

  isReady(): boolean {
    return !this.closed;
  }

  close(): Promise<void> {
    this.closed = true;
    this.channels.clear();
    return Promise.resolve();
  }

  private expiry(ttlMs: number): number {
    return ttlMs > 0 ? this.now() + ttlMs : Number.POSITIVE_INFINITY;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
