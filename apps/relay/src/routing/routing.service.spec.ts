import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BehaviorSubject } from 'rxjs';
import type { ConfigSource } from '../config/config-source';
import type { RelayConfig } from '../config/relay-config';
import { type RelayEndpoint, type RoutePlan, UnknownModelError } from './route-plan';
import { configWith, providerWith, staticConfigSource } from './routing-test-helpers';
import { RoutingService } from './routing.service';

function plan(
  config: RelayConfig,
  model: string,
  endpoint: RelayEndpoint = 'chat',
  prompt?: string,
): RoutePlan {
  const request = { model, endpoint, ...(prompt === undefined ? {} : { promptText: () => prompt }) };
  return new RoutingService(staticConfigSource(config)).plan(request);
}

function pairs(result: RoutePlan): string[] {
  return result.targets.map((target) => `${target.model}@${target.provider}`);
}

function unknown(config: RelayConfig, model: string, endpoint: RelayEndpoint = 'chat'): UnknownModelError {
  let caught: unknown;
  try {
    plan(config, model, endpoint);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof UnknownModelError, `expected UnknownModelError for ${model}`);
  assert.equal(caught.model, model);
  return caught;
}

const twoProviders = () =>
  configWith({
    openai: providerWith({ include: ['gpt-4o', 'gpt-4o-mini'] }),
    open_router: providerWith({ include: ['openai/gpt-4o', 'anthropic/claude-sonnet-4'] }),
  });

describe('RoutingService: provider resolution', () => {
  it('routes an exact include entry to that provider', () => {
    const result = plan(twoProviders(), 'gpt-4o-mini');
    assert.deepEqual(pairs(result), ['gpt-4o-mini@openai']);
    assert.equal(result.requested, 'gpt-4o-mini');
    assert.equal(result.resolved, 'gpt-4o-mini');
    assert.equal(result.targets[0].stage, 'requested');
    assert.match(result.targets[0].why, /include list of openai/);
  });

  it('lists every provider that serves the model, in config order, with each include spelling', () => {
    assert.deepEqual(pairs(plan(twoProviders(), 'gpt-4o')), ['gpt-4o@openai', 'openai/gpt-4o@open_router']);
  });

  it('matches ignoring case, - and _ and sends the include-list spelling', () => {
    assert.deepEqual(pairs(plan(twoProviders(), 'GPT_4O_MINI')), ['gpt-4o-mini@openai']);
  });

  it('matches an include entry ending in /<model> and sends that spelling', () => {
    const result = plan(twoProviders(), 'claude-sonnet-4');
    assert.deepEqual(pairs(result), ['anthropic/claude-sonnet-4@open_router']);
    assert.match(result.targets[0].why, /listed as anthropic\/claude-sonnet-4/);
  });

  it('matches include globs (fnmatch: case-insensitive, * crosses /) and sends the model as requested', () => {
    const config = configWith({ nvidia: providerWith({ include: ['meta/*', '*-instruct'] }) });
    assert.deepEqual(pairs(plan(config, 'META/Llama-3.1-8b')), ['META/Llama-3.1-8b@nvidia']);
    assert.deepEqual(pairs(plan(config, 'mistralai/mixtral-8x7b-instruct')), [
      'mistralai/mixtral-8x7b-instruct@nvidia',
    ]);
  });

  it('enforces models.exclude on include matches', () => {
    const config = configWith({
      a: providerWith({ include: ['gpt-*'], exclude: ['gpt-4o-mini*'] }),
      b: providerWith({ include: ['gpt-4o-mini'] }),
    });
    const result = plan(config, 'gpt-4o-mini');
    assert.deepEqual(pairs(result), ['gpt-4o-mini@b']);
    assert.ok(result.steps.some((step) => step.includes('excludes it by gpt-4o-mini*')));
  });

  it('falls back to catch-all providers (empty include) in config order, only when no include list names the model', () => {
    const config = configWith({
      listed: providerWith({ include: ['gpt-4o'] }),
      anything: providerWith(),
      disabled: providerWith({ enabled: false }),
      fallback: providerWith(),
    });
    assert.deepEqual(pairs(plan(config, 'gpt-4o')), ['gpt-4o@listed']);
    const result = plan(config, 'some-model');
    assert.deepEqual(pairs(result), ['some-model@anything', 'some-model@fallback']);
    assert.match(result.targets[0].why, /catch-all provider anything/);
  });

  it('enforces models.exclude on catch-all providers', () => {
    const config = configWith({
      a: providerWith({ exclude: ['*embedding*'] }),
      b: providerWith(),
    });
    assert.deepEqual(pairs(plan(config, 'text-embedding-3-small', 'embeddings')), [
      'text-embedding-3-small@b',
    ]);
  });

  it('skips disabled providers', () => {
    const config = configWith({
      a: providerWith({ enabled: false, include: ['gpt-4o'] }),
      b: providerWith({ include: ['gpt-4o'] }),
    });
    assert.deepEqual(pairs(plan(config, 'gpt-4o')), ['gpt-4o@b']);
  });

  it('throws UnknownModelError listing include ids and aliases when nothing serves the model', () => {
    const config = configWith(
      {
        openai: providerWith({ include: ['gpt-4o', 'gpt-*', 'gpt-3.5-turbo'], exclude: ['gpt-3.5*'] }),
        off: providerWith({ enabled: false, include: ['hidden'] }),
        router: providerWith({ include: ['openai/gpt-4o'] }),
      },
      (c) => (c.model_routing.aliases = { fast: 'gpt-4o' }),
    );
    const error = unknown(config, 'llama-3');
    assert.deepEqual(error.available, ['gpt-4o@openai', 'openai/gpt-4o@router', 'fast']);
    assert.deepEqual(new RoutingService(staticConfigSource(config)).availableModels(), error.available);
  });
});

