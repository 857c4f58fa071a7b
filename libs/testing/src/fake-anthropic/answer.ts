// Turns reply options into the concrete content blocks, stop reason and usage of one answer.
import { DEFAULT_CHUNKS, echo, estimateTokens } from '../shared/text';
import { thinkingSignature, toolUseId } from './ids';
import { countInputTokens, lastUserText } from './prompt';
import type { AnthropicReplyOptions, StopReason } from './types';

export type AnswerBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface AnswerUsage {
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  serviceTier: string;
}

export interface Answer {
  /** In wire order: thinking, redacted thinking, text, tool uses. */
  blocks: AnswerBlock[];
  stopReason: StopReason;
  stopSequence: string | null;
  usage: AnswerUsage;
  /** Chunks each streamed text, thinking and tool input is split into. */
  pieces: number;
}

export function resolveAnswer(body: Record<string, unknown>, reply: AnthropicReplyOptions): Answer {
  const blocks: AnswerBlock[] = [];
  if (reply.thinking !== undefined) {
    const { text, signature } = reply.thinking;
    blocks.push({ type: 'thinking', thinking: text, signature: signature ?? thinkingSignature(text) });
  }
  const redacted = reply.redactedThinking;
  for (const data of redacted === undefined ? [] : typeof redacted === 'string' ? [redacted] : redacted) {
    blocks.push({ type: 'redacted_thinking', data });
  }
  const toolUses = reply.toolUses ?? [];
  const text = reply.content ?? (toolUses.length > 0 ? undefined : echo(lastUserText(body.messages)));
  if (text !== undefined) blocks.push({ type: 'text', text });
  for (const use of toolUses) {
    blocks.push({ type: 'tool_use', id: use.id ?? toolUseId(), name: use.name, input: use.input });
  }

  const stopReason =
    reply.stopReason ??
    (toolUses.length > 0 ? 'tool_use' : reply.stopSequence !== undefined ? 'stop_sequence' : 'end_turn');
  return {
    blocks,
    stopReason,
    stopSequence: stopReason === 'stop_sequence' ? matchedStopSequence(body, reply) : null,
    usage: countUsage(body, blocks, reply),
    pieces: reply.chunks ?? DEFAULT_CHUNKS,
  };
}

function matchedStopSequence(body: Record<string, unknown>, reply: AnthropicReplyOptions): string {
  if (reply.stopSequence !== undefined) return reply.stopSequence;
  const first: unknown = Array.isArray(body.stop_sequences) ? body.stop_sequences[0] : undefined;
  return typeof first === 'string' ? first : '\n\nHuman:';
}

/** The text output tokens are counted from. */
function outputText(blocks: readonly AnswerBlock[]): string {
  let text = '';
  for (const block of blocks) {
    if (block.type === 'thinking') text += block.thinking;
    else if (block.type === 'text') text += block.text;
    else if (block.type === 'tool_use') text += block.name + JSON.stringify(block.input);
  }
  return text;
}

function countUsage(
  body: Record<string, unknown>,
  blocks: readonly AnswerBlock[],
  reply: AnthropicReplyOptions,
): AnswerUsage {
  const override = reply.usage;
  return {
    inputTokens: override?.inputTokens ?? countInputTokens(body),
    outputTokens: override?.outputTokens ?? Math.max(1, estimateTokens(outputText(blocks))),
    cacheCreationInputTokens: override?.cacheCreationInputTokens ?? 0,
    cacheReadInputTokens: override?.cacheReadInputTokens ?? 0,
    serviceTier: override?.serviceTier ?? 'standard',
  };
}

/** `usage` of a message (and of `message_start`, with `output_tokens` as counted so far). */
export function messageUsage(usage: AnswerUsage, outputTokens = usage.outputTokens) {
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: usage.cacheCreationInputTokens,
    cache_read_input_tokens: usage.cacheReadInputTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: usage.cacheCreationInputTokens,
      ephemeral_1h_input_tokens: 0,
    },
    output_tokens: outputTokens,
    service_tier: usage.serviceTier,
  };
}

/** `usage` of `message_delta`: cumulative totals. */
export function deltaUsage(usage: AnswerUsage) {
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: usage.cacheCreationInputTokens,
    cache_read_input_tokens: usage.cacheReadInputTokens,
    output_tokens: usage.outputTokens,
  };
}
