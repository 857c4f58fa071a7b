// Public types of the fake Anthropic Messages upstream.
import type {
  BehaviourOf,
  CutStreamBehaviourOf,
  DeliveryOptions,
  ErrorEventBehaviourOf,
  FakeUpstream,
  FakeUpstreamOptions,
  MalformedEventBehaviourOf,
  OkBehaviourOf,
  RecordedRequest,
  SlowFirstTokenBehaviourOf,
  StallStreamBehaviourOf,
  StatusBehaviourOf,
  UnterminatedBehaviourOf,
} from '../shared/types';

/** The `error` object of Anthropic's error body: `{"type":"error","error":{"type","message"},"request_id"}`. */
export interface AnthropicError {
  /** `invalid_request_error`, `authentication_error`, `rate_limit_error`, `overloaded_error`… */
  type: string;
  message: string;
}

export interface ToolUseReply {
  name: string;
  input: Record<string, unknown>;
  /** Defaults to a generated `toolu_…` id. */
  id?: string;
}

export interface ThinkingReply {
  /** The (summarised) thinking text. */
  text: string;
  /** Defaults to a deterministic base64 signature derived from the text. */
  signature?: string;
}

export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

/** Token counts that replace the deterministic ones. */
export interface AnthropicUsageOverride {
  inputTokens?: number;
  outputTokens?: number;
  /** Counted as 5-minute cache writes in `cache_creation`. */
  cacheCreationInputTokens?: number;
  cacheReadInputTokens?: number;
  /** Default `standard`. */
  serviceTier?: 'standard' | 'priority' | 'batch';
}

/** What a successful answer contains and how fast it arrives. */
export interface AnthropicReplyOptions extends DeliveryOptions {
  /** The text block. Default `Echo: <last user text>`, or no text block at all when tool uses are given. */
  content?: string;
  /** `tool_use` blocks after the text; their `input` streams as `input_json_delta` fragments. */
  toolUses?: ToolUseReply[];
  /** A `thinking` block first (with its signature). */
  thinking?: ThinkingReply;
  /** `redacted_thinking` blocks (their opaque `data`), after the thinking block. */
  redactedThinking?: string | string[];
  /** Default `tool_use` when tool uses are given, `stop_sequence` when `stopSequence` is, else `end_turn`. */
  stopReason?: StopReason;
  /** The `stop_sequence` matched; default the request's first `stop_sequences` entry when `stopReason` says so. */
  stopSequence?: string;
  usage?: AnthropicUsageOverride;
  /** Send `ping` events this often while a stream waits (slow first token, chunk delays, a stall). */
  pingIntervalMs?: number;
}

// Stream faults count frames from the first one written (`message_start` is frame 1).
export type AnthropicOkBehaviour = OkBehaviourOf<AnthropicReplyOptions>;
export type AnthropicStatusBehaviour = StatusBehaviourOf<AnthropicError>;
export type AnthropicSlowFirstTokenBehaviour = SlowFirstTokenBehaviourOf<AnthropicReplyOptions>;
export type AnthropicCutStreamBehaviour = CutStreamBehaviourOf<AnthropicReplyOptions>;
export type AnthropicStallStreamBehaviour = StallStreamBehaviourOf<AnthropicReplyOptions>;
/** After the malformed frame, `then: 'continue'` goes on to `message_stop`. */
export type AnthropicMalformedEventBehaviour = MalformedEventBehaviourOf<AnthropicReplyOptions>;
export type AnthropicErrorEventBehaviour = ErrorEventBehaviourOf<AnthropicReplyOptions, AnthropicError>;
/** A complete stream (every block, `message_delta` with the stop reason) that ends without `message_stop`. */
export type NoStopBehaviour = UnterminatedBehaviourOf<'noStop', AnthropicReplyOptions>;

/** How the fake answers one request. See `anthropicBehaviours` for constructors. */
export type AnthropicBehaviour = BehaviourOf<AnthropicReplyOptions, AnthropicError, 'noStop'>;

export interface AnthropicRecordedRequest extends RecordedRequest {
  /** The `anthropic-version` header. */
  anthropicVersion: string | undefined;
  /** The `anthropic-beta` header, split at commas. */
  anthropicBeta: string[];
  /** Which header carried the key: `x-api-key`, or `Authorization: Bearer` (how SDK 1.x sends an API key). */
  authScheme: 'x-api-key' | 'bearer' | undefined;
}

/** Unlike the OpenAI fake, a request without any key is refused (401) even when `keys` is not set. */
export interface FakeAnthropicUpstreamOptions extends FakeUpstreamOptions<AnthropicReplyOptions> {
  /** Accepted `anthropic-version` values. Default `ANTHROPIC_VERSIONS`. */
  versions?: string[];
}

/** `baseUrl` is `http://127.0.0.1:PORT`: the SDK and the relay append `/v1/messages`. */
export type FakeAnthropicUpstream = FakeUpstream<AnthropicBehaviour, AnthropicRecordedRequest>;
