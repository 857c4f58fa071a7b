import type { ChatChunk, ChatDelta, ChatFinishReason } from '../openai/chat.types';
import type { SseMessage, StreamTranscoder } from '../translation/stream-transcoder';
import {
  type AnthropicTokenCounts,
  anthropicTokenCounts,
  chatIdFromMessageId,
  chatUsageFromAnthropic,
  encryptedReasoningDetail,
  finishReasonForStopReason,
  reasoningTextDetail,
} from './format-mapping';
import type {
  ContentBlockDeltaEvent,
  ContentBlockStartEvent,
  MessageDeltaEvent,
  MessageStartEvent,
  MessagesStreamEvent,
} from './messages.types';

export interface MessagesToChatStreamOptions {
  /** The client asked for `stream_options.include_usage`: end with a `choices: []` usage chunk. */
  includeUsage: boolean;
  /** `created` of every chunk (default: now). */
  created?: number;
}

/**
 * Anthropic stream events in (parsed), `chat.completion.chunk` events out. Tool calls are numbered
 * by their order among tool calls (OpenAI's `index`), not by Anthropic block index; thinking goes
 * out as `reasoning_content` and, with its signature, as `reasoning_details`. `finish()` sends
 * `[DONE]`. The relay handles upstream `error` events itself; they produce nothing here.
 */
export function createMessagesToChatStream(options: MessagesToChatStreamOptions): StreamTranscoder {
  return new MessagesToChatStream(options.includeUsage, options.created ?? Math.floor(Date.now() / 1000));
}

class MessagesToChatStream implements StreamTranscoder {
  private id = '';
  private model = '';
  /** Anthropic block index -> tool call ordinal. */
  private readonly toolIndexes = new Map<number, number>();
  /** Anthropic block index -> reasoning_details index. */
  private readonly reasoningIndexes = new Map<number, number>();
  private counts: AnthropicTokenCounts = {
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheCreation: 0,
    thinking: null,
  };
  private finished = false;

  constructor(
    private readonly includeUsage: boolean,
    private readonly created: number,
  ) {}

  push(event: SseMessage): SseMessage[] {
    const data = event.data as MessagesStreamEvent | null;
    if (!data || typeof data !== 'object') return [];
    switch (data.type) {
      case 'message_start':
        return this.messageStart(data);
      case 'content_block_start':
        return this.blockStart(data);
      case 'content_block_delta':
        return this.blockDelta(data);
      case 'message_delta':
        return this.messageDelta(data);
      default:
        // content_block_stop, message_stop, ping: nothing to say in chat terms.
        return [];
    }
  }

  finish(): SseMessage[] {
    return [{ data: '[DONE]' }];
  }

  private messageStart({ message }: MessageStartEvent): SseMessage[] {
    this.id = chatIdFromMessageId(message?.id ?? '');
    this.model = message?.model ?? '';
    if (message?.usage) this.counts = anthropicTokenCounts(message.usage);
    return [this.chunk({ role: 'assistant', content: '' })];
  }

  private blockStart({ index, content_block: block }: ContentBlockStartEvent): SseMessage[] {
    switch (block?.type) {
      case 'text':
        return block.text ? [this.chunk({ content: block.text })] : [];
      case 'thinking': {
        const reasoningIndex = this.reasoningIndexFor(index);
        return block.thinking ? [this.chunk(reasoningDelta(block.thinking, reasoningIndex))] : [];
      }
      case 'redacted_thinking':
        return [
          this.chunk({
            reasoning_details: [encryptedReasoningDetail(block.data, this.reasoningIndexFor(index))],
          }),
        ];
      case 'tool_use': {
        const toolIndex = this.toolIndexes.size;
        this.toolIndexes.set(index, toolIndex);
        // Anthropic starts with `input: {}` and streams the JSON; a compatible server may send it whole.
        const input = block.input && Object.keys(block.input).length > 0 ? JSON.stringify(block.input) : '';
        return [
          this.chunk({
            tool_calls: [
              {
                index: toolIndex,
                id: block.id,
                type: 'function',
                function: { name: block.name, arguments: input },
              },
            ],
          }),
        ];
      }
      default:
        return [];
    }
  }

  private blockDelta({ index, delta }: ContentBlockDeltaEvent): SseMessage[] {
    switch (delta?.type) {
      case 'text_delta':
        return delta.text ? [this.chunk({ content: delta.text })] : [];
      case 'thinking_delta':
        return delta.thinking
          ? [this.chunk(reasoningDelta(delta.thinking, this.reasoningIndexFor(index)))]
          : [];
      case 'signature_delta':
        return [
          this.chunk({
            reasoning_details: [reasoningTextDetail('', delta.signature, this.reasoningIndexFor(index))],
          }),
        ];
      case 'input_json_delta': {
        const toolIndex = this.toolIndexes.get(index);
        if (toolIndex === undefined || !delta.partial_json) return [];
        return [
          this.chunk({ tool_calls: [{ index: toolIndex, function: { arguments: delta.partial_json } }] }),
        ];
      }
      default:
        // citations_delta: metadata about text already sent.
        return [];
    }
  }

  private messageDelta({ delta, usage }: MessageDeltaEvent): SseMessage[] {
    if (this.finished) return [];
    this.finished = true;
    if (usage) {
      const reported = anthropicTokenCounts(usage);
      this.counts = {
        // Newer API versions repeat the prompt counts here; older ones only send output_tokens.
        input: usage.input_tokens != null ? reported.input : this.counts.input,
        cacheRead: usage.cache_read_input_tokens != null ? reported.cacheRead : this.counts.cacheRead,
        cacheCreation:
          usage.cache_creation_input_tokens != null ? reported.cacheCreation : this.counts.cacheCreation,
        output: reported.output,
        thinking: reported.thinking ?? this.counts.thinking,
      };
    }
    const events = [this.chunk({}, finishReasonForStopReason(delta?.stop_reason))];
    if (this.includeUsage) {
      events.push({
        data: {
          ...this.envelope(),
          choices: [],
          usage: chatUsageFromAnthropic(this.counts),
        } satisfies ChatChunk,
      });
    }
    return events;
  }

  private reasoningIndexFor(blockIndex: number): number {
    let reasoningIndex = this.reasoningIndexes.get(blockIndex);
    if (reasoningIndex === undefined) {
      reasoningIndex = this.reasoningIndexes.size;
      this.reasoningIndexes.set(blockIndex, reasoningIndex);
    }
    return reasoningIndex;
  }

  private envelope(): Pick<ChatChunk, 'id' | 'object' | 'created' | 'model'> {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model };
  }

  private chunk(delta: ChatDelta, finishReason: ChatFinishReason | null = null): SseMessage {
    const chunk: ChatChunk = {
      ...this.envelope(),
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    };
    return { data: chunk };
  }
}

function reasoningDelta(text: string, index: number): ChatDelta {
  return { reasoning_content: text, reasoning_details: [reasoningTextDetail(text, undefined, index)] };
}
