import type { ChatFinishReason, ChatReasoningDetail, ChatUsage } from '../openai/chat.types';
import { packReasoningDetails } from './reasoning-carrier';
import type {
  ResponsesIncompleteDetails,
  ResponsesItemStatus,
  ResponsesOutputFunctionCall,
  ResponsesOutputItem,
  ResponsesOutputMessage,
  ResponsesOutputReasoning,
  ResponsesOutputTextPart,
  ResponsesRefusalPart,
  ResponsesRequest,
  ResponsesResponse,
  ResponsesStatus,
  ResponsesUsage,
} from './responses.types';

/**
 * Building blocks of a Responses `response` object shared by the JSON and the stream path, so that
 * the stream's final `response.completed` is the object the JSON path would have answered.
 */

export const newResponseId = (): string => `resp_${globalThis.crypto.randomUUID().replaceAll('-', '')}`;

/** Item ids derive from the response id and the output index: both paths name items alike. */
export function outputItemId(kind: 'rs' | 'msg' | 'fc', responseId: string, outputIndex: number): string {
  return `${kind}_${responseId.replace(/^resp_/, '')}_${outputIndex}`;
}

/** Where a tool call's id is missing upstream, the call still needs one the client can answer. */
export const fallbackCallId = (responseId: string, outputIndex: number): string =>
  `call_${responseId.replace(/^resp_/, '')}_${outputIndex}`;

export interface ResponseIdentity {
  id: string;
  createdAt: number;
  /** The model that served (from the chat answer). */
  model: string;
}

/**
 * The response object with the request's settings echoed back as the OpenAI API does, empty output
 * and no usage; callers fill in status, output and usage.
 */
export function responseEnvelope(request: ResponsesRequest, identity: ResponseIdentity): ResponsesResponse {
  const text: ResponsesResponse['text'] = { format: request.text?.format ?? { type: 'text' } };
  if (request.text?.verbosity) text.verbosity = request.text.verbosity;
  return {
    id: identity.id,
    object: 'response',
    created_at: identity.createdAt,
    status: 'in_progress',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: identity.model,
    output: [],
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: request.reasoning?.summary ?? null },
    store: false,
    temperature: request.temperature ?? 1,
    text,
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_p: request.top_p ?? 1,
    truncation: request.truncation ?? 'disabled',
    usage: null,
    user: request.user ?? null,
    metadata: request.metadata ?? {},
  };
}

export interface TerminalState {
  status: Extract<ResponsesStatus, 'completed' | 'incomplete'>;
  incomplete_details: ResponsesIncompleteDetails | null;
}

export function terminalState(finishReason: ChatFinishReason | string | null | undefined): TerminalState {
  if (finishReason === 'length') {
    return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  }
  if (finishReason === 'content_filter') {
    return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  }
  return { status: 'completed', incomplete_details: null };
}

/**
 * The cut-off item of an incomplete response is the last one, when it is a message or a call
 * (reasoning items carry no status).
 */
export function markLastItemIncomplete(output: ResponsesOutputItem[], state: TerminalState): void {
  const last = output.at(-1);
  if (state.status === 'incomplete' && last && last.type !== 'reasoning') last.status = 'incomplete';
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

export function responsesUsage(usage: ChatUsage | null | undefined): ResponsesUsage | null {
  if (!usage || typeof usage !== 'object') return null;
  const inputTokens = count(usage.prompt_tokens);
  const outputTokens = count(usage.completion_tokens);
  const inputDetails: ResponsesUsage['input_tokens_details'] = {
    cached_tokens: count(usage.prompt_tokens_details?.cached_tokens),
  };
  if (typeof usage.cache_creation_input_tokens === 'number') {
    inputDetails.cache_write_tokens = usage.cache_creation_input_tokens;
  }
  return {
    input_tokens: inputTokens,
    input_tokens_details: inputDetails,
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: count(usage.completion_tokens_details?.reasoning_tokens) },
    total_tokens: typeof usage.total_tokens === 'number' ? usage.total_tokens : inputTokens + outputTokens,
  };
}

export const outputTextPart = (text: string): ResponsesOutputTextPart => ({
  type: 'output_text',
  text,
  annotations: [],
});

export const refusalPart = (refusal: string): ResponsesRefusalPart => ({ type: 'refusal', refusal });

export function reasoningItem(
  id: string,
  summaryTexts: readonly string[],
  details: readonly ChatReasoningDetail[],
): ResponsesOutputReasoning {
  const item: ResponsesOutputReasoning = {
    id,
    type: 'reasoning',
    summary: summaryTexts.map((text) => ({ type: 'summary_text', text })),
  };
  if (details.length > 0) item.encrypted_content = packReasoningDetails(details);
  return item;
}

export function messageItem(
  id: string,
  content: ResponsesOutputMessage['content'],
  status: ResponsesItemStatus,
): ResponsesOutputMessage {
  return { id, type: 'message', role: 'assistant', status, content };
}

export function functionCallItem(
  id: string,
  call: { callId: string; name: string; arguments: string },
  status: ResponsesItemStatus,
): ResponsesOutputFunctionCall {
  return {
    id,
    type: 'function_call',
    status,
    arguments: call.arguments,
    call_id: call.callId,
    name: call.name,
  };
}
