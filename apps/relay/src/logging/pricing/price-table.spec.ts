import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILT_IN_PRICES, builtInPrice } from './price-table';

const inputOutput = (model: string): [number, number] | null => {
  const price = builtInPrice(model);
  return price ? [price.input, price.output] : null;
};

describe('builtInPrice', () => {
  it('knows the common OpenAI models', () => {
    assert.deepEqual(inputOutput('gpt-4o'), [2.5, 10]);
    assert.deepEqual(inputOutput('gpt-4o-mini'), [0.15, 0.6]);
    assert.deepEqual(inputOutput('gpt-4.1'), [2, 8]);
    assert.deepEqual(inputOutput('gpt-4.1-mini'), [0.4, 1.6]);
    assert.deepEqual(inputOutput('gpt-4.1-nano'), [0.1, 0.4]);
    assert.deepEqual(inputOutput('o1'), [15, 60]);
    assert.deepEqual(inputOutput('o3'), [2, 8]);
    assert.deepEqual(inputOutput('o3-mini'), [1.1, 4.4]);
    assert.deepEqual(inputOutput('o4-mini'), [1.1, 4.4]);
    assert.deepEqual(inputOutput('gpt-5'), [1.25, 10]);
    assert.deepEqual(inputOutput('gpt-5-mini'), [0.25, 2]);
    assert.deepEqual(inputOutput('gpt-5-nano'), [0.05, 0.4]);
    assert.deepEqual(inputOutput('text-embedding-3-small'), [0.02, 0]);
    assert.deepEqual(inputOutput('text-embedding-3-large'), [0.13, 0]);
  });

  it('matches vendor-prefixed and dated names', () => {
    assert.deepEqual(inputOutput('openai/gpt-4o'), [2.5, 10]);
    assert.deepEqual(inputOutput('gpt-4o-2024-08-06'), [2.5, 10]);
    assert.deepEqual(inputOutput('openai/gpt-4o-mini-2024-07-18'), [0.15, 0.6]);
    assert.deepEqual(inputOutput('gpt-5-2025-08-07'), [1.25, 10]);
    assert.deepEqual(inputOutput('anthropic/claude-sonnet-4'), [3, 15]);
    assert.deepEqual(inputOutput('claude-sonnet-4-20250514'), [3, 15]);
    assert.deepEqual(inputOutput('claude-opus-4-1-20250805'), [15, 75]);
    assert.deepEqual(inputOutput('anthropic/claude-opus-4.1'), [15, 75]);
    assert.deepEqual(inputOutput('claude-3-5-haiku-latest'), [0.8, 4]);
    assert.deepEqual(inputOutput('google/gemini-2.0-flash-001'), [0.1, 0.4]);
    assert.deepEqual(inputOutput('deepseek/deepseek-chat'), [0.28, 0.42]);
  });

  it('prefers a snapshot listed under its own name over its family', () => {
    assert.deepEqual(inputOutput('gpt-4o-2024-05-13'), [5, 15]);
    assert.deepEqual(inputOutput('gpt-4o-2024-11-20'), [2.5, 10]);
  });

  it('does not confuse a model with its longer-named siblings', () => {
    assert.deepEqual(inputOutput('gpt-4o-mini'), [0.15, 0.6]);
    assert.deepEqual(inputOutput('gpt-4.1-nano-2025-04-14'), [0.1, 0.4]);
    assert.deepEqual(inputOutput('o3-mini'), [1.1, 4.4]);
    assert.deepEqual(inputOutput('gemini-2.5-flash-lite'), [0.1, 0.4]);
    assert.equal(builtInPrice('gpt-4o-realtime-preview'), null);
    assert.equal(builtInPrice('gpt-4o-audio-preview'), null);
  });

  it('carries Anthropic cache prices: reads 0.1x, writes 1.25x input', () => {
    assert.deepEqual(builtInPrice('claude-sonnet-4-5-20250929'), {
      input: 3,
      output: 15,
      cache_read: 0.3,
      cache_write: 3.75,
    });
    assert.deepEqual(builtInPrice('claude-haiku-4-5'), {
      input: 1,
      output: 5,
      cache_read: 0.1,
      cache_write: 1.25,
    });
  });

  it('carries OpenAI cached-input prices, with writes at the input price', () => {
    assert.deepEqual(builtInPrice('gpt-4.1-mini'), {
      input: 0.4,
      output: 1.6,
      cache_read: 0.1,
      cache_write: 0.4,
    });
  });

  it('prices OpenRouter :free variants at zero', () => {
    assert.deepEqual(builtInPrice('deepseek/deepseek-chat:free'), {
      input: 0,
      output: 0,
      cache_read: 0,
      cache_write: 0,
    });
  });

  it('returns null for unknown models and open-weight models under generic names', () => {
    assert.equal(builtInPrice('my-finetune'), null);
    assert.equal(builtInPrice('meta/llama-3.1-405b-instruct'), null);
    assert.equal(builtInPrice(''), null);
  });

  it('is case-insensitive', () => {
    assert.deepEqual(inputOutput('Claude-Sonnet-4-5'), [3, 15]);
  });

  it('holds sane prices only', () => {
    for (const { models, price } of BUILT_IN_PRICES) {
      assert.ok(models.length > 0);
      for (const value of Object.values(price)) assert.ok(Number.isFinite(value) && value >= 0, models[0]);
      assert.ok(price.cache_read <= price.input, `${models[0]}: cache reads cost at most the input price`);
      assert.ok(Object.isFrozen(price));
    }
  });
});
