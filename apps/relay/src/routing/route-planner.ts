import type { CompiledRouting } from './compiled-routing';
import { complexityTier, scoreComplexity } from './complexity-scorer';
import { normalizeName, splitPinnedModel } from './model-name';
import { type CompiledProviderModels, excludedBy, matchInclude } from './provider-models';
import {
  type RelayEndpoint,
  type RoutePlan,
  type RouteRequest,
  type RouteTarget,
  UnknownModelError,
} from './route-plan';

type CascadePlan = NonNullable<CompiledRouting['cascade']>;

/** Endpoints that generate text: the only ones complexity routing and the cascade apply to. */
const GENERATION_ENDPOINTS: ReadonlySet<RelayEndpoint> = new Set([
  'chat',
  'completions',
  'responses',
  'messages',
]);

/** Distinct models whose plans are kept per snapshot; the cache is dropped when it fills up. */
const PLAN_CACHE_LIMIT = 4096;

/**
 * The ordered targets for one request. Plans that do not depend on the prompt (everything but
 * complexity routing) are computed once per snapshot and model, then handed out as copies.
 */
export function planRoute(request: RouteRequest, routing: CompiledRouting): RoutePlan {
  const generation = GENERATION_ENDPOINTS.has(request.endpoint);
  const cacheKey = (generation ? 'g:' : 'o:') + request.model;
  const cached = routing.planCache.get(cacheKey);
  if (cached) {
    if ('unknown' in cached) throw new UnknownModelError(request.model, [...routing.available]);
    return copyPlan(cached.plan);
  }
  const planner = new Planner(routing, request, generation);
  const plan = planner.run();
  if (!planner.promptDependent) {
    if (routing.planCache.size >= PLAN_CACHE_LIMIT) routing.planCache.clear();
    routing.planCache.set(cacheKey, plan ? { plan: copyPlan(plan) } : { unknown: true });
  }
  if (!plan) throw new UnknownModelError(request.model, [...routing.available]);
  return plan;
}

function copyPlan(plan: RoutePlan): RoutePlan {
  return {
    requested: plan.requested,
    resolved: plan.resolved,
    targets: plan.targets.map((target) => ({ ...target })),
    steps: plan.steps.slice(),
  };
}

interface Resolution {
  model: string;
  targets: RouteTarget[];
}

/** Records a decision in the plan's steps and, when it shapes the targets, in their `why`. */
class Trail {
  readonly why: string[] = [];

  constructor(
    private readonly steps: string[],
    private readonly prefix: string,
  ) {}

  /** A decision that explains the targets. */
  note(line: string): void {
    this.why.push(line);
    this.steps.push(this.prefix + line);
  }

  /** A decision worth seeing in the steps that does not explain any target. */
  log(line: string): void {
    this.steps.push(this.prefix + line);
  }

  because(reason: string): string {
    return this.why.length === 0 ? reason : `${this.why.join('; ')}; ${reason}`;
  }
}

class Planner {
  readonly steps: string[] = [];
  /** Set when complexity routing read the prompt: such plans are not cached. */
  promptDependent = false;

  constructor(
    private readonly routing: CompiledRouting,
    private readonly request: RouteRequest,
    private readonly generation: boolean,
  ) {}

  run(): RoutePlan | null {
    if (!this.routing.routingEnabled) {
      this.steps.push('model_routing disabled: no aliases, mapping, overrides, complexity or cascade');
    }
    const main = this.resolve(this.request.model, 'requested', new Trail(this.steps, ''));
    if (main.targets.length === 0) return null;
    const targets = main.targets;
    const cascade = this.routing.cascade;
    if (this.routing.routingEnabled && cascade && this.generation) this.appendCascade(targets, cascade);
    return { requested: this.request.model, resolved: main.model, targets, steps: this.steps };
  }

  private appendCascade(targets: RouteTarget[], { models, maxTargets }: CascadePlan): void {
    const planned = new Set(targets.map(pairKey));
    let added = 0;
    for (let index = 0; index < models.length; index++) {
      const entry = models[index];
      if (added >= maxTargets) {
        const left = models.length - index;
        this.steps.push(
          `cascade: max_retries ${maxTargets} reached, ${left} more entr${left === 1 ? 'y' : 'ies'} unused`,
        );
        return;
      }
      const trail = new Trail(this.steps, `cascade ${entry}: `);
      const resolution = this.resolve(entry, 'cascade', trail);
      if (resolution.targets.length === 0) {
        trail.log('skipped, no enabled provider serves it');
        continue;
      }
      for (const target of resolution.targets) {
        if (planned.has(pairKey(target))) {
          trail.log(`${target.model}@${target.provider} is already planned`);
        } else if (added >= maxTargets) {
          trail.log(`${target.model}@${target.provider} left out: max_retries ${maxTargets} reached`);
        } else {
          planned.add(pairKey(target));
          targets.push(target);
          added++;
        }
      }
    }
  }

