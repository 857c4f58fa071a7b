/**
 * The names a served model is looked up under in the built-in price table. Upstreams spell one
 * model many ways: `openai/gpt-4o` (OpenRouter), `gpt-4o-2024-08-06` (dated snapshot),
 * `claude-3-5-sonnet-latest`, `anthropic/claude-3.5-sonnet:beta`, `google/gemini-2.0-flash-001`.
 */

/** OpenRouter's routing variants: the same model (and price), except `:free`. */
const OPENROUTER_VARIANT = /:(?:free|beta|thinking|nitro|floor|online|extended|exacto)$/;
/** `-2024-08-06`, `-20250514`, `@20241022` (Vertex), `-0613`/`-2411` (OpenAI/Mistral), `-001` (Gemini), `-latest`. */
const SNAPSHOT_SUFFIX = /(?:[-@](?:\d{4}-\d{2}-\d{2}|\d{8})|-\d{3,4}|-latest)$/;

export interface PricingNames {
  /** Lower case, without the vendor prefix and OpenRouter variant: `gpt-4o-2024-05-13`. */
  exact: string;
  /** `exact` without a snapshot date or version suffix: `gpt-4o`. */
  family: string;
  /** An OpenRouter `:free` variant, which costs nothing. */
  free: boolean;
}

export function pricingNames(model: string): PricingNames {
  const lower = model.trim().toLowerCase();
  const bare = withoutVendor(lower);
  const free = bare.endsWith(':free');
  const exact = bare.replace(OPENROUTER_VARIANT, '');
  return { exact, family: exact.replace(SNAPSHOT_SUFFIX, ''), free };
}

/** `openai/gpt-4o` -> `gpt-4o`; `accounts/fireworks/models/x` -> `x`. */
export function withoutVendor(model: string): string {
  const slash = model.lastIndexOf('/');
  return slash >= 0 ? model.slice(slash + 1) : model;
}
