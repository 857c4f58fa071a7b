/**
 * OpenAI Responses API wire types (`POST /v1/responses`): the request, the response object and the
 * stream events the relay reads or writes. Fields the relay does not translate stay open as unknown
 * members so a request can be checked for them and rejected by name.
 */

export type ResponsesInputRole = 'user' | 'assistant' | 'system' | 'developer';
export type ResponsesItemStatus = 'in_progress' | 'completed' | 'incomplete';
export type ResponsesImageDetail = 'auto' | 'low' | 'high' | 'original';

// ---------------------------------------------------------------------------------------------
// Content parts

export interface ResponsesInputTextPart {
  type: 'input_text';
  text: string;
}

export interface ResponsesInputImagePart {
  type: 'input_image';
  /** An https URL or a `data:` URL. */
  image_url?: string | null;
  /** An OpenAI Files API id (not servable by a Chat Completions upstream). */
  file_id?: string | null;
  detail?: ResponsesImageDetail | null;
}

export interface ResponsesInputFilePart {
  type: 'input_file';
  file_id?: string | null;
  /** Base64 data URL of the file. */
  file_data?: string | null;
  file_url?: string | null;
  filename?: string | null;
}

export interface ResponsesOutputTextPart {
  type: 'output_text';
  text: string;
  annotations: unknown[];
  logprobs?: unknown[];
}

export interface ResponsesRefusalPart {
  type: 'refusal';
  refusal: string;
}

/** What a message item's `content` array may hold. */
export type ResponsesContentPart =
  | ResponsesInputTextPart
  | ResponsesInputImagePart
  | ResponsesInputFilePart
  | ResponsesOutputTextPart
  | ResponsesRefusalPart;

/** What a `function_call_output` item's `output` array may hold. */
export type ResponsesFunctionOutputPart =
  ResponsesInputTextPart | ResponsesInputImagePart | ResponsesInputFilePart;

export interface ResponsesSummaryText {
  type: 'summary_text';
  text: string;
}

export interface ResponsesReasoningText {
  type: 'reasoning_text';
  text: string;
}

// ---------------------------------------------------------------------------------------------
// Input items

export interface ResponsesMessageItem {
  /** Optional in the "easy" input message form. */
  type?: 'message';
  id?: string;
  role: ResponsesInputRole;
  content: string | ResponsesContentPart[];
  status?: ResponsesItemStatus;
  phase?: 'commentary' | 'final_answer' | null;
}

export interface ResponsesFunctionCallItem {
  type: 'function_call';
  /** The item id (`fc_...`); `call_id` is what outputs refer to. */
  id?: string;
  call_id: string;
  name: string;
  arguments: string;
  status?: ResponsesItemStatus;
}

export interface ResponsesFunctionCallOutputItem {
  type: 'function_call_output';
  id?: string | null;
  call_id: string;
  output: string | ResponsesFunctionOutputPart[];
  status?: ResponsesItemStatus | null;
}

export interface ResponsesReasoningItem {
  type: 'reasoning';
  id: string;
  summary: ResponsesSummaryText[];
  /** Raw reasoning text (open-weight models). */
  content?: ResponsesReasoningText[];
  encrypted_content?: string | null;
  status?: ResponsesItemStatus;
}

/** A pointer to an item stored server-side by an earlier response. */
export interface ResponsesItemReference {
  type: 'item_reference';
  id: string;
}

/** Items of built-in tools (web_search_call, computer_call, mcp_call, ...), never translated. */
export interface ResponsesOtherItem {
  type: string;
  [key: string]: unknown;
}

export type ResponsesInputItem =
  | ResponsesMessageItem
  | ResponsesFunctionCallItem
  | ResponsesFunctionCallOutputItem
  | ResponsesReasoningItem
  | ResponsesItemReference
  | ResponsesOtherItem;

// ---------------------------------------------------------------------------------------------
// Tools and options

export interface ResponsesFunctionTool {
  type: 'function';
  name: string;
  description?: string | null;
  parameters?: Record<string, unknown> | null;
  /** The Responses API defaults this to true; Chat Completions to false. */
  strict?: boolean | null;
}

