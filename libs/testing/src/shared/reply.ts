// What an endpoint answers, before timing and faults are applied by the delivery step.

/** The frames a stream fault inserts, in the wire format of the stream they interrupt. */
export interface FaultFrames<E> {
  /** A frame whose JSON is cut off mid-way. */
  malformed: string;
  /** The in-band error, with `error` merged over the stream's default error. */
  error(error: Partial<E> | undefined, sequenceNumber: number): string;
}

/** An SSE stream as serialised frames, with the marks the fault behaviours need. */
export interface SseScript<E> {
  frames: string[];
  /** Index of the first closing frame (finish reason, usage, `message_delta`…); faults stop before it. */
  closingStart: number;
  /** Index of the first frame carrying content; `slowFirstToken` waits before it. */
  firstContentIndex: number;
  /** Sent after `frames` when the stream completes (`data: [DONE]`, `message_stop`); left out by `noDone`/`noStop`. */
  terminator: readonly string[];
  faults: FaultFrames<E>;
  /** Sent every `keepAliveMs` while the stream waits (Anthropic's `ping`); none when undefined. */
  keepAlive?: { frame: string; everyMs: number };
}

export type Reply<E> =
  | { type: 'json'; body: unknown }
  | { type: 'bytes'; contentType: string; body: Buffer | string }
  | { type: 'stream'; script: SseScript<E> }
  | { type: 'error'; status: number; error: E };

export interface EndpointContext<R> {
  body: Record<string, unknown>;
  reply: R;
  /** The `:id` of `/models/:id` and of fake file downloads. */
  pathParameter: string;
  /** The query string without `?`, or ''. */
  query: string;
  models: readonly string[];
  /** `http://127.0.0.1:PORT`, for URLs the fake hands out. */
  origin: string;
}

export type BodyKind = 'json' | 'multipart' | 'none';

export interface Endpoint<R, E> {
  bodyKind: BodyKind;
  /** Public endpoints skip the key check (fake file downloads). */
  public?: boolean;
  answer(context: EndpointContext<R>): Reply<E>;
}

export interface RouteMatch<R, E> {
  endpoint: Endpoint<R, E>;
  pathParameter: string;
}

export function failure<E>(status: number, error: E): Reply<E> {
  return { type: 'error', status, error };
}
