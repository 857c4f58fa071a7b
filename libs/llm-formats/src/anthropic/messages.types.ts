/**
 * Anthropic Messages API wire types (request, response, stream events), as the API and the
 * Anthropic-compatible providers speak them. The converters read the documented members; unknown
 * block, tool and event types are typed loosely so they can be recognised and reported.
 */

export interface CacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

export interface TextBlock {
  type: 'text';
  text: string;
  cache_control?: CacheControl | null;
  /** Responses: where the text came from (documents, web search); requests may echo them back. */
  citations?: unknown[] | null;
}

export interface Base64ImageSource {
  type: 'base64';
  media_type: string;
  data: string;
}

export interface UrlImageSource {
  type: 'url';
  url: string;
}

/** A file uploaded through the Files API (beta); no equivalent outside Anthropic. */
export interface FileImageSource {
  type: 'file';
  file_id: string;
}

export interface ImageBlock {
  type: 'image';
  source: Base64ImageSource | UrlImageSource | FileImageSource;
  cache_control?: CacheControl | null;
}

export interface DocumentBlock {
  type: 'document';
  /** base64 (application/pdf), text (text/plain), content (blocks), url or file. */
  source: { type: string; media_type?: string; data?: string; url?: string; [key: string]: unknown };
  title?: string | null;
  context?: string | null;
  citations?: { enabled?: boolean } | null;
  cache_control?: CacheControl | null;
}

export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
  cache_control?: CacheControl | null;
}

export type ToolResultContentBlock = TextBlock | ImageBlock | DocumentBlock;

export interface ToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content?: string | ToolResultContentBlock[];
  is_error?: boolean;
  cache_control?: CacheControl | null;
}

export interface ThinkingBlock {
  type: 'thinking';
  thinking: string;
  /** Anthropic's proof that it produced `thinking`; required to send the block back. */
  signature: string;
}

export interface RedactedThinkingBlock {
  type: 'redacted_thinking';
  /** Encrypted, opaque thinking; sent back unchanged. */
  data: string;
}

/** A block the request may carry. */
export type ContentBlockParam =
  | TextBlock
  | ImageBlock
  | DocumentBlock
  | ToolUseBlock
  | ToolResultBlock
  | ThinkingBlock
  | RedactedThinkingBlock;

/** A block a response may carry (server tools add others, e.g. `server_tool_use`). */
export type ResponseContentBlock = TextBlock | ThinkingBlock | RedactedThinkingBlock | ToolUseBlock;

export interface MessageParam {
  role: 'user' | 'assistant';
  content: string | ContentBlockParam[];
}

/** A tool the client implements (`type` absent or `custom`). */
export interface CustomTool {
  type?: 'custom' | null;
  name: string;
  description?: string;
  input_schema: { type: 'object'; properties?: Record<string, unknown> | null; [key: string]: unknown };
  cache_control?: CacheControl | null;
  strict?: boolean;
}

/** A tool Anthropic runs or defines itself (web_search_20250305, bash_20250124, ...). */
export interface ServerTool {
  type: string;
  name: string;
  [key: string]: unknown;
}

export type MessagesTool = CustomTool | ServerTool;

export type MessagesToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean }
  | { type: 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

export type ThinkingConfig =
  | { type: 'enabled'; budget_tokens: number; display?: 'summarized' | 'omitted' | null }
  | { type: 'disabled' }
  | { type: 'adaptive'; display?: 'summarized' | 'omitted' | null };

export interface MessagesOutputConfig {
  effort?: 'low' | 'medium' | 'high' | 'xhigh' | 'max' | null;
  format?: { type: 'json_schema'; schema: Record<string, unknown> } | null;
}

export interface MessagesRequest {
  model: string;
  messages: MessageParam[];
  system?: string | TextBlock[];
  max_tokens: number;
  stop_sequences?: string[];
  stream?: boolean;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  tools?: MessagesTool[];
  tool_choice?: MessagesToolChoice;
  thinking?: ThinkingConfig;
  metadata?: { user_id?: string | null };
  output_config?: MessagesOutputConfig;
  [key: string]: unknown;
}

export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

export interface MessagesUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number } | null;
  [key: string]: unknown;
}

export interface MessagesResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ResponseContentBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  usage: MessagesUsage;
  [key: string]: unknown;
}

// Stream events (`event: <type>` with the same `type` in the data).

export interface MessageStartEvent {
  type: 'message_start';
  message: MessagesResponse;
}

export interface ContentBlockStartEvent {
  type: 'content_block_start';
  index: number;
  content_block: ResponseContentBlock;
}

export interface TextDelta {
  type: 'text_delta';
  text: string;
}

export interface InputJsonDelta {
  type: 'input_json_delta';
  partial_json: string;
}

export interface ThinkingDelta {
  type: 'thinking_delta';
  thinking: string;
}

export interface SignatureDelta {
  type: 'signature_delta';
  signature: string;
}

export interface CitationsDelta {
  type: 'citations_delta';
  citation: unknown;
}

export type ContentBlockDelta = TextDelta | InputJsonDelta | ThinkingDelta | SignatureDelta | CitationsDelta;

export interface ContentBlockDeltaEvent {
  type: 'content_block_delta';
  index: number;
  delta: ContentBlockDelta;
}

export interface ContentBlockStopEvent {
  type: 'content_block_stop';
  index: number;
}

/** Cumulative totals; newer API versions repeat the input and cache counts here. */
export interface MessageDeltaUsage {
  output_tokens: number;
  input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number } | null;
  [key: string]: unknown;
}

export interface MessageDeltaEvent {
  type: 'message_delta';
  delta: { stop_reason: StopReason | null; stop_sequence: string | null };
  usage: MessageDeltaUsage;
}

export interface MessageStopEvent {
  type: 'message_stop';
}

export interface PingEvent {
  type: 'ping';
}

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

export type MessagesErrorEvent = AnthropicErrorBody;

export type MessagesStreamEvent =
  | MessageStartEvent
  | ContentBlockStartEvent
  | ContentBlockDeltaEvent
  | ContentBlockStopEvent
  | MessageDeltaEvent
  | MessageStopEvent
  | PingEvent
  | MessagesErrorEvent;