/** web_search, web_search_preview, file_search, computer_use_preview, code_interpreter, mcp, custom, ... */
export interface ResponsesBuiltInTool {
  type: string;
  [key: string]: unknown;
}

export type ResponsesTool = ResponsesFunctionTool | ResponsesBuiltInTool;

export interface ResponsesFunctionToolChoice {
  type: 'function';
  name: string;
}

export interface ResponsesAllowedToolsChoice {
  type: 'allowed_tools';
  mode: 'auto' | 'required';
  tools: Array<{ type: string; name?: string; [key: string]: unknown }>;
}

export type ResponsesToolChoice =
  | 'auto'
  | 'none'
  | 'required'
  | ResponsesFunctionToolChoice
  | ResponsesAllowedToolsChoice
  /** Built-in tool choices: `{type:'web_search_preview'}`, `{type:'mcp', server_label}`, ... */
  | { type: string; [key: string]: unknown };

export type ResponsesTextFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      name: string;
      schema: Record<string, unknown>;
      description?: string;
      strict?: boolean | null;
    };

export type ResponsesReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

export interface ResponsesReasoningConfig {
  effort?: ResponsesReasoningEffort | string | null;
  summary?: 'auto' | 'concise' | 'detailed' | null;
  /** Deprecated alias of `summary`. */
  generate_summary?: 'auto' | 'concise' | 'detailed' | null;
}

export interface ResponsesTextConfig {
  format?: ResponsesTextFormat;
  verbosity?: 'low' | 'medium' | 'high' | null;
}

export type ResponsesIncludable =
  | 'reasoning.encrypted_content'
  | 'message.output_text.logprobs'
  | 'message.input_image.image_url'
  | 'file_search_call.results'
  | 'web_search_call.results'
  | 'web_search_call.action.sources'
  | 'computer_call_output.output.image_url'
  | 'code_interpreter_call.outputs'
  | string;

// ---------------------------------------------------------------------------------------------
// Request

