// Codes and tokens by value, each with an optional deadline; expired entries read as unknown.

export class ExpiringStore<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  /** `lifetimeMs` undefined: the entry never expires. */
  put(key: string, value: T, lifetimeMs?: number): void {
    this.entries.set(key, {
      value,
      expiresAt: lifetimeMs === undefined ? Infinity : Date.now() + lifetimeMs,
    });
  }

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (Date.now() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Reads and removes: a single-use entry. */
  take(key: string): T | undefined {
    const value = this.get(key);
    this.entries.delete(key);
    return value;
  }
}
