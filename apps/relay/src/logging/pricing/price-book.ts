import type { TokenUsage } from '@monorelay/llm-formats';
import type { ModelPrice, ProviderConfig, RelayConfig } from '../../config/relay-config';
import { compileGlob, type GlobTest } from '../../routing/glob-matcher';
import { withoutVendor } from './model-name';
import { builtInPrice } from './price-table';

/**
 * The price of a served model, USD per 1M tokens, from three levels, highest first:
 *
 * 1. `pricing.models`: the first glob, in config order, matching the model as served or without its
 *    vendor prefix (`gpt-4o*` also prices `openai/gpt-4o`);
 * 2. the provider's `cost_per_m_input` / `cost_per_m_output`, each when non-zero (0 means unset);
 * 3. the built-in table (`price-table.ts`).
 *
 * A level may know only some of the four prices (a partial `pricing.models` entry, a provider with
 * only an input price): each missing price comes from the next level that has it. A provider's
 * input price brings its cache prices with it, derived the way providers bill: cache reads at 10% of
 * input (OpenAI's current models, Anthropic, DeepSeek and Gemini all charge 10%, and a provider
 * without a cache reports no cache reads), cache writes at the input price, or 1.25x for
 * `provider_type: anthropic` (Anthropic's 5-minute cache; only Anthropic reports writes). When no
 * level has a cache price, it is derived the same way from the final input price.
 * With no level knowing the model at all, the price (and so the cost) is unknown: null.
 */
export function priceFor(config: RelayConfig, provider: string, model: string): ModelPrice | null {
  const book = bookFor(config);
  const key = `${provider}\u0000${model}`;
  let price = book.memo.get(key);
  if (price === undefined) {
    price = resolvePrice(book, config.providers[provider], model);
    if (book.memo.size >= MEMO_LIMIT) book.memo.clear();
    book.memo.set(key, price);
  }
  return price;
}

/** USD for `usage` at `price`: uncached input, cache reads, cache writes and output, per 1M. */
export function costOf(usage: TokenUsage, price: ModelPrice): number {
  const uncachedInput = Math.max(0, usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens);
  return (
    (uncachedInput * price.input +
      usage.cacheReadTokens * price.cache_read +
      usage.cacheWriteTokens * price.cache_write +
      usage.outputTokens * price.output) /
    1_000_000
  );
}

/** `costOf` at `priceFor`, or null when the price is unknown. */
export function costFor(
  config: RelayConfig,
  provider: string,
  model: string,
  usage: TokenUsage,
): number | null {
  const price = priceFor(config, provider, model);
  return price ? costOf(usage, price) : null;
}

const CACHE_READ_SHARE = 0.1;
const ANTHROPIC_CACHE_WRITE_FACTOR = 1.25;
/** Bounds the per-snapshot memo against clients inventing model names. */
const MEMO_LIMIT = 4096;
const PRICE_FIELDS = ['input', 'output', 'cache_read', 'cache_write'] as const;

interface ConfiguredPrice {
  test: GlobTest;
  price: Partial<ModelPrice>;
}

/** What one config snapshot prices with: compiled once, then memoised per provider and model. */
interface PriceBook {
  configured: ConfiguredPrice[];
  memo: Map<string, ModelPrice | null>;
}

const books = new WeakMap<RelayConfig, PriceBook>();

function bookFor(config: RelayConfig): PriceBook {
  let book = books.get(config);
  if (!book) {
    book = { configured: compileConfigured(config.pricing.models), memo: new Map() };
    books.set(config, book);
  }
  return book;
}

function compileConfigured(models: Record<string, Partial<ModelPrice>>): ConfiguredPrice[] {
  return Object.entries(models)
    .filter(([glob]) => glob.length > 0)
    .map(([glob, price]) => ({ test: compileGlob(glob), price: knownFields(price) }));
}

function resolvePrice(
  book: PriceBook,
  provider: ProviderConfig | undefined,
  model: string,
): ModelPrice | null {
  const anthropicCache = provider?.provider_type === 'anthropic';
  const levels = [
    configuredPrice(book.configured, model),
    provider ? providerPrice(provider, anthropicCache) : {},
    builtInPrice(model) ?? {},
  ];
  const merged: Partial<ModelPrice> = {};
  for (const field of PRICE_FIELDS) {
    const level = levels.find((candidate) => candidate[field] !== undefined);
    if (level) merged[field] = level[field];
  }
  if (PRICE_FIELDS.every((field) => merged[field] === undefined)) return null;
  const input = merged.input ?? 0;
  return Object.freeze({
    input,
    output: merged.output ?? 0,
    cache_read: merged.cache_read ?? cacheReadPrice(input),
    cache_write: merged.cache_write ?? cacheWritePrice(input, anthropicCache),
  });
}

function configuredPrice(configured: readonly ConfiguredPrice[], model: string): Partial<ModelPrice> {
  const bare = withoutVendor(model);
  for (const entry of configured) {
    if (entry.test(model) || (bare !== model && entry.test(bare))) return entry.price;
  }
  return {};
}

function providerPrice(provider: ProviderConfig, anthropicCache: boolean): Partial<ModelPrice> {
  const price: Partial<ModelPrice> = {};
  const input = provider.cost_per_m_input;
  if (isPrice(input) && input > 0) {
    price.input = input;
    price.cache_read = cacheReadPrice(input);
    price.cache_write = cacheWritePrice(input, anthropicCache);
  }
  if (isPrice(provider.cost_per_m_output) && provider.cost_per_m_output > 0) {
    price.output = provider.cost_per_m_output;
  }
  return price;
}

function cacheReadPrice(input: number): number {
  return roundPrice(input * CACHE_READ_SHARE);
}

function cacheWritePrice(input: number, anthropicCache: boolean): number {
  return anthropicCache ? roundPrice(input * ANTHROPIC_CACHE_WRITE_FACTOR) : input;
}

/** Keeps derived prices free of binary noise (0.1 * 3 = 0.30000000000000004). */
function roundPrice(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

function knownFields(price: Partial<ModelPrice>): Partial<ModelPrice> {
  const known: Partial<ModelPrice> = {};
  for (const field of PRICE_FIELDS) {
    const value = price[field];
    if (isPrice(value)) known[field] = value;
  }
  return known;
}

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