describe('RoutingService: model@provider pinning', () => {
  const config = () =>
    configWith(
      {
        openai: providerWith({ include: ['gpt-4o'] }),
        'Open-Router': providerWith({ include: ['openai/gpt-4o'] }),
        off: providerWith({ enabled: false }),
      },
      (c) => {
        c.model_routing.aliases = { smart: 'gpt-4o' };
        c.model_routing.model_overrides = { 'gpt-4o-2024*': 'gpt-4o' };
      },
    );

  it('pins the provider (name matched ignoring case, - and _) and uses its include spelling', () => {
    const result = plan(config(), 'gpt-4o@open_router');
    assert.deepEqual(pairs(result), ['openai/gpt-4o@Open-Router']);
    assert.match(result.targets[0].why, /pinned to Open-Router/);
  });

  it('applies aliases and overrides to the model part', () => {
    assert.deepEqual(pairs(plan(config(), 'smart@openai')), ['gpt-4o@openai']);
    assert.deepEqual(pairs(plan(config(), 'gpt-4o-2024-08-06@OPENAI')), ['gpt-4o@openai']);
  });

  it('sends a model the pinned provider does not list as is', () => {
    assert.deepEqual(pairs(plan(config(), 'o3@openai')), ['o3@openai']);
  });

  it('rejects a disabled pinned provider', () => {
    unknown(config(), 'gpt-4o@off');
  });

  it('rejects a model the pinned provider excludes', () => {
    const c = configWith({ openai: providerWith({ exclude: ['o1*'] }) });
    unknown(c, 'o1-preview@openai');
  });

  it('treats an unknown provider suffix as part of the model name, never served by a catch-all', () => {
    const c = configWith({
      vertex: providerWith({ include: ['claude-3-5-sonnet@20240620'] }),
      anything: providerWith(),
    });
    assert.deepEqual(pairs(plan(c, 'claude-3-5-sonnet@20240620')), ['claude-3-5-sonnet@20240620@vertex']);
    unknown(c, 'gpt-4o@nosuchprovider');
  });

  it('keeps pinning when model_routing is disabled', () => {
    const c = config();
    c.model_routing.enabled = false;
    assert.deepEqual(pairs(plan(c, 'gpt-4o@open-router')), ['openai/gpt-4o@Open-Router']);
  });
});

