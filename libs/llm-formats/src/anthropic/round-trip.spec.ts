import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ChatMessage, ChatRequest, ChatResponse } from '../openai/chat.types';
import type { SseMessage, StreamTranscoder } from '../translation/stream-transcoder';
import {
  chatToMessagesRequest,
  createMessagesToChatStream,
  messagesToChatResponse,
} from './chat-to-messages';
import {
  chatToMessagesResponse,
  createChatToMessagesStream,
  messagesToChatRequest,
} from './messages-to-chat';
import type {
  ContentBlockParam,
  MessagesRequest,
  MessagesResponse,
  ResponseContentBlock,
  StopReason,
} from './messages.types';
import {
  Random,
  accumulateChatChunks,
  accumulateMessagesEvents,
  chatChunks,
  messagesEvents,
  randomChatResponse,
  randomMessagesRequest,
  randomMessagesResponse,
} from './random-exchanges';

const RUNS = 300;

const goldenDir = [
  join(process.cwd(), 'libs/llm-formats/src/anthropic/golden'),
  join(__dirname, 'golden'),
].find((dir) => existsSync(dir));

/** The valid inputs of the golden files whose names start with `prefix`. */
function goldenInputs<T>(prefix: string): Array<{ description: string; input: T }> {
  if (!goldenDir) throw new Error('golden fixtures not found: run the tests from the repository root');
  return readdirSync(goldenDir)
    .filter((name) => name.startsWith(prefix))
    .flatMap((name) => {
      const { cases } = JSON.parse(readFileSync(join(goldenDir, name), 'utf8')) as {
        cases: Array<{ description: string; input: T; error?: unknown }>;
      };
      return cases.filter((testCase) => !testCase.error);
    });
}

function run(transcoder: StreamTranscoder, events: readonly SseMessage[]): SseMessage[] {
  return [...events.flatMap((event) => transcoder.push(structuredClone(event))), ...transcoder.finish()];
}

// ---------------------------------------------------------------------------------------------
// What "the same meaning" is for requests: the differences the two APIs force are normalised away
// (turn merging, block order inside a turn, caching hints, a single text per assistant turn, the
// thinking budget as on/off since effort levels are coarser than budgets).

