// Every client API against every upstream kind, through the built relay, with the official SDKs:
// the openai SDK as a chat client and as a Responses client, against an Anthropic upstream (translated),
// an OpenAI upstream (native) and a chat-only OpenAI upstream (Responses -> chat); and a Claude
// Code-like Anthropic SDK request against an OpenAI upstream.
import type Anthropic from '@anthropic-ai/sdk';
import {
  type FakeAnthropicUpstream,
  type FakeOpenAiUpstream,
  type RecordedRequest,
  anthropicBehaviours,
  behaviours,
  startFakeAnthropicUpstream,
  startFakeOpenAiUpstream,
} from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import { type RelayProcess, disposeRelay, fakeProvider, startRelayWithConfig } from './support/relay-process';
import {
  type Script,
  anthropicClient,
  fakeAnthropicProvider,
  scriptClaude,
  scriptOpenAi,
} from './support/sdk-clients';

const CLAUDE = 'claude-haiku-4-5';
const GPT = 'gpt-4o-mini';
const CHAT_ONLY = 'chat-only-model';
/** What Claude Code asks for when ANTHROPIC_BASE_URL points at the relay; an alias sends it to GPT. */
const CLAUDE_CODE_MODEL = 'claude-opus-4-1-20250805';
const FLAKY_CLAUDE_MODELS = ['claude-flaky-chat', 'claude-flaky-responses', 'claude-nostop'];
const FLAKY_CHAT_ONLY_MODELS = ['chat-only-flaky'];
const FAILOVER_CASES = [
  { model: 'shared-messages', first: 'anthropic' },
  { model: 'shared-chat', first: 'anthropic' },
  { model: 'shared-responses', first: 'anthropic' },
  { model: 'shared-messages-rev', first: 'openai' },
  { model: 'shared-chat-rev', first: 'openai' },
] as const;

type Body = Record<string, unknown>;
type Kind = 'anthropic' | 'openai' | 'chat-only';

/** The upstream behind one model, as a test sees it. */
interface Side {
  kind: Kind;
  model: string;
  provider: string;
  /** The path a chat (or Responses) request arrives at upstream. */
  upstreamPath: string;
  answer(script: Script): void;
  requests(): RecordedRequest[];
}

/** Chat stream deltas carry reasoning fields the SDK's types do not name. */
type ReasoningDelta = {
  reasoning_content?: string;
  reasoning_details?: Array<{ type: string; text?: string; signature?: string | null; index?: number }>;
};

const weatherFunction: OpenAI.ChatCompletionFunctionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const timeFunction: OpenAI.ChatCompletionFunctionTool = {
  type: 'function',
  function: {
    name: 'get_time',
    parameters: { type: 'object', properties: { timezone: { type: 'string' } } },
  },
};

