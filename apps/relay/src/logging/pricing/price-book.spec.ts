import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TokenUsage } from '@monorelay/llm-formats';
import { defaultProviderConfig, defaultRelayConfig } from '../../config/config-defaults';
import type { ModelPrice, ProviderConfig, RelayConfig } from '../../config/relay-config';
import { costFor, costOf, priceFor } from './price-book';

function configWith(
  models: Record<string, Partial<ModelPrice>> = {},
  providers: Record<string, Partial<ProviderConfig>> = {},
): RelayConfig {
  const config = defaultRelayConfig();
  config.pricing.models = models;
  for (const [name, overrides] of Object.entries(providers)) {
    config.providers[name] = { ...defaultProviderConfig(), ...overrides };
  }
  return config;
}

const usage = (overrides: Partial<TokenUsage>): TokenUsage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  ...overrides,
});

const close = (actual: number | null, expected: number): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);
};

describe('priceFor: precedence', () => {
  it('uses the built-in table when nothing else prices the model', () => {
    const config = configWith({}, { openai: {} });
    assert.deepEqual(priceFor(config, 'openai', 'gpt-4o'), {
      input: 2.5,
      output: 10,
      cache_read: 1.25,
      cache_write: 2.5,
    });
  });

  it('returns null for a model no level knows', () => {
    assert.equal(priceFor(configWith({}, { local: {} }), 'local', 'qwen2.5-7b-instruct-q4'), null);
    assert.equal(priceFor(configWith(), 'not-configured', 'my-model'), null);
  });

  it("prefers the provider's cost_per_m_* over the table, deriving cache prices from its input price", () => {
    const config = configWith({}, { cheap: { cost_per_m_input: 2, cost_per_m_output: 4 } });
    assert.deepEqual(priceFor(config, 'cheap', 'gpt-4o'), {
      input: 2,
      output: 4,
      cache_read: 0.2,
      cache_write: 2,
    });
  });

  it('prices Anthropic-type providers with 1.25x cache writes', () => {
    const config = configWith(
      {},
      { claude: { provider_type: 'anthropic', cost_per_m_input: 3, cost_per_m_output: 15 } },
    );
    assert.deepEqual(priceFor(config, 'claude', 'some-claude'), {
      input: 3,
      output: 15,
      cache_read: 0.3,
      cache_write: 3.75,
    });
  });

  it('treats a zero provider price as unset: that price comes from the table', () => {
    const config = configWith({}, { half: { cost_per_m_input: 1, cost_per_m_output: 0 } });
    assert.deepEqual(priceFor(config, 'half', 'gpt-4o'), {
      input: 1,
      output: 10,
      cache_read: 0.1,
      cache_write: 1,
    });
  });

  it('prefers pricing.models over the provider and the table', () => {
    const config = configWith(
      { 'gpt-4o*': { input: 1, output: 2, cache_read: 0.5, cache_write: 1 } },
      { openai: { cost_per_m_input: 7, cost_per_m_output: 9 } },
    );
    assert.deepEqual(priceFor(config, 'openai', 'gpt-4o-2024-08-06'), {
      input: 1,
      output: 2,
      cache_read: 0.5,
      cache_write: 1,
    });
  });

  it('takes the first matching glob in config order', () => {
    const config = configWith({
      'claude-*': { input: 10, output: 10 },
      'claude-sonnet-*': { input: 20, output: 20 },
    });
    assert.equal(priceFor(config, 'anthropic', 'claude-sonnet-4-5')?.input, 10);
    const reversed = configWith({
      'claude-sonnet-*': { input: 20, output: 20 },
      'claude-*': { input: 10, output: 10 },
    });
    assert.equal(priceFor(reversed, 'anthropic', 'claude-sonnet-4-5')?.input, 20);
  });

  it('fills a partial pricing.models entry from the provider, then the table', () => {
    const fromTable = configWith({ 'gpt-4o': { output: 8 } }, { openai: {} });
    assert.deepEqual(priceFor(fromTable, 'openai', 'gpt-4o'), {
      input: 2.5,
      output: 8,
      cache_read: 1.25,
      cache_write: 2.5,
    });
    const fromProvider = configWith({ 'gpt-4o': { output: 8 } }, { openai: { cost_per_m_input: 2 } });
    assert.deepEqual(priceFor(fromProvider, 'openai', 'gpt-4o'), {
      input: 2,
      output: 8,
      cache_read: 0.2,
      cache_write: 2,
    });
  });

  it('derives missing cache prices when no level has them', () => {
    const config = configWith({ 'my-model': { input: 4, output: 8 } });
    assert.deepEqual(priceFor(config, 'local', 'my-model'), {
      input: 4,
      output: 8,
      cache_read: 0.4,
      cache_write: 4,
    });
    const zeroInput = configWith({ 'my-model': { output: 8 } });
    assert.deepEqual(priceFor(zeroInput, 'local', 'my-model'), {
      input: 0,
      output: 8,
      cache_read: 0,
      cache_write: 0,
    });
  });

  it('lets pricing.models make a model free', () => {
    const config = configWith({ 'gpt-4o': { input: 0, output: 0, cache_read: 0, cache_write: 0 } });
    assert.deepEqual(priceFor(config, 'openai', 'gpt-4o'), {
      input: 0,
      output: 0,
      cache_read: 0,
      cache_write: 0,
    });
  });
});

