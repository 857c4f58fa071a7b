// Turns ReplyOptions into the concrete answer every endpoint renders in its own wire format.
import { DEFAULT_CHUNKS, echo, newId } from './text';
import type { ReplyOptions } from './types';

export { requestedModel } from '../shared/text';

export interface ResolvedToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface Answer {
  /** null when the answer is tool calls only. */
  content: string | null;
  toolCalls: ResolvedToolCall[];
  /** '' when there is none. */
  reasoning: string;
  finishReason: string;
  /** Chunks the content (and each tool call's arguments, and the reasoning) is streamed in. */
  pieces: number;
}

export function resolveAnswer(reply: ReplyOptions, echoedText: string): Answer {
  const toolCalls = (reply.toolCalls ?? []).map((call) => ({
    id: call.id ?? newId('call_').slice(0, 29),
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
  }));
  const content = reply.content ?? (toolCalls.length > 0 ? null : echo(echoedText));
  return {
    content,
    toolCalls,
    reasoning: reply.reasoning ?? '',
    finishReason: reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    pieces: reply.chunks ?? DEFAULT_CHUNKS,
  };
}

/** The text the answer's completion tokens are counted from. */
export function answerText(answer: Answer): string {
  let text = answer.content ?? '';
  for (const call of answer.toolCalls) text += call.name + call.arguments;
  return text;
}
