import type { RelayConfig } from '../config/relay-config';
import { type CompiledGlob, compileGlob } from './glob-matcher';
import { normalizeName } from './model-name';
import { type CompiledProviderModels, compileProviderModels } from './provider-models';
import type { RoutePlan } from './route-plan';

export interface AliasEntry {
  alias: string;
  target: string;
}

export interface ProviderMappingRule extends CompiledGlob {
  provider: string;
}

export interface ModelOverrideRule extends CompiledGlob {
  model: string;
}

/** A plan kept for reuse, or the fact that nothing serves the model. */
export type CachedPlan = { plan: RoutePlan } | { unknown: true };

/**
 * Everything routing needs from one config snapshot, compiled once: glob matchers, the normalized
 * alias table, per-provider include/exclude lookups, and the `/v1/models` list.
 */
export interface CompiledRouting {
  routingEnabled: boolean;
  /** Config order. */
  providers: readonly CompiledProviderModels[];
  /** normalizeName(provider name) -> provider (first in config order wins). */
  providersByName: ReadonlyMap<string, CompiledProviderModels>;
  /** normalizeName(alias) -> alias entry. */
  aliases: ReadonlyMap<string, AliasEntry>;
  providerMapping: readonly ProviderMappingRule[];
  modelOverrides: readonly ModelOverrideRule[];
  complexity: { simple: string; moderate: string; complex: string } | null;
  cascade: { models: readonly string[]; maxTargets: number } | null;
  /** What `/v1/models` lists: `model@provider` of plain include entries, plus alias names. */
  available: readonly string[];
  /** Plans of requests whose routing does not depend on the prompt, by endpoint class and model. */
  planCache: Map<string, CachedPlan>;
}

const compiled = new WeakMap<RelayConfig, CompiledRouting>();
let compilations = 0;

/** The compiled form of a config snapshot; compiled on first use and reused for the same object. */
export function compiledRoutingFor(config: RelayConfig): CompiledRouting {
  let entry = compiled.get(config);
  if (!entry) {
    entry = compileRouting(config);
    compiled.set(config, entry);
  }
  return entry;
}

/** How many snapshots have been compiled in this process (lets specs prove the cache is used). */
export function routingCompilations(): number {
  return compilations;
}

function compileRouting(config: RelayConfig): CompiledRouting {
  compilations++;
  const routing = config.model_routing;
  const providers = Object.entries(config.providers).map(([name, provider]) =>
    compileProviderModels(name, provider),
  );
  const providersByName = new Map<string, CompiledProviderModels>();
  for (const provider of providers) {
    const key = normalizeName(provider.name);
    if (!providersByName.has(key)) providersByName.set(key, provider);
  }
  const aliases = new Map<string, AliasEntry>();
  for (const [alias, target] of Object.entries(routing.aliases)) {
    const key = normalizeName(alias);
    if (target && !aliases.has(key)) aliases.set(key, { alias, target });
  }
  return {
    routingEnabled: routing.enabled,
    providers,
    providersByName,
    aliases,
    providerMapping: Object.entries(routing.provider_mapping).map(([pattern, provider]) => ({
      pattern,
      provider,
      test: compileGlob(pattern),
    })),
    modelOverrides: Object.entries(routing.model_overrides).map(([pattern, model]) => ({
      pattern,
      model,
      test: compileGlob(pattern),
    })),
    complexity: routing.complexity.enabled ? { ...routing.complexity } : null,
    cascade:
      routing.cascade.enabled && routing.cascade.models.length > 0 && routing.cascade.max_retries > 0
        ? { models: [...routing.cascade.models], maxTargets: routing.cascade.max_retries }
        : null,
    available: availableModels(providers, routing.enabled ? [...aliases.values()] : []),
    planCache: new Map(),
  };
}

function availableModels(providers: readonly CompiledProviderModels[], aliases: AliasEntry[]): string[] {
  const ids = new Set<string>();
  for (const provider of providers) {
    if (!provider.enabled) continue;
    for (const model of provider.listed) ids.add(`${model}@${provider.name}`);
  }
  for (const { alias } of aliases) ids.add(alias);
  return [...ids];
}
