import type {
  ChatChunk,
  ChatDelta,
  ChatReasoningDetail,
  ChatToolCallDelta,
  ChatUsage,
} from '../openai/chat.types';
import { readOpenAiError } from '../openai/openai-error';
import type { SseMessage, StreamTranscoder } from '../translation/stream-transcoder';
import { mergeReasoningDetailFragment, plainReasoningText, reasoningDetailText } from './reasoning-carrier';
import {
  fallbackCallId,
  functionCallItem,
  messageItem,
  newResponseId,
  outputItemId,
  outputTextPart,
  reasoningItem,
  refusalPart,
  responseEnvelope,
  responsesUsage,
  terminalState,
} from './response-object';
import type {
  ResponsesItemStatus,
  ResponsesOutputItem,
  ResponsesRequest,
  ResponsesResponse,
  ResponsesStreamEvent,
  ResponsesStreamEventType,
} from './responses.types';

export interface ChatToResponsesStreamOptions {
  /** The client's request: its settings are echoed in every response object. */
  request: ResponsesRequest;
  /** `resp_...`; generated when absent. Output item ids derive from it. */
  responseId?: string;
  /** Unix seconds; the first chunk's `created` when absent. */
  createdAt?: number;
}

/**
 * Chat chunks in (parsed, and `[DONE]`), Responses events out. See `ChatToResponsesStream`.
 */
export function createChatToResponsesStream(options: ChatToResponsesStreamOptions): StreamTranscoder {
  return new ChatToResponsesStream(options);
}

interface ReasoningState {
  kind: 'reasoning';
  outputIndex: number;
  id: string;
  summaries: string[];
  /** Which source fills the open summary part: -1 plain reasoning text, else a detail's position. */
  partSource: number | null;
  details: ChatReasoningDetail[];
  /** The upstream sends plain reasoning text; detail texts then only travel in encrypted_content. */
  plainText: boolean;
}

interface MessageState {
  kind: 'message';
  outputIndex: number;
  id: string;
  parts: Array<{ type: 'output_text' | 'refusal'; text: string }>;
  partOpen: boolean;
}

interface FunctionCallState {
  kind: 'function_call';
  outputIndex: number;
  id: string;
  callId: string;
  name: string;
  arguments: string;
}

type OpenItem = ReasoningState | MessageState | FunctionCallState;

/** A chat tool call as its fragments arrive; it becomes an output item once its name is known. */
interface ToolCallAssembly {
  id?: string;
  name?: string;
  pendingArguments: string;
  item?: FunctionCallState;
}

/** The event type whose `type` can be T (some interfaces cover an `.added`/`.done` pair). */
type EventOfType<T extends ResponsesStreamEventType> = ResponsesStreamEvent extends infer E
  ? E extends { type: infer K }
    ? T extends K
      ? E
      : never
    : never
  : never;
type EventFields<T extends ResponsesStreamEventType> = Omit<EventOfType<T>, 'type' | 'sequence_number'>;

/**
 * The Responses event lifecycle over a chat stream: `response.created`, `response.in_progress`,
 * then per output item `output_item.added`, its part/delta/done events and `output_item.done`, then
 * exactly one `response.completed` / `response.incomplete` (from `[DONE]` or `finish()`, whichever
 * comes first, because the usage chunk may follow the finish chunk).
 *
 * Items open in the order the upstream produces reasoning, text and tool calls; an item closes
 * when the next one opens or at the end, so text after a tool call opens a new message item.
 */
class ChatToResponsesStream implements StreamTranscoder {
  private readonly request: ResponsesRequest;
  private readonly responseId: string;
  private readonly createdAt: number | undefined;
  private sequence = 0;
  private envelope: ResponsesResponse | null = null;
  private ended = false;
  private model: string | null = null;
  private serviceTier: string | null = null;
  private finishReason: string | null = null;
  private usage: ChatUsage | null = null;
  private readonly output: ResponsesOutputItem[] = [];
  private open: OpenItem | null = null;
  private readonly toolCalls = new Map<number, ToolCallAssembly>();
  private lastToolCallKey = -1;

  constructor(options: ChatToResponsesStreamOptions) {
    this.request = options.request;
    this.responseId = options.responseId ?? newResponseId();
    this.createdAt = options.createdAt;
  }