describe('priceFor: globs', () => {
  it('matches case-insensitively', () => {
    const config = configWith({ 'GPT-4O*': { input: 1, output: 1 } });
    assert.equal(priceFor(config, 'openai', 'gpt-4o-mini')?.input, 1);
  });

  it('matches vendor-prefixed names with and without the prefix in the glob', () => {
    const bare = configWith({ 'gpt-4o*': { input: 1, output: 1 } });
    assert.equal(priceFor(bare, 'openrouter', 'openai/gpt-4o')?.input, 1);
    const prefixed = configWith({ 'openai/*': { input: 3, output: 3 } });
    assert.equal(priceFor(prefixed, 'openrouter', 'openai/gpt-4o')?.input, 3);
    assert.equal(priceFor(prefixed, 'openai', 'gpt-4o')?.input, 2.5, 'no prefix, no match: table');
  });

  it('lets * cross slashes, as MonoRelay globs do', () => {
    const config = configWith({ '*llama*': { input: 0.5, output: 0.5 } });
    assert.equal(priceFor(config, 'nvidia', 'meta/llama-3.1-405b-instruct')?.input, 0.5);
  });

  it('prices dated variants through family globs and the table', () => {
    const config = configWith({ 'claude-sonnet-4*': { input: 2, output: 10 } });
    assert.equal(priceFor(config, 'anthropic', 'claude-sonnet-4-20250514')?.input, 2);
    assert.equal(priceFor(configWith(), 'anthropic', 'claude-sonnet-4-20250514')?.input, 3);
  });

  it('compiles per config snapshot: a reloaded config prices with its own globs', () => {
    const before = configWith({ 'm*': { input: 1, output: 1 } });
    const after = configWith({ 'm*': { input: 2, output: 2 } });
    assert.equal(priceFor(before, 'p', 'model')?.input, 1);
    assert.equal(priceFor(after, 'p', 'model')?.input, 2);
    assert.equal(priceFor(before, 'p', 'model')?.input, 1);
  });

  it('returns the same frozen object for repeated look-ups', () => {
    const config = configWith();
    const first = priceFor(config, 'openai', 'gpt-4o');
    assert.equal(priceFor(config, 'openai', 'gpt-4o'), first);
    assert.ok(Object.isFrozen(first));
  });

  it('memoises per provider: the same model on two providers may cost differently', () => {
    const config = configWith({}, { a: { cost_per_m_input: 1, cost_per_m_output: 1 }, b: {} });
    assert.equal(priceFor(config, 'a', 'gpt-4o')?.input, 1);
    assert.equal(priceFor(config, 'b', 'gpt-4o')?.input, 2.5);
  });
});

describe('costOf', () => {
  const price: ModelPrice = { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 };

  it('charges input and output per 1M tokens', () => {
    close(costOf(usage({ inputTokens: 1_000_000, outputTokens: 1_000_000 }), price), 18);
    close(costOf(usage({ inputTokens: 1000, outputTokens: 500 }), price), 0.003 + 0.0075);
  });

  it('charges cache reads and writes at their own prices, out of the whole prompt', () => {
    // 10,000 prompt tokens: 6,000 read from the cache, 3,000 written to it, 1,000 uncached.
    const cost = costOf(
      usage({ inputTokens: 10_000, cacheReadTokens: 6000, cacheWriteTokens: 3000, outputTokens: 200 }),
      price,
    );
    close(cost, (1000 * 3 + 6000 * 0.3 + 3000 * 3.75 + 200 * 15) / 1e6);
  });

  it('counts reasoning tokens once, as part of the output', () => {
    close(costOf(usage({ outputTokens: 1000, reasoningTokens: 800 }), price), 0.015);
  });

  it('never charges negative uncached input when cache counts exceed the prompt', () => {
    close(costOf(usage({ inputTokens: 100, cacheReadTokens: 150 }), price), (150 * 0.3) / 1e6);
  });

  it('is zero for no tokens', () => {
    assert.equal(costOf(usage({}), price), 0);
  });
});

describe('costFor', () => {
  it('prices usage, or says null when the price is unknown', () => {
    const config = configWith();
    close(
      costFor(config, 'openai', 'gpt-4o-mini', usage({ inputTokens: 2_000_000, cacheReadTokens: 1_000_000 })),
      0.225,
    );
    assert.equal(costFor(config, 'local', 'unknown-model', usage({ inputTokens: 10 })), null);
  });
});