  /** Model name rewriting (pin, aliases, mapping, overrides, complexity), then provider resolution. */
  private resolve(spec: string, stage: RouteTarget['stage'], trail: Trail): Resolution {
    let model = spec;
    let pinned: CompiledProviderModels | undefined;
    let allowCatchAll = true;
    const pin = splitPinnedModel(spec);
    if (pin) {
      const provider = this.routing.providersByName.get(normalizeName(pin.provider));
      if (provider) {
        model = pin.model;
        if (!provider.enabled) {
          trail.log(`${spec}: pinned provider ${provider.name} is disabled`);
          return { model, targets: [] };
        }
        pinned = provider;
        trail.note(`pinned to ${provider.name}`);
      } else {
        // Maybe a model id that holds an `@` (e.g. Vertex `claude-3@20240229`); more likely a typo
        // in a provider name, so only an include list that names it may serve it, not a catch-all.
        allowCatchAll = false;
        trail.log(`no provider named ${pin.provider}: ${spec} is looked up as a model name`);
      }
    }
    let mapped: CompiledProviderModels | undefined;
    if (this.routing.routingEnabled) {
      model = this.applyAliases(model, trail);
      if (!pinned) mapped = this.applyMapping(model, trail);
      model = this.applyOverride(model, trail);
      const complexity = this.routing.complexity;
      if (complexity && stage === 'requested' && this.generation && normalizeName(model) === 'auto') {
        this.promptDependent = true;
        const score = scoreComplexity(this.request.promptText?.() ?? '');
        const tier = complexityTier(score);
        trail.note(`complexity score ${score.toFixed(2)} -> ${tier}: ${complexity[tier]}`);
        model = this.applyAliases(complexity[tier], trail);
        if (!pinned) mapped = this.applyMapping(model, trail);
        model = this.applyOverride(model, trail);
      }
    }
    const fixed = pinned ?? mapped;
    const targets = fixed
      ? this.fixedTarget(fixed, model, stage, trail)
      : this.resolveProviders(model, stage, trail, allowCatchAll);
    return { model, targets };
  }

  /** Chained, normalized, cycle-safe: a cycle stops at the last name not seen before. */
  private applyAliases(model: string, trail: Trail): string {
    let current = model;
    let entry = this.routing.aliases.get(normalizeName(current));
    if (!entry) return current;
    const seen = new Set([normalizeName(current)]);
    while (entry) {
      const nextKey = normalizeName(entry.target);
      if (seen.has(nextKey)) {
        trail.note(`alias cycle: ${current} -> ${entry.target} was already seen, using ${current}`);
        break;
      }
      trail.note(`alias ${current} -> ${entry.target}`);
      seen.add(nextKey);
      current = entry.target;
      entry = this.routing.aliases.get(nextKey);
    }
    return current;
  }

  /** The first `provider_mapping` glob whose provider exists, is enabled and does not exclude the model. */
  private applyMapping(model: string, trail: Trail): CompiledProviderModels | undefined {
    for (const rule of this.routing.providerMapping) {
      if (!rule.test(model)) continue;
      const provider = this.routing.providersByName.get(normalizeName(rule.provider));
      const skip = mappingSkipReason(provider, model);
      if (skip || !provider) {
        trail.log(`provider_mapping ${rule.pattern} -> ${rule.provider} skipped: ${skip}`);
        continue;
      }
      trail.note(`provider_mapping ${rule.pattern} -> ${provider.name}`);
      return provider;
    }
    return undefined;
  }

  private applyOverride(model: string, trail: Trail): string {
    for (const rule of this.routing.modelOverrides) {
      if (!rule.test(model)) continue;
      if (rule.model !== model) trail.note(`model_override ${rule.pattern}: ${model} -> ${rule.model}`);
      return rule.model;
    }
    return model;
  }

  /** A pinned or mapped provider serves any model it does not exclude, in its include-list spelling if listed. */
  private fixedTarget(
    provider: CompiledProviderModels,
    model: string,
    stage: RouteTarget['stage'],
    trail: Trail,
  ): RouteTarget[] {
    const match = matchInclude(provider, model);
    const upstream = match?.model ?? model;
    const excluded = excludedBy(provider, model) ?? excludedBy(provider, upstream);
    if (excluded) {
      trail.log(`${model} is excluded on ${provider.name} by ${excluded}`);
      return [];
    }
    const reason = match
      ? `${provider.name}: ${match.how}`
      : `${provider.name}: not in its include list, sent as is`;
    trail.log(`${model} -> ${upstream}@${provider.name}`);
    return [{ provider: provider.name, model: upstream, stage, why: trail.because(reason) }];
  }

  /** Every enabled provider whose include list names the model, else every enabled catch-all. */
  private resolveProviders(
    model: string,
    stage: RouteTarget['stage'],
    trail: Trail,
    allowCatchAll: boolean,
  ): RouteTarget[] {
    const targets: RouteTarget[] = [];
    for (const provider of this.routing.providers) {
      if (!provider.enabled || provider.catchAll) continue;
      const match = matchInclude(provider, model);
      if (!match) continue;
      const excluded = excludedBy(provider, model) ?? excludedBy(provider, match.model);
      if (excluded) {
        trail.log(`${provider.name} lists ${model} but excludes it by ${excluded}`);
        continue;
      }
      const why = trail.because(`include list of ${provider.name}: ${match.how}`);
      targets.push({ provider: provider.name, model: match.model, stage, why });
    }
    if (targets.length === 0 && allowCatchAll) {
      for (const provider of this.routing.providers) {
        if (!provider.enabled || !provider.catchAll) continue;
        const excluded = excludedBy(provider, model);
        if (excluded) {
          trail.log(`catch-all ${provider.name} excludes ${model} by ${excluded}`);
          continue;
        }
        targets.push({
          provider: provider.name,
          model,
          stage,
          why: trail.because(`catch-all provider ${provider.name}`),
        });
      }
    }
    trail.log(
      targets.length === 0
        ? `no enabled provider serves ${model}`
        : `${model} -> ${targets.map((target) => `${target.model}@${target.provider}`).join(', ')}`,
    );
    return targets;
  }
}

function mappingSkipReason(provider: CompiledProviderModels | undefined, model: string): string | null {
  if (!provider) return 'no such provider';
  if (!provider.enabled) return 'provider disabled';
  const excluded = excludedBy(provider, model);
  return excluded ? `excluded by ${excluded}` : null;
}

function pairKey(target: RouteTarget): string {
  return `${target.provider}\u0000${target.model}`;
}
