// Public types every fake upstream shares: rules, recorded requests, behaviour shapes and the lifecycle.
// Each fake (OpenAI, Anthropic) fills in its own reply options `R` and error object `E`.

/** Fields a rule matches on; all given fields must equal the request's. */
export interface RuleMatch {
  /** The request body's `model` (JSON or multipart field). */
  model?: string;
  /** The request's API key: the `Authorization: Bearer` key (OpenAI) or the `x-api-key` (Anthropic). */
  key?: string;
  /** The request path, with or without the `/v1` prefix: `/chat/completions` or `/v1/chat/completions`. */
  path?: string;
}

export interface RuleOptions {
  /** The rule applies to this many requests, then expires. Default: forever. */
  times?: number;
}

export interface RuleHandle {
  /** How many requests this rule has answered. */
  readonly hits: number;
  /** Whether the rule is still in force (not expired or removed). */
  readonly active: boolean;
  remove(): void;
}

/** A multipart file part as recorded in `RecordedRequest.body`. */
export interface RecordedFile {
  filename: string;
  mimeType: string;
  bytes: number;
}

export interface RecordedRequest {
  /** 1, 2, 3… in arrival order. */
  id: number;
  method: string;
  /** Path without the query, e.g. `/v1/chat/completions`. */
  path: string;
  /** The query string without `?`, or ''. */
  query: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON body, or multipart fields with file parts as `RecordedFile`; undefined without a body. */
  body: Record<string, unknown> | undefined;
  /** The API key the request carried (see `RuleMatch.key`), if any. */
  key: string | undefined;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
  /** The status sent, once headers are out. */
  status: number | undefined;
  /** The client closed the connection before the response finished. */
  aborted: boolean;
  abortedAt: number | undefined;
}

/** Timing and chunking, common to the reply options of every fake. */
export interface DeliveryOptions {
  /** Wait before sending the response headers. */
  delayMs?: number;
  /** Wait between two stream frames. */
  chunkDelayMs?: number;
  /** How many stream chunks each streamed text (and tool input) is split into. Default 4. */
  chunks?: number;
}

/** Stream faults count frames from the first one written. */
export interface StreamFault {
  /** Frames written before the fault; never more than the frames before the finishing frame. */
  afterChunks: number;
}

export type OkBehaviourOf<R> = { kind: 'ok' } & R;
export interface StatusBehaviourOf<E> {
  kind: 'status';
  status: number;
  /** Merged over a default error for the status. */
  error?: Partial<E>;
  headers?: Record<string, string>;
  /** Sent instead of the JSON error body (e.g. an HTML 502 page from a proxy). */
  rawBody?: string;
  /** Content type of `rawBody`; default `text/html; charset=utf-8`. */
  contentType?: string;
}
export interface HangBehaviour {
  kind: 'hang';
}
export type SlowFirstTokenBehaviourOf<R> = { kind: 'slowFirstToken'; delayMs: number } & Omit<R, 'delayMs'>;
export interface ResetBehaviour {
  kind: 'reset';
}
export type CutStreamBehaviourOf<R> = { kind: 'cutStream' } & StreamFault & R;
export type StallStreamBehaviourOf<R> = { kind: 'stallStream' } & StreamFault & R;
export type MalformedEventBehaviourOf<R> = {
  kind: 'malformedEvent';
  /** After the malformed frame: `continue` the normal stream (to its end), or `close` it. Default `close`. */
  then?: 'continue' | 'close';
} & StreamFault &
  R;
export type ErrorEventBehaviourOf<R, E> = { kind: 'errorEvent'; error?: Partial<E> } & StreamFault & R;
/** The kind of a complete stream that lacks its terminator: OpenAI's `[DONE]`, Anthropic's `message_stop`. */
export type UnterminatedKind = 'noDone' | 'noStop';
export type UnterminatedBehaviourOf<K extends UnterminatedKind, R> = { kind: K } & R;

/** How a fake answers one request, for reply options `R`, error object `E` and its unterminated kind `K`. */
export type BehaviourOf<R, E, K extends UnterminatedKind> =
  | OkBehaviourOf<R>
  | StatusBehaviourOf<E>
  | HangBehaviour
  | SlowFirstTokenBehaviourOf<R>
  | ResetBehaviour
  | CutStreamBehaviourOf<R>
  | StallStreamBehaviourOf<R>
  | MalformedEventBehaviourOf<R>
  | ErrorEventBehaviourOf<R, E>
  | UnterminatedBehaviourOf<K, R>;

/** Any fake's behaviour, as the shared machinery sees it. */
export type AnyBehaviour<E> = BehaviourOf<DeliveryOptions, E, UnterminatedKind>;

export interface FakeUpstreamOptions<R> {
  /** Accepted keys; any other key gets 401. Default: every key is accepted. */
  keys?: string[];
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Served by `GET /v1/models`. */
  models?: string[];
  /** The answer when no rule matches (defaults for every `ok`-like behaviour too). */
  defaultReply?: R;
  /** Keep `requests`. Default true; a long benchmark turns it off to keep memory flat. */
  recordRequests?: boolean;
}

/** A running fake upstream answering with behaviours `B` and recording requests as `Q`. */
export interface FakeUpstream<B, Q extends RecordedRequest = RecordedRequest> {
  /** What a client's base URL is set to: `http://127.0.0.1:PORT/v1` (OpenAI), `http://127.0.0.1:PORT` (Anthropic). */
  readonly baseUrl: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly port: number;
  /** Whether the server is listening (false between `goDown` and `comeBack`). */
  readonly isUp: boolean;
  /** Requests in arrival order (the same array across `reset`). */
  readonly requests: readonly Q[];
  /** Adds a rule; rules are checked newest first. */
  when(match: RuleMatch, behaviour: B, options?: RuleOptions): RuleHandle;
  /** Clears rules and recorded requests. */
  reset(): void;
  /** Stops listening and drops open connections: new connections get ECONNREFUSED. */
  goDown(): Promise<void>;
  /** Listens again on the same port. */
  comeBack(): Promise<void>;
  /**
   * Goes down now and comes back after `ms` on the same port. `recovered` settles once listening again,
   * or at once if `goDown`, `comeBack` or `close` cancels the pending recovery.
   */
  downFor(ms: number): Promise<{ recovered: Promise<void> }>;
  /** Stops the server, every connection and every timer. */
  close(): Promise<void>;
}
