/**
 * One client request as the relay records it: shared by the relay (producer), the admin API and the
 * console's live log view.
 */

/** How one upstream attempt of a request ended. */
export type AttemptOutcome =
  | 'success'
  | 'rate_limited'
  | 'server_error'
  | 'connection_error'
  | 'timeout'
  | 'first_token_timeout'
  | 'auth_failed'
  | 'client_error'
  | 'context_length'
  | 'stream_failed'
  | 'no_key'
  | 'unsupported'
  | 'client_closed';

export interface RequestAttempt {
  provider: string;
  model: string;
  /** Key label (never the key), null when no key could be leased. */
  keyLabel: string | null;
  outcome: AttemptOutcome;
  /** Upstream HTTP status when one arrived. */
  status: number | null;
  durationMs: number;
  detail: string | null;
}

/** Coarse classes of failure, for filtering and statistics. */
export type RequestErrorType =
  | 'rate_limit'
  | 'timeout'
  | 'auth'
  | 'upstream_error'
  | 'connection'
  | 'client_error'
  | 'not_found'
  | 'stream_interrupted'
  | 'client_closed'
  | 'internal';

export interface RequestLogEntry {
  /** Unique, time-ordered (UUIDv7) id of this log entry: newest-first order is id order. */
  id: string;
  /** The request id (`x-request-id`, echoed from the client or generated). */
  requestId: string;
  /** Epoch milliseconds when the request arrived. */
  timestamp: number;
  /** `pending` while in flight, then the final state. */
  state: 'pending' | 'success' | 'failed';
  endpoint: string;
  method: string;
  path: string;
  streaming: boolean;
  /** Who called: `access_key`, or a user/relay key id once those exist. */
  principal: string;
  /** The user the request belongs to (null for the shared access key). */
  userId: string | null;
  /** The user's relay key that authenticated the request, if any. */
  relayKeyId: string | null;
  clientIp: string;
  userAgent: string;
  requestedModel: string | null;
  servedModel: string | null;
  provider: string | null;
  keyLabel: string | null;
  statusCode: number;
  latencyMs: number | null;
  firstTokenMs: number | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  errorType: RequestErrorType | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** More about the error (upstream status and body excerpt, stream position), JSON text. */
  errorDetails: string | null;
  /** Estimated cost in USD; null when no price is known for the model. */
  costUsd: number | null;
  /** The last user message, cut to `logging.content_preview_length` characters. */
  requestPreview: string | null;
  /** The answer's text (and tool calls), cut the same way. */
  responsePreview: string | null;
  attempts: RequestAttempt[];
  /** Routing decisions, in order. */
  routeSteps: string[];
}

/** The four bodies of an exchange, as stored (secrets redacted, each capped in size). */
export interface RequestLogBodies {
  /** What the client sent. */
  clientRequest: string | null;
  /** What the relay sent upstream (null when identical to the client's). */
  upstreamRequest: string | null;
  /** What the upstream answered (SSE text for streams). */
  upstreamResponse: string | null;
  /** What the client received (null when identical to the upstream's). */
  clientResponse: string | null;
  /** A body was cut at the size cap. */
  truncated: boolean;
}

/** `GET /api/logs` */
export interface RequestLogPage {
  entries: RequestLogEntry[];
  /** Requests still running (first page only), newest first. */
  inFlight: RequestLogEntry[];
  /** Pass as `cursor` for the next (older) page; null at the end. */
  nextCursor: string | null;
  /**
   * Where the live stream should resume for this page: subscribing with it as `Last-Event-ID`
   * misses nothing between the page and the stream (entries that had finished but were not yet in
   * the store when the page was read are replayed).
   */
  lastEventId: string;
}

/** Events of the live log stream (`GET /api/logs/stream`, SSE). */
export type LiveLogEvent =
  | { type: 'started'; entry: RequestLogEntry }
  | { type: 'finished'; entry: RequestLogEntry }
  | { type: 'cleared' };
