export type JsonObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Copy-on-write view of a request body: reads see the client's body until the first write, which
 * makes a shallow copy; nested objects are copied only along the paths that get written. The
 * client's body is never mutated, and an untouched draft hands back the very same object.
 */
export class BodyDraft {
  private copy: JsonObject | null = null;
  /** Nested objects this draft created (safe to write in place). */
  private owned: Set<object> | null = null;

  constructor(private readonly original: JsonObject) {}

  get body(): JsonObject {
    return this.copy ?? this.original;
  }

  get changed(): boolean {
    return this.copy !== null;
  }

  get(key: string): unknown {
    return this.body[key];
  }

  set(key: string, value: unknown): void {
    this.root()[key] = value;
  }

  delete(key: string): void {
    if (key in this.body) delete this.root()[key];
  }

  /**
   * Sets the param at `path` (a dotted key split on `.`: `reasoning.effort` writes
   * `{reasoning: {effort}}`, keeping the other fields of `reasoning`). With `onlyIfAbsent` an
   * existing value wins. Setting a value equal to the current primitive is not a change.
   */
  setParam(path: readonly string[], value: unknown, onlyIfAbsent: boolean): void {
    const last = path.length - 1;
    let parent: unknown = this.body;
    for (let i = 0; i < last && isPlainObject(parent); i++) parent = parent[path[i]];
    const existing = isPlainObject(parent) ? parent[path[last]] : undefined;
    if (onlyIfAbsent && existing !== undefined) return;
    if (existing === value) return;
    let target = this.root();
    for (let i = 0; i < last; i++) target = this.ownedChild(target, path[i]);
    target[path[last]] = cloneValue(value);
  }

  private root(): JsonObject {
    return (this.copy ??= { ...this.original });
  }

  private ownedChild(parent: JsonObject, key: string): JsonObject {
    const child = parent[key];
    if (isPlainObject(child) && this.owned?.has(child)) return child;
    const copy: JsonObject = isPlainObject(child) ? { ...child } : {};
    (this.owned ??= new Set()).add(copy);
    parent[key] = copy;
    return copy;
  }
}

/** Config values are shared by every request: give each body its own copy of objects and arrays. */
function cloneValue(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}
