import type { ChatRequest } from '../openai/chat.types';
import { UntranslatableError } from '../translation/stream-transcoder';
import { inputToChatMessages } from './input-to-chat-messages';
import type { ResponsesRequest } from './responses.types';
import { toolChoiceToChat, toolsToChat } from './tools-to-chat';

export { chatToResponsesResponse, type ChatToResponsesOptions } from './chat-to-responses';
export { createChatToResponsesStream, type ChatToResponsesStreamOptions } from './chat-to-responses-stream';

/**
 * A Responses request as a Chat Completions request, for upstreams that only serve chat.
 *
 * Decisions where the APIs differ (see the spec's golden files for each):
 * - `max_output_tokens` becomes `max_tokens`, the field every OpenAI-compatible server reads
 *   (OpenAI's own chat wants `max_completion_tokens` for reasoning models, but OpenAI serves
 *   Responses natively and never takes this path; an adapter may rename it as a vendor quirk).
 * - `previous_response_id`, `conversation`, `prompt` and `background` need server-side state: the
 *   relay is stateless, so they are rejected here. A native Responses upstream gets them unchanged,
 *   because no translation happens on that path.
 * - `store` is ignored (nothing is stored either way; the answer echoes `store: false`).
 * - `truncation: "auto"` is accepted: it only matters when the context overflows, and then the chat
 *   upstream answers with its context-length error instead of trimming, which the client sees.
 * - `include` values are all satisfiable or vacuous except `message.output_text.logprobs`, and
 *   `top_logprobs` likewise, which are rejected (logprobs are not translated).
 * - `reasoning.summary` is a display preference with no chat field: the upstream's reasoning text is
 *   returned as the summary whatever it asks for. `max_tool_calls` caps built-in tools only.
 * - `developer` messages become `system` messages (the same meaning to OpenAI; many
 *   OpenAI-compatible servers reject the developer role).
 */
export function responsesToChatRequest(request: ResponsesRequest): ChatRequest {
  rejectStatefulFields(request);
  const chat: ChatRequest = {
    model: request.model,
    messages: inputToChatMessages(request.instructions, request.input),
  };

  const tools = toolsToChat(request.tools);
  if (tools.length > 0) chat.tools = tools;
  const toolChoice = toolChoiceToChat(request.tool_choice, tools.length > 0);
  if (toolChoice !== undefined) chat.tool_choice = toolChoice;
  if (typeof request.parallel_tool_calls === 'boolean' && tools.length > 0) {
    chat.parallel_tool_calls = request.parallel_tool_calls;
  }

  if (isNumber(request.max_output_tokens)) chat.max_tokens = request.max_output_tokens;
  if (isNumber(request.temperature)) chat.temperature = request.temperature;
  if (isNumber(request.top_p)) chat.top_p = request.top_p;
  if (request.reasoning?.effort !== undefined && request.reasoning.effort !== null) {
    chat.reasoning_effort = request.reasoning.effort;
  }
  applyTextConfig(request, chat);
  if (request.metadata !== undefined && request.metadata !== null) chat.metadata = request.metadata;
  for (const key of [
    'user',
    'safety_identifier',
    'prompt_cache_key',
    'prompt_cache_retention',
    'service_tier',
  ] as const) {
    const value = request[key];
    if (typeof value === 'string') chat[key] = value;
  }
  if (request.stream === true) {
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  return chat;
}

const isNumber = (value: unknown): value is number => typeof value === 'number';

function rejectStatefulFields(request: ResponsesRequest): void {
  if (request.previous_response_id) {
    throw new UntranslatableError(
      'previous_response_id',
      'previous_response_id continues a conversation stored by the server; this model is served through ' +
        'Chat Completions by a stateless relay, so send the whole conversation in input instead',
    );
  }
  if (request.conversation) {
    throw new UntranslatableError(
      'conversation',
      'conversation refers to server-side conversation state, which a Chat Completions upstream does not have; ' +
        'send the whole conversation in input instead',
    );
  }
  if (request.prompt) {
    throw new UntranslatableError(
      'prompt',
      'prompt: stored prompt templates are only served by the OpenAI Responses API',
    );
  }
  if (request.background === true) {
    throw new UntranslatableError(
      'background',
      'background: background responses need a response store, and the relay is stateless',
    );
  }
  if (request.top_logprobs !== undefined && request.top_logprobs !== null) {
    throw new UntranslatableError(
      'top_logprobs',
      'top_logprobs: logprobs are not translated from Chat Completions',
    );
  }
  if (Array.isArray(request.include) && request.include.includes('message.output_text.logprobs')) {
    throw new UntranslatableError(
      'include',
      'include "message.output_text.logprobs": logprobs are not translated from Chat Completions',
    );
  }
  const contextManagement = request.context_management;
  if (Array.isArray(contextManagement) ? contextManagement.length > 0 : !!contextManagement) {
    throw new UntranslatableError(
      'context_management',
      'context_management: server-side compaction is only done by the OpenAI Responses API',
    );
  }
}

function applyTextConfig(request: ResponsesRequest, chat: ChatRequest): void {
  const format = request.text?.format;
  if (format !== undefined && format !== null) {
    if (format.type === 'json_object') {
      chat.response_format = { type: 'json_object' };
    } else if (format.type === 'json_schema') {
      const schema: Record<string, unknown> = { name: format.name, schema: format.schema };
      if (format.description !== undefined) schema.description = format.description;
      if (format.strict !== undefined && format.strict !== null) schema.strict = format.strict;
      chat.response_format = { type: 'json_schema', json_schema: schema };
    } else if (format.type !== 'text') {
      throw new UntranslatableError(
        'text.format',
        `text.format "${String((format as { type: unknown }).type)}" has no Chat Completions response_format`,
      );
    }
  }
  const verbosity = request.text?.verbosity;
  if (typeof verbosity === 'string') chat.verbosity = verbosity;
}
