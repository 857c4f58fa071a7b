/**
 * The value mappings shared by both directions of Anthropic Messages <-> OpenAI Chat Completions
 * translation: stop reasons, reasoning effort, usage, ids, image data URLs.
 */
import type { ChatFinishReason, ChatReasoningDetail, ChatUsage } from '../openai/chat.types';
import type { MessageDeltaUsage, MessagesUsage, StopReason } from './messages.types';

/** `reasoning_details[].format` for thinking Anthropic signed (the OpenRouter convention). */
export const ANTHROPIC_REASONING_FORMAT = 'anthropic-claude-v1';

/** A thinking block (or a fragment of one) as a `reasoning_details` entry. */
export function reasoningTextDetail(
  text: string,
  signature: string | undefined,
  index: number,
): ChatReasoningDetail {
  return {
    type: 'reasoning.text',
    text,
    ...(signature !== undefined && { signature: signature || null }),
    format: ANTHROPIC_REASONING_FORMAT,
    index,
  };
}

/** A redacted_thinking block as a `reasoning_details` entry. */
export function encryptedReasoningDetail(data: string, index: number): ChatReasoningDetail {
  return { type: 'reasoning.encrypted', data, format: ANTHROPIC_REASONING_FORMAT, index };
}

const FINISH_REASON_BY_STOP_REASON: Readonly<Record<StopReason, ChatFinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  // pause_turn: a server tool loop paused; the turn ended without an error.
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

export function finishReasonForStopReason(stopReason: string | null | undefined): ChatFinishReason {
  return FINISH_REASON_BY_STOP_REASON[stopReason as StopReason] ?? 'stop';
}

/** `tool_calls` also when an upstream ended a turn that called tools with `stop` (some do). */
export function stopReasonForFinishReason(
  finishReason: string | null | undefined,
  calledTools: boolean,
): StopReason {
  switch (finishReason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return calledTools ? 'tool_use' : 'end_turn';
  }
}

/**
 * OpenAI `reasoning_effort` -> Anthropic `thinking.budget_tokens`. Anthropic's minimum budget is
 * 1024; `none` means no thinking.
 */
export const THINKING_BUDGET_BY_EFFORT: Readonly<Record<string, number>> = {
  minimal: 1024,
  low: 4096,
  medium: 8192,
  high: 16384,
  xhigh: 32768,
};

/**
 * Anthropic `thinking.budget_tokens` -> OpenAI `reasoning_effort`: the inverse of the table above
 * for low/medium/high (the values every OpenAI-compatible reasoning API accepts).
 */
export function effortForThinkingBudget(budgetTokens: number): 'low' | 'medium' | 'high' {
  if (budgetTokens <= THINKING_BUDGET_BY_EFFORT.low) return 'low';
  if (budgetTokens <= THINKING_BUDGET_BY_EFFORT.medium) return 'medium';
  return 'high';
}

const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;

/** The counts of an Anthropic usage object, missing ones as 0. */
export interface AnthropicTokenCounts {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  thinking: number | null;
}

export function anthropicTokenCounts(usage: MessagesUsage | MessageDeltaUsage): AnthropicTokenCounts {
  const thinking = usage.output_tokens_details?.thinking_tokens;
  return {
    input: count(usage.input_tokens),
    output: count(usage.output_tokens),
    cacheRead: count(usage.cache_read_input_tokens),
    cacheCreation: count(usage.cache_creation_input_tokens),
    thinking: typeof thinking === 'number' ? thinking : null,
  };
}

/**
 * Anthropic counts the prompt in three disjoint parts (uncached, cache read, cache write); OpenAI's
 * `prompt_tokens` is the whole prompt with the cache reads inside it (`cached_tokens`). Cache writes
 * travel as the `cache_creation_input_tokens` extension field.
 */
export function chatUsageFromAnthropic(counts: AnthropicTokenCounts): ChatUsage {
  const promptTokens = counts.input + counts.cacheRead + counts.cacheCreation;
  const usage: ChatUsage = {
    prompt_tokens: promptTokens,
    completion_tokens: counts.output,
    total_tokens: promptTokens + counts.output,
    prompt_tokens_details: { cached_tokens: counts.cacheRead },
    cache_creation_input_tokens: counts.cacheCreation,
  };
  if (counts.thinking !== null) usage.completion_tokens_details = { reasoning_tokens: counts.thinking };
  return usage;
}

/** The inverse of {@link chatUsageFromAnthropic}. */
export function anthropicUsageFromChat(usage: ChatUsage | null | undefined): MessagesUsage {
  const cacheRead = count(usage?.prompt_tokens_details?.cached_tokens);
  const cacheCreation = count(usage?.cache_creation_input_tokens);
  const result: MessagesUsage = {
    input_tokens: Math.max(0, count(usage?.prompt_tokens) - cacheRead - cacheCreation),
    cache_creation_input_tokens: cacheCreation,
    cache_read_input_tokens: cacheRead,
    output_tokens: count(usage?.completion_tokens),
  };
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') result.output_tokens_details = { thinking_tokens: reasoning };
  return result;
}

const CHAT_ID_PREFIX = 'chatcmpl-';

/** `msg_...` -> `chatcmpl-msg_...` (reversible, see {@link messageIdFromChatId}). */
export function chatIdFromMessageId(messageId: string): string {
  return messageId.startsWith(CHAT_ID_PREFIX) ? messageId : `${CHAT_ID_PREFIX}${messageId}`;
}

/** Keeps Anthropic-like ids (also inside `chatcmpl-msg_...`); prefixes others with `msg_`. */
export function messageIdFromChatId(chatId: string | null | undefined): string {
  if (!chatId) return `msg_${randomSuffix()}`;
  if (chatId.startsWith('msg_')) return chatId;
  if (chatId.startsWith(`${CHAT_ID_PREFIX}msg_`)) return chatId.slice(CHAT_ID_PREFIX.length);
  return `msg_${chatId}`;
}

function randomSuffix(): string {
  let suffix = '';
  while (suffix.length < 24) suffix += Math.random().toString(36).slice(2);
  return suffix.slice(0, 24);
}

// data:<media type>[;param...];base64,<data>
const BASE64_DATA_URL = /^data:([^;,]+)((?:;[^;,]+)*);base64,/i;

/** Splits a base64 `data:` URL; null for any other URL (including non-base64 data URLs). */
export function parseBase64DataUrl(url: string): { mediaType: string; data: string } | null {
  const match = BASE64_DATA_URL.exec(url);
  if (!match) return null;
  return { mediaType: match[1].toLowerCase(), data: url.slice(match[0].length) };
}

export function base64DataUrl(mediaType: string, data: string): string {
  return `data:${mediaType};base64,${data}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
