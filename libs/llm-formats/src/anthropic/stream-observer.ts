import type { StreamObservation } from '../openai/stream-observer';
import { readAnthropicError } from './anthropic-error';
import { readAnthropicUsage } from './anthropic-usage';

export type AnthropicStreamObservation = StreamObservation & { parsed: unknown };

/**
 * What the relay needs to know about one Anthropic SSE event. `eventName` is the SSE `event:` line;
 * the data's own `type` wins when both are present. Returns null when the data is not a JSON object
 * (a malformed event).
 */
export function observeAnthropicStreamEvent(
  eventName: string | undefined,
  data: string,
): AnthropicStreamObservation | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const event = parsed as Record<string, unknown>;
  const type = typeof event.type === 'string' ? event.type : (eventName ?? '');
  const observation: AnthropicStreamObservation = {
    content: false,
    finishReason: null,
    usage: null,
    usageOnly: false,
    error: null,
    done: false,
    model: null,
    parsed,
  };
  switch (type) {
    case 'message_start': {
      const message = asRecord(event.message);
      observation.model = typeof message.model === 'string' ? message.model : null;
      observation.usage = readAnthropicUsage(message.usage);
      break;
    }
    case 'content_block_start':
      observation.content = blockStartHasOutput(asRecord(event.content_block));
      break;
    case 'content_block_delta':
      observation.content = deltaHasOutput(asRecord(event.delta));
      break;
    case 'message_delta': {
      const stopReason = asRecord(event.delta).stop_reason;
      if (typeof stopReason === 'string') {
        observation.finishReason = stopReason;
        observation.content = true;
      }
      observation.usage = readAnthropicUsage(event.usage);
      break;
    }
    case 'message_stop':
      observation.done = true;
      break;
    case 'error': {
      const error = readAnthropicError(event);
      observation.error = {
        message: error?.message ?? 'upstream error event',
        type: error?.type ?? null,
        code: null,
      };
      break;
    }
  }
  return observation;
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' ? (value as Record<string, unknown>) : {};

const nonEmpty = (value: unknown): boolean => typeof value === 'string' && value.length > 0;

function blockStartHasOutput(block: Record<string, unknown>): boolean {
  switch (block.type) {
    case 'text':
      return nonEmpty(block.text);
    case 'thinking':
      return nonEmpty(block.thinking);
    default:
      // tool_use, server_tool_use, redacted_thinking, server tool results: output by themselves.
      return typeof block.type === 'string';
  }
}

function deltaHasOutput(delta: Record<string, unknown>): boolean {
  switch (delta.type) {
    case 'text_delta':
      return nonEmpty(delta.text);
    case 'thinking_delta':
      return nonEmpty(delta.thinking);
    case 'input_json_delta':
      return nonEmpty(delta.partial_json);
    default:
      return false;
  }
}
