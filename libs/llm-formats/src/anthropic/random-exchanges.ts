// Test support: seeded random Anthropic and chat exchanges, the streams their APIs would send for
// them, and accumulators that rebuild an answer from a stream. Used by the property-style specs.
import type { ChatChunk, ChatReasoningDetail, ChatResponse, ChatToolCall } from '../openai/chat.types';
import type { SseMessage } from '../translation/stream-transcoder';
import type {
  ContentBlockParam,
  MessageParam,
  MessagesRequest,
  MessagesResponse,
  MessagesStreamEvent,
  ResponseContentBlock,
  StopReason,
} from './messages.types';

/** A small deterministic generator (mulberry32). */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  text(): string {
    const words = [
      'alpha',
      'beta',
      'ünïcødé',
      'emoji 🚀',
      'quote "x"',
      'line\nbreak',
      'tab\t',
      '{json}',
      '',
      ' ',
    ];
    const count = 1 + this.int(6);
    return Array.from({ length: count }, () => this.pick(words)).join(' ');
  }

  id(prefix: string): string {
    return `${prefix}${Math.floor(this.next() * 2 ** 40).toString(36)}`;
  }

  /** A JSON object of mixed values (what a tool's input looks like). */
  object(depth = 0): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const count = this.int(4);
    for (let i = 0; i < count; i++) {
      const kind = this.int(depth < 2 ? 6 : 4);
      result[`k${i}`] =
        kind === 0
          ? this.text()
          : kind === 1
            ? this.int(1000) - 500
            : kind === 2
              ? this.chance(0.5)
              : kind === 3
                ? null
                : kind === 4
                  ? this.object(depth + 1)
                  : [this.text(), this.int(9)];
    }
    return result;
  }

  /** Splits a string into 1..n fragments (some possibly empty). */
  split(text: string): string[] {
    if (text.length === 0) return [''];
    const fragments: string[] = [];
    let rest = text;
    while (rest.length > 0) {
      const size = 1 + this.int(Math.max(1, Math.ceil(rest.length / 2)));
      fragments.push(rest.slice(0, size));
      rest = rest.slice(size);
    }
    return fragments;
  }
}

// ---------------------------------------------------------------------------------------------
// Anthropic answers and their streams

const nonEmptyText = (random: Random): string => random.text().trim() || 'x';

export function randomMessagesResponse(random: Random): MessagesResponse {
  const content: ResponseContentBlock[] = [];
  if (random.chance(0.4)) {
    content.push({ type: 'thinking', thinking: random.text(), signature: random.id('sig') });
    if (random.chance(0.3)) content.push({ type: 'redacted_thinking', data: random.id('enc') });
  }
  if (random.chance(0.7)) content.push({ type: 'text', text: nonEmptyText(random) });
  const tools = random.int(3);
  for (let i = 0; i < tools; i++) {
    content.push({
      type: 'tool_use',
      id: random.id('toolu_'),
      name: random.pick(['a', 'b_tool']),
      input: random.object(),
    });
  }
  if (tools > 0 && random.chance(0.3)) content.push({ type: 'text', text: nonEmptyText(random) });
  const stop: StopReason =
    tools > 0 ? 'tool_use' : random.pick(['end_turn', 'max_tokens', 'refusal'] as const);
  return {
    id: random.id('msg_'),
    type: 'message',
    role: 'assistant',
    model: 'claude-test',
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage: {
      input_tokens: random.int(500),
      cache_creation_input_tokens: random.int(3) * 100,
      cache_read_input_tokens: random.int(3) * 1000,
      output_tokens: 1 + random.int(300),
    },
  };
}

const event = (data: MessagesStreamEvent): SseMessage => ({ event: data.type, data });