describe('RoutingService: aliases', () => {
  const config = (aliases: Record<string, string>) =>
    configWith({ p: providerWith({ include: ['gpt-4o', 'gpt-4o-mini', 'b', 'c'] }) }, (c) => {
      c.model_routing.aliases = aliases;
    });

  it('follows alias chains', () => {
    const result = plan(config({ fast: 'cheap', cheap: 'gpt-4o-mini' }), 'fast');
    assert.deepEqual(pairs(result), ['gpt-4o-mini@p']);
    assert.equal(result.resolved, 'gpt-4o-mini');
    assert.deepEqual(result.steps.slice(0, 2), ['alias fast -> cheap', 'alias cheap -> gpt-4o-mini']);
    assert.match(
      result.targets[0].why,
      /^alias fast -> cheap; alias cheap -> gpt-4o-mini; include list of p/,
    );
  });

  it('matches alias names ignoring case, - and _', () => {
    assert.deepEqual(pairs(plan(config({ 'Smart-Model': 'gpt-4o' }), 'smart_model')), ['gpt-4o@p']);
  });

  it('stops a cycle at the last new name and records it', () => {
    const result = plan(config({ a: 'b', b: 'c', c: 'a' }), 'a');
    assert.deepEqual(pairs(result), ['c@p']);
    assert.ok(result.steps.some((step) => step.startsWith('alias cycle: c -> a')));
  });

  it('survives a self alias', () => {
    assert.deepEqual(pairs(plan(config({ b: 'B' }), 'b')), ['b@p']);
  });
});

describe('RoutingService: provider_mapping and model_overrides', () => {
  const config = () =>
    configWith(
      {
        openai: providerWith({ include: ['gpt-4o', 'gpt-4o-mini'] }),
        router: providerWith({ include: ['openai/gpt-4o', 'openai/gpt-4o-mini'] }),
        nvidia: providerWith({ enabled: false }),
      },
      (c) => {
        c.model_routing.provider_mapping = { 'gpt-4o-m*': 'nvidia', 'gpt-*': 'router', '*': 'openai' };
      },
    );

  it('lets the first glob with an enabled provider fix the provider, in the include spelling', () => {
    const result = plan(config(), 'gpt-4o-mini');
    assert.deepEqual(pairs(result), ['openai/gpt-4o-mini@router']);
    assert.ok(result.steps.includes('provider_mapping gpt-4o-m* -> nvidia skipped: provider disabled'));
    assert.match(result.targets[0].why, /provider_mapping gpt-\* -> router/);
  });

  it('respects mapping order', () => {
    const c = config();
    c.model_routing.provider_mapping = { '*': 'openai', 'gpt-*': 'router' };
    assert.deepEqual(pairs(plan(c, 'gpt-4o')), ['gpt-4o@openai']);
  });

  it('skips a mapping whose provider excludes the model', () => {
    const c = config();
    c.providers.router.models.exclude = ['gpt-4o'];
    c.model_routing.provider_mapping = { 'gpt-*': 'router' };
    const result = plan(c, 'gpt-4o');
    assert.deepEqual(pairs(result), ['gpt-4o@openai']);
    assert.ok(result.steps.includes('provider_mapping gpt-* -> router skipped: excluded by gpt-4o'));
  });

  it('skips mappings to unknown providers', () => {
    const c = config();
    c.model_routing.provider_mapping = { 'gpt-*': 'ghost', '*': 'router' };
    const result = plan(c, 'gpt-4o');
    assert.deepEqual(pairs(result), ['openai/gpt-4o@router']);
    assert.ok(result.steps.includes('provider_mapping gpt-* -> ghost skipped: no such provider'));
  });

  it('rewrites the model with the first matching override', () => {
    const c = configWith({ p: providerWith({ include: ['claude-sonnet-4', 'claude-opus-4'] }) }, (cfg) => {
      cfg.model_routing.model_overrides = { 'claude-3-5-*': 'claude-sonnet-4', 'claude-*': 'claude-opus-4' };
    });
    const result = plan(c, 'claude-3-5-sonnet-latest');
    assert.deepEqual(pairs(result), ['claude-sonnet-4@p']);
    assert.equal(result.resolved, 'claude-sonnet-4');
    assert.ok(
      result.steps.includes('model_override claude-3-5-*: claude-3-5-sonnet-latest -> claude-sonnet-4'),
    );
  });

  it('applies overrides after aliases and keeps the provider a mapping fixed', () => {
    const c = config();
    c.model_routing.aliases = { best: 'gpt-4o-latest' };
    c.model_routing.provider_mapping = { 'gpt-4o-latest': 'router' };
    c.model_routing.model_overrides = { 'gpt-4o-latest': 'gpt-4o' };
    assert.deepEqual(pairs(plan(c, 'best')), ['openai/gpt-4o@router']);
  });
});

