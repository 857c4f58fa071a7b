import {
  SSE_DONE,
  type StreamObservation,
  type StreamTranscoder,
  type TokenUsage,
  createSseParser,
  formatSseComment,
  formatSseEvent,
  observeAnthropicStreamEvent,
  observeOpenAiStreamEvent,
  serializeSseMessages,
  streamEventText,
  type PreviewDialect,
} from '@monorelay/llm-formats';
import type { SseParser } from '@monorelay/llm-formats';
import { type StreamDialect, previewDialect } from './relay-endpoints';

/** Enough answer text for any preview length a config would sensibly set. */
const PREVIEW_GATHER_LIMIT = 4000;

/** Turns upstream events into what the client gets. */
export interface StreamOutput {
  /** Client text for one valid upstream event. */
  event(observation: StreamObservation, data: string, eventName: string | undefined): string;
  /** Client text that closes a stream the upstream completed (terminator already seen or not). */
  end(upstreamSentTerminator: boolean): string;
}

/**
 * Same API both sides: events are re-framed unchanged; the usage-only chunk the relay asked for is
 * dropped when the client did not ask for it; a completed stream missing its terminator gets one.
 */
export function passthroughOutput(dialect: StreamDialect, dropUsageOnlyChunk: boolean): StreamOutput {
  return {
    event(observation, data, eventName) {
      if (observation.usageOnly && dropUsageOnlyChunk) return '';
      return data === '[DONE]' ? SSE_DONE : formatSseEvent(data, eventName);
    },
    end(upstreamSentTerminator) {
      if (upstreamSentTerminator) return '';
      if (dialect === 'chat' || dialect === 'completions') return SSE_DONE;
      if (dialect === 'messages') return formatSseEvent('{"type":"message_stop"}', 'message_stop');
      return '';
    },
  };
}

/** Different APIs: every event goes through the transcoder, which also writes the closing events. */
export function transcodedOutput(transcoder: StreamTranscoder): StreamOutput {
  return {
    event(observation, _data, eventName) {
      return serializeSseMessages(transcoder.push({ event: eventName, data: observation.parsed ?? null }));
    },
    end() {
      return serializeSseMessages(transcoder.finish());
    },
  };
}

function observe(
  dialect: StreamDialect,
  data: string,
  eventName: string | undefined,
): StreamObservation | null {
  return dialect === 'messages'
    ? observeAnthropicStreamEvent(eventName, data)
    : observeOpenAiStreamEvent(dialect, data, eventName);
}

/**
 * Reads an upstream SSE stream event by event: notes first-content time, usage, finish reason and
 * failures on the side, and prepares the client's text through a {@link StreamOutput}.
 */
export class SseRelayStream {
  firstContentAt: number | null = null;
  usage: TokenUsage | null = null;
  finishReason: string | null = null;
  servedModel: string | null = null;
  /** The upstream's terminator arrived. */
  done = false;
  /** Why the stream cannot continue (malformed event or upstream error event), else null. */
  failure: { message: string; code: string } | null = null;
  /** The answer's text so far, for the log's preview (bounded). */
  previewText = '';

  private readonly parser: SseParser;
  private readonly previewDialect: PreviewDialect;
  private out: string[] = [];
  private forwardComments = false;

  constructor(
    private readonly dialect: StreamDialect,
    private readonly output: StreamOutput,
    private readonly now: () => number,
  ) {
    this.previewDialect = previewDialect(dialect);
    this.parser = createSseParser((event) => this.onEvent(event.data, event.event), {
      onComment: (comment) => {
        if (this.forwardComments) this.out.push(formatSseComment(comment.trim()));
      },
    });
  }

  feed(chunk: Uint8Array): void {
    if (this.failure === null) this.parser.feed(chunk);
  }

  /** Once the client's response is committed, upstream keep-alive comments are forwarded too. */
  committed(): void {
    this.forwardComments = true;
  }

  /** What is ready to be written to the client since the last call ('' when nothing). */
  take(): string {
    if (this.out.length === 0) return '';
    const text = this.out.length === 1 ? this.out[0] : this.out.join('');
    this.out = [];
    return text;
  }

  /**
   * The upstream closed its stream. True when it completed (its terminator, or a finish reason
   * without the terminator, which is a normal end), and the closing events are queued; false when
   * it was cut.
   */
  complete(): boolean {
    const completed = this.done || this.finishReason !== null || this.dialect === 'generic';
    if (completed) this.out.push(this.output.end(this.done));
    return completed;
  }

  private onEvent(data: string, eventName: string | undefined): void {
    if (this.failure !== null) return;
    const observation = observe(this.dialect, data, eventName);
    if (observation === null) {
      this.failure = { message: 'upstream sent a malformed stream event', code: 'malformed_upstream_event' };
      return;
    }
    if (observation.error) {
      this.failure = {
        message: `upstream error in stream: ${observation.error.message}`,
        code: observation.error.code ?? 'upstream_stream_error',
      };
      return;
    }
    if (observation.usage) this.usage = mergeUsage(this.usage, observation.usage);
    if (observation.model && this.servedModel === null) this.servedModel = observation.model;
    if (observation.finishReason) this.finishReason = observation.finishReason;
    if (observation.content && this.firstContentAt === null) this.firstContentAt = this.now();
    if (observation.done) this.done = true;
    if (this.previewText.length < PREVIEW_GATHER_LIMIT) {
      const answer = streamEventText(this.previewDialect, observation.parsed);
      if (answer) this.previewText += answer;
    }
    const text = this.output.event(observation, data, eventName);
    if (text) this.out.push(text);
  }
}

/** Streams report usage piecemeal (Anthropic: input at the start, output at the end): keep the max. */
function mergeUsage(known: TokenUsage | null, next: TokenUsage): TokenUsage {
  if (!known) return next;
  return {
    inputTokens: Math.max(known.inputTokens, next.inputTokens),
    outputTokens: Math.max(known.outputTokens, next.outputTokens),
    cacheReadTokens: Math.max(known.cacheReadTokens, next.cacheReadTokens),
    cacheWriteTokens: Math.max(known.cacheWriteTokens, next.cacheWriteTokens),
    reasoningTokens: Math.max(known.reasoningTokens, next.reasoningTokens),
  };
}
