import type { ChatMessage } from '../openai/chat.types';
import { ANTHROPIC_REASONING_FORMAT } from './format-mapping';

/** One reasoning block of an assistant chat message, with stream fragments put back together. */
export type ReasoningEntry =
  | { kind: 'text'; text: string; signature: string; signedByAnthropic: boolean }
  | { kind: 'encrypted'; data: string; signedByAnthropic: boolean };

/**
 * Reads an assistant message's `reasoning_details` (OpenRouter's shape, which MonoRelay also
 * writes): fragments sharing an `index` are one block (text concatenated, last signature kept).
 * `signedByAnthropic` is false for details another vendor labelled with its own `format`: their
 * signatures and encrypted blobs mean nothing to Anthropic. When a client kept the text in
 * `reasoning_content` and only the signature in `reasoning_details`, the text is taken from there.
 */
export function readReasoningDetails(message: ChatMessage): ReasoningEntry[] {
  const details = Array.isArray(message.reasoning_details) ? message.reasoning_details : [];
  const entries: ReasoningEntry[] = [];
  const textByIndex = new Map<number, ReasoningEntry & { kind: 'text' }>();
  for (const detail of details) {
    if (!detail || typeof detail !== 'object') continue;
    const signedByAnthropic =
      detail.format === undefined || detail.format === null || detail.format === ANTHROPIC_REASONING_FORMAT;
    if (detail.type === 'reasoning.encrypted') {
      if (typeof detail.data === 'string' && detail.data) {
        entries.push({ kind: 'encrypted', data: detail.data, signedByAnthropic });
      }
      continue;
    }
    const text =
      detail.type === 'reasoning.summary' ? (detail as { summary?: unknown }).summary : detail.text;
    if (detail.type !== 'reasoning.text' && detail.type !== 'reasoning.summary') continue;
    let entry = typeof detail.index === 'number' ? textByIndex.get(detail.index) : undefined;
    if (!entry) {
      entry = { kind: 'text', text: '', signature: '', signedByAnthropic };
      entries.push(entry);
      if (typeof detail.index === 'number') textByIndex.set(detail.index, entry);
    }
    if (typeof text === 'string') entry.text += text;
    if (typeof detail.signature === 'string' && detail.signature) entry.signature = detail.signature;
  }
  const textEntries = entries.filter((entry) => entry.kind === 'text');
  const visible = visibleReasoning(message);
  if (textEntries.length === 1 && !textEntries[0].text && visible) textEntries[0].text = visible;
  return entries;
}

/** The reasoning text of a message or delta: DeepSeek's `reasoning_content` or OpenRouter's `reasoning`. */
export function visibleReasoning(message: {
  reasoning_content?: string | null;
  reasoning?: string | null;
}): string | null {
  const text = message.reasoning_content ?? message.reasoning;
  return typeof text === 'string' && text ? text : null;
}