/** The events Anthropic streams for `response`, deltas cut at random places, with pings. */
export function messagesEvents(response: MessagesResponse, random: Random): SseMessage[] {
  const usage = response.usage;
  const events: SseMessage[] = [
    event({
      type: 'message_start',
      message: {
        ...response,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    }),
    event({ type: 'ping' }),
  ];
  response.content.forEach((block, index) => {
    switch (block.type) {
      case 'text':
        events.push(event({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
        for (const text of random.split(block.text)) {
          events.push(event({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } }));
        }
        break;
      case 'thinking':
        events.push(
          event({
            type: 'content_block_start',
            index,
            content_block: { type: 'thinking', thinking: '', signature: '' },
          }),
        );
        for (const thinking of random.split(block.thinking)) {
          events.push(
            event({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking } }),
          );
        }
        events.push(
          event({
            type: 'content_block_delta',
            index,
            delta: { type: 'signature_delta', signature: block.signature },
          }),
        );
        break;
      case 'redacted_thinking':
        events.push(event({ type: 'content_block_start', index, content_block: block }));
        break;
      case 'tool_use':
        events.push(event({ type: 'content_block_start', index, content_block: { ...block, input: {} } }));
        for (const partial_json of ['', ...random.split(JSON.stringify(block.input))]) {
          events.push(
            event({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } }),
          );
        }
        break;
    }
    events.push(event({ type: 'content_block_stop', index }));
    if (random.chance(0.1)) events.push(event({ type: 'ping' }));
  });
  events.push(
    event({
      type: 'message_delta',
      delta: { stop_reason: response.stop_reason, stop_sequence: response.stop_sequence },
      usage: { output_tokens: usage.output_tokens },
    }),
    event({ type: 'message_stop' }),
  );
  return events;
}

/**
 * Rebuilds the message from Anthropic stream events, checking the protocol on the way: one
 * message_start first, block indices counted from 0, deltas only into a started block of the
 * matching kind, one message_delta, message_stop last. Throws on any violation.
 */
export function accumulateMessagesEvents(events: readonly SseMessage[]): MessagesResponse {
  let message: MessagesResponse | null = null;
  let open: number | null = null;
  const stopped = new Set<number>();
  let delivered = false;
  let finished = false;
  const fail = (why: string, at: number): never => {
    throw new Error(`Anthropic stream protocol: ${why} (event ${at}: ${JSON.stringify(events[at])})`);
  };
  events.forEach((sse, at) => {
    const data = sse.data as MessagesStreamEvent;
    if (sse.event !== data.type) fail('the SSE event name differs from the data type', at);
    if (finished) fail('an event after message_stop', at);
    if (data.type === 'message_start') {
      if (message) fail('a second message_start', at);
      message = structuredClone(data.message);
      return;
    }
    if (!message) return fail('an event before message_start', at);
    const current: MessagesResponse = message;
    switch (data.type) {
      case 'content_block_start':
        if (open !== null) fail('a block started while another is open', at);
        if (data.index !== current.content.length) fail('block indices are not sequential from 0', at);
        current.content.push(structuredClone(data.content_block));
        open = data.index;
        return;
      case 'content_block_delta': {
        const block = current.content[data.index];
        if (!block) return fail('a delta for a block that never started', at);
        const delta = data.delta;
        if (delta.type === 'text_delta' && block.type === 'text') block.text += delta.text;
        else if (delta.type === 'thinking_delta' && block.type === 'thinking')
          block.thinking += delta.thinking;
        else if (delta.type === 'signature_delta' && block.type === 'thinking')
          block.signature = delta.signature;
        else if (delta.type === 'input_json_delta' && block.type === 'tool_use') {
          const partial = ((block as { partial?: string }).partial ?? '') + delta.partial_json;
          (block as { partial?: string }).partial = partial;
        } else fail(`a ${delta.type} in a ${block.type} block`, at);
        return;
      }
      case 'content_block_stop':
        if (open !== data.index) fail('a stop for a block that is not open', at);
        stopped.add(data.index);
        open = null;
        return;
      case 'message_delta':
        if (open !== null) fail('message_delta while a block is open', at);
        if (delivered) fail('a second message_delta', at);
        delivered = true;
        current.stop_reason = data.delta.stop_reason;
        current.stop_sequence = data.delta.stop_sequence;
        for (const [key, value] of Object.entries(data.usage)) {
          if (value !== null && value !== undefined) current.usage[key] = value;
        }
        return;
      case 'message_stop':
        if (!delivered) fail('message_stop without message_delta', at);
        finished = true;
        return;
      case 'ping':
        return;
      default:
        fail('an unknown event', at);
    }
  });
  if (!message || !finished)
    throw new Error('Anthropic stream protocol: the stream did not end with message_stop');
  const result: MessagesResponse = message;
  for (const block of result.content) {
    if (block.type !== 'tool_use') continue;
    const partial = (block as { partial?: string }).partial;
    delete (block as { partial?: string }).partial;
    if (partial) block.input = JSON.parse(partial) as Record<string, unknown>;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Chat answers and their streams

export function randomChatResponse(random: Random): ChatResponse {
  const message: ChatResponse['choices'][number]['message'] = { role: 'assistant', content: null };
  const reasoning = random.int(3);
  if (reasoning === 1) message.reasoning_content = nonEmptyText(random);
  if (reasoning === 2) {
    const text = nonEmptyText(random);
    message.reasoning_content = text;
    message.reasoning_details = [
      { type: 'reasoning.text', text, signature: random.id('sig'), format: 'anthropic-claude-v1', index: 0 },
    ];
  }
  if (random.chance(0.7)) message.content = nonEmptyText(random);
  const toolCalls: ChatToolCall[] = [];
  const tools = random.int(3);
  for (let i = 0; i < tools; i++) {
    toolCalls.push({
      id: random.id('call_'),
      type: 'function',
      function: { name: random.pick(['a', 'b_tool']), arguments: JSON.stringify(random.object()) },
    });
  }
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  else if (message.content === null) message.content = '';
  const cached = random.int(3) * 1000;
  const prompt = cached + random.int(500);
  const completion = 1 + random.int(300);
  return {
    id: random.id('chatcmpl-'),
    object: 'chat.completion',
    created: 1700000000,
    model: 'gpt-test',
    choices: [
      {
        index: 0,
        message,
        finish_reason: toolCalls.length > 0 ? 'tool_calls' : random.pick(['stop', 'length'] as const),
      },
    ],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: cached },
    },
  };
}

/** The chunks an OpenAI-compatible API streams for `response` (with include_usage), cut at random. */
export function chatChunks(response: ChatResponse, random: Random): SseMessage[] {
  const { message, finish_reason } = response.choices[0];
  const chunk = (
    delta: ChatChunk['choices'][number]['delta'],
    finish: ChatChunk['choices'][number]['finish_reason'] = null,
  ): SseMessage => ({
    data: {
      id: response.id,
      object: 'chat.completion.chunk',
      created: response.created,
      model: response.model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    } satisfies ChatChunk,
  });
  const chunks = [chunk({ role: 'assistant', content: '' })];
  const signed = message.reasoning_details?.[0];
  if (typeof message.reasoning_content === 'string') {
    for (const text of random.split(message.reasoning_content)) {
      chunks.push(
        chunk(
          signed
            ? {
                reasoning_content: text,
                reasoning_details: [{ type: 'reasoning.text', text, format: signed.format, index: 0 }],
              }
            : { reasoning_content: text },
        ),
      );
    }
    if (signed) {
      chunks.push(
        chunk({
          reasoning_details: [
            {
              type: 'reasoning.text',
              text: '',
              signature: signed.signature,
              format: signed.format,
              index: 0,
            },
          ],
        }),
      );
    }
  }
  if (typeof message.content === 'string') {
    for (const text of random.split(message.content)) chunks.push(chunk({ content: text }));
  }
  (message.tool_calls ?? []).forEach((call, index) => {
    chunks.push(
      chunk({
        tool_calls: [
          { index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } },
        ],
      }),
    );
    for (const fragment of random.split(call.function.arguments)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }));
    }
  });
  chunks.push(chunk({}, finish_reason));
  chunks.push({
    data: {
      id: response.id,
      object: 'chat.completion.chunk',
      created: response.created,
      model: response.model,
      choices: [],
      usage: response.usage,
    } satisfies ChatChunk,
  });
  chunks.push({ data: '[DONE]' });
  return chunks;
}