describe('RoutingService: complexity routing', () => {
  const config = () =>
    configWith({ p: providerWith({ include: ['small', 'medium', 'large', 'auto'] }) }, (c) => {
      c.model_routing.complexity = { enabled: true, simple: 'small', moderate: 'mid', complex: 'large' };
      c.model_routing.aliases = { mid: 'medium', 'smart-auto': 'auto' };
    });

  it('routes `auto` by the prompt score, resolving the picked model through aliases', () => {
    assert.deepEqual(pairs(plan(config(), 'auto', 'chat', 'hello, what is the time')), ['small@p']);
    assert.deepEqual(pairs(plan(config(), 'auto', 'chat', 'a normal sentence')), ['medium@p']);
    const complex = plan(config(), 'auto', 'chat', 'analyze and compare these');
    assert.deepEqual(pairs(complex), ['large@p']);
    assert.ok(complex.steps.includes('complexity score 0.95 -> complex: large'));
    assert.equal(complex.resolved, 'large');
  });

  it('applies to a model that aliases to auto', () => {
    assert.deepEqual(pairs(plan(config(), 'smart-auto', 'chat', 'hello')), ['small@p']);
  });

  it('leaves any other model alone and never reads its prompt', () => {
    let read = false;
    const service = new RoutingService(staticConfigSource(config()));
    const result = service.plan({
      model: 'large',
      endpoint: 'chat',
      promptText: () => {
        read = true;
        return 'hello';
      },
    });
    assert.deepEqual(pairs(result), ['large@p']);
    assert.equal(read, false);
  });

  it('is off when complexity.enabled is false: `auto` is a model name', () => {
    const c = config();
    c.model_routing.complexity.enabled = false;
    assert.deepEqual(pairs(plan(c, 'auto', 'chat', 'hello')), ['auto@p']);
  });

  it('does not score non-text endpoints', () => {
    assert.deepEqual(pairs(plan(config(), 'auto', 'embeddings', 'hello')), ['auto@p']);
  });

  it('keeps a pin on the picked model', () => {
    const c = config();
    c.providers.q = providerWith();
    assert.deepEqual(pairs(plan(c, 'auto@q', 'chat', 'hello')), ['small@q']);
  });
});