  push(event: SseMessage): SseMessage[] {
    if (this.ended) return [];
    const out: SseMessage[] = [];
    if (event.data === '[DONE]') {
      this.start(out, null);
      this.end(out);
      return out;
    }
    if (!event.data || typeof event.data !== 'object') return out;
    const chunk = event.data as ChatChunk;
    this.start(out, chunk);
    if (typeof chunk.model === 'string' && chunk.model !== '') this.model ??= chunk.model;
    if (typeof chunk.service_tier === 'string') this.serviceTier = chunk.service_tier;
    if ((chunk as { error?: unknown }).error) {
      this.fail(out, chunk);
      return out;
    }
    if (chunk.usage) this.usage = chunk.usage;
    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    if (choice) {
      if (choice.delta) this.applyDelta(out, choice.delta);
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
    return out;
  }

  finish(): SseMessage[] {
    if (this.ended) return [];
    const out: SseMessage[] = [];
    this.start(out, null);
    this.end(out);
    return out;
  }

  // ---- lifecycle

  private emit<T extends ResponsesStreamEventType>(out: SseMessage[], type: T, fields: EventFields<T>): void {
    out.push({ event: type, data: { type, sequence_number: this.sequence++, ...fields } });
  }

  private start(out: SseMessage[], chunk: ChatChunk | null): void {
    if (this.envelope) return;
    const model = typeof chunk?.model === 'string' && chunk.model !== '' ? chunk.model : this.request.model;
    this.envelope = responseEnvelope(this.request, {
      id: this.responseId,
      createdAt:
        this.createdAt ??
        (typeof chunk?.created === 'number' ? chunk.created : Math.floor(Date.now() / 1000)),
      model,
    });
    this.emit(out, 'response.created', { response: { ...this.envelope } });
    this.emit(out, 'response.in_progress', { response: { ...this.envelope } });
  }

  private end(out: SseMessage[]): void {
    for (const call of this.toolCalls.values()) if (!call.item) this.openToolCall(out, call);
    const state = terminalState(this.finishReason);
    this.closeOpenItem(out, state.status === 'incomplete' ? 'incomplete' : 'completed');
    const response = this.snapshot();
    response.status = state.status;
    response.incomplete_details = state.incomplete_details;
    this.emit(out, state.status === 'incomplete' ? 'response.incomplete' : 'response.completed', {
      response,
    });
    this.ended = true;
  }

  /** An in-band upstream error: the response fails, and nothing after it is translated. */
  private fail(out: SseMessage[], chunk: ChatChunk): void {
    this.closeOpenItem(out, 'incomplete');
    const error = readOpenAiError(chunk);
    const response = this.snapshot();
    response.status = 'failed';
    response.error = { code: error?.code ?? 'upstream_error', message: error?.message ?? 'upstream error' };
    this.emit(out, 'response.failed', { response });
    this.ended = true;
  }

  private snapshot(): ResponsesResponse {
    const response: ResponsesResponse = {
      ...this.envelope!,
      model: this.model ?? this.envelope!.model,
      output: [...this.output],
      usage: responsesUsage(this.usage),
    };
    if (this.serviceTier !== null) response.service_tier = this.serviceTier;
    return response;
  }

  // ---- deltas

  private applyDelta(out: SseMessage[], delta: ChatDelta): void {
    const plainReasoning = plainReasoningText(delta);
    if (plainReasoning !== null) {
      const reasoning = this.reasoningItem(out);
      reasoning.plainText = true;
      this.summaryDelta(out, reasoning, plainReasoning, -1);
    }
    if (Array.isArray(delta.reasoning_details)) {
      for (const fragment of delta.reasoning_details) {
        if (fragment && typeof fragment === 'object') this.reasoningDetail(out, fragment);
      }
    }
    if (typeof delta.content === 'string' && delta.content !== '') {
      this.contentDelta(out, 'output_text', delta.content);
    }
    if (typeof delta.refusal === 'string' && delta.refusal !== '') {
      this.contentDelta(out, 'refusal', delta.refusal);
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const fragment of delta.tool_calls) if (fragment) this.toolCallDelta(out, fragment);
    }
  }

