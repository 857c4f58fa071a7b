import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type SseEvent = EventSourceMessage;

export interface SseParser {
  /** Feeds raw bytes; complete events are delivered to the callback synchronously. */
  feed(chunk: Uint8Array | string): void;
}

/**
 * Incremental SSE parser over byte chunks. UTF-8 sequences split across chunks are decoded
 * correctly; `maxBufferSize` bounds what an upstream can make us hold for one event.
 */
export function createSseParser(
  onEvent: (event: SseEvent) => void,
  options: { maxBufferSize?: number; onComment?: (comment: string) => void } = {},
): SseParser {
  const decoder = new TextDecoder();
  const parser = createParser({
    onEvent,
    onComment: options.onComment,
    maxBufferSize: options.maxBufferSize ?? 8 * 1024 * 1024,
  });
  return {
    feed(chunk) {
      parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    },
  };
}
