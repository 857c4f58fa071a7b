import type { ChatChunk, ChatDelta, ChatToolCallDelta, ChatUsage } from '../openai/chat.types';
import type { SseMessage, StreamTranscoder } from '../translation/stream-transcoder';
import {
  ANTHROPIC_REASONING_FORMAT,
  anthropicUsageFromChat,
  messageIdFromChatId,
  stopReasonForFinishReason,
} from './format-mapping';
import type {
  ContentBlockDelta,
  MessagesStreamEvent,
  ResponseContentBlock,
  StopReason,
} from './messages.types';
import { visibleReasoning } from './reasoning-details';

export interface ChatToMessagesStreamOptions {
  /** The model to name in `message_start` (the one that actually serves). */
  model: string;
  /** Default: derived from the first chunk's id (`msg_...`). */
  messageId?: string;
}

type OpenBlock =
  | { kind: 'text'; index: number }
  | { kind: 'thinking'; index: number; signature: string; detailIndex: number | undefined }
  | { kind: 'tool'; index: number; key: number };

interface ToolCallState {
  id: string | undefined;
  name: string | undefined;
  /** Its Anthropic block index, once opened (it opens when its name is known). */
  blockIndex: number | undefined;
  /** Argument fragments that came before the name. */
  pendingArguments: string;
}

/**
 * Chat completion chunks in (parsed; `[DONE]` accepted), Anthropic stream events out, following
 * Anthropic's protocol exactly: message_start; content blocks opened, filled and closed one at a
 * time with indices counted from 0 across text, thinking and tool_use blocks; message_delta once
 * (when the usage chunk that follows the finish chunk arrives, or at `finish()`); message_stop at
 * `finish()`. Empty deltas open nothing. The relay handles upstream errors itself.
 */
export function createChatToMessagesStream(options: ChatToMessagesStreamOptions): StreamTranscoder {
  return new ChatToMessagesStream(options.model, options.messageId);
}

class ChatToMessagesStream implements StreamTranscoder {
  private started = false;
  private nextIndex = 0;
  private open: OpenBlock | null = null;
  private readonly tools = new Map<number, ToolCallState>();
  private readonly toolKeysById = new Map<string, number>();
  private lastToolKey: number | undefined;
  private calledTools = false;
  private refused = false;
  private stopReason: StopReason | null = null;
  private usage: ChatUsage | null = null;
  private delivered = false;
  private out: SseMessage[] = [];

  constructor(
    private readonly model: string,
    private messageId: string | undefined,
  ) {}

  push(event: SseMessage): SseMessage[] {
    const chunk = event.data as ChatChunk | '[DONE]' | null;
    if (!chunk || typeof chunk !== 'object') return [];
    this.start(chunk);
    const choice = Array.isArray(chunk.choices)
      ? chunk.choices.find((c) => (c?.index ?? 0) === 0)
      : undefined;
    if (choice && this.stopReason === null) {
      const delta: ChatDelta = choice.delta ?? {};
      this.reasoning(delta);
      if (typeof delta.content === 'string' && delta.content) this.text(delta.content);
      if (typeof delta.refusal === 'string' && delta.refusal) {
        this.refused = true;
        this.text(delta.refusal);
      }
      if (Array.isArray(delta.tool_calls)) delta.tool_calls.forEach((call) => this.toolCall(call));
      if (typeof choice.finish_reason === 'string' && choice.finish_reason) this.stop(choice.finish_reason);
    }
    if (chunk.usage && typeof chunk.usage === 'object') {
      this.usage = chunk.usage;
      // OpenAI sends usage in its own chunk after the finish chunk (some providers in the finish chunk).
      if (this.stopReason !== null) this.deliver();
    }
    return this.drain();
  }

  finish(): SseMessage[] {
    this.start(null);
    if (this.stopReason === null) this.stop(null);
    this.deliver();
    this.emit({ type: 'message_stop' });
    return this.drain();
  }

