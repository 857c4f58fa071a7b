// What a Messages request says, as text: for the echo, and for deterministic input token counts.
import { estimateTokens, isRecord, textOf } from '../shared/text';

/** The text of one content block: text, thinking, a tool call's name and input, a tool result's content. */
function blockText(block: unknown): string {
  if (typeof block === 'string') return block;
  if (!isRecord(block)) return '';
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' ? block.text : '';
    case 'thinking':
      return typeof block.thinking === 'string' ? block.thinking : '';
    case 'tool_use':
      return `${String(block.name)}${JSON.stringify(block.input ?? {})}`;
    case 'tool_result':
      return typeof block.content === 'string' ? block.content : contentText(block.content);
    default:
      return '';
  }
}

/** A message's or system prompt's `content`: a string or content blocks. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map(blockText).join('\n');
}

/** Everything a request puts before the model: system prompt, messages and tool definitions. */
export function promptText(body: Record<string, unknown>): string {
  const parts: string[] = [contentText(body.system)];
  if (Array.isArray(body.messages)) {
    for (const message of body.messages) if (isRecord(message)) parts.push(contentText(message.content));
  }
  if (Array.isArray(body.tools) && body.tools.length > 0) parts.push(JSON.stringify(body.tools));
  return parts.filter((part) => part !== '').join('\n');
}

/** `ceil(chars / 4)` of the prompt, at least 1: what `count_tokens` answers and `usage.input_tokens` says. */
export function countInputTokens(body: Record<string, unknown>): number {
  return Math.max(1, estimateTokens(promptText(body)));
}

/** The text parts of the last user message (tool results are not echoed). */
export function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const message: unknown = messages[i];
    if (isRecord(message) && message.role === 'user') return textOf(message.content);
  }
  return '';
}