export interface ResponsesRequest {
  model: string;
  input?: string | ResponsesInputItem[];
  instructions?: string | null;
  tools?: ResponsesTool[];
  tool_choice?: ResponsesToolChoice | null;
  parallel_tool_calls?: boolean | null;
  max_output_tokens?: number | null;
  /** Caps calls to built-in tools only. */
  max_tool_calls?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  top_logprobs?: number | null;
  stream?: boolean | null;
  stream_options?: { include_obfuscation?: boolean } | null;
  store?: boolean | null;
  background?: boolean | null;
  previous_response_id?: string | null;
  conversation?: string | { id: string } | null;
  prompt?: { id: string; [key: string]: unknown } | null;
  reasoning?: ResponsesReasoningConfig | null;
  text?: ResponsesTextConfig | null;
  metadata?: Record<string, string> | null;
  user?: string;
  safety_identifier?: string | null;
  prompt_cache_key?: string | null;
  prompt_cache_retention?: string | null;
  include?: ResponsesIncludable[] | null;
  truncation?: 'auto' | 'disabled' | null;
  service_tier?: 'auto' | 'default' | 'flex' | 'scale' | 'priority' | string | null;
  [key: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Response object

export interface ResponsesOutputMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  status: ResponsesItemStatus;
  content: Array<ResponsesOutputTextPart | ResponsesRefusalPart>;
}

export interface ResponsesOutputFunctionCall {
  id: string;
  type: 'function_call';
  status: ResponsesItemStatus;
  arguments: string;
  call_id: string;
  name: string;
}

export interface ResponsesOutputReasoning {
  id: string;
  type: 'reasoning';
  summary: ResponsesSummaryText[];
  encrypted_content?: string;
}

export type ResponsesOutputItem =
  ResponsesOutputMessage | ResponsesOutputFunctionCall | ResponsesOutputReasoning;

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: {
    cached_tokens: number;
    /** Present when the upstream reports prompt-cache writes (Anthropic). */
    cache_write_tokens?: number;
  };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponsesStatus = 'completed' | 'incomplete' | 'failed' | 'in_progress' | 'queued' | 'cancelled';

export interface ResponsesIncompleteDetails {
  reason: 'max_output_tokens' | 'content_filter';
}

export interface ResponsesError {
  code: string;
  message: string;
}

export interface ResponsesResponse {
  /** `resp_...` */
  id: string;
  object: 'response';
  created_at: number;
  status: ResponsesStatus;
  background: boolean;
  error: ResponsesError | null;
  incomplete_details: ResponsesIncompleteDetails | null;
  instructions: string | null;
  max_output_tokens: number | null;
  /** The model that served, not necessarily the one asked for. */
  model: string;
  output: ResponsesOutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  reasoning: { effort: string | null; summary: string | null };
  /** Always false: the relay keeps no response store. */
  store: boolean;
  temperature: number;
  text: ResponsesTextConfig;
  tool_choice: ResponsesToolChoice;
  tools: ResponsesTool[];
  top_p: number;
  truncation: 'auto' | 'disabled';
  usage: ResponsesUsage | null;
  user: string | null;
  metadata: Record<string, string>;
  service_tier?: string;
  [key: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Stream events (each SSE frame's `event:` name equals its `type`)

interface SequencedEvent {
  sequence_number: number;
}

export interface ResponsesLifecycleEvent extends SequencedEvent {
  type:
    | 'response.created'
    | 'response.in_progress'
    | 'response.completed'
    | 'response.incomplete'
    | 'response.failed';
  response: ResponsesResponse;
}

export interface ResponsesOutputItemEvent extends SequencedEvent {
  type: 'response.output_item.added' | 'response.output_item.done';
  output_index: number;
  item: ResponsesOutputItem;
}

interface ContentEventFields extends SequencedEvent {
  item_id: string;
  output_index: number;
  content_index: number;
}

export interface ResponsesContentPartEvent extends ContentEventFields {
  type: 'response.content_part.added' | 'response.content_part.done';
  part: ResponsesOutputTextPart | ResponsesRefusalPart;
}

export interface ResponsesOutputTextDeltaEvent extends ContentEventFields {
  type: 'response.output_text.delta';
  delta: string;
  logprobs: unknown[];
}

export interface ResponsesOutputTextDoneEvent extends ContentEventFields {
  type: 'response.output_text.done';
  text: string;
  logprobs: unknown[];
}

export interface ResponsesRefusalDeltaEvent extends ContentEventFields {
  type: 'response.refusal.delta';
  delta: string;
}

export interface ResponsesRefusalDoneEvent extends ContentEventFields {
  type: 'response.refusal.done';
  refusal: string;
}

interface SummaryEventFields extends SequencedEvent {
  item_id: string;
  output_index: number;
  summary_index: number;
}

export interface ResponsesReasoningSummaryPartEvent extends SummaryEventFields {
  type: 'response.reasoning_summary_part.added' | 'response.reasoning_summary_part.done';
  part: ResponsesSummaryText;
}

export interface ResponsesReasoningSummaryTextDeltaEvent extends SummaryEventFields {
  type: 'response.reasoning_summary_text.delta';
  delta: string;
}

export interface ResponsesReasoningSummaryTextDoneEvent extends SummaryEventFields {
  type: 'response.reasoning_summary_text.done';
  text: string;
}

export interface ResponsesFunctionCallArgumentsDeltaEvent extends SequencedEvent {
  type: 'response.function_call_arguments.delta';
  item_id: string;
  output_index: number;
  delta: string;
}

export interface ResponsesFunctionCallArgumentsDoneEvent extends SequencedEvent {
  type: 'response.function_call_arguments.done';
  item_id: string;
  output_index: number;
  arguments: string;
}

export type ResponsesStreamEvent =
  | ResponsesLifecycleEvent
  | ResponsesOutputItemEvent
  | ResponsesContentPartEvent
  | ResponsesOutputTextDeltaEvent
  | ResponsesOutputTextDoneEvent
  | ResponsesRefusalDeltaEvent
  | ResponsesRefusalDoneEvent
  | ResponsesReasoningSummaryPartEvent
  | ResponsesReasoningSummaryTextDeltaEvent
  | ResponsesReasoningSummaryTextDoneEvent
  | ResponsesFunctionCallArgumentsDeltaEvent
  | ResponsesFunctionCallArgumentsDoneEvent;

export type ResponsesStreamEventType = ResponsesStreamEvent['type'];
