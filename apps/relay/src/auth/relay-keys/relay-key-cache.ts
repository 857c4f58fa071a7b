/** What the cache needs to know of a key to forget it by key or by user. */
export interface CacheableKey {
  id: string;
  userId: string;
}

export interface RelayKeyCacheOptions {
  /** How long a loaded key (or an unknown hash) is trusted before the database is asked again. */
  ttlMs?: number;
  /** Known keys kept; beyond it the oldest loaded is dropped (and simply loaded again when used). */
  maxKeys?: number;
  /** Unknown hashes remembered; beyond it the oldest is dropped, so spraying keys cannot grow memory. */
  maxUnknown?: number;
  now?: () => number;
}

export const RELAY_KEY_CACHE_TTL_MS = 30_000;

interface Known<T> {
  value: T;
  loadedAt: number;
}

/**
 * The hot-path lookup of relay keys by SHA-256: a hit is a Map read (synchronous); a miss loads
 * the key from the database once (concurrent misses share the query) and keeps it for `ttlMs`, so
 * changes made by other replicas arrive within that time. Changes made here call `forget*` and
 * take effect at once. Hashes the database does not know are remembered too (negative cache), in
 * a bounded map.
 *
 * A load that was running while something was forgotten is answered but not kept: it may have
 * read the row before the change.
 */
export class RelayKeyCache<T extends CacheableKey> {
  private readonly known = new Map<string, Known<T>>();
  private readonly unknown = new Map<string, number>();
  private readonly loading = new Map<string, Promise<T | null>>();
  private readonly ttlMs: number;
  private readonly maxKeys: number;
  private readonly maxUnknown: number;
  private readonly now: () => number;
  private generation = 0;
  /** Database lookups made (for tests and metrics). */
  loads = 0;

  constructor(
    private readonly loader: (hash: string) => Promise<T | null>,
    options: RelayKeyCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? RELAY_KEY_CACHE_TTL_MS;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.maxUnknown = options.maxUnknown ?? 4096;
    this.now = options.now ?? Date.now;
  }

  /** The key with this hash (null: there is none): from memory when fresh, else from the loader. */
  get(hash: string): T | null | Promise<T | null> {
    const now = this.now();
    const known = this.known.get(hash);
    if (known !== undefined && now - known.loadedAt < this.ttlMs) return known.value;
    const missedAt = this.unknown.get(hash);
    if (missedAt !== undefined && now - missedAt < this.ttlMs) return null;
    return this.load(hash);
  }

  /** Drops one key (after it was changed or revoked). */
  forgetKey(id: string): void {
    this.forgetWhere((value) => value.id === id);
  }

  /** Drops every key of a user (disabled, role changed, deleted). */
  forgetUser(userId: string): void {
    this.forgetWhere((value) => value.userId === userId);
  }

  /** Drops whatever is remembered of a hash (a key was just created with it). */
  forgetHash(hash: string): void {
    this.generation++;
    this.known.delete(hash);
    this.unknown.delete(hash);
  }

  clear(): void {
    this.generation++;
    this.known.clear();
    this.unknown.clear();
  }

  get size(): { known: number; unknown: number } {
    return { known: this.known.size, unknown: this.unknown.size };
  }

  private forgetWhere(match: (value: T) => boolean): void {
    this.generation++;
    for (const [hash, known] of this.known) if (match(known.value)) this.known.delete(hash);
  }

  private load(hash: string): Promise<T | null> {
    const running = this.loading.get(hash);
    if (running) return running;
    const generation = this.generation;
    this.loads++;
    const promise = this.loader(hash)
      .then((value) => {
        if (generation === this.generation) this.keep(hash, value);
        return value;
      })
      .finally(() => this.loading.delete(hash));
    this.loading.set(hash, promise);
    return promise;
  }

  private keep(hash: string, value: T | null): void {
    const now = this.now();
    if (value === null) {
      this.known.delete(hash);
      this.unknown.delete(hash);
      if (this.unknown.size >= this.maxUnknown) this.unknown.delete(this.unknown.keys().next().value!);
      this.unknown.set(hash, now);
      return;
    }
    this.unknown.delete(hash);
    this.known.delete(hash);
    if (this.known.size >= this.maxKeys) this.known.delete(this.known.keys().next().value!);
    this.known.set(hash, { value, loadedAt: now });
  }
}
