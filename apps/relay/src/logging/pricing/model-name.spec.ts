import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pricingNames, withoutVendor } from './model-name';

describe('pricingNames', () => {
  const cases: [string, string, string][] = [
    ['gpt-4o', 'gpt-4o', 'gpt-4o'],
    ['GPT-4o', 'gpt-4o', 'gpt-4o'],
    ['openai/gpt-4o-2024-08-06', 'gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4-0613', 'gpt-4-0613', 'gpt-4'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['claude-3-5-sonnet-latest', 'claude-3-5-sonnet-latest', 'claude-3-5-sonnet'],
    ['claude-3-5-sonnet@20241022', 'claude-3-5-sonnet@20241022', 'claude-3-5-sonnet'],
    ['anthropic/claude-3.7-sonnet:thinking', 'claude-3.7-sonnet', 'claude-3.7-sonnet'],
    ['anthropic/claude-3-5-haiku-20241022:beta', 'claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
    ['google/gemini-2.0-flash-001', 'gemini-2.0-flash-001', 'gemini-2.0-flash'],
    ['mistral-large-2411', 'mistral-large-2411', 'mistral-large'],
    [
      'meta-llama/llama-4-scout-17b-16e-instruct',
      'llama-4-scout-17b-16e-instruct',
      'llama-4-scout-17b-16e-instruct',
    ],
    ['text-embedding-3-small', 'text-embedding-3-small', 'text-embedding-3-small'],
    ['o3-mini-2025-01-31', 'o3-mini-2025-01-31', 'o3-mini'],
  ];
  for (const [model, exact, family] of cases) {
    it(`${model} -> ${exact} / ${family}`, () => {
      const names = pricingNames(model);
      assert.equal(names.exact, exact);
      assert.equal(names.family, family);
      assert.equal(names.free, false);
    });
  }

  it('recognises OpenRouter free variants', () => {
    assert.deepEqual(pricingNames('meta-llama/llama-3.3-70b-instruct:free'), {
      exact: 'llama-3.3-70b-instruct',
      family: 'llama-3.3-70b-instruct',
      free: true,
    });
  });
});

describe('withoutVendor', () => {
  it('drops everything up to the last slash', () => {
    assert.equal(withoutVendor('openai/gpt-4o'), 'gpt-4o');
    assert.equal(withoutVendor('accounts/fireworks/models/llama'), 'llama');
    assert.equal(withoutVendor('gpt-4o'), 'gpt-4o');
  });
});