describe('translation matrix: openai and Anthropic SDKs against Anthropic and OpenAI upstreams', () => {
  let claude: FakeAnthropicUpstream;
  let openai: FakeOpenAiUpstream;
  let relay: RelayProcess;
  let client: OpenAI;

  before(async () => {
    claude = await startFakeAnthropicUpstream({ keys: ['sk-ant-matrix', 'sk-ant-flaky'] });
    openai = await startFakeOpenAiUpstream({ keys: ['sk-e2e-1', 'sk-e2e-chat-only', 'sk-e2e-flaky'] });
    relay = await startRelayWithConfig({
      providers: {
        claude: fakeAnthropicProvider(claude.baseUrl, 'sk-ant-matrix', [CLAUDE]),
        openai: fakeProvider(openai.baseUrl, { models: { include: [GPT] } }),
        chatonly: fakeProvider(openai.baseUrl, {
          keys: [{ key: 'sk-e2e-chat-only', label: 'chat-only' }],
          models: { include: [CHAT_ONLY] },
        }),
        // One provider per failing stream: a failure backs its key off, which must not leak into other tests.
        ...Object.fromEntries(
          FLAKY_CLAUDE_MODELS.map((model) => [
            model,
            fakeAnthropicProvider(claude.baseUrl, 'sk-ant-flaky', [model]),
          ]),
        ),
        // Cross-kind failover: each shared model is served by two providers of different kinds, the
        // failing one first (one pair per test, so a backed-off key never decides another test).
        ...Object.fromEntries(
          FAILOVER_CASES.flatMap(({ model, first }) => {
            const anthropic = [
              `claude-${model}`,
              fakeAnthropicProvider(claude.baseUrl, 'sk-ant-matrix', [model]),
            ] as const;
            const compatible = [
              `openai-${model}`,
              fakeProvider(openai.baseUrl, {
                keys: [{ key: 'sk-e2e-1', label: model }],
                models: { include: [model] },
              }),
            ] as const;
            return first === 'anthropic' ? [anthropic, compatible] : [compatible, anthropic];
          }),
        ),
        ...Object.fromEntries(
          FLAKY_CHAT_ONLY_MODELS.map((model) => [
            model,
            fakeProvider(openai.baseUrl, {
              keys: [{ key: 'sk-e2e-flaky', label: model }],
              models: { include: [model] },
            }),
          ]),
        ),
      },
      model_routing: { aliases: { [CLAUDE_CODE_MODEL]: GPT } },
      compat: {
        responses_api: {
          chatonly: false,
          ...Object.fromEntries(FLAKY_CHAT_ONLY_MODELS.map((model) => [model, false])),
        },
      },
    });
    client = relay.client();
  });

  after(async () => {
    await disposeRelay(relay);
    await claude?.close();
    await openai?.close();
  });

  beforeEach(() => {
    claude.reset();
    openai.reset();
  });

  const anthropicSide: Side = {
    kind: 'anthropic',
    model: CLAUDE,
    provider: 'claude',
    upstreamPath: '/v1/messages',
    answer: (script) => scriptClaude(claude, CLAUDE, script),
    requests: () => claude.requests.filter((request) => request.body?.model === CLAUDE),
  };
  const openAiSide: Side = {
    kind: 'openai',
    model: GPT,
    provider: 'openai',
    upstreamPath: '/v1/chat/completions',
    answer: (script) => scriptOpenAi(openai, GPT, script),
    requests: () => openai.requests.filter((request) => request.body?.model === GPT),
  };
  const chatOnlySide: Side = {
    kind: 'chat-only',
    model: CHAT_ONLY,
    provider: 'chatonly',
    upstreamPath: '/v1/chat/completions',
    answer: (script) => scriptOpenAi(openai, CHAT_ONLY, script),
    requests: () => openai.requests.filter((request) => request.body?.model === CHAT_ONLY),
  };
  const toolId = (side: Side, name: string) => (side.kind === 'anthropic' ? `toolu_${name}` : `call_${name}`);

  describe('openai SDK as a chat client', () => {
    for (const side of [anthropicSide, openAiSide]) {
      describe(`on ${side.kind === 'anthropic' ? 'an Anthropic' : 'an OpenAI'} upstream`, () => {
        const model = side.model;

        it('non-stream: text, finish reason, usage, served model', async () => {
          side.answer({
            content: 'Bonjour from upstream',
            usage: { input: 12, output: 4, cacheRead: 0, cacheCreation: 0 },
          });
          const { data, response } = await client.chat.completions
            .create({
              model,
              messages: [
                { role: 'system', content: 'Answer in French.' },
                { role: 'user', content: 'hello' },
              ],
            })
            .withResponse();
          assert.equal(data.object, 'chat.completion');
          assert.equal(data.model, model);
          assert.equal(data.choices.length, 1);
          assert.equal(data.choices[0]!.message.role, 'assistant');
          assert.equal(data.choices[0]!.message.content, 'Bonjour from upstream');
          assert.equal(data.choices[0]!.finish_reason, 'stop');
          assert.equal(data.usage?.prompt_tokens, 12);
          assert.equal(data.usage?.completion_tokens, 4);
          assert.equal(data.usage?.total_tokens, 16);
          assert.equal(response.headers.get('x-monorelay-provider'), side.provider);

          const sent = side.requests()[0]!;
          assert.equal(sent.path, side.upstreamPath);
          if (side.kind === 'anthropic') {
            assert.equal(sent.body?.system, 'Answer in French.');
            assert.deepEqual(sent.body?.messages, [{ role: 'user', content: 'hello' }]);
            assert.equal(typeof sent.body?.max_tokens, 'number', 'Anthropic requires max_tokens');
          } else {
            assert.deepEqual(sent.body?.messages, [
              { role: 'system', content: 'Answer in French.' },
              { role: 'user', content: 'hello' },
            ]);
          }
        });

        it('stream (async iterate): role first, text in pieces, stop, one id, no usage unasked', async () => {
          side.answer({ content: 'streamed words arrive in order', chunks: 5 });
          const stream = await client.chat.completions.create({
            model,
            messages: [{ role: 'user', content: 'stream it' }],
            stream: true,
          });
          const ids = new Set<string>();
          let role: string | undefined;
          const pieces: string[] = [];
          const finishes: string[] = [];
          let usageChunks = 0;
          for await (const chunk of stream) {
            assert.equal(chunk.object, 'chat.completion.chunk');
            assert.equal(chunk.model, model);
            ids.add(chunk.id);
            if (chunk.usage) usageChunks++;
            const choice = chunk.choices[0];
            if (!choice) continue;
            if (choice.delta.role) role ??= choice.delta.role;
            if (choice.delta.content) pieces.push(choice.delta.content);
            if (choice.finish_reason) finishes.push(choice.finish_reason);
          }
          assert.equal(role, 'assistant');
          assert.equal(pieces.join(''), 'streamed words arrive in order');
          assert.ok(pieces.length >= 2, `in pieces: ${JSON.stringify(pieces)}`);
          assert.deepEqual(finishes, ['stop']);
          assert.equal(ids.size, 1, `one completion id: ${[...ids].join(', ')}`);
          assert.equal(usageChunks, 0, 'no usage chunk was asked for');
        });

        it('streamed parallel tool calls: indices 0 and 1, ids, names, arguments reassemble to JSON', async () => {
          const weatherArgs = { city: 'Paris', days: [1, 2, 3], note: 'say "hi" \u00e9' };
          const timeArgs = { timezone: 'Europe/Paris' };
          side.answer({
            content: 'Checking.',
            tools: [
              { id: toolId(side, 'weather'), name: 'get_weather', input: weatherArgs },
              { id: toolId(side, 'time'), name: 'get_time', input: timeArgs },
            ],
            chunks: 5,
          });
          const stream = await client.chat.completions.create({
            model,
            messages: [{ role: 'user', content: 'weather and time in Paris' }],
            tools: [weatherFunction, timeFunction],
            stream: true,
          });
          const calls = new Map<
            number,
            { id?: string; type?: string; name?: string; args: string; fragments: number }
          >();
          let text = '';
          let finish: string | null = null;
          for await (const chunk of stream) {
            const choice = chunk.choices[0];
            if (!choice) continue;
            text += choice.delta.content ?? '';
            for (const delta of choice.delta.tool_calls ?? []) {
              const call = calls.get(delta.index) ?? { args: '', fragments: 0 };
              if (delta.id) {
                assert.equal(call.id, undefined, `call ${delta.index}: the id comes once`);
                call.id = delta.id;
              }
              if (delta.type) call.type = delta.type;
              if (delta.function?.name) call.name = (call.name ?? '') + delta.function.name;
              if (delta.function?.arguments) {
                call.args += delta.function.arguments;
                call.fragments++;
              }
              calls.set(delta.index, call);
            }
            if (choice.finish_reason) finish = choice.finish_reason;
          }
          assert.equal(text, 'Checking.');
          assert.deepEqual(
            [...calls.keys()].sort(),
            [0, 1],
            'tool indices are tool ordinals, not block indices',
          );
          const [weather, time] = [calls.get(0)!, calls.get(1)!];
          assert.deepEqual(
            [weather.id, weather.type, weather.name],
            [toolId(side, 'weather'), 'function', 'get_weather'],
          );
          assert.deepEqual([time.id, time.type, time.name], [toolId(side, 'time'), 'function', 'get_time']);
          assert.deepEqual(JSON.parse(weather.args), weatherArgs);
          assert.deepEqual(JSON.parse(time.args), timeArgs);
          assert.ok(weather.fragments > 1, 'arguments arrive in fragments');
          assert.equal(finish, 'tool_calls');

          if (side.kind === 'anthropic') {
            const tools = side.requests()[0]!.body?.tools as Body[];
            assert.deepEqual(
              tools.map((tool) => [tool.name, tool.input_schema]),
              [
                ['get_weather', weatherFunction.function.parameters],
                ['get_time', timeFunction.function.parameters],
              ],
            );
          }
        });

        it('tool round trip: the tool result reaches the upstream tied to its call', async () => {
          const callId = toolId(side, 'round');
          side.answer({ tools: [{ id: callId, name: 'get_weather', input: { city: 'Oslo' } }] });
          const question: OpenAI.ChatCompletionMessageParam = { role: 'user', content: 'Weather in Oslo?' };
          const first = await client.chat.completions.create({
            model,
            messages: [question],
            tools: [weatherFunction],
          });
          const message = first.choices[0]!.message;
          assert.equal(first.choices[0]!.finish_reason, 'tool_calls');
          const call = message.tool_calls?.[0];
          assert.ok(call && call.type === 'function');
          assert.equal(call.id, callId);
          assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Oslo' });

          side.answer({ content: 'It is -3 °C in Oslo.' });
          const second = await client.chat.completions.create({
            model,
            tools: [weatherFunction],
            messages: [question, message, { role: 'tool', tool_call_id: call.id, content: '-3 °C, snow' }],
          });
          assert.equal(second.choices[0]!.message.content, 'It is -3 °C in Oslo.');

          const sent = side.requests()[1]!.body!;
          if (side.kind === 'anthropic') {
            const messages = sent.messages as Array<{ role: string; content: Body[] }>;
            assert.deepEqual(
              messages.map((m) => m.role),
              ['user', 'assistant', 'user'],
            );
            const use = messages[1]!.content.find((block) => block.type === 'tool_use');
            assert.deepEqual(use, {
              type: 'tool_use',
              id: callId,
              name: 'get_weather',
              input: { city: 'Oslo' },
            });
            const result = messages[2]!.content[0]!;
            assert.equal(result.type, 'tool_result');
            assert.equal(result.tool_use_id, callId);
            const content = result.content;
            const resultText =
              typeof content === 'string'
                ? content
                : (content as Array<{ text: string }>).map((c) => c.text).join('');
            assert.equal(resultText, '-3 °C, snow');
          } else {
            const messages = sent.messages as Array<{
              role: string;
              tool_call_id?: string;
              content?: unknown;
            }>;
            assert.equal(messages[2]!.role, 'tool');
            assert.equal(messages[2]!.tool_call_id, callId);
            assert.equal(messages[2]!.content, '-3 °C, snow');
          }
        });

        it('thinking surfaced as reasoning_content, streamed and not', async () => {
          const thinking = { text: 'Two plus two is four.', signature: 'sig-matrix-e2e' };
          side.answer({ reasoning: thinking, content: '4' });
          const whole = await client.chat.completions.create({
            model,
            messages: [{ role: 'user', content: '2+2?' }],
            reasoning_effort: 'low',
          });
          const message = whole.choices[0]!.message as (typeof whole.choices)[0]['message'] & ReasoningDelta;
          assert.equal(message.content, '4');
          assert.equal(message.reasoning_content, thinking.text);
          if (side.kind === 'anthropic') {
            assert.equal(message.reasoning_details?.[0]?.signature, thinking.signature);
            const sentThinking = side.requests()[0]!.body?.thinking as {
              type: string;
              budget_tokens: number;
            };
            assert.deepEqual(
              sentThinking,
              { type: 'enabled', budget_tokens: 4096 },
              'low effort is a 4096 budget',
            );
          }

          side.answer({ reasoning: thinking, content: '4', chunks: 3 });
          const stream = await client.chat.completions.create({
            model,
            messages: [{ role: 'user', content: '2+2?' }],
            reasoning_effort: 'low',
            stream: true,
          });
          let reasoning = '';
          let content = '';
          let reasoningAfterContent = false;
          const signatures: string[] = [];
          for await (const chunk of stream) {
            const delta = chunk.choices[0]?.delta as
              (ReasoningDelta & { content?: string | null }) | undefined;
            if (!delta) continue;
            if (delta.reasoning_content) {
              if (content !== '') reasoningAfterContent = true;
              reasoning += delta.reasoning_content;
            }
            for (const detail of delta.reasoning_details ?? [])
              if (detail.signature) signatures.push(detail.signature);
            content += delta.content ?? '';
          }
          assert.equal(reasoning, thinking.text);
          assert.equal(content, '4');
          assert.equal(reasoningAfterContent, false, 'the reasoning comes before the answer');
          if (side.kind === 'anthropic') assert.deepEqual(signatures, [thinking.signature]);
        });

        it('stream_options.include_usage: one usage chunk after the content, cache reads counted', async () => {
          side.answer({
            content: 'counted',
            usage: { input: 20, output: 9, cacheRead: 5, cacheCreation: 0 },
          });
          const stream = await client.chat.completions.create({
            model,
            messages: [{ role: 'user', content: 'count me' }],
            stream: true,
            stream_options: { include_usage: true },
          });
          const usages: Array<{ at: number; usage: OpenAI.CompletionUsage; choices: number }> = [];
          let lastContent = -1;
          let index = 0;
          for await (const chunk of stream) {
            if (chunk.usage) usages.push({ at: index, usage: chunk.usage, choices: chunk.choices.length });
            if (chunk.choices[0]?.delta.content) lastContent = index;
            index++;
          }
          assert.equal(usages.length, 1, JSON.stringify(usages));
          const [only] = usages;
          assert.equal(only!.choices, 0);
          assert.ok(only!.at > lastContent, 'after the content');
          assert.equal(only!.usage.prompt_tokens, 25);
          assert.equal(only!.usage.completion_tokens, 9);
          assert.equal(only!.usage.total_tokens, 34);
          assert.equal(only!.usage.prompt_tokens_details?.cached_tokens, 5);
        });
      });
    }

    it('on an Anthropic upstream: the thinking signature streamed to the client goes back upstream', async () => {
      const thinking = { text: 'Consider the edge cases.', signature: 'EqQBCkYIBxgC+matrix/sig==' };
      anthropicSide.answer({ reasoning: thinking, content: 'Done.', chunks: 3 });
      const question: OpenAI.ChatCompletionMessageParam = { role: 'user', content: 'Check it.' };
      const stream = await client.chat.completions.create({
        model: CLAUDE,
        messages: [question],
        stream: true,
      });
      let reasoning = '';
      let content = '';
      const details: NonNullable<ReasoningDelta['reasoning_details']> = [];
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta as (ReasoningDelta & { content?: string | null }) | undefined;
        reasoning += delta?.reasoning_content ?? '';
        content += delta?.content ?? '';
        details.push(...(delta?.reasoning_details ?? []));
      }
      assert.equal(reasoning, thinking.text);
      // Merge the streamed fragments by index, as OpenRouter-style clients do.
      const merged = new Map<number, { type: string; text: string; signature?: string; index: number }>();
      for (const detail of details) {
        const index = detail.index ?? 0;
        const entry = merged.get(index) ?? { type: detail.type, text: '', index };
        entry.text += detail.text ?? '';
        if (detail.signature) entry.signature = detail.signature;
        merged.set(index, entry);
      }
      anthropicSide.answer({ content: 'Next.' });
      await client.chat.completions.create({
        model: CLAUDE,
        messages: [
          question,
          {
            role: 'assistant',
            content,
            reasoning_content: reasoning,
            reasoning_details: [...merged.values()],
          } as OpenAI.ChatCompletionAssistantMessageParam,
          { role: 'user', content: 'And now?' },
        ],
      });
      const history = anthropicSide.requests()[1]!.body?.messages as Array<{ role: string; content: Body[] }>;
      assert.deepEqual(history[1]!.content[0], {
        type: 'thinking',
        thinking: thinking.text,
        signature: thinking.signature,
      });
    });
  });

  describe('openai SDK as a chat client: Anthropic specifics', () => {
    it('request parameters map to their Anthropic names', async () => {
      const png =
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
      await client.chat.completions.create({
        model: CLAUDE,
        max_completion_tokens: 300,
        temperature: 0.2,
        top_p: 0.9,
        stop: ['END'],
        user: 'user-42',
        tools: [weatherFunction],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        parallel_tool_calls: false,
        messages: [
          { role: 'system', content: 'Be precise.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in the picture?' },
              { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
            ],
          },
        ],
      });
      const body = anthropicSide.requests()[0]!.body!;
      assert.equal(body.max_tokens, 300);
      assert.equal(body.temperature, 0.2);
      assert.equal(body.top_p, 0.9);
      assert.deepEqual(body.stop_sequences, ['END']);
      assert.deepEqual(body.metadata, { user_id: 'user-42' });
      assert.deepEqual(body.tool_choice, {
        type: 'tool',
        name: 'get_weather',
        disable_parallel_tool_use: true,
      });
      assert.equal(body.system, 'Be precise.');
      assert.deepEqual(body.messages, [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in the picture?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
          ],
        },
      ]);
    });

    it('redacted thinking travels to the chat client and back to Anthropic byte for byte', async () => {
      const blob =
        'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj+=';
      claude.when(
        { model: CLAUDE },
        anthropicBehaviours.ok({
          thinking: { text: 'visible part', signature: 'sig-visible' },
          redactedThinking: blob,
          content: 'Answer.',
        }),
        { times: 1 },
      );
      const question: OpenAI.ChatCompletionMessageParam = { role: 'user', content: 'Think hard.' };
      const first = await client.chat.completions.create({ model: CLAUDE, messages: [question] });
      const message = first.choices[0]!.message as OpenAI.ChatCompletionMessage & ReasoningDelta;
      const encrypted = (message.reasoning_details ?? []).find(
        (detail) => detail.type === 'reasoning.encrypted',
      ) as { data?: string } | undefined;
      assert.equal(encrypted?.data, blob);

      await client.chat.completions.create({
        model: CLAUDE,
        messages: [
          question,
          message as OpenAI.ChatCompletionAssistantMessageParam,
          { role: 'user', content: 'More.' },
        ],
      });
      const history = anthropicSide.requests()[1]!.body?.messages as Array<{ role: string; content: Body[] }>;
      assert.deepEqual(history[1]!.content.slice(0, 2), [
        { type: 'thinking', thinking: 'visible part', signature: 'sig-visible' },
        { type: 'redacted_thinking', data: blob },
      ]);
    });

    it('an Anthropic stop reason maps to the chat finish reason (max_tokens -> length)', async () => {
      claude.when(
        { model: CLAUDE },
        anthropicBehaviours.ok({ content: 'cut sh', stopReason: 'max_tokens' }),
        { times: 2 },
      );
      const whole = await client.chat.completions.create({
        model: CLAUDE,
        messages: [{ role: 'user', content: 'long' }],
      });
      assert.equal(whole.choices[0]!.finish_reason, 'length');
      const stream = await client.chat.completions.create({
        model: CLAUDE,
        messages: [{ role: 'user', content: 'long' }],
        stream: true,
      });
      const finishes: string[] = [];
      for await (const chunk of stream)
        if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
      assert.deepEqual(finishes, ['length']);
    });

    it('an Anthropic error event mid-stream: the SDK throws and never sees a finish reason', async () => {
      claude.when(
        { model: 'claude-flaky-chat' },
        anthropicBehaviours.errorEvent(5, undefined, {
          content: 'one two three four five',
          chunks: 5,
          chunkDelayMs: 20,
        }),
      );
      const stream = await client.chat.completions.create({
        model: 'claude-flaky-chat',
        messages: [{ role: 'user', content: 'count' }],
        stream: true,
      });
      let text = '';
      const finishes: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const chunk of stream) {
            text += chunk.choices[0]?.delta.content ?? '';
            if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
          }
        })(),
        (error) => {
          assert.ok(error instanceof Error && error.constructor.name === 'APIError', String(error));
          return true;
        },
      );
      assert.ok(text.length > 0, 'some text arrived first');
      assert.ok(!text.includes('five'), text);
      assert.deepEqual(finishes, []);
    });

    it('an Anthropic stream with message_delta but no message_stop completes normally', async () => {
      claude.when({ model: 'claude-nostop' }, anthropicBehaviours.noStop({ content: 'all there' }), {
        times: 1,
      });
      const stream = await client.chat.completions.create({
        model: 'claude-nostop',
        messages: [{ role: 'user', content: 'no stop' }],
        stream: true,
      });
      let text = '';
      const finishes: string[] = [];
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
      }
      assert.equal(text, 'all there');
      assert.deepEqual(finishes, ['stop']);
    });
  });

  describe('openai SDK as a Responses client', () => {
    for (const side of [anthropicSide, openAiSide, chatOnlySide]) {
      const where =
        side.kind === 'anthropic'
          ? 'an Anthropic upstream (Responses -> chat -> Messages)'
          : side.kind === 'openai'
            ? 'an OpenAI upstream (native)'
            : 'a chat-only upstream (Responses -> chat)';
      const upstreamPath = side.kind === 'openai' ? '/v1/responses' : side.upstreamPath;

      describe(`on ${where}`, () => {
        const model = side.model;

        it('responses.create non-stream: output_text, completed, usage', async () => {
          side.answer({
            content: 'A Responses answer',
            usage: { input: 20, output: 6, cacheRead: 10, cacheCreation: 0 },
          });
          const { data, response } = await client.responses
            .create({ model, input: 'hello', instructions: 'Be terse.' })
            .withResponse();
          assert.equal(data.object, 'response');
          assert.equal(data.status, 'completed');
          assert.equal(data.model, model);
          assert.equal(data.output_text, 'A Responses answer');
          const messages = data.output.filter((item) => item.type === 'message');
          assert.equal(messages.length, 1);
          assert.equal(data.usage?.input_tokens, 30);
          assert.equal(data.usage?.output_tokens, 6);
          assert.equal(data.usage?.total_tokens, 36);
          assert.equal(data.usage?.input_tokens_details.cached_tokens, 10);
          assert.equal(response.headers.get('x-monorelay-provider'), side.provider);

          const sent = side.requests()[0]!;
          assert.equal(sent.path, upstreamPath);
          if (side.kind === 'anthropic') assert.equal(sent.body?.system, 'Be terse.');
          else if (side.kind === 'chat-only')
            assert.deepEqual(sent.body?.messages, [
              { role: 'system', content: 'Be terse.' },
              { role: 'user', content: 'hello' },
            ]);
          else assert.equal(sent.body?.instructions, 'Be terse.');
        });

        it('responses.create stream: the event lifecycle, deltas assemble, sequence numbers count up', async () => {
          side.answer({ content: 'streamed through Responses', chunks: 4 });
          const stream = await client.responses.create({ model, input: 'stream it', stream: true });
          const types: string[] = [];
          const sequence: number[] = [];
          let text = '';
          let completed: OpenAI.Responses.Response | undefined;
          for await (const event of stream) {
            types.push(event.type);
            sequence.push(event.sequence_number);
            if (event.type === 'response.output_text.delta') text += event.delta;
            if (event.type === 'response.completed') completed = event.response;
          }
          assert.equal(types[0], 'response.created');
          assert.equal(types.at(-1), 'response.completed');
          assert.ok(
            types.filter((type) => type === 'response.output_text.delta').length >= 2,
            types.join(','),
          );
          assert.ok(types.includes('response.output_text.done'));
          assert.ok(types.includes('response.output_item.done'));
          assert.deepEqual(
            sequence,
            sequence.map((_, i) => i),
          );
          assert.equal(text, 'streamed through Responses');
          assert.equal(completed?.status, 'completed');
          const message = completed?.output.find((item) => item.type === 'message');
          assert.ok(message && message.type === 'message');
          const part = message.content[0];
          assert.ok(part?.type === 'output_text');
          assert.equal(part.text, 'streamed through Responses');
          assert.ok((completed?.usage?.output_tokens ?? 0) > 0);

          side.answer({ content: 'final via the helper' });
          const final = await client.responses.stream({ model, input: 'again' }).finalResponse();
          assert.equal(final.output_text, 'final via the helper');
        });

        it('function call round trip: function_call -> function_call_output -> answer', async () => {
          const callId = toolId(side, 'resp_weather');
          const tools: OpenAI.Responses.FunctionTool[] = [
            {
              type: 'function',
              name: 'get_weather',
              description: 'Current weather for a city',
              parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
              strict: false,
            },
          ];
          side.answer({ tools: [{ id: callId, name: 'get_weather', input: { city: 'Lima' } }], chunks: 3 });
          const stream = client.responses.stream({ model, input: 'Weather in Lima?', tools });
          let argumentDeltas = '';
          stream.on('response.function_call_arguments.delta', (event) => (argumentDeltas += event.delta));
          const first = await stream.finalResponse();
          const call = first.output.find((item) => item.type === 'function_call');
          assert.ok(call && call.type === 'function_call', JSON.stringify(first.output));
          assert.equal(call.call_id, callId);
          assert.equal(call.name, 'get_weather');
          assert.deepEqual(JSON.parse(call.arguments), { city: 'Lima' });
          assert.deepEqual(JSON.parse(argumentDeltas), { city: 'Lima' }, 'argument deltas assemble');

          side.answer({ content: 'Lima: 19 °C, cloudy.' });
          const second = await client.responses.create({
            model,
            tools,
            input: [
              { role: 'user', content: 'Weather in Lima?' },
              ...(first.output as OpenAI.Responses.ResponseInputItem[]),
              { type: 'function_call_output', call_id: call.call_id, output: '19 °C, cloudy' },
            ],
          });
          assert.equal(second.output_text, 'Lima: 19 °C, cloudy.');

          const sent = side.requests()[1]!.body!;
          if (side.kind === 'anthropic') {
            const messages = sent.messages as Array<{ role: string; content: Body[] | string }>;
            assert.deepEqual(
              messages.map((m) => m.role),
              ['user', 'assistant', 'user'],
            );
            const use = (messages[1]!.content as Body[]).find((block) => block.type === 'tool_use');
            assert.deepEqual(use, {
              type: 'tool_use',
              id: callId,
              name: 'get_weather',
              input: { city: 'Lima' },
            });
            const result = (messages[2]!.content as Body[])[0]!;
            assert.equal(result.type, 'tool_result');
            assert.equal(result.tool_use_id, callId);
            assert.equal(result.content, '19 °C, cloudy');
          } else if (side.kind === 'chat-only') {
            const messages = sent.messages as Array<{
              role: string;
              content?: unknown;
              tool_call_id?: string;
              tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
            }>;
            assert.deepEqual(
              messages.map((m) => m.role),
              ['user', 'assistant', 'tool'],
            );
            assert.equal(messages[1]!.tool_calls?.[0]?.id, callId);
            assert.equal(messages[1]!.tool_calls?.[0]?.function.name, 'get_weather');
            assert.deepEqual(JSON.parse(messages[1]!.tool_calls![0]!.function.arguments), { city: 'Lima' });
            assert.equal(messages[2]!.tool_call_id, callId);
            assert.equal(messages[2]!.content, '19 °C, cloudy');
            const chatTools = sent.tools as Array<{ type: string; function: Body }>;
            assert.equal(chatTools[0]!.function.name, 'get_weather');
          } else {
            const input = sent.input as Body[];
            const output = input.find((item) => item.type === 'function_call_output');
            assert.deepEqual(output, {
              type: 'function_call_output',
              call_id: callId,
              output: '19 °C, cloudy',
            });
          }
        });
      });
    }

    it('on an Anthropic upstream: Responses parameters and input items map to Messages', async () => {
      await client.responses.create({
        model: CLAUDE,
        max_output_tokens: 500,
        temperature: 0.3,
        instructions: 'Be exact.',
        tool_choice: { type: 'function', name: 'get_weather' },
        tools: [
          {
            type: 'function',
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
            strict: false,
          },
        ],
        input: [
          { role: 'developer', content: 'Use metric units.' },
          { role: 'user', content: [{ type: 'input_text', text: 'Weather in Rome?' }] },
        ],
      });
      const body = anthropicSide.requests()[0]!.body!;
      assert.equal(body.max_tokens, 500);
      assert.equal(body.temperature, 0.3);
      assert.equal(
        typeof body.system === 'string' ? body.system : JSON.stringify(body.system),
        'Be exact.\n\nUse metric units.',
      );
      assert.deepEqual(body.tool_choice, { type: 'tool', name: 'get_weather' });
      assert.deepEqual(
        (body.tools as Body[]).map((tool) => [tool.name, tool.input_schema]),
        [['get_weather', { type: 'object', properties: { city: { type: 'string' } } }]],
      );
      const messages = body.messages as Array<{ role: string; content: unknown }>;
      assert.equal(messages.length, 1);
      assert.equal(messages[0]!.role, 'user');
      // A string or one text block: both say the same to Anthropic.
      const content = messages[0]!.content;
      assert.deepEqual(typeof content === 'string' ? [{ type: 'text', text: content }] : content, [
        { type: 'text', text: 'Weather in Rome?' },
      ]);
    });

    for (const [where, model, script] of [
      [
        'an Anthropic upstream’s error event',
        'claude-flaky-responses',
        () =>
          claude.when(
            { model: 'claude-flaky-responses' },
            anthropicBehaviours.errorEvent(5, undefined, {
              content: 'one two three four five',
              chunks: 5,
              chunkDelayMs: 20,
            }),
          ),
      ],
      [
        'a chat-only upstream’s cut stream',
        'chat-only-flaky',
        () =>
          openai.when(
            { model: 'chat-only-flaky' },
            behaviours.cutStream(4, { content: 'one two three four five', chunks: 5, chunkDelayMs: 20 }),
          ),
      ],
    ] as const) {
      it(`a stream failing mid-way (${where}): an error event, never response.completed`, async () => {
        script();
        const stream = await client.responses.create({ model, input: 'count', stream: true });
        const types: string[] = [];
        let text = '';
        await assert.rejects(
          (async () => {
            for await (const event of stream) {
              types.push(event.type);
              if (event.type === 'response.output_text.delta') text += event.delta;
            }
          })(),
          (error) => {
            assert.ok(error instanceof Error && error.constructor.name === 'APIError', String(error));
            return true;
          },
        );
        assert.equal(types[0], 'response.created');
        assert.ok(text.length > 0, 'some text arrived first');
        const upstream = model === 'chat-only-flaky' ? openai.requests : claude.requests;
        assert.equal(
          upstream[0]?.path,
          model === 'chat-only-flaky' ? '/v1/chat/completions' : '/v1/messages',
        );
        assert.ok(!types.includes('response.completed'), types.join(','));
      });
    }

    it('on an Anthropic upstream: thinking becomes a reasoning item, and goes back with its signature', async () => {
      const thinking = { text: 'Plan: look up, then answer.', signature: 'EqQBCkYIBxgC+responses/sig==' };
      anthropicSide.answer({ reasoning: thinking, content: 'Answer one.', chunks: 2 });
      const first = await client.responses.stream({ model: CLAUDE, input: 'Question one?' }).finalResponse();
      const reasoning = first.output.find((item) => item.type === 'reasoning');
      assert.ok(reasoning && reasoning.type === 'reasoning', JSON.stringify(first.output));
      assert.deepEqual(
        reasoning.summary.map((part) => part.text),
        [thinking.text],
      );
      assert.equal(first.output_text, 'Answer one.');

      anthropicSide.answer({ content: 'Answer two.' });
      await client.responses.create({
        model: CLAUDE,
        input: [
          { role: 'user', content: 'Question one?' },
          ...(first.output as OpenAI.Responses.ResponseInputItem[]),
          { role: 'user', content: 'Question two?' },
        ],
      });
      const history = anthropicSide.requests()[1]!.body?.messages as Array<{ role: string; content: Body[] }>;
      assert.equal(history[1]!.role, 'assistant');
      assert.deepEqual(history[1]!.content[0], {
        type: 'thinking',
        thinking: thinking.text,
        signature: thinking.signature,
      });
    });
  });

  describe('failover before the first byte, across upstream kinds', () => {
    const failAnthropic = (model: string) =>
      claude.when({ model }, anthropicBehaviours.overloaded(), { times: 1 });
    const failOpenAi = (model: string) => openai.when({ model }, behaviours.serverError(503), { times: 1 });
    const attempts = (model: string) => ({
      claude: claude.requests.filter((request) => request.body?.model === model).length,
      openai: openai.requests.filter((request) => request.body?.model === model).length,
    });

    it('Anthropic SDK stream: Anthropic 529, then served by the OpenAI upstream, translated', async () => {
      const model = 'shared-messages';
      failAnthropic(model);
      scriptOpenAi(openai, model, { content: 'served by the second target', chunks: 3 });
      const { data: stream, response } = await anthropicClient(relay)
        .messages.create({ model, max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] })
        .withResponse();
      let text = '';
      const types: string[] = [];
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
          text += event.delta.text;
      }
      assert.equal(text, 'served by the second target');
      assert.equal(types.at(-1), 'message_stop');
      assert.equal(response.headers.get('x-monorelay-provider'), `openai-${model}`);
      assert.equal(response.headers.get('x-monorelay-attempts'), '2');
      assert.deepEqual(attempts(model), { claude: 1, openai: 1 });
      assert.equal(openai.requests.at(-1)?.path, '/v1/chat/completions');
    });

    it('Anthropic SDK non-stream: OpenAI 503, then served by the Anthropic upstream natively', async () => {
      const model = 'shared-messages-rev';
      failOpenAi(model);
      scriptClaude(claude, model, { content: 'native after all' });
      const { data, response } = await anthropicClient(relay)
        .messages.create({ model, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
        .withResponse();
      assert.ok(data.content[0]!.type === 'text');
      assert.equal(data.content[0].text, 'native after all');
      assert.equal(response.headers.get('x-monorelay-provider'), `claude-${model}`);
      assert.deepEqual(attempts(model), { claude: 1, openai: 1 });
      const sent = claude.requests.at(-1)!;
      assert.equal(sent.path, '/v1/messages');
      assert.deepEqual(sent.body?.messages, [{ role: 'user', content: 'hi' }]);
    });

    it('chat stream: Anthropic 529, then served by the OpenAI upstream natively', async () => {
      const model = 'shared-chat';
      failAnthropic(model);
      scriptOpenAi(openai, model, { content: 'chat from the second target', chunks: 3 });
      const { data: stream, response } = await client.chat.completions
        .create({ model, messages: [{ role: 'user', content: 'hi' }], stream: true })
        .withResponse();
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      assert.equal(text, 'chat from the second target');
      assert.equal(response.headers.get('x-monorelay-provider'), `openai-${model}`);
      assert.deepEqual(attempts(model), { claude: 1, openai: 1 });
    });

    it('chat stream: OpenAI 503, then served by the Anthropic upstream, translated', async () => {
      const model = 'shared-chat-rev';
      failOpenAi(model);
      scriptClaude(claude, model, { content: 'translated from Claude', chunks: 3 });
      const { data: stream, response } = await client.chat.completions
        .create({ model, messages: [{ role: 'user', content: 'hi' }], stream: true })
        .withResponse();
      let text = '';
      let finish: string | null = null;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      assert.equal(text, 'translated from Claude');
      assert.equal(finish, 'stop');
      assert.equal(response.headers.get('x-monorelay-provider'), `claude-${model}`);
      assert.deepEqual(attempts(model), { claude: 1, openai: 1 });
    });

    it('Responses: Anthropic 529, then served by the OpenAI upstream’s Responses API', async () => {
      const model = 'shared-responses';
      failAnthropic(model);
      scriptOpenAi(openai, model, { content: 'responses from the second target' });
      const { data, response } = await client.responses.create({ model, input: 'hi' }).withResponse();
      assert.equal(data.output_text, 'responses from the second target');
      assert.equal(response.headers.get('x-monorelay-provider'), `openai-${model}`);
      assert.deepEqual(attempts(model), { claude: 1, openai: 1 });
      assert.equal(openai.requests.at(-1)?.path, '/v1/responses');
    });
  });

  describe('a Claude Code-like Anthropic SDK request against an OpenAI upstream', () => {
    const schema = (properties: Record<string, unknown>, required: string[]) => ({
      type: 'object' as const,
      properties,
      required,
      additionalProperties: false,
      $schema: 'http://json-schema.org/draft-07/schema#',
    });
    const tools: Anthropic.Tool[] = [
      {
        name: 'Bash',
        description: 'Executes a given bash command in a persistent shell session.',
        input_schema: schema(
          { command: { type: 'string' }, timeout: { type: 'number' }, description: { type: 'string' } },
          ['command'],
        ),
      },
      {
        name: 'Read',
        description: 'Reads a file from the local filesystem.',
        input_schema: schema(
          { file_path: { type: 'string' }, offset: { type: 'number' }, limit: { type: 'number' } },
          ['file_path'],
        ),
      },
      {
        name: 'Edit',
        description: 'Performs exact string replacements in files.',
        input_schema: schema(
          {
            file_path: { type: 'string' },
            old_string: { type: 'string' },
            new_string: { type: 'string' },
            replace_all: { type: 'boolean', default: false },
          },
          ['file_path', 'old_string', 'new_string'],
        ),
      },
      {
        name: 'Glob',
        description: 'Fast file pattern matching tool.',
        input_schema: schema({ pattern: { type: 'string' }, path: { type: 'string' } }, ['pattern']),
        cache_control: { type: 'ephemeral' },
      },
    ];
    const system: Anthropic.TextBlockParam[] = [
      {
        type: 'text',
        text: "You are Claude Code, Anthropic's official CLI for Claude.",
        cache_control: { type: 'ephemeral' },
      },
      {
        type: 'text',
        text: 'You are an interactive CLI tool that helps users with software engineering tasks.\n<env>\nWorking directory: /work/project\nIs directory a git repo: Yes\n</env>',
        cache_control: { type: 'ephemeral' },
      },
    ];
    const userId = 'user_5f2c0e8d4b7a_account_7d1e9c42_session_0b3c6a51-8f2e-4d1b-9c7a-3e5f6a7b8c9d';
    const firstTurn: Anthropic.MessageParam = {
      role: 'user',
      content: [
        {
          type: 'text',
          text: '<system-reminder>\nAs you answer the user’s questions, you can use the following context.\n</system-reminder>',
        },
        { type: 'text', text: 'List the TypeScript files under src/', cache_control: { type: 'ephemeral' } },
      ],
    };
    const betas =
      'claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14';

    it('system blocks with cache_control, four tools, metadata.user_id, max_tokens 32000, stream: a tool call', async () => {
      scriptOpenAi(openai, GPT, {
        content: 'I will look for them.',
        tools: [{ id: 'call_glob_1', name: 'Glob', input: { pattern: 'src/**/*.ts' } }],
        usage: { input: 1800, output: 40, cacheRead: 1024, cacheCreation: 0 },
      });
      // Claude Code sends temperature 1, which this SDK's types no longer declare.
      const request = {
        model: CLAUDE_CODE_MODEL,
        max_tokens: 32000,
        temperature: 1,
        stream: true as const,
        system,
        tools,
        metadata: { user_id: userId },
        messages: [firstTurn],
      };
      const claudeCode = anthropicClient(relay);
      const stream = await claudeCode.messages.create(request, {
        headers: { 'anthropic-beta': betas, 'x-app': 'cli' },
      });
      const types: string[] = [];
      let text = '';
      let json = '';
      let stopReason: string | null | undefined;
      let usage: Anthropic.MessageDeltaUsage | undefined;
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
          text += event.delta.text;
        if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta')
          json += event.delta.partial_json;
        if (event.type === 'message_delta') {
          stopReason = event.delta.stop_reason;
          usage = event.usage;
        }
      }
      assert.equal(types[0], 'message_start');
      assert.equal(types.at(-1), 'message_stop');
      assert.equal(text, 'I will look for them.');
      assert.deepEqual(JSON.parse(json), { pattern: 'src/**/*.ts' });
      assert.equal(stopReason, 'tool_use');
      assert.equal(usage?.output_tokens, 40);
      assert.equal(usage?.cache_read_input_tokens, 1024);

      assert.equal(openai.requests.length, 1);
      const sent = openai.requests[0]!;
      assert.equal(sent.path, '/v1/chat/completions');
      const body = sent.body!;
      assert.equal(body.model, GPT);
      assert.equal(body.stream, true);
      assert.equal(body.max_tokens, 32000);
      assert.equal(body.temperature, 1);
      assert.equal(body.user, userId, 'metadata.user_id -> user');
      assert.deepEqual(body.stream_options, { include_usage: true });
      const messages = body.messages as Array<{ role: string; content: unknown }>;
      assert.equal(messages[0]!.role, 'system');
      assert.equal(messages[0]!.content, `${system[0]!.text}\n\n${system[1]!.text}`);
      assert.equal(messages[1]!.role, 'user');
      assert.equal(
        JSON.stringify(messages[1]!.content).includes('List the TypeScript files under src/'),
        true,
      );
      const sentTools = body.tools as Array<{
        type: string;
        function: { name: string; parameters: unknown };
      }>;
      assert.deepEqual(
        sentTools.map((tool) => [tool.type, tool.function.name]),
        tools.map((tool) => ['function', tool.name]),
      );
      assert.deepEqual(sentTools[2]!.function.parameters, tools[2]!.input_schema);
      const raw = JSON.stringify(body);
      assert.equal(raw.includes('cache_control'), false, 'cache_control is not sent to OpenAI');
      assert.equal(raw.includes('metadata'), false, 'metadata is not sent to OpenAI');
      assert.equal(sent.headers['anthropic-beta'], undefined);
    });

    it('the next turn: tool_result blocks, extended thinking, messages.stream finalMessage', async () => {
      scriptOpenAi(openai, GPT, {
        reasoning: { text: 'Two files found.', signature: '' },
        content: 'src/a.ts and src/b.ts',
      });
      const claudeCode = anthropicClient(relay);
      const message = await claudeCode.messages
        .stream(
          {
            model: CLAUDE_CODE_MODEL,
            max_tokens: 32000,
            thinking: { type: 'enabled', budget_tokens: 31999 },
            system,
            tools,
            metadata: { user_id: userId },
            messages: [
              firstTurn,
              {
                role: 'assistant',
                content: [
                  // Claude Code replays its thinking; from an OpenAI upstream it came unsigned.
                  { type: 'thinking', thinking: 'Find the files first.', signature: '' },
                  { type: 'text', text: 'I will look for them.' },
                  { type: 'tool_use', id: 'call_glob_1', name: 'Glob', input: { pattern: 'src/**/*.ts' } },
                ],
              },
              {
                role: 'user',
                content: [
                  {
                    type: 'tool_result',
                    tool_use_id: 'call_glob_1',
                    content: [{ type: 'text', text: 'src/a.ts\nsrc/b.ts' }],
                  },
                  { type: 'text', text: 'Thanks', cache_control: { type: 'ephemeral' } },
                ],
              },
            ],
          },
          { headers: { 'anthropic-beta': betas } },
        )
        .finalMessage();
      assert.deepEqual(
        message.content.map((block) => block.type),
        ['thinking', 'text'],
      );
      const text = message.content[1]!;
      assert.ok(text.type === 'text');
      assert.equal(text.text, 'src/a.ts and src/b.ts');
      assert.equal(message.stop_reason, 'end_turn');
      assert.equal(message.model, GPT, 'the response names the model that served');

      const body = openai.requests[0]!.body!;
      assert.equal(body.reasoning_effort, 'high', 'a 31999 budget is high effort');
      const messages = body.messages as Array<{
        role: string;
        content?: unknown;
        tool_call_id?: string;
        tool_calls?: Array<{ id: string }>;
      }>;
      assert.deepEqual(
        messages.map((m) => m.role),
        ['system', 'user', 'assistant', 'tool', 'user'],
      );
      assert.equal(messages[2]!.tool_calls?.[0]?.id, 'call_glob_1');
      assert.equal(
        (messages[2] as { reasoning_content?: string }).reasoning_content,
        'Find the files first.',
      );
      assert.equal(messages[3]!.tool_call_id, 'call_glob_1');
      assert.equal(messages[3]!.content, 'src/a.ts\nsrc/b.ts');
      assert.equal(messages[4]!.content, 'Thanks');
    });
  });
});
