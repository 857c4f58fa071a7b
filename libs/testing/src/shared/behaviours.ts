// Behaviour constructors every fake offers, for its reply options `R` and error object `E`.
// Each fake spreads these into its own `behaviours` object and adds its provider's errors.
import type {
  CutStreamBehaviourOf,
  DeliveryOptions,
  ErrorEventBehaviourOf,
  HangBehaviour,
  MalformedEventBehaviourOf,
  OkBehaviourOf,
  ResetBehaviour,
  SlowFirstTokenBehaviourOf,
  StallStreamBehaviourOf,
  StatusBehaviourOf,
} from './types';

export interface StatusOptions<E> {
  error?: Partial<E>;
  headers?: Record<string, string>;
}

export function commonBehaviours<R extends DeliveryOptions, E>() {
  const noReply = {} as R;
  return {
    /** A normal answer (what the fake answers without rules), with these reply options. */
    ok: (reply: R = noReply): OkBehaviourOf<R> => ({ kind: 'ok', ...reply }),

    /** Any status with the provider's error body (defaults per status) and optional extra headers. */
    status: (code: number, options: StatusOptions<E> = {}): StatusBehaviourOf<E> => ({
      kind: 'status',
      status: code,
      ...options,
    }),

    /** Reads the request and never answers, until the client gives up or the server closes. */
    hang: (): HangBehaviour => ({ kind: 'hang' }),

    /**
     * 200 headers (and a stream's opening frames: OpenAI's role chunk, Anthropic's `message_start` and
     * first `content_block_start`) at once, then `delayMs` before the first content.
     */
    slowFirstToken: (delayMs: number, reply: Omit<R, 'delayMs'> = noReply): SlowFirstTokenBehaviourOf<R> => ({
      kind: 'slowFirstToken',
      delayMs,
      ...reply,
    }),

    /** Destroys the connection without a response: the client sees ECONNRESET. */
    resetConnection: (): ResetBehaviour => ({ kind: 'reset' }),

    /** Streams `afterChunks` frames, then drops the connection (no finishing frames, no terminator). */
    cutStream: (afterChunks: number, reply: R = noReply): CutStreamBehaviourOf<R> => ({
      kind: 'cutStream',
      afterChunks,
      ...reply,
    }),

    /** Streams `afterChunks` frames, then goes silent with the connection open. */
    stallStream: (afterChunks: number, reply: R = noReply): StallStreamBehaviourOf<R> => ({
      kind: 'stallStream',
      afterChunks,
      ...reply,
    }),

    /** Streams `afterChunks` frames, then a frame whose JSON is cut off, then closes (or continues). */
    malformedEvent: (
      afterChunks: number,
      then: 'continue' | 'close' = 'close',
      reply: R = noReply,
    ): MalformedEventBehaviourOf<R> => ({ kind: 'malformedEvent', afterChunks, then, ...reply }),

    /** Streams `afterChunks` frames, then the provider's in-band error event, then closes without a terminator. */
    errorEvent: (
      afterChunks: number,
      error: Partial<E> = {},
      reply: R = noReply,
    ): ErrorEventBehaviourOf<R, E> => ({ kind: 'errorEvent', afterChunks, error, ...reply }),
  };
}
