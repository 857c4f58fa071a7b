import type { ChatResponse } from '../openai/chat.types';
import { plainReasoningText, reasoningSummaryTexts } from './reasoning-carrier';
import {
  fallbackCallId,
  functionCallItem,
  markLastItemIncomplete,
  messageItem,
  newResponseId,
  outputItemId,
  outputTextPart,
  reasoningItem,
  refusalPart,
  responseEnvelope,
  responsesUsage,
  terminalState,
} from './response-object';
import type {
  ResponsesOutputItem,
  ResponsesOutputMessage,
  ResponsesRequest,
  ResponsesResponse,
} from './responses.types';

export interface ChatToResponsesOptions {
  /** `resp_...`; generated when absent. Output item ids derive from it. */
  responseId?: string;
  /** Unix seconds; the chat answer's `created` when absent. */
  createdAt?: number;
}

/**
 * A chat answer as a Responses `response` object. Output items, in order: the reasoning (from
 * `reasoning_content`/`reasoning` and `reasoning_details`), the message (text, refusal), then one
 * function_call per tool call. `finish_reason` length or content_filter makes it `incomplete`.
 */
export function chatToResponsesResponse(
  response: ChatResponse,
  request: ResponsesRequest,
  options: ChatToResponsesOptions = {},
): ResponsesResponse {
  const id = options.responseId ?? newResponseId();
  const choice = response.choices?.[0];
  const message = choice?.message;
  const output: ResponsesOutputItem[] = [];

  if (message) {
    const plainReasoning = plainReasoningText(message);
    const details = Array.isArray(message.reasoning_details) ? message.reasoning_details : [];
    const summaries = reasoningSummaryTexts(plainReasoning, details);
    if (summaries.length > 0 || details.length > 0) {
      output.push(reasoningItem(outputItemId('rs', id, output.length), summaries, details));
    }

    const content: ResponsesOutputMessage['content'] = [];
    const text = messageText(message.content);
    if (text !== '') content.push(outputTextPart(text));
    if (typeof message.refusal === 'string' && message.refusal !== '')
      content.push(refusalPart(message.refusal));
    if (content.length > 0)
      output.push(messageItem(outputItemId('msg', id, output.length), content, 'completed'));

    for (const call of message.tool_calls ?? []) {
      const index = output.length;
      output.push(
        functionCallItem(
          outputItemId('fc', id, index),
          {
            callId: call.id || fallbackCallId(id, index),
            name: call.function?.name ?? '',
            arguments: call.function?.arguments ?? '',
          },
          'completed',
        ),
      );
    }
  }

  const state = terminalState(choice?.finish_reason);
  markLastItemIncomplete(output, state);
  const result = responseEnvelope(request, {
    id,
    createdAt: options.createdAt ?? response.created ?? Math.floor(Date.now() / 1000),
    model: response.model || request.model,
  });
  result.status = state.status;
  result.incomplete_details = state.incomplete_details;
  result.output = output;
  result.usage = responsesUsage(response.usage);
  if (typeof response.service_tier === 'string') result.service_tier = response.service_tier;
  return result;
}

/** Chat content as one text: a string, or the text parts of an array joined. */
function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: unknown; text?: unknown }) =>
      part && part.type === 'text' && typeof part.text === 'string' ? part.text : '',
    )
    .join('');
}