  private reasoningDetail(out: SseMessage[], fragment: ChatReasoningDetail): void {
    const reasoning = this.reasoningItem(out);
    mergeReasoningDetailFragment(reasoning.details, fragment);
    const text = reasoningDetailText(fragment);
    if (!reasoning.plainText && text !== '') {
      this.summaryDelta(out, reasoning, text, reasoning.details.length - 1);
    }
  }

  private contentDelta(out: SseMessage[], type: 'output_text' | 'refusal', text: string): void {
    const message = this.messageItem(out);
    let part = message.parts.at(-1);
    if (message.partOpen && part?.type !== type) this.closeContentPart(out, message);
    if (!message.partOpen) {
      part = { type, text: '' };
      message.parts.push(part);
      message.partOpen = true;
      this.emit(out, 'response.content_part.added', {
        ...this.contentAt(message),
        part: type === 'output_text' ? outputTextPart('') : refusalPart(''),
      });
    }
    part!.text += text;
    if (type === 'output_text') {
      this.emit(out, 'response.output_text.delta', { ...this.contentAt(message), delta: text, logprobs: [] });
    } else {
      this.emit(out, 'response.refusal.delta', { ...this.contentAt(message), delta: text });
    }
  }

  private toolCallDelta(out: SseMessage[], fragment: ChatToolCallDelta): void {
    const key = this.toolCallKey(fragment);
    let call = this.toolCalls.get(key);
    if (!call) {
      call = { pendingArguments: '' };
      this.toolCalls.set(key, call);
    }
    const argumentsPiece =
      typeof fragment.function?.arguments === 'string' ? fragment.function.arguments : '';
    const item = call.item;
    if (!item) {
      if (fragment.id) call.id = fragment.id;
      if (fragment.function?.name) call.name = fragment.function.name;
      call.pendingArguments += argumentsPiece;
      if (call.name !== undefined) this.openToolCall(out, call);
      return;
    }
    if (argumentsPiece === '') return;
    item.arguments += argumentsPiece;
    if (this.open === item) {
      this.emit(out, 'response.function_call_arguments.delta', {
        item_id: item.id,
        output_index: item.outputIndex,
        delta: argumentsPiece,
      });
    } else {
      // A fragment for a call already closed (interleaved upstream): it can only reach the final object.
      const done = this.output[item.outputIndex];
      if (done?.type === 'function_call')
        this.output[item.outputIndex] = { ...done, arguments: item.arguments };
    }
  }

  /** Chat numbers tool calls by `index`; a few servers omit it and start each call with its id. */
  private toolCallKey(fragment: ChatToolCallDelta): number {
    if (typeof fragment.index === 'number') return (this.lastToolCallKey = fragment.index);
    const last = this.toolCalls.get(this.lastToolCallKey);
    if (this.lastToolCallKey < 0 || (fragment.id && last?.id !== undefined && last.id !== fragment.id)) {
      this.lastToolCallKey = Math.max(this.lastToolCallKey + 1, this.toolCalls.size);
    }
    return this.lastToolCallKey;
  }

  // ---- opening items

  private beginItem(out: SseMessage[]): number {
    this.closeOpenItem(out, 'completed');
    return this.output.length;
  }

  private reasoningItem(out: SseMessage[]): ReasoningState {
    if (this.open?.kind === 'reasoning') return this.open;
    const outputIndex = this.beginItem(out);
    const state: ReasoningState = {
      kind: 'reasoning',
      outputIndex,
      id: outputItemId('rs', this.responseId, outputIndex),
      summaries: [],
      partSource: null,
      details: [],
      plainText: false,
    };
    this.placeItem(out, state, reasoningItem(state.id, [], []));
    return state;
  }

  private messageItem(out: SseMessage[]): MessageState {
    if (this.open?.kind === 'message') return this.open;
    const outputIndex = this.beginItem(out);
    const state: MessageState = {
      kind: 'message',
      outputIndex,
      id: outputItemId('msg', this.responseId, outputIndex),
      parts: [],
      partOpen: false,
    };
    this.placeItem(out, state, messageItem(state.id, [], 'in_progress'));
    return state;
  }

