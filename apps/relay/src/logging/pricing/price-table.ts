import type { ModelPrice } from '../../config/relay-config';
import { compileGlob, type GlobTest } from '../../routing/glob-matcher';
import { pricingNames } from './model-name';

/**
 * Built-in list prices, USD per 1M tokens, as published by the vendors in November 2025. They are
 * the last resort: `pricing.models` in the config and a provider's `cost_per_m_input/output` win
 * over them, so a deployment with negotiated or newer prices sets those.
 *
 * Each entry's globs (case-insensitive) are matched against the served model's name without its
 * vendor prefix (`openai/`, `anthropic/`, `google/`, `meta-llama/`) and OpenRouter variant
 * (`:beta`, `:thinking`), first as is, then without its snapshot suffix (`-2024-08-06`,
 * `-20250514`, `-001`, `-latest`), so a dated snapshot priced differently from its family is listed
 * under its full name before the family. First matching entry wins.
 *
 * What is left out on purpose: long-context surcharges (Claude Sonnet 4.x and Gemini 2.5 Pro above
 * 200K prompt tokens), batch/flex/priority tiers, storage fees of explicit caches, audio/image tokens,
 * and open-weight models under generic names (their price depends on the host: only Groq's own
 * names are listed; NVIDIA's hosted NIM API is credit-based and not listed at all).
 *
 * `cache_read` is the price of prompt tokens served from the cache; `cache_write` the price of
 * prompt tokens written to it (Anthropic: 1.25x input for the 5-minute cache; elsewhere writes cost
 * the input price).
 */
export interface BuiltInPrice {
  models: readonly string[];
  price: ModelPrice;
}

/** Cache writes cost the input price (OpenAI, Google, DeepSeek and the rest). */
const priced = (input: number, cacheRead: number, output: number): ModelPrice =>
  Object.freeze({ input, output, cache_read: cacheRead, cache_write: input });

/** No prompt cache: cached tokens (if ever reported) cost the input price. */
const uncached = (input: number, output: number): ModelPrice => priced(input, input, output);

const anthropic = (input: number, output: number, cacheRead: number, cacheWrite: number): ModelPrice =>
  Object.freeze({ input, output, cache_read: cacheRead, cache_write: cacheWrite });

