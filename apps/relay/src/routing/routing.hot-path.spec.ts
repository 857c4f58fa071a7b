import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compiledRoutingFor, routingCompilations } from './compiled-routing';
import { compiledTransformsFor } from './compiled-transforms';
import { transformRequest } from './request-transformer';
import { configWith, providerWith, staticConfigSource } from './routing-test-helpers';
import { RoutingService } from './routing.service';

const config = () =>
  configWith(
    {
      openai: providerWith({ include: ['gpt-4o', 'gpt-4o-mini', 'o*'], exclude: ['o1-preview'] }),
      router: providerWith({ include: ['openai/gpt-4o', 'anthropic/*'] }),
      anything: providerWith(),
    },
    (c) => {
      c.model_routing.aliases = { fast: 'gpt-4o-mini', smart: 'gpt-4o' };
      c.model_routing.provider_mapping = { 'claude-*': 'router' };
      c.model_routing.model_overrides = { 'gpt-4-*': 'gpt-4o' };
      c.model_routing.complexity.enabled = true;
      c.model_routing.cascade = { enabled: true, models: ['fast', 'o3'], max_retries: 2 };
      c.model_routing.payload_transformation = {
        enabled: true,
        rules: [{ models: ['gpt-*'], inject_params: { max_tokens: 1 }, override_params: {} }],
      };
      c.tool_calling.unsupported_models = ['o1*'];
    },
  );

describe('routing hot path', () => {
  it('compiles a config snapshot once, when it arrives, and reuses it for every plan', () => {
    const snapshot = config();
    const before = routingCompilations();
    const service = new RoutingService(staticConfigSource(snapshot));
    assert.equal(routingCompilations(), before + 1, 'compiled eagerly on arrival');
    const compiled = compiledRoutingFor(snapshot);
    const models = ['smart', 'fast', 'gpt-4o', 'claude-3', 'o3', 'whatever', 'auto'];
    for (let i = 0; i < 20_000; i++) {
      const model = models[i % models.length];
      service.plan({ model, endpoint: 'chat', promptText: () => 'hello' });
    }
    assert.equal(routingCompilations(), before + 1, 'no recompilation per request');
    assert.equal(compiledRoutingFor(snapshot), compiled);
    assert.equal(compiledTransformsFor(snapshot), compiledTransformsFor(snapshot));
    assert.ok(compiled.planCache.size <= models.length, 'plans cached per model, prompt-dependent ones not');
    assert.equal(compiled.planCache.has('g:auto'), false);
  });

  it('a structurally equal but new snapshot is compiled on its own', () => {
    const before = routingCompilations();
    const a = config();
    const b = config();
    assert.notEqual(compiledRoutingFor(a), compiledRoutingFor(b));
    assert.equal(routingCompilations(), before + 2);
  });

  it('plans and transforms fast enough for the hot path (loose sanity bound)', () => {
    const snapshot = config();
    const service = new RoutingService(staticConfigSource(snapshot));
    const body = { model: 'smart', messages: [{ role: 'user', content: 'hi' }] };
    const iterations = 50_000;
    const started = performance.now();
    for (let i = 0; i < iterations; i++) {
      const plan = service.plan({ model: 'smart', endpoint: 'chat' });
      transformRequest(body, plan.targets[0], 'chat', snapshot);
    }
    const perCallUs = ((performance.now() - started) * 1000) / iterations;
    // Typically a few microseconds; the bound only catches per-call compilation (tens of µs and up).
    assert.ok(perCallUs < 50, `plan + transform took ${perCallUs.toFixed(2)} µs per call`);
  });
});
