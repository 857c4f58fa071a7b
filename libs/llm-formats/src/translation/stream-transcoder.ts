import { formatSseEvent } from '../sse/sse-writer';

/** One SSE event, its JSON payload parsed (or the literal `[DONE]`). */
export interface SseMessage {
  /** The `event:` name, when the format uses one (Anthropic, Responses). */
  event?: string;
  data: unknown;
}

/**
 * An incremental, stateful converter from one API's stream to another's: upstream events in,
 * client events out, chunk by chunk (nothing is buffered beyond what the target format needs,
 * e.g. a tool call's name before its first argument fragment).
 */
export interface StreamTranscoder {
  /** One upstream event (already validated and parsed). Returns the client events it produces. */
  push(event: SseMessage): SseMessage[];
  /** The upstream stream ended normally: the client events that close the stream. */
  finish(): SseMessage[];
}

/** Feeds what `first` produces into `second` (e.g. Anthropic -> chat -> Responses). */
export function composeTranscoders(first: StreamTranscoder, second: StreamTranscoder): StreamTranscoder {
  return {
    push: (event) => first.push(event).flatMap((produced) => second.push(produced)),
    finish: () => [...first.finish().flatMap((produced) => second.push(produced)), ...second.finish()],
  };
}

/** SSE text for events produced by a transcoder. */
export function serializeSseMessages(events: readonly SseMessage[]): string {
  let text = '';
  for (const { event, data } of events) {
    text += formatSseEvent(data === '[DONE]' ? '[DONE]' : JSON.stringify(data), event);
  }
  return text;
}

/**
 * A request field that cannot be carried into the target API. The relay answers 400 in the
 * client's own format naming `param`, instead of dropping the field silently.
 */
export class UntranslatableError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = 'UntranslatableError';
  }
}