describe('RoutingService: cascade', () => {
  const config = (models: string[], maxRetries = 2) =>
    configWith(
      {
        a: providerWith({ include: ['m1', 'm2'] }),
        b: providerWith({ include: ['m2', 'm3', 'm4'] }),
      },
      (c) => {
        c.model_routing.cascade = { enabled: true, models, max_retries: maxRetries };
        c.model_routing.aliases = { backup: 'm3' };
      },
    );

  it('keeps the requested model first, then the cascade models in order', () => {
    const result = plan(config(['backup', 'm4']), 'm1');
    assert.deepEqual(pairs(result), ['m1@a', 'm3@b', 'm4@b']);
    assert.deepEqual(
      result.targets.map((target) => target.stage),
      ['requested', 'cascade', 'cascade'],
    );
    assert.match(result.targets[1].why, /alias backup -> m3; include list of b/);
  });

  it('de-duplicates (provider, model) pairs, counting only new targets', () => {
    const result = plan(config(['m1', 'm2'], 5), 'm1');
    assert.deepEqual(pairs(result), ['m1@a', 'm2@a', 'm2@b']);
    assert.ok(result.steps.includes('cascade m1: m1@a is already planned'));
  });

  it('adds at most max_retries cascade targets', () => {
    const result = plan(config(['m2', 'm3', 'm4'], 2), 'm1');
    assert.deepEqual(pairs(result), ['m1@a', 'm2@a', 'm2@b']);
    assert.ok(result.steps.includes('cascade: max_retries 2 reached, 2 more entries unused'));
  });

  it('skips entries nothing serves, with a step', () => {
    const result = plan(config(['ghost', 'm3']), 'm1');
    assert.deepEqual(pairs(result), ['m1@a', 'm3@b']);
    assert.ok(result.steps.includes('cascade ghost: skipped, no enabled provider serves it'));
  });

  it('resolves pinned cascade entries', () => {
    assert.deepEqual(pairs(plan(config(['m2@b']), 'm1')), ['m1@a', 'm2@b']);
  });

  it('does not apply to non-text endpoints, when disabled, or when routing is disabled', () => {
    assert.deepEqual(pairs(plan(config(['m3']), 'm1', 'embeddings')), ['m1@a']);
    const disabled = config(['m3']);
    disabled.model_routing.cascade.enabled = false;
    assert.deepEqual(pairs(plan(disabled, 'm1')), ['m1@a']);
    const off = config(['m3']);
    off.model_routing.enabled = false;
    assert.deepEqual(pairs(plan(off, 'm1')), ['m1@a']);
  });

  it('does not turn an unknown model into the cascade', () => {
    unknown(config(['m3']), 'ghost');
  });
});

describe('RoutingService: model_routing.enabled = false', () => {
  const config = () =>
    configWith(
      { p: providerWith({ include: ['gpt-4o', 'fast'] }), q: providerWith({ include: ['gpt-4o'] }) },
      (c) => {
        c.model_routing.enabled = false;
        c.model_routing.aliases = { fast: 'gpt-4o', smart: 'gpt-4o' };
        c.model_routing.provider_mapping = { '*': 'q' };
        c.model_routing.model_overrides = { 'gpt-*': 'o3' };
        c.model_routing.complexity.enabled = true;
      },
    );

  it('resolves the model as sent: no aliases, mapping or overrides', () => {
    const result = plan(config(), 'gpt-4o');
    assert.deepEqual(pairs(result), ['gpt-4o@p', 'gpt-4o@q']);
    assert.match(result.steps[0], /model_routing disabled/);
    assert.deepEqual(pairs(plan(config(), 'fast')), ['fast@p']);
  });

  it('does not list aliases as available models', () => {
    assert.deepEqual(unknown(config(), 'smart').available, ['gpt-4o@p', 'fast@p', 'gpt-4o@q']);
  });
});

describe('RoutingService: snapshots', () => {
  it('hands out independent copies of cached plans', () => {
    const service = new RoutingService(staticConfigSource(twoProviders()));
    const first = service.plan({ model: 'gpt-4o', endpoint: 'chat' });
    first.targets[0].model = 'mutated';
    first.targets.pop();
    first.steps.push('mutated');
    const second = service.plan({ model: 'gpt-4o', endpoint: 'chat' });
    assert.deepEqual(pairs(second), ['gpt-4o@openai', 'openai/gpt-4o@open_router']);
    assert.ok(!second.steps.includes('mutated'));
  });

  it('plans with the current config, or the snapshot passed in', () => {
    const first = twoProviders();
    const next = configWith({ other: providerWith({ include: ['gpt-4o'] }) });
    const changes = new BehaviorSubject(first);
    const source: ConfigSource = {
      get current() {
        return changes.value;
      },
      changes$: changes,
    };
    const service = new RoutingService(source);
    assert.deepEqual(pairs(service.plan({ model: 'gpt-4o', endpoint: 'chat' })), [
      'gpt-4o@openai',
      'openai/gpt-4o@open_router',
    ]);
    changes.next(next);
    assert.deepEqual(pairs(service.plan({ model: 'gpt-4o', endpoint: 'chat' })), ['gpt-4o@other']);
    assert.deepEqual(pairs(service.plan({ model: 'gpt-4o', endpoint: 'chat' }, first)).length, 2);
    service.onModuleDestroy();
  });
});