export const BUILT_IN_PRICES: readonly BuiltInPrice[] = [
  // OpenAI: cache_read is the "cached input" price.
  { models: ['gpt-5', 'gpt-5-chat', 'gpt-5.1', 'gpt-5.1-chat'], price: priced(1.25, 0.125, 10) },
  { models: ['gpt-5-mini'], price: priced(0.25, 0.025, 2) },
  { models: ['gpt-5-nano'], price: priced(0.05, 0.005, 0.4) },
  { models: ['gpt-4.1'], price: priced(2, 0.5, 8) },
  { models: ['gpt-4.1-mini'], price: priced(0.4, 0.1, 1.6) },
  { models: ['gpt-4.1-nano'], price: priced(0.1, 0.025, 0.4) },
  { models: ['gpt-4o-2024-05-13', 'chatgpt-4o'], price: uncached(5, 15) },
  { models: ['gpt-4o'], price: priced(2.5, 1.25, 10) },
  { models: ['gpt-4o-mini'], price: priced(0.15, 0.075, 0.6) },
  { models: ['o1', 'o1-preview'], price: priced(15, 7.5, 60) },
  { models: ['o1-mini'], price: priced(1.1, 0.55, 4.4) },
  { models: ['o3'], price: priced(2, 0.5, 8) },
  { models: ['o3-mini'], price: priced(1.1, 0.55, 4.4) },
  { models: ['o4-mini'], price: priced(1.1, 0.275, 4.4) },
  { models: ['gpt-4-turbo'], price: uncached(10, 30) },
  { models: ['gpt-4'], price: uncached(30, 60) },
  { models: ['gpt-3.5-turbo-1106'], price: uncached(1, 2) },
  { models: ['gpt-3.5-turbo'], price: uncached(0.5, 1.5) },
  { models: ['text-embedding-3-small'], price: uncached(0.02, 0) },
  { models: ['text-embedding-3-large'], price: uncached(0.13, 0) },
  { models: ['text-embedding-ada-002'], price: uncached(0.1, 0) },

  // Anthropic: cache_read 0.1x input, cache_write 1.25x input (5-minute cache). Dots are
  // OpenRouter's spelling (`anthropic/claude-sonnet-4.5`), dashes Anthropic's (`claude-sonnet-4-5`).
  { models: ['claude-opus-4-5', 'claude-opus-4.5'], price: anthropic(5, 25, 0.5, 6.25) },
  {
    models: ['claude-opus-4-1', 'claude-opus-4.1', 'claude-opus-4', 'claude-opus-4-0', 'claude-3-opus'],
    price: anthropic(15, 75, 1.5, 18.75),
  },
  {
    models: [
      'claude-sonnet-4-5',
      'claude-sonnet-4.5',
      'claude-sonnet-4',
      'claude-sonnet-4-0',
      'claude-3-7-sonnet',
      'claude-3.7-sonnet',
      'claude-3-5-sonnet',
      'claude-3.5-sonnet',
    ],
    price: anthropic(3, 15, 0.3, 3.75),
  },
  { models: ['claude-haiku-4-5', 'claude-haiku-4.5'], price: anthropic(1, 5, 0.1, 1.25) },
  { models: ['claude-3-5-haiku', 'claude-3.5-haiku'], price: anthropic(0.8, 4, 0.08, 1) },
  { models: ['claude-3-haiku'], price: anthropic(0.25, 1.25, 0.03, 0.3) },

  // DeepSeek (V3.2): cache_read is the "cache hit" price, input the "cache miss" price.
  { models: ['deepseek-chat', 'deepseek-reasoner'], price: priced(0.28, 0.028, 0.42) },

  // Google Gemini (`google/gemini-2.5-pro` on OpenRouter), prompts up to 200K tokens; cache_read is
  // the context-caching price.
  { models: ['gemini-2.5-pro'], price: priced(1.25, 0.125, 10) },
  { models: ['gemini-2.5-flash'], price: priced(0.3, 0.03, 2.5) },
  { models: ['gemini-2.5-flash-lite'], price: priced(0.1, 0.01, 0.4) },
  { models: ['gemini-2.0-flash'], price: priced(0.1, 0.025, 0.4) },
  { models: ['gemini-2.0-flash-lite'], price: uncached(0.075, 0.3) },

  // Groq's names for Meta's Llama models (Groq's prices).
  { models: ['llama-3.3-70b-versatile'], price: uncached(0.59, 0.79) },
  { models: ['llama-3.1-8b-instant'], price: uncached(0.05, 0.08) },
  { models: ['llama-4-scout-17b-16e-instruct'], price: uncached(0.11, 0.34) },
  { models: ['llama-4-maverick-17b-128e-instruct'], price: uncached(0.2, 0.6) },

  // Mistral's own API (`mistral-large-latest`, `mistral-large-2411`).
  { models: ['mistral-large'], price: uncached(2, 6) },
  { models: ['mistral-medium'], price: uncached(0.4, 2) },
  { models: ['codestral'], price: uncached(0.3, 0.9) },
  { models: ['open-mistral-nemo', 'mistral-nemo'], price: uncached(0.15, 0.15) },
  { models: ['ministral-8b'], price: uncached(0.1, 0.1) },
  { models: ['ministral-3b'], price: uncached(0.04, 0.04) },
];

/** OpenRouter's `:free` variants. */
const FREE_PRICE: ModelPrice = Object.freeze({ input: 0, output: 0, cache_read: 0, cache_write: 0 });

interface CompiledEntry {
  test: GlobTest;
  price: ModelPrice;
}

let compiledTable: CompiledEntry[] | null = null;
const memo = new Map<string, ModelPrice | null>();
/** Bounds the memo against clients inventing model names. */
const MEMO_LIMIT = 4096;

/** The built-in price of `model` (any spelling, see above), or null when the table lacks it. */
export function builtInPrice(model: string): ModelPrice | null {
  let price = memo.get(model);
  if (price === undefined) {
    price = lookUp(model);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(model, price);
  }
  return price;
}

function lookUp(model: string): ModelPrice | null {
  const names = pricingNames(model);
  if (names.free) return FREE_PRICE;
  compiledTable ??= BUILT_IN_PRICES.flatMap(({ models, price }) =>
    models.map((glob) => ({ test: compileGlob(glob), price })),
  );
  for (const name of names.exact === names.family ? [names.exact] : [names.exact, names.family]) {
    for (const entry of compiledTable) if (entry.test(name)) return entry.price;
  }
  return null;
}