function blocksOf(content: string | ContentBlockParam[]): ContentBlockParam[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

function normalizeBlock(block: ContentBlockParam): ContentBlockParam | null {
  switch (block.type) {
    case 'text':
      return block.text ? { type: 'text', text: block.text } : null;
    case 'image':
      return { type: 'image', source: block.source };
    case 'tool_result': {
      const inner =
        block.content === undefined ? [] : blocksOf(block.content as string | ContentBlockParam[]);
      return {
        type: 'tool_result',
        tool_use_id: block.tool_use_id,
        content: inner.map(normalizeBlock).filter((b) => b !== null) as never,
        ...(block.is_error === true && { is_error: true }),
      };
    }
    case 'document':
      return { type: 'document', source: block.source, ...(block.title && { title: block.title }) };
    default:
      return block;
  }
}

function normalizeRequest(request: MessagesRequest): unknown {
  const turns: Array<{ role: string; blocks: ContentBlockParam[] }> = [];
  for (const message of request.messages) {
    const blocks = blocksOf(message.content)
      .map(normalizeBlock)
      .filter((block) => block !== null);
    if (blocks.length === 0) continue;
    const previous = turns.at(-1);
    if (previous?.role === message.role) previous.blocks.push(...blocks);
    else turns.push({ role: message.role, blocks });
  }
  const messages = turns.map(({ role, blocks }) => {
    if (role === 'user') {
      return {
        role,
        content: [
          ...blocks.filter((b) => b.type === 'tool_result'),
          ...blocks.filter((b) => b.type !== 'tool_result'),
        ],
      };
    }
    const text = blocks.map((b) => (b.type === 'text' ? b.text : '')).join('');
    return {
      role,
      content: [
        ...blocks.filter((b) => b.type === 'thinking' || b.type === 'redacted_thinking'),
        ...(text ? [{ type: 'text', text }] : []),
        ...blocks.filter((b) => b.type === 'tool_use'),
      ],
    };
  });
  const system =
    typeof request.system === 'string'
      ? request.system
      : request.system
          ?.map((b) => b.text)
          .filter(Boolean)
          .join('\n\n');
  const tools = request.tools?.length ? request.tools : undefined;
  return {
    model: request.model,
    system: system || undefined,
    messages,
    max_tokens: request.max_tokens,
    stop_sequences: request.stop_sequences?.length ? request.stop_sequences : undefined,
    temperature: request.temperature,
    top_p: request.top_p,
    top_k: request.top_k,
    tools: tools?.map((tool) => {
      const { cache_control: _cache, type: _type, ...rest } = tool as Record<string, unknown>;
      return rest;
    }),
    tool_choice: tools ? request.tool_choice : undefined,
    thinking: request.thinking?.type === 'enabled',
    user: request.metadata?.user_id ?? undefined,
    stream: request.stream,
  };
}

describe('requests: Anthropic -> chat -> Anthropic keeps the meaning', () => {
  for (const { description, input } of goldenInputs<MessagesRequest>('messages-to-chat.request')) {
    const hasToolResultImage =
      JSON.stringify(input).includes('"tool_result"') && JSON.stringify(input).includes('"image"');
    // Documented exception: images inside tool results move to a user message after them.
    if (hasToolResultImage) continue;
    it(`golden: ${description}`, () => {
      assert.deepEqual(
        normalizeRequest(chatToMessagesRequest(messagesToChatRequest(input))),
        normalizeRequest(input),
      );
    });
  }

  it(`${RUNS} random conversations (tool calls, errors, thinking, images, same-role turns)`, () => {
    const random = new Random(1);
    for (let i = 0; i < RUNS; i++) {
      const request = randomMessagesRequest(random);
      const roundTripped = chatToMessagesRequest(messagesToChatRequest(structuredClone(request)));
      assert.deepEqual(
        normalizeRequest(roundTripped),
        normalizeRequest(request),
        `run ${i}: ${JSON.stringify(request)}`,
      );
    }
  });
});

describe('requests: chat -> Anthropic -> chat -> Anthropic is stable after one hop', () => {
  const hasToolImage = (messages: ChatMessage[]): boolean =>
    messages.some(
      (m) => m.role === 'tool' && Array.isArray(m.content) && m.content.some((p) => p.type === 'image_url'),
    );
  for (const { description, input } of goldenInputs<ChatRequest>('chat-to-messages.request')) {
    if (hasToolImage(input.messages)) continue;
    it(`golden: ${description}`, () => {
      const once = chatToMessagesRequest(input);
      const twice = chatToMessagesRequest(messagesToChatRequest(once));
      assert.deepEqual(normalizeRequest(twice), normalizeRequest(once));
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Answers

const STOP_AFTER_CHAT: Readonly<Record<StopReason, StopReason>> = {
  end_turn: 'end_turn',
  stop_sequence: 'end_turn',
  pause_turn: 'end_turn',
  max_tokens: 'max_tokens',
  model_context_window_exceeded: 'max_tokens',
  tool_use: 'tool_use',
  refusal: 'refusal',
};

/** A response as it comes back through chat (non-streaming): texts joined, after thinking, before tools. */
function throughChat(response: MessagesResponse): MessagesResponse {
  const text = response.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
  const usage = response.usage;
  return {
    ...response,
    content: [
      ...response.content.filter((b) => b.type === 'thinking' || b.type === 'redacted_thinking'),
      ...(text ? [{ type: 'text' as const, text }] : []),
      ...response.content.filter((b) => b.type === 'tool_use'),
    ],
    stop_reason: STOP_AFTER_CHAT[response.stop_reason ?? 'end_turn'],
    stop_sequence: null,
    usage: {
      input_tokens: usage.input_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
      cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
      output_tokens: usage.output_tokens,
      ...(usage.output_tokens_details && { output_tokens_details: usage.output_tokens_details }),
    },
  };
}

/** The same through a stream: block boundaries survive, except between adjacent texts. */
function throughChatStream(response: MessagesResponse): MessagesResponse {
  const content: ResponseContentBlock[] = [];
  for (const block of response.content) {
    if (block.type === 'text') {
      if (!block.text) continue;
      const previous = content.at(-1);
      if (previous?.type === 'text') previous.text += block.text;
      else content.push({ type: 'text', text: block.text });
    } else content.push(block);
  }
  return { ...throughChat(response), content };
}

describe('answers: Anthropic -> chat -> Anthropic', () => {
  for (const { description, input } of goldenInputs<MessagesResponse>('chat-to-messages.response')) {
    it(`golden: ${description}`, () => {
      assert.deepEqual(chatToMessagesResponse(messagesToChatResponse(input)), throughChat(input));
    });
  }

  it(`${RUNS} random answers keep content, signatures, tool ids and usage`, () => {
    const random = new Random(2);
    for (let i = 0; i < RUNS; i++) {
      const response = randomMessagesResponse(random);
      assert.deepEqual(
        chatToMessagesResponse(messagesToChatResponse(response)),
        throughChat(response),
        `run ${i}`,
      );
    }
  });

  it(`${RUNS} random streams: the events come back with the same blocks, indices and usage`, () => {
    const random = new Random(3);
    for (let i = 0; i < RUNS; i++) {
      const response = randomMessagesResponse(random);
      const chat = run(createMessagesToChatStream({ includeUsage: true }), messagesEvents(response, random));
      const back = run(createChatToMessagesStream({ model: response.model, messageId: response.id }), chat);
      assert.deepEqual(accumulateMessagesEvents(back), throughChatStream(response), `run ${i}`);
    }
  });
});

/** Chat answers compared by what both APIs carry. */
function chatEssentials(response: ChatResponse): unknown {
  const { message, finish_reason } = response.choices[0];
  const signatures = (message.reasoning_details ?? []).map((d) => d.signature).filter(Boolean);
  return {
    content: message.content || null,
    reasoning: message.reasoning_content ?? null,
    signatures,
    tool_calls: message.tool_calls ?? [],
    finish_reason,
    prompt_tokens: response.usage?.prompt_tokens,
    cached_tokens: response.usage?.prompt_tokens_details?.cached_tokens ?? 0,
    completion_tokens: response.usage?.completion_tokens,
  };
}

describe('answers: chat -> Anthropic -> chat', () => {
  it(`${RUNS} random answers`, () => {
    const random = new Random(4);
    for (let i = 0; i < RUNS; i++) {
      const response = randomChatResponse(random);
      const back = messagesToChatResponse(chatToMessagesResponse(response));
      assert.deepEqual(chatEssentials(back), chatEssentials(response), `run ${i}`);
    }
  });

  it(`${RUNS} random streams`, () => {
    const random = new Random(5);
    for (let i = 0; i < RUNS; i++) {
      const response = randomChatResponse(random);
      const anthropic = run(
        createChatToMessagesStream({ model: response.model }),
        chatChunks(response, random),
      );
      const back = run(createMessagesToChatStream({ includeUsage: true }), anthropic);
      assert.deepEqual(chatEssentials(accumulateChatChunks(back)), chatEssentials(response), `run ${i}`);
    }
  });
});

describe('a stream says what the non-streaming answer says', () => {
  it(`${RUNS} Anthropic answers streamed to a chat client`, () => {
    const random = new Random(6);
    for (let i = 0; i < RUNS; i++) {
      const response = randomMessagesResponse(random);
      const streamed = accumulateChatChunks(
        run(createMessagesToChatStream({ includeUsage: true, created: 1 }), messagesEvents(response, random)),
      );
      const whole = messagesToChatResponse(response, { created: 1 });
      const wholeMessage = whole.choices[0].message;
      whole.choices[0].message = { ...wholeMessage, content: wholeMessage.content || '' };
      assert.deepEqual(streamed, whole, `run ${i}`);
    }
  });

  it(`${RUNS} chat answers streamed to an Anthropic client`, () => {
    const random = new Random(7);
    for (let i = 0; i < RUNS; i++) {
      const response = randomChatResponse(random);
      const whole = chatToMessagesResponse(response);
      const streamed = accumulateMessagesEvents(
        run(
          createChatToMessagesStream({ model: response.model, messageId: whole.id }),
          chatChunks(response, random),
        ),
      );
      assert.deepEqual(streamed, whole, `run ${i}`);
    }
  });
});