/**
 * Rebuilds a chat completion from chunks the way an OpenRouter-aware client does: content and
 * reasoning_content concatenated, reasoning_details merged by index, tool calls by index. Checks
 * that every chunk carries the same id, model and created, and that `[DONE]` comes last.
 */
export function accumulateChatChunks(chunks: readonly SseMessage[]): ChatResponse {
  let envelope: Pick<ChatChunk, 'id' | 'created' | 'model'> | null = null;
  const message: ChatResponse['choices'][number]['message'] = { role: 'assistant', content: null };
  let finish: ChatResponse['choices'][number]['finish_reason'] = null;
  let usage: ChatResponse['usage'];
  const details = new Map<number, ChatReasoningDetail>();
  const calls: ChatToolCall[] = [];
  chunks.forEach((sse, at) => {
    if (sse.data === '[DONE]') {
      if (at !== chunks.length - 1) throw new Error('chat stream: [DONE] is not last');
      return;
    }
    const chunk = sse.data as ChatChunk;
    envelope ??= { id: chunk.id, created: chunk.created, model: chunk.model };
    if (chunk.id !== envelope.id || chunk.created !== envelope.created || chunk.model !== envelope.model) {
      throw new Error(`chat stream: chunk ${at} changes id, created or model`);
    }
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      const delta = choice.delta;
      if (typeof delta.content === 'string') message.content = (message.content ?? '') + delta.content;
      if (typeof delta.reasoning_content === 'string') {
        message.reasoning_content = (message.reasoning_content ?? '') + delta.reasoning_content;
      }
      for (const detail of delta.reasoning_details ?? []) {
        const known = details.get(detail.index ?? 0);
        if (!known) details.set(detail.index ?? 0, { ...detail });
        else {
          if (detail.text) known.text = (known.text ?? '') + detail.text;
          if (detail.signature) known.signature = detail.signature;
        }
      }
      for (const call of delta.tool_calls ?? []) {
        const known = calls[call.index];
        if (!known) {
          calls[call.index] = {
            id: call.id ?? '',
            type: 'function',
            function: { name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' },
          };
        } else known.function.arguments += call.function?.arguments ?? '';
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  });
  if (!envelope) throw new Error('chat stream: no chunks');
  if (details.size > 0) message.reasoning_details = [...details.values()];
  if (calls.length > 0) message.tool_calls = calls;
  const { id, created, model } = envelope as Pick<ChatChunk, 'id' | 'created' | 'model'>;
  const result: ChatResponse = {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message, finish_reason: finish }],
  };
  if (usage) result.usage = usage;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Anthropic requests

/**
 * A valid Anthropic conversation: text and images, assistant turns with signed thinking, text and
 * tool calls, the user turns after them answering every call (some as errors) and going on with
 * text, consecutive same-role turns now and then.
 */
export function randomMessagesRequest(random: Random): MessagesRequest {
  const messages: MessageParam[] = [];
  const turns = 1 + random.int(5);
  let pendingCalls: string[] = [];
  for (let turn = 0; turn < turns; turn++) {
    const user: ContentBlockParam[] = pendingCalls.map((id) => ({
      type: 'tool_result',
      tool_use_id: id,
      content: random.chance(0.5) ? nonEmptyText(random) : [{ type: 'text', text: nonEmptyText(random) }],
      ...(random.chance(0.3) && { is_error: true }),
    }));
    if (pendingCalls.length === 0 || random.chance(0.5))
      user.push({ type: 'text', text: nonEmptyText(random) });
    if (random.chance(0.2)) {
      user.push({
        type: 'image',
        source: random.chance(0.5)
          ? { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' }
          : { type: 'url', url: 'https://example.com/a.png' },
      });
    }
    messages.push({
      role: 'user',
      content: user.length === 1 && user[0].type === 'text' && random.chance(0.5) ? user[0].text : user,
    });
    if (random.chance(0.15)) messages.push({ role: 'user', content: nonEmptyText(random) });
    const assistant: ContentBlockParam[] = [];
    if (random.chance(0.4))
      assistant.push({ type: 'thinking', thinking: random.text(), signature: random.id('sig') });
    if (random.chance(0.1)) assistant.push({ type: 'redacted_thinking', data: random.id('enc') });
    if (random.chance(0.7)) assistant.push({ type: 'text', text: nonEmptyText(random) });
    pendingCalls = [];
    const calls = turn < turns - 1 ? random.int(3) : 0;
    for (let i = 0; i < calls; i++) {
      const id = random.id('toolu_');
      pendingCalls.push(id);
      assistant.push({ type: 'tool_use', id, name: random.pick(['a', 'b_tool']), input: random.object() });
    }
    if (assistant.length === 0) assistant.push({ type: 'text', text: nonEmptyText(random) });
    if (turn < turns - 1 || random.chance(0.3)) messages.push({ role: 'assistant', content: assistant });
    else break;
  }
  const request: MessagesRequest = { model: 'claude-test', messages, max_tokens: 1024 + random.int(64000) };
  if (random.chance(0.5))
    request.system = random.chance(0.5)
      ? nonEmptyText(random)
      : [
          { type: 'text', text: nonEmptyText(random), cache_control: { type: 'ephemeral' } },
          { type: 'text', text: nonEmptyText(random) },
        ];
  if (random.chance(0.7)) {
    request.tools = [
      {
        name: 'a',
        description: 'tool a',
        input_schema: { type: 'object', properties: { x: { type: 'string' } } },
      },
      { name: 'b_tool', input_schema: { type: 'object' } },
    ];
    const choice = random.int(5);
    if (choice === 1)
      request.tool_choice = { type: 'auto', ...(random.chance(0.5) && { disable_parallel_tool_use: true }) };
    if (choice === 2)
      request.tool_choice = { type: 'any', ...(random.chance(0.5) && { disable_parallel_tool_use: true }) };
    if (choice === 3) request.tool_choice = { type: 'tool', name: 'a' };
    if (choice === 4) request.tool_choice = { type: 'none' };
  }
  if (random.chance(0.3)) request.temperature = random.int(11) / 10;
  if (random.chance(0.3)) request.top_p = 0.5 + random.int(5) / 10;
  if (random.chance(0.2)) request.top_k = 1 + random.int(100);
  if (random.chance(0.3)) request.stop_sequences = ['END', 'STOP'].slice(0, 1 + random.int(2));
  if (random.chance(0.3)) request.metadata = { user_id: random.id('user_') };
  if (random.chance(0.4) && request.max_tokens > 2048) {
    request.thinking = { type: 'enabled', budget_tokens: 1024 + random.int(request.max_tokens - 2048) };
  }
  if (random.chance(0.5)) request.stream = random.chance(0.5);
  return request;
}