  private start(chunk: ChatChunk | null): void {
    if (this.started) return;
    this.started = true;
    this.messageId ??= messageIdFromChatId(chunk?.id);
    const usage = anthropicUsageFromChat(chunk?.usage);
    this.emit({
      type: 'message_start',
      message: {
        id: this.messageId,
        type: 'message',
        role: 'assistant',
        model: this.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.input_tokens,
          cache_creation_input_tokens: usage.cache_creation_input_tokens,
          cache_read_input_tokens: usage.cache_read_input_tokens,
          output_tokens: 0,
        },
      },
    });
  }

  /**
   * `reasoning_details` when the chunk has them (they carry signatures and block boundaries; the
   * same text in `reasoning_content` is then a duplicate), else `reasoning_content` / `reasoning`.
   */
  private reasoning(delta: ChatDelta): void {
    const details = Array.isArray(delta.reasoning_details) ? delta.reasoning_details : [];
    if (details.length === 0) {
      const text = visibleReasoning(delta);
      if (text) this.thinking(text, '', undefined);
      return;
    }
    for (const detail of details) {
      if (!detail || typeof detail !== 'object') continue;
      const signedByAnthropic =
        detail.format === undefined || detail.format === null || detail.format === ANTHROPIC_REASONING_FORMAT;
      if (detail.type === 'reasoning.encrypted') {
        // Another vendor's encrypted reasoning means nothing to an Anthropic client.
        if (signedByAnthropic && typeof detail.data === 'string' && detail.data) this.redacted(detail.data);
        continue;
      }
      const text =
        detail.type === 'reasoning.summary' ? (detail as { summary?: unknown }).summary : detail.text;
      if (detail.type !== 'reasoning.text' && detail.type !== 'reasoning.summary') continue;
      const signature = signedByAnthropic && typeof detail.signature === 'string' ? detail.signature : '';
      this.thinking(typeof text === 'string' ? text : '', signature, detail.index);
    }
  }

  private thinking(text: string, signature: string, detailIndex: number | undefined): void {
    if (!text && !signature) return;
    let open = this.open;
    const sameBlock =
      open?.kind === 'thinking' &&
      (detailIndex === undefined || open.detailIndex === undefined || open.detailIndex === detailIndex);
    if (!sameBlock || open?.kind !== 'thinking') {
      open = {
        kind: 'thinking',
        index: this.openBlock({ type: 'thinking', thinking: '', signature: '' }),
        signature: '',
        detailIndex,
      };
      this.open = open;
    }
    open.detailIndex ??= detailIndex;
    if (text) this.delta(open.index, { type: 'thinking_delta', thinking: text });
    if (signature) open.signature = signature;
  }

  private redacted(data: string): void {
    this.closeOpen();
    const index = this.openBlock({ type: 'redacted_thinking', data });
    this.emit({ type: 'content_block_stop', index });
  }

  private text(text: string): void {
    if (this.open?.kind !== 'text') {
      this.open = { kind: 'text', index: this.openBlock({ type: 'text', text: '' }) };
    }
    this.delta(this.open.index, { type: 'text_delta', text });
  }

  private toolCall(call: ChatToolCallDelta): void {
    if (!call || typeof call !== 'object') return;
    const key = this.toolKey(call);
    let tool = this.tools.get(key);
    if (!tool) {
      tool = { id: undefined, name: undefined, blockIndex: undefined, pendingArguments: '' };
      this.tools.set(key, tool);
    }
    if (typeof call.id === 'string' && call.id && !tool.id) {
      tool.id = call.id;
      this.toolKeysById.set(call.id, key);
    }
    const name = call.function?.name;
    // Some providers repeat the full name in every fragment: it is taken, not appended.
    if (typeof name === 'string' && name && tool.blockIndex === undefined) tool.name = name;
    const fragment = typeof call.function?.arguments === 'string' ? call.function.arguments : '';
    if (tool.blockIndex === undefined) {
      tool.pendingArguments += fragment;
      if (tool.name) this.openTool(key, tool);
      return;
    }
    // A fragment for a tool whose block another one already closed (providers that interleave
    // parallel calls): it still belongs to that block's index, which is what clients accumulate by.
    if (fragment) this.delta(tool.blockIndex, { type: 'input_json_delta', partial_json: fragment });
  }

  /** The chat tool call's `index`; providers that omit it are followed by id, else the last call. */
  private toolKey(call: ChatToolCallDelta): number {
    let key: number;
    if (typeof call.index === 'number') key = call.index;
    else if (typeof call.id === 'string' && call.id) {
      key = this.toolKeysById.get(call.id) ?? Math.max(-1, ...this.tools.keys()) + 1;
    } else key = this.lastToolKey ?? 0;
    this.lastToolKey = key;
    return key;
  }

  private openTool(key: number, tool: ToolCallState): void {
    const ordinal = [...this.tools.values()].filter((other) => other.blockIndex !== undefined).length;
    tool.id ??= `toolu_${this.messageId?.replace(/^msg_/, '') ?? ''}_${ordinal}`;
    tool.blockIndex = this.openBlock({ type: 'tool_use', id: tool.id, name: tool.name ?? '', input: {} });
    this.open = { kind: 'tool', index: tool.blockIndex, key };
    this.calledTools = true;
    if (tool.pendingArguments) {
      this.delta(tool.blockIndex, { type: 'input_json_delta', partial_json: tool.pendingArguments });
      tool.pendingArguments = '';
    }
  }

  private stop(finishReason: string | null): void {
    // Tool calls whose name never came still are calls: open them rather than lose them.
    for (const [key, tool] of this.tools) if (tool.blockIndex === undefined) this.openTool(key, tool);
    this.closeOpen();
    this.stopReason = this.refused ? 'refusal' : stopReasonForFinishReason(finishReason, this.calledTools);
  }

  private deliver(): void {
    if (this.delivered) return;
    this.delivered = true;
    this.emit({
      type: 'message_delta',
      delta: { stop_reason: this.stopReason, stop_sequence: null },
      usage: anthropicUsageFromChat(this.usage),
    });
  }

  /** Closes the open block and opens a new one; returns its index. */
  private openBlock(block: ResponseContentBlock): number {
    this.closeOpen();
    const index = this.nextIndex++;
    this.emit({ type: 'content_block_start', index, content_block: block });
    return index;
  }

  private closeOpen(): void {
    const open = this.open;
    if (!open) return;
    this.open = null;
    if (open.kind === 'thinking' && open.signature) {
      this.delta(open.index, { type: 'signature_delta', signature: open.signature });
    }
    this.emit({ type: 'content_block_stop', index: open.index });
  }

  private delta(index: number, delta: ContentBlockDelta): void {
    this.emit({ type: 'content_block_delta', index, delta });
  }

  private emit(event: MessagesStreamEvent): void {
    this.out.push({ event: event.type, data: event });
  }

  private drain(): SseMessage[] {
    const events = this.out;
    this.out = [];
    return events;
  }
}
