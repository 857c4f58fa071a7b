/**
 * MonoRelay's prompt complexity score, reproduced exactly (router.py `_score_complexity`), so a
 * migrated config routes the same prompts to the same tier.
 *
 * The score of a prompt text (all message text contents joined by spaces):
 * - empty text: 0;
 * - more than 50,000 estimated tokens (length / 4): 1.0;
 * - two or more distinct reasoning keywords: 0.95;
 * - otherwise the sum of +0.18 per reasoning keyword present, +0.14 per code keyword present,
 *   -0.12 per simple keyword present, +0.1 if the text holds a code fence (on top of the fence's
 *   code keyword), +0.05 if it holds more than two `?`, clamped to [-1, 1].
 * Keywords are case-insensitive substrings (so `hi` also hits `this`: MonoRelay's behaviour, kept).
 * Tier: score < 0 simple, < 0.35 moderate, otherwise complex.
 */

export type ComplexityTier = 'simple' | 'moderate' | 'complex';

export const REASONING_KEYWORDS: readonly string[] = [
  'analyze',
  'compare',
  'evaluate',
  'synthesize',
  'reason',
  'prove',
  'methodology',
  'architecture',
  'design pattern',
  'trade-off',
  'complex',
];

export const CODE_KEYWORDS: readonly string[] = [
  'code',
  'function',
  'class',
  'def ',
  'import ',
  '```',
  'debug',
  'refactor',
  'implement',
  'algorithm',
  'data structure',
];

export const SIMPLE_KEYWORDS: readonly string[] = [
  'what is',
  'define',
  'translate',
  'summarize',
  'list',
  'hello',
  'hi',
  'order status',
  'tracking',
  'hours',
  'help',
];

const LONG_PROMPT_TOKENS = 50_000;
const MODERATE_FROM = 0;
const COMPLEX_FROM = 0.35;

export function scoreComplexity(text: string): number {
  if (text.length === 0) return 0;
  if (text.length / 4 > LONG_PROMPT_TOKENS) return 1;
  const lower = text.toLowerCase();
  const reasoning = countPresent(lower, REASONING_KEYWORDS);
  if (reasoning >= 2) return 0.95;
  let score = reasoning * 0.18;
  score += countPresent(lower, CODE_KEYWORDS) * 0.14;
  score -= countPresent(lower, SIMPLE_KEYWORDS) * 0.12;
  if (text.includes('```')) score += 0.1;
  if (countChar(text, '?') > 2) score += 0.05;
  return Math.max(-1, Math.min(1, score));
}

export function complexityTier(score: number): ComplexityTier {
  if (score < MODERATE_FROM) return 'simple';
  if (score < COMPLEX_FROM) return 'moderate';
  return 'complex';
}

function countPresent(text: string, keywords: readonly string[]): number {
  let count = 0;
  for (const keyword of keywords) if (text.includes(keyword)) count++;
  return count;
}

function countChar(text: string, char: string): number {
  let count = 0;
  for (let at = text.indexOf(char); at >= 0; at = text.indexOf(char, at + 1)) count++;
  return count;
}
