/**
 * OpenAI Chat Completions wire types (request, response, stream chunk), as the API and the
 * OpenAI-compatible providers speak them. Only what the relay reads or writes is typed strictly;
 * everything else passes through as unknown members.
 */

export type ChatRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function';

export interface ChatTextPart {
  type: 'text';
  text: string;
}

export interface ChatImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

/** Parts the relay does not translate (input_audio, file, refusal ...). */
export interface ChatOtherPart {
  type: string;
  [key: string]: unknown;
}

export type ChatContentPart = ChatTextPart | ChatImagePart | ChatOtherPart;

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/**
 * Reasoning as OpenRouter-style providers carry it, with the signature Anthropic needs to accept a
 * thinking block back in a later turn.
 */
export interface ChatReasoningDetail {
  type: 'reasoning.text' | 'reasoning.encrypted' | 'reasoning.summary' | string;
  text?: string;
  signature?: string | null;
  /** `reasoning.encrypted`: an opaque blob (Anthropic redacted_thinking). */
  data?: string;
  format?: string;
  index?: number;
}

export interface ChatMessage {
  role: ChatRole;
  content?: string | ChatContentPart[] | null;
  name?: string;
  /** assistant */
  tool_calls?: ChatToolCall[];
  /** assistant: DeepSeek-style visible reasoning */
  reasoning_content?: string | null;
  /** assistant: OpenRouter-style reasoning text */
  reasoning?: string | null;
  /** assistant: reasoning with signatures */
  reasoning_details?: ChatReasoningDetail[];
  refusal?: string | null;
  /** tool */
  tool_call_id?: string;
  [key: string]: unknown;
}

export interface ChatFunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export type ChatToolChoice =
  | 'none'
  | 'auto'
  | 'required'
  | { type: 'function'; function: { name: string } }
  | { type: string; [key: string]: unknown };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  /** Not in OpenAI's API; many compatible providers accept it. */
  top_k?: number | null;
  stop?: string | string[] | null;
  tools?: Array<ChatFunctionTool | { type: string; [key: string]: unknown }>;
  tool_choice?: ChatToolChoice;
  parallel_tool_calls?: boolean;
  user?: string;
  metadata?: Record<string, string>;
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high' | string | null;
  response_format?: { type: string; [key: string]: unknown };
  n?: number | null;
  [key: string]: unknown;
}

export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; [key: string]: unknown } | null;
  completion_tokens_details?: { reasoning_tokens?: number; [key: string]: unknown } | null;
  /** Anthropic's cache writes, carried for clients that want them (not an OpenAI field). */
  cache_creation_input_tokens?: number;
  [key: string]: unknown;
}

export interface ChatResponse {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: ChatMessage & { role: 'assistant' };
    finish_reason: ChatFinishReason | null;
    logprobs?: unknown;
  }>;
  usage?: ChatUsage;
  system_fingerprint?: string | null;
  [key: string]: unknown;
}

export interface ChatToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface ChatDelta {
  role?: 'assistant';
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  reasoning_details?: ChatReasoningDetail[];
  refusal?: string | null;
  tool_calls?: ChatToolCallDelta[];
  [key: string]: unknown;
}

export interface ChatChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: ChatDelta;
    finish_reason: ChatFinishReason | null;
    logprobs?: unknown;
  }>;
  usage?: ChatUsage | null;
  system_fingerprint?: string | null;
  [key: string]: unknown;
}
