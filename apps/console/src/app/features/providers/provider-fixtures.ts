import type { ProviderKeyView, ProviderView } from '@monorelay/contracts';

// Sample data for the providers specs (only the specs import this file).

export function keyView(index: number, change: Partial<ProviderKeyView> = {}): ProviderKeyView {
  return {
    index,
    label: `k${index + 1}`,
    masked: `sk-...000${index + 1}`,
    envReference: null,
    weight: 1,
    enabled: true,
    quotaLimit: null,
    rateLimitRps: null,
    expiresAt: null,
    state: 'available',
    cooldownUntil: null,
    consecutiveFailures: 0,
    successCount: 0,
    ...change,
  };
}

export function providerView(name: string, change: Partial<ProviderView> = {}): ProviderView {
  return {
    name,
    enabled: true,
    providerType: 'api',
    preset: null,
    baseUrl: `https://${name}.example/v1`,
    timeout: 60,
    firstTokenTimeout: null,
    rateLimitCooldown: 60,
    testModel: null,
    modelsInclude: [],
    modelsExclude: [],
    costPerMInput: null,
    costPerMOutput: null,
    headerNames: [],
    keys: [keyView(0)],
    health: 'healthy',
    stats24h: { requests: 0, errors: 0, errorRate: 0, latencyP50Ms: null, tokens: 0, costUsd: 0 },
    ...change,
  };
}

/** Lets promise continuations (after a flushed request) run, then waits for rendering. */
export async function settle(fixture: { whenStable(): Promise<unknown> }, ms = 0): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  await fixture.whenStable();
}