  private openToolCall(out: SseMessage[], call: ToolCallAssembly): void {
    const outputIndex = this.beginItem(out);
    const state: FunctionCallState = {
      kind: 'function_call',
      outputIndex,
      id: outputItemId('fc', this.responseId, outputIndex),
      callId: call.id ?? fallbackCallId(this.responseId, outputIndex),
      name: call.name ?? '',
      arguments: '',
    };
    call.item = state;
    this.placeItem(out, state, functionCallItem(state.id, state, 'in_progress'));
    if (call.pendingArguments !== '') {
      state.arguments = call.pendingArguments;
      this.emit(out, 'response.function_call_arguments.delta', {
        item_id: state.id,
        output_index: outputIndex,
        delta: call.pendingArguments,
      });
    }
  }

  /** The output slot is taken now (by the in-progress item) and replaced when the item closes. */
  private placeItem(out: SseMessage[], state: OpenItem, added: ResponsesOutputItem): void {
    this.output.push(added);
    this.open = state;
    this.emit(out, 'response.output_item.added', { output_index: state.outputIndex, item: added });
  }

  // ---- parts

  private summaryDelta(out: SseMessage[], reasoning: ReasoningState, text: string, source: number): void {
    if (reasoning.partSource !== null && reasoning.partSource !== source)
      this.closeSummaryPart(out, reasoning);
    if (reasoning.partSource === null) {
      reasoning.summaries.push('');
      reasoning.partSource = source;
      this.emit(out, 'response.reasoning_summary_part.added', {
        ...this.summaryAt(reasoning),
        part: { type: 'summary_text', text: '' },
      });
    }
    reasoning.summaries[reasoning.summaries.length - 1] += text;
    this.emit(out, 'response.reasoning_summary_text.delta', { ...this.summaryAt(reasoning), delta: text });
  }

  private closeSummaryPart(out: SseMessage[], reasoning: ReasoningState): void {
    const text = reasoning.summaries.at(-1) ?? '';
    this.emit(out, 'response.reasoning_summary_text.done', { ...this.summaryAt(reasoning), text });
    this.emit(out, 'response.reasoning_summary_part.done', {
      ...this.summaryAt(reasoning),
      part: { type: 'summary_text', text },
    });
    reasoning.partSource = null;
  }

  private closeContentPart(out: SseMessage[], message: MessageState): void {
    const part = message.parts.at(-1)!;
    if (part.type === 'output_text') {
      this.emit(out, 'response.output_text.done', {
        ...this.contentAt(message),
        text: part.text,
        logprobs: [],
      });
      this.emit(out, 'response.content_part.done', {
        ...this.contentAt(message),
        part: outputTextPart(part.text),
      });
    } else {
      this.emit(out, 'response.refusal.done', { ...this.contentAt(message), refusal: part.text });
      this.emit(out, 'response.content_part.done', {
        ...this.contentAt(message),
        part: refusalPart(part.text),
      });
    }
    message.partOpen = false;
  }

  private summaryAt(reasoning: ReasoningState) {
    return {
      item_id: reasoning.id,
      output_index: reasoning.outputIndex,
      summary_index: reasoning.summaries.length - 1,
    };
  }

  private contentAt(message: MessageState) {
    return {
      item_id: message.id,
      output_index: message.outputIndex,
      content_index: message.parts.length - 1,
    };
  }

  // ---- closing items

  /** `status` applies to messages and calls; it is `incomplete` only for the cut-off last item. */
  private closeOpenItem(out: SseMessage[], status: ResponsesItemStatus): void {
    const open = this.open;
    if (!open) return;
    this.open = null;
    let item: ResponsesOutputItem;
    if (open.kind === 'reasoning') {
      if (open.partSource !== null) this.closeSummaryPart(out, open);
      item = reasoningItem(open.id, open.summaries, open.details);
    } else if (open.kind === 'message') {
      if (open.partOpen) this.closeContentPart(out, open);
      item = messageItem(
        open.id,
        open.parts.map((part) =>
          part.type === 'output_text' ? outputTextPart(part.text) : refusalPart(part.text),
        ),
        status,
      );
    } else {
      this.emit(out, 'response.function_call_arguments.done', {
        item_id: open.id,
        output_index: open.outputIndex,
        arguments: open.arguments,
      });
      item = functionCallItem(open.id, open, status);
    }
    this.output[open.outputIndex] = item;
    this.emit(out, 'response.output_item.done', { output_index: open.outputIndex, item });
  }
}
