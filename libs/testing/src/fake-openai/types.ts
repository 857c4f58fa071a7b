// Public types of the fake OpenAI-compatible upstream.
import type {
  BehaviourOf,
  CutStreamBehaviourOf,
  DeliveryOptions,
  ErrorEventBehaviourOf,
  FakeUpstream,
  FakeUpstreamOptions,
  HangBehaviour,
  MalformedEventBehaviourOf,
  OkBehaviourOf,
  RecordedFile,
  RecordedRequest,
  ResetBehaviour,
  RuleHandle,
  RuleMatch,
  RuleOptions,
  SlowFirstTokenBehaviourOf,
  StallStreamBehaviourOf,
  StatusBehaviourOf,
  UnterminatedBehaviourOf,
} from '../shared/types';

/** The `error` object of OpenAI's error body: `{"error":{"message","type","param","code"}}`. */
export interface OpenAiError {
  message: string;
  type: string | null;
  param: string | null;
  code: string | null;
}

export interface ToolCallReply {
  name: string;
  /** A JSON string, or an object that is serialised for you. */
  arguments: string | Record<string, unknown>;
  /** Defaults to a generated `call_…` id. */
  id?: string;
}

/** Token counts that replace the deterministic ones; `totalTokens` defaults to prompt + completion. */
export interface UsageOverride {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
  cachedTokens?: number;
  reasoningTokens?: number;
}

/** What a successful answer contains and how fast it arrives. */
export interface ReplyOptions extends DeliveryOptions {
  /** Assistant text. Default `Echo: <last user text>`, or no text at all when tool calls are given. */
  content?: string;
  toolCalls?: ToolCallReply[];
  /** Emitted as `reasoning_content` (DeepSeek style) before the content. */
  reasoning?: string;
  usage?: UsageOverride;
  /** Default `tool_calls` when tool calls are given, else `stop`. */
  finishReason?: string;
}

// Stream faults count frames from the first one written (the role chunk of a chat stream counts as frame 1).
export type OkBehaviour = OkBehaviourOf<ReplyOptions>;
export type StatusBehaviour = StatusBehaviourOf<OpenAiError>;
export type { HangBehaviour, ResetBehaviour };
export type SlowFirstTokenBehaviour = SlowFirstTokenBehaviourOf<ReplyOptions>;
export type CutStreamBehaviour = CutStreamBehaviourOf<ReplyOptions>;
export type StallStreamBehaviour = StallStreamBehaviourOf<ReplyOptions>;
/** After the malformed frame, `then: 'continue'` goes on to `[DONE]`. */
export type MalformedEventBehaviour = MalformedEventBehaviourOf<ReplyOptions>;
export type ErrorEventBehaviour = ErrorEventBehaviourOf<ReplyOptions, OpenAiError>;
/** A complete stream (finish reason, usage if asked) that ends without `data: [DONE]`. */
export type NoDoneBehaviour = UnterminatedBehaviourOf<'noDone', ReplyOptions>;

/** How the fake answers one request. See `behaviours` for constructors. */
export type Behaviour = BehaviourOf<ReplyOptions, OpenAiError, 'noDone'>;

export type { RecordedFile, RecordedRequest, RuleHandle, RuleMatch, RuleOptions };

export type FakeOpenAiUpstreamOptions = FakeUpstreamOptions<ReplyOptions>;

/** `baseUrl` is `http://127.0.0.1:PORT/v1`. */
export type FakeOpenAiUpstream = FakeUpstream<Behaviour>;
