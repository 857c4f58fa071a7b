import type { ProviderConfig } from '../config/relay-config';
import { type CompiledGlob, compileGlobs, firstMatch } from './glob-matcher';
import { isGlobPattern, normalizeName } from './model-name';

/** One provider's `models.include` / `models.exclude`, precompiled for lookups without allocation. */
export interface CompiledProviderModels {
  name: string;
  enabled: boolean;
  /**
   * An empty include list: the provider takes any model no include list claims. Never a local
   * provider: it serves only the lifecycle's models.
   */
  catchAll: boolean;
  /** Plain include entries, as written. */
  exact: ReadonlySet<string>;
  /** normalizeName(entry) -> entry as written (first entry wins). */
  normalized: ReadonlyMap<string, string>;
  /** normalizeName(tail after a `/`) -> entry, so `gpt-4o` finds `openai/gpt-4o`. */
  suffixes: ReadonlyMap<string, string>;
  includeGlobs: readonly CompiledGlob[];
  exclude: readonly CompiledGlob[];
  /** Plain, not excluded include entries: what `/v1/models` lists for this provider. */
  listed: readonly string[];
}

export interface IncludeMatch {
  /** The spelling sent upstream (the include list's when it differs from the request). */
  model: string;
  how: string;
}

export function compileProviderModels(name: string, config: ProviderConfig): CompiledProviderModels {
  const include = config.models.include.filter((entry) => entry.length > 0);
  const exclude = compileGlobs(config.models.exclude);
  const plain = include.filter((entry) => !isGlobPattern(entry));
  const normalized = new Map<string, string>();
  const suffixes = new Map<string, string>();
  for (const entry of plain) {
    const key = normalizeName(entry);
    if (!normalized.has(key)) normalized.set(key, entry);
    for (let slash = entry.indexOf('/'); slash >= 0; slash = entry.indexOf('/', slash + 1)) {
      const tail = normalizeName(entry.slice(slash + 1));
      if (tail.length > 0 && !suffixes.has(tail)) suffixes.set(tail, entry);
    }
  }
  return {
    name,
    enabled: config.enabled,
    catchAll: include.length === 0 && config.provider_type !== 'local',
    exact: new Set(plain),
    normalized,
    suffixes,
    includeGlobs: compileGlobs(include.filter(isGlobPattern)),
    exclude,
    listed: plain.filter((entry) => !firstMatch(exclude, entry)),
  };
}

/** The exclude glob that rules `model` out on this provider, if any. */
export function excludedBy(provider: CompiledProviderModels, model: string): string | undefined {
  return provider.exclude.length === 0 ? undefined : firstMatch(provider.exclude, model)?.pattern;
}

/**
 * How the provider's include list names `model`, in order of preference: the exact entry, an entry
 * equal ignoring case/`-`/`_`, an entry ending in `/<model>`, then a glob entry (sent as requested).
 */
export function matchInclude(provider: CompiledProviderModels, model: string): IncludeMatch | null {
  if (provider.exact.has(model)) return { model, how: 'listed' };
  const key = normalizeName(model);
  const normalized = provider.normalized.get(key);
  if (normalized !== undefined) return { model: normalized, how: `listed as ${normalized}` };
  const suffixed = provider.suffixes.get(key);
  if (suffixed !== undefined) return { model: suffixed, how: `listed as ${suffixed}` };
  const glob = firstMatch(provider.includeGlobs, model);
  if (glob) return { model, how: `matches include glob ${glob.pattern}` };
  return null;
}
