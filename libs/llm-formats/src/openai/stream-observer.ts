import { readOpenAiError } from './openai-error';
import { readOpenAiUsage, type TokenUsage } from '../usage';

/** Which OpenAI streaming dialect an SSE stream speaks. */
export type OpenAiStreamKind = 'chat' | 'completions' | 'responses' | 'generic';

/** What the relay needs to know about one upstream SSE event. */
export interface StreamObservation {
  /** Carries model output (text, tool call, reasoning, refusal) or a finish reason. */
  content: boolean;
  finishReason: string | null;
  usage: TokenUsage | null;
  /** A chat chunk with `choices: []` that only carries usage (what `include_usage` adds). */
  usageOnly: boolean;
  /** An in-band error event from upstream. */
  error: { message: string; type: string | null; code: string | null } | null;
  /** The stream's terminator (`[DONE]`, or a terminal Responses event). */
  done: boolean;
  /** The model the upstream says is serving, when the event names one. */
  model: string | null;
  /** The event's data as parsed (`'[DONE]'` for the terminator), for a transcoder to reuse. */
  parsed?: unknown;
}

const DONE: StreamObservation = {
  content: false,
  finishReason: null,
  usage: null,
  usageOnly: false,
  error: null,
  done: true,
  model: null,
  parsed: '[DONE]',
};

/** Returns null when the event's data is not valid JSON (a malformed event). */
export function observeOpenAiStreamEvent(
  kind: OpenAiStreamKind,
  data: string,
  eventName?: string,
): StreamObservation | null {
  if (data === '[DONE]') return DONE;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const event = parsed as Record<string, unknown>;
  const observation = observeParsedEvent(kind, event, eventName);
  observation.parsed = parsed;
  return observation;
}

function observeParsedEvent(
  kind: OpenAiStreamKind,
  event: Record<string, unknown>,
  eventName?: string,
): StreamObservation {
  switch (kind) {
    case 'chat':
    case 'completions':
      return observeChoicesChunk(event, kind);
    case 'responses':
      return observeResponsesEvent(event, eventName);
    default:
      return {
        content: true,
        finishReason: null,
        usage: readOpenAiUsage(event.usage),
        usageOnly: false,
        error: event.error ? readOpenAiError(event) : null,
        done: false,
        model: null,
      };
  }
}

function observeChoicesChunk(
  event: Record<string, unknown>,
  kind: 'chat' | 'completions',
): StreamObservation {
  const observation: StreamObservation = {
    content: false,
    finishReason: null,
    usage: readOpenAiUsage(event.usage),
    usageOnly: false,
    error: event.error ? readOpenAiError(event) : null,
    done: false,
    model: typeof event.model === 'string' ? event.model : null,
  };
  const choices = event.choices;
  if (!Array.isArray(choices)) return observation;
  if (choices.length === 0 && observation.usage) observation.usageOnly = true;
  for (const choice of choices as Record<string, unknown>[]) {
    if (typeof choice.finish_reason === 'string') {
      observation.finishReason = choice.finish_reason;
      observation.content = true;
    }
    if (kind === 'completions') {
      if (typeof choice.text === 'string' && choice.text.length > 0) observation.content = true;
      continue;
    }
    const delta = choice.delta as Record<string, unknown> | undefined;
    if (delta && deltaHasOutput(delta)) observation.content = true;
  }
  return observation;
}

function deltaHasOutput(delta: Record<string, unknown>): boolean {
  return (
    nonEmptyString(delta.content) ||
    nonEmptyString(delta.reasoning_content) ||
    nonEmptyString(delta.reasoning) ||
    nonEmptyString(delta.refusal) ||
    (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) ||
    (delta.function_call !== undefined && delta.function_call !== null)
  );
}

const nonEmptyString = (value: unknown): boolean => typeof value === 'string' && value.length > 0;

const RESPONSES_TERMINAL = new Set(['response.completed', 'response.incomplete']);

function observeResponsesEvent(event: Record<string, unknown>, eventName?: string): StreamObservation {
  const type = typeof event.type === 'string' ? event.type : (eventName ?? '');
  const response = event.response as Record<string, unknown> | undefined;
  const observation: StreamObservation = {
    content: type.endsWith('.delta') || type === 'response.output_item.added',
    finishReason: null,
    usage: null,
    usageOnly: false,
    error: null,
    done: false,
    model: typeof response?.model === 'string' ? response.model : null,
  };
  if (RESPONSES_TERMINAL.has(type)) {
    observation.done = true;
    observation.content = true;
    observation.finishReason = type === 'response.completed' ? 'stop' : 'incomplete';
    observation.usage = readOpenAiUsage(response?.usage);
  } else if (type === 'error') {
    observation.error = readOpenAiError(event) ?? { message: 'upstream error event', type: null, code: null };
  } else if (type === 'response.failed') {
    observation.error = readOpenAiError(response) ?? { message: 'response failed', type: null, code: null };
  }
  return observation;
}
