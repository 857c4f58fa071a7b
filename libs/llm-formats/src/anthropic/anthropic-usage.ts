import type { TokenUsage } from '../usage';

const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;

/**
 * Reads an Anthropic `usage` object (a response's, or a stream's `message_start`/`message_delta`).
 *
 * Anthropic's `input_tokens` excludes the cached part of the prompt; `inputTokens` here is the whole
 * prompt (`input_tokens + cache_read_input_tokens + cache_creation_input_tokens`), like OpenAI's
 * `prompt_tokens`, so logs and costs compare across providers. Counts an event does not carry read
 * as 0 (the relay merges a stream's events by taking each field's maximum).
 */
export function readAnthropicUsage(usage: unknown): TokenUsage | null {
  if (!usage || typeof usage !== 'object') return null;
  const u = usage as Record<string, unknown>;
  const details = u.output_tokens_details as Record<string, unknown> | null | undefined;
  const cacheReadTokens = count(u.cache_read_input_tokens);
  const cacheWriteTokens = count(u.cache_creation_input_tokens);
  const uncached = count(u.input_tokens);
  return {
    inputTokens: uncached + cacheReadTokens + cacheWriteTokens,
    outputTokens: count(u.output_tokens),
    cacheReadTokens,
    cacheWriteTokens,
    reasoningTokens: count(details?.thinking_tokens),
  };
}
