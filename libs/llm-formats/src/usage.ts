/** Token counts in one shape, whatever API reported them. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the provider's prompt cache. */
  cacheReadTokens: number;
  /** Input tokens written to the provider's prompt cache (Anthropic). */
  cacheWriteTokens: number;
  /** Output tokens spent on hidden reasoning (already included in outputTokens). */
  reasoningTokens: number;
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * Reads an OpenAI `usage` object: chat/completions (`prompt_tokens`, `completion_tokens`), Responses
 * (`input_tokens`, `output_tokens`) and embeddings (`prompt_tokens` only).
 */
export function readOpenAiUsage(usage: unknown): TokenUsage | null {
  if (!usage || typeof usage !== 'object') return null;
  const u = usage as Record<string, unknown>;
  const inputDetails = (u.prompt_tokens_details ?? u.input_tokens_details) as
    Record<string, unknown> | undefined;
  const outputDetails = (u.completion_tokens_details ?? u.output_tokens_details) as
    Record<string, unknown> | undefined;
  return {
    inputTokens: num(u.prompt_tokens ?? u.input_tokens),
    outputTokens: num(u.completion_tokens ?? u.output_tokens),
    cacheReadTokens: num(inputDetails?.cached_tokens),
    cacheWriteTokens: 0,
    reasoningTokens: num(outputDetails?.reasoning_tokens),
  };
}
