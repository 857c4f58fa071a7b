import type { ChatReasoningDetail, ChatResponse, ChatToolCall } from '../openai/chat.types';
import {
  anthropicTokenCounts,
  chatIdFromMessageId,
  chatUsageFromAnthropic,
  encryptedReasoningDetail,
  finishReasonForStopReason,
  reasoningTextDetail,
} from './format-mapping';
import type { MessagesResponse } from './messages.types';

/**
 * An Anthropic answer as a chat completion: text blocks joined into `content`, tool_use blocks as
 * `tool_calls`, thinking as `reasoning_content` plus signed `reasoning_details` (so the client can
 * send it back in a later turn). Server-tool blocks cannot occur: chat requests carry only function
 * tools.
 */
export function messagesToChatResponse(
  response: MessagesResponse,
  options: { created?: number } = {},
): ChatResponse {
  let text = '';
  let reasoning = '';
  const reasoningDetails: ChatReasoningDetail[] = [];
  const toolCalls: ChatToolCall[] = [];
  for (const block of response.content ?? []) {
    switch (block.type) {
      case 'text':
        text += block.text;
        break;
      case 'thinking':
        reasoning += block.thinking;
        reasoningDetails.push(reasoningTextDetail(block.thinking, block.signature, reasoningDetails.length));
        break;
      case 'redacted_thinking':
        reasoningDetails.push(encryptedReasoningDetail(block.data, reasoningDetails.length));
        break;
      case 'tool_use':
        toolCalls.push({
          id: block.id,
          type: 'function',
          function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
        });
        break;
    }
  }
  const message: ChatResponse['choices'][number]['message'] = {
    role: 'assistant',
    content: text || (toolCalls.length > 0 ? null : ''),
  };
  if (reasoning) message.reasoning_content = reasoning;
  if (reasoningDetails.length > 0) message.reasoning_details = reasoningDetails;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const result: ChatResponse = {
    id: chatIdFromMessageId(response.id),
    object: 'chat.completion',
    created: options.created ?? Math.floor(Date.now() / 1000),
    model: response.model,
    choices: [{ index: 0, message, finish_reason: finishReasonForStopReason(response.stop_reason) }],
  };
  if (response.usage) result.usage = chatUsageFromAnthropic(anthropicTokenCounts(response.usage));
  return result;
}
