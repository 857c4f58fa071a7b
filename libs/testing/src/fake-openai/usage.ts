// Deterministic token accounting and its three wire shapes (chat, legacy completions, Responses).
import { estimateTokens } from './text';
import type { UsageOverride } from './types';

export interface UsageNumbers {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
}

/** Prompt and answer tokens from text lengths; reasoning tokens count inside completion tokens, as at OpenAI. */
export function countUsage(
  promptText: string,
  answerText: string,
  reasoningText: string,
  override: UsageOverride | undefined,
): UsageNumbers {
  const reasoningTokens = override?.reasoningTokens ?? estimateTokens(reasoningText);
  const promptTokens = override?.promptTokens ?? Math.max(1, estimateTokens(promptText));
  const completionTokens = override?.completionTokens ?? estimateTokens(answerText) + reasoningTokens;
  return {
    promptTokens,
    completionTokens,
    totalTokens: override?.totalTokens ?? promptTokens + completionTokens,
    cachedTokens: override?.cachedTokens ?? 0,
    reasoningTokens,
  };
}

export function chatUsage(usage: UsageNumbers) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export function legacyUsage(usage: UsageNumbers) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
  };
}

export function responsesUsage(usage: UsageNumbers) {
  return {
    input_tokens: usage.promptTokens,
    input_tokens_details: { cached_tokens: usage.cachedTokens },
    output_tokens: usage.completionTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.totalTokens,
  };
}
