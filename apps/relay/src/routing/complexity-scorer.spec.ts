import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { complexityTier, scoreComplexity } from './complexity-scorer';

function close(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-9, `expected ${expected}, got ${actual}`);
}

describe('scoreComplexity', () => {
  const table: [string, string, number][] = [
    ['empty text', '', 0],
    ['plain text', 'the weather today is nice', 0],
    ['one simple keyword', 'translate this', -0.12 - 0.12], // "this" holds "hi": MonoRelay's substring rule
    ['two simple keywords', 'hello, define entropy', -0.24],
    ['one reasoning keyword', 'please evaluate my essay', 0.18],
    ['two reasoning keywords short-circuit', 'analyze the architecture, hello', 0.95],
    ['the same reasoning keyword twice counts once', 'prove it. prove it again.', 0.18],
    ['code keywords', 'write a function to implement an algorithm', 0.14 * 3],
    ['code fence: code keyword and fence bonus', 'fix ```x = 1```', 0.14 + 0.1],
    ['more than two question marks', 'why? how? where?', 0.05],
    ['exactly two question marks', 'why? how?', 0],
    ['case-insensitive keywords', 'REFACTOR THE CLASS', 0.28],
    ['mixed', 'evaluate this code?', 0.18 + 0.14 - 0.12],
  ];
  for (const [name, text, expected] of table) {
    it(name, () => close(scoreComplexity(text), expected));
  }

  it('scores a text over 50,000 estimated tokens as 1.0', () => {
    close(scoreComplexity('x'.repeat(200_001)), 1);
    close(scoreComplexity('x'.repeat(200_000)), 0);
  });

  it('clamps to [-1, 1]', () => {
    const everySimple = 'what is define translate summarize list hello hi order status tracking hours help';
    close(scoreComplexity(everySimple), -1);
  });
});

describe('complexityTier', () => {
  it('splits at 0 and 0.35', () => {
    assert.equal(complexityTier(-0.01), 'simple');
    assert.equal(complexityTier(0), 'moderate');
    assert.equal(complexityTier(0.34), 'moderate');
    assert.equal(complexityTier(0.35), 'complex');
    assert.equal(complexityTier(1), 'complex');
  });

  it('puts an empty prompt in the moderate tier', () => {
    assert.equal(complexityTier(scoreComplexity('')), 'moderate');
  });
});
