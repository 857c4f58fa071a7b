import type { ChatMessage, ChatResponse } from '../openai/chat.types';
import { anthropicUsageFromChat, messageIdFromChatId, stopReasonForFinishReason } from './format-mapping';
import type { MessagesResponse, ResponseContentBlock, ThinkingBlock } from './messages.types';
import { readReasoningDetails, visibleReasoning } from './reasoning-details';

/**
 * A chat completion as an Anthropic message: thinking blocks, then text, then tool_use blocks
 * (empty text omitted). Tool call ids are kept as the upstream sent them: the client's tool_result
 * must refer to them on the next turn.
 */
export function chatToMessagesResponse(response: ChatResponse): MessagesResponse {
  const id = messageIdFromChatId(response.id);
  const choice = response.choices?.[0];
  const message = choice?.message;
  const content: ResponseContentBlock[] = message ? [...thinkingBlocks(message)] : [];
  const text = message ? messageText(message) : '';
  if (text) content.push({ type: 'text', text });
  const refusal = typeof message?.refusal === 'string' && message.refusal ? message.refusal : null;
  if (refusal) content.push({ type: 'text', text: refusal });
  (message?.tool_calls ?? []).forEach((call, i) => {
    content.push({
      type: 'tool_use',
      id: call.id || `toolu_${id.slice(4)}_${i}`,
      name: call.function?.name ?? '',
      input: parseArguments(call.function?.arguments),
    });
  });
  const calledTools = content.some((block) => block.type === 'tool_use');
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: response.model,
    content,
    stop_reason: refusal ? 'refusal' : stopReasonForFinishReason(choice?.finish_reason, calledTools),
    stop_sequence: null,
    usage: anthropicUsageFromChat(response.usage),
  };
}

/**
 * Signed thinking keeps its signature; reasoning an OpenAI-compatible model showed without one
 * becomes a thinking block with an empty signature (readable, not sendable back to Anthropic).
 */
function thinkingBlocks(message: ChatMessage): ResponseContentBlock[] {
  const entries = readReasoningDetails(message);
  const blocks: ResponseContentBlock[] = [];
  for (const entry of entries) {
    if (entry.kind === 'encrypted') {
      // Another vendor's encrypted reasoning is opaque to the client and to Anthropic alike.
      if (entry.signedByAnthropic) blocks.push({ type: 'redacted_thinking', data: entry.data });
      continue;
    }
    if (!entry.text && !entry.signature) continue;
    blocks.push(thinking(entry.text, entry.signedByAnthropic ? entry.signature : ''));
  }
  if (!blocks.some((block) => block.type === 'thinking')) {
    const visible = visibleReasoning(message);
    if (visible) blocks.unshift(thinking(visible, ''));
  }
  return blocks;
}

const thinking = (text: string, signature: string): ThinkingBlock => ({
  type: 'thinking',
  thinking: text,
  signature,
});

function messageText(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .join('');
}

/**
 * Tool arguments as the input object. Arguments that are not a JSON object (a model cut off by
 * max_tokens mid-call) become `{}`: Anthropic's `input` must be an object, and the client's own
 * input validation then reports the problem to the model.
 */
function parseArguments(args: string | undefined): Record<string, unknown> {
  if (!args) return {};
  try {
    const parsed: unknown = JSON.parse(args);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
