// The Anthropic Messages API of the built relay, as the official @anthropic-ai/sdk sees it: against an
// Anthropic upstream (passed through) and against an OpenAI-compatible upstream (translated).
import Anthropic, { type APIError } from '@anthropic-ai/sdk';
import {
  type AnthropicRecordedRequest,
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
import {
  ACCESS_KEY,
  type RelayProcess,
  disposeRelay,
  fakeProvider,
  startRelayWithConfig,
  waitUntil,
} from './support/relay-process';
import {
  type Script,
  anthropicClient,
  fakeAnthropicProvider,
  scriptClaude,
  scriptOpenAi,
} from './support/sdk-clients';

const CLAUDE = 'claude-haiku-4-5';
const GPT = 'gpt-4o';
const LOCAL = 'llama-3.1-8b-instruct';
// One key per provider, so that one provider's cooling key never steers another's requests.
const CLAUDE_KEY = 'sk-ant-e2e-main';
const OPENAI_KEY = 'sk-e2e-1';
/** One provider each: a stream failure backs its key off, which must not leak into the next case. */
const FLAKY_OPENAI_MODELS = ['gpt-flaky-cut', 'gpt-flaky-error', 'gpt-flaky-malformed'];

/** What a test needs to know of the upstream behind a model. */
interface Side {
  kind: 'anthropic' | 'openai';
  model: string;
  provider: string;
  /** The upstream answers the next request for `model` with `script`. */
  answer(script: Script): void;
  /** The requests this upstream received for `model`, in order. */
  requests(): RecordedRequest[];
}

type Body = Record<string, unknown>;
type ChatMessage = {
  role: string;
  content?: unknown;
  tool_call_id?: string;
  tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
  reasoning_content?: string;
};

const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    required: ['city'],
  },
};
const timeTool: Anthropic.Tool = {
  name: 'get_time',
  description: 'Local time in a time zone',
  input_schema: { type: 'object', properties: { timezone: { type: 'string' } }, required: ['timezone'] },
};

/** Rejects when `promise` has not settled within `ms`. */
async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The Messages stream grammar: message_start, then blocks (start, deltas of that block, stop) with
 * indices 0, 1, 2…, then one message_delta with the stop reason, then message_stop.
 */
function assertEventGrammar(events: readonly Anthropic.MessageStreamEvent[]): void {
  const types = events.map((event) => event.type);
  assert.equal(types[0], 'message_start', types.join(','));
  assert.equal(types.at(-1), 'message_stop', types.join(','));
  assert.equal(types.at(-2), 'message_delta', types.join(','));
  assert.equal(types.filter((type) => type === 'message_delta').length, 1, types.join(','));
  let open: number | null = null;
  let next = 0;
  for (const event of events.slice(1, -2)) {
    if (event.type === 'content_block_start') {
      assert.equal(open, null, `block ${event.index} opened inside block ${open}`);
      assert.equal(event.index, next, 'block indices count up from 0');
      open = event.index;
    } else if (event.type === 'content_block_delta') {
      assert.equal(event.index, open, 'a delta belongs to the open block');
    } else if (event.type === 'content_block_stop') {
      assert.equal(event.index, open, 'the open block stops');
      open = null;
      next++;
    } else {
      assert.fail(`unexpected ${event.type} between message_start and message_delta`);
    }
  }
  assert.equal(open, null, 'every block is closed before message_delta');
  assert.ok(next > 0, 'at least one block');
}

describe('@anthropic-ai/sdk: /v1/messages through the built relay', () => {
  let claude: FakeAnthropicUpstream;
  let openai: FakeOpenAiUpstream;
  let relay: RelayProcess;
  let client: Anthropic;

  before(async () => {
    claude = await startFakeAnthropicUpstream({
      // sk-ant-e2e-revoked is missing on purpose: the upstream refuses it with 401.
      keys: [
        CLAUDE_KEY,
        'sk-ant-e2e-busy-1',
        'sk-ant-e2e-busy-2',
        'sk-ant-e2e-limited',
        'sk-ant-e2e-flaky',
        'sk-ant-e2e-count-limited',
        'sk-ant-e2e-count-busy',
        'sk-ant-e2e-stall',
        'sk-ant-e2e-cut',
      ],
    });
    openai = await startFakeOpenAiUpstream({ keys: [OPENAI_KEY, 'sk-e2e-limited', 'sk-e2e-flaky'] });
    relay = await startRelayWithConfig({
      providers: {
        claude: fakeAnthropicProvider(claude.baseUrl, CLAUDE_KEY, [CLAUDE]),
        'claude-busy': fakeAnthropicProvider(claude.baseUrl, 'sk-ant-e2e-busy-1', ['claude-busy'], {
          keys: [
            { key: 'sk-ant-e2e-busy-1', label: 'busy-1' },
            { key: 'sk-ant-e2e-busy-2', label: 'busy-2' },
          ],
        }),
        'claude-limited': fakeAnthropicProvider(claude.baseUrl, 'sk-ant-e2e-limited', ['claude-limited']),
        'claude-flaky': fakeAnthropicProvider(claude.baseUrl, 'sk-ant-e2e-flaky', ['claude-flaky']),
        'claude-count-limited': fakeAnthropicProvider(claude.baseUrl, 'sk-ant-e2e-count-limited', [
          'claude-count-limited',
        ]),
        'claude-count-busy': fakeAnthropicProvider(claude.baseUrl, 'sk-ant-e2e-count-busy', [
          'claude-count-busy',
        ]),
        'claude-revoked': fakeAnthropicProvider(claude.baseUrl, 'sk-ant-e2e-revoked', ['claude-revoked']),
        'claude-cut': fakeAnthropicProvider(claude.baseUrl, 'sk-ant-e2e-cut', ['claude-cut']),
        'claude-stall': fakeAnthropicProvider(claude.baseUrl, 'sk-ant-e2e-stall', ['claude-stall'], {
          timeout: 1,
        }),
        'gpt-stall': fakeProvider(openai.baseUrl, {
          keys: [{ key: 'sk-e2e-flaky', label: 'stall' }],
          models: { include: ['gpt-stall'] },
          timeout: 1,
        }),
        openai: fakeProvider(openai.baseUrl, {
          keys: [{ key: OPENAI_KEY, label: 'k1' }],
          models: { include: [GPT, 'gpt-4', LOCAL] },
        }),
        'openai-limited': fakeProvider(openai.baseUrl, {
          keys: [{ key: 'sk-e2e-limited', label: 'limited' }],
          models: { include: ['gpt-limited'] },
        }),
        ...Object.fromEntries(
          FLAKY_OPENAI_MODELS.map((model) => [
            model,
            fakeProvider(openai.baseUrl, {
              keys: [{ key: 'sk-e2e-flaky', label: model }],
              models: { include: [model] },
            }),
          ]),
        ),
      },
    });
    client = anthropicClient(relay);
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

  const sides: Side[] = [
    {
      kind: 'anthropic',
      model: CLAUDE,
      provider: 'claude',
      answer: (script) => scriptClaude(claude, CLAUDE, script),
      requests: () => claude.requests.filter((request) => request.body?.model === CLAUDE),
    },
    {
      kind: 'openai',
      model: GPT,
      provider: 'openai',
      answer: (script) => scriptOpenAi(openai, GPT, script),
      requests: () => openai.requests.filter((request) => request.body?.model === GPT),
    },
  ];

  for (const side of sides) {
    describe(`to ${side.kind === 'anthropic' ? 'an Anthropic' : 'an OpenAI-compatible'} upstream`, () => {
      const model = side.model;

      it('messages.create: text, stop reason, served model, usage and routing headers', async () => {
        side.answer({ content: 'Hello from the upstream' });
        const sentHeaders: Headers[] = [];
        const watched = new Anthropic({
          baseURL: relay.url,
          apiKey: ACCESS_KEY,
          maxRetries: 0,
          timeout: 15_000,
          fetch: (url: string | URL | Request, init?: RequestInit) => {
            sentHeaders.push(new Headers(init?.headers));
            return fetch(url, init);
          },
        });
        const { data, response } = await watched.messages
          .create(
            {
              model,
              max_tokens: 256,
              system: 'Be brief.',
              messages: [{ role: 'user', content: 'hello relay' }],
            },
            {
              headers: {
                'anthropic-beta': 'prompt-caching-2024-07-31',
                'x-request-id': `e2e-${side.kind}-1`,
              },
            },
          )
          .withResponse();

        assert.equal(response.status, 200);
        assert.equal(data.type, 'message');
        assert.equal(data.role, 'assistant');
        assert.equal(data.model, model);
        assert.equal(data.content.length, 1, JSON.stringify(data.content));
        const block = data.content[0]!;
        assert.ok(block.type === 'text');
        assert.equal(block.text, 'Hello from the upstream');
        assert.equal(data.stop_reason, 'end_turn');
        assert.ok(data.usage.input_tokens > 0, JSON.stringify(data.usage));
        assert.ok(data.usage.output_tokens > 0, JSON.stringify(data.usage));
        assert.match(data.id, /^msg_/);
        assert.equal(response.headers.get('x-monorelay-provider'), side.provider);
        assert.equal(response.headers.get('x-monorelay-model'), model);
        assert.equal(response.headers.get('x-request-id'), `e2e-${side.kind}-1`);

        const clientVersion = sentHeaders[0]?.get('anthropic-version');
        assert.ok(clientVersion, 'the SDK sends its anthropic-version');
        assert.equal(sentHeaders[0]?.get('authorization'), `Bearer ${ACCESS_KEY}`);
        assert.equal(side.requests().length, 1);
        const sent = side.requests()[0]!;
        if (side.kind === 'anthropic') {
          const native = sent as AnthropicRecordedRequest;
          assert.equal(native.path, '/v1/messages');
          assert.equal(native.key, CLAUDE_KEY, 'the relay uses the provider key, not the client key');
          assert.equal(native.headers['x-api-key'], CLAUDE_KEY);
          assert.equal(
            native.headers.authorization,
            undefined,
            'the client’s credential does not leak upstream',
          );
          assert.equal(native.anthropicVersion, clientVersion, 'anthropic-version is passed through');
          assert.deepEqual(native.anthropicBeta, ['prompt-caching-2024-07-31']);
          assert.equal(native.body?.system, 'Be brief.');
          assert.deepEqual(native.body?.messages, [{ role: 'user', content: 'hello relay' }]);
          assert.equal(native.body?.max_tokens, 256);
        } else {
          assert.equal(sent.path, '/v1/chat/completions');
          assert.equal(sent.key, OPENAI_KEY);
          assert.equal(sent.headers['anthropic-version'], undefined, 'no Anthropic header to OpenAI');
          assert.equal(sent.headers['anthropic-beta'], undefined, 'no Anthropic header to OpenAI');
          assert.deepEqual(sent.body?.messages, [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'hello relay' },
          ]);
          assert.equal(sent.body?.max_tokens, 256);
        }
      });

      it('messages.stream + finalMessage: text arrives in pieces and assembles', async () => {
        side.answer({ content: 'streamed words arrive in order', chunks: 5 });
        const stream = client.messages.stream({
          model,
          max_tokens: 256,
          messages: [{ role: 'user', content: 'stream it' }],
        });
        const deltas: string[] = [];
        const events: Anthropic.MessageStreamEvent[] = [];
        stream.on('text', (delta) => deltas.push(delta));
        stream.on('streamEvent', (event) => events.push(event));
        const message = await stream.finalMessage();

        assertEventGrammar(events);
        assert.equal(deltas.join(''), 'streamed words arrive in order');
        assert.ok(deltas.length >= 2, `forwarded in pieces, not merged: ${JSON.stringify(deltas)}`);
        assert.equal(message.model, model);
        assert.equal(message.content.length, 1);
        assert.ok(message.content[0]!.type === 'text');
        assert.equal(message.content[0].text, 'streamed words arrive in order');
        assert.equal(message.stop_reason, 'end_turn');
        assert.ok(message.usage.output_tokens > 0, JSON.stringify(message.usage));
        assert.equal(side.requests()[0]!.body?.stream, true);
      });

      it('tool round trip: tool_use streamed, tool_result sent back, final answer', async () => {
        const callId = side.kind === 'anthropic' ? 'toolu_e2e_weather' : 'call_e2e_weather';
        const input = { city: 'Paris', unit: 'celsius' };
        const question: Anthropic.MessageParam = { role: 'user', content: 'What is the weather in Paris?' };
        side.answer({ content: 'Let me check.', tools: [{ id: callId, name: 'get_weather', input }] });
        const first = await client.messages
          .stream({ model, max_tokens: 512, tools: [weatherTool], messages: [question] })
          .finalMessage();

        assert.equal(first.stop_reason, 'tool_use');
        assert.deepEqual(
          first.content.map((block) => block.type),
          ['text', 'tool_use'],
        );
        const use = first.content[1]!;
        assert.ok(use.type === 'tool_use');
        assert.equal(use.id, callId, 'the tool call id is kept');
        assert.equal(use.name, 'get_weather');
        assert.deepEqual(use.input, input);

        side.answer({ content: 'It is 18 °C and sunny in Paris.' });
        const second = await client.messages.create({
          model,
          max_tokens: 512,
          tools: [weatherTool],
          messages: [
            question,
            { role: 'assistant', content: first.content },
            {
              role: 'user',
              content: [{ type: 'tool_result', tool_use_id: use.id, content: '18 °C, sunny' }],
            },
          ],
        });
        assert.equal(second.stop_reason, 'end_turn');
        assert.ok(second.content[0]!.type === 'text');
        assert.equal(second.content[0].text, 'It is 18 °C and sunny in Paris.');

        assert.equal(side.requests().length, 2);
        const sent = side.requests()[1]!.body!;
        if (side.kind === 'anthropic') {
          const messages = sent.messages as Array<{ role: string; content: Body[] }>;
          assert.equal(messages.length, 3);
          const sentUse = messages[1]!.content.find((block) => block.type === 'tool_use');
          assert.equal(sentUse?.id, callId);
          assert.deepEqual(sentUse?.input, input);
          assert.deepEqual(messages[2], {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: callId, content: '18 °C, sunny' }],
          });
          assert.deepEqual(sent.tools, [weatherTool]);
        } else {
          const tools = sent.tools as Array<{ type: string; function: Body }>;
          assert.equal(tools.length, 1);
          assert.equal(tools[0]!.type, 'function');
          assert.equal(tools[0]!.function.name, 'get_weather');
          assert.equal(tools[0]!.function.description, weatherTool.description);
          assert.deepEqual(tools[0]!.function.parameters, weatherTool.input_schema);
          const messages = sent.messages as ChatMessage[];
          assert.deepEqual(
            messages.map((message) => message.role),
            ['user', 'assistant', 'tool'],
          );
          const assistant = messages[1]!;
          assert.equal(assistant.content, 'Let me check.');
          assert.equal(assistant.tool_calls?.length, 1);
          assert.equal(assistant.tool_calls![0]!.id, callId);
          assert.equal(assistant.tool_calls![0]!.type, 'function');
          assert.equal(assistant.tool_calls![0]!.function.name, 'get_weather');
          assert.deepEqual(JSON.parse(assistant.tool_calls![0]!.function.arguments), input);
          assert.equal(messages[2]!.tool_call_id, callId);
          assert.equal(messages[2]!.content, '18 °C, sunny');
        }
      });

      it('parallel tool_use blocks in one streamed answer: indices, ids and inputs', async () => {
        const weather = {
          id: side.kind === 'anthropic' ? 'toolu_e2e_a' : 'call_e2e_a',
          name: 'get_weather',
          input: { city: 'Paris', days: [1, 2, 3], options: { metric: true, note: 'a "quoted" word' } },
        };
        const time = {
          id: side.kind === 'anthropic' ? 'toolu_e2e_b' : 'call_e2e_b',
          name: 'get_time',
          input: { timezone: 'Europe/Paris' },
        };
        side.answer({ content: 'Checking both.', tools: [weather, time], chunks: 4 });
        const stream = client.messages.stream({
          model,
          max_tokens: 512,
          tools: [weatherTool, timeTool],
          messages: [{ role: 'user', content: 'weather and time in Paris' }],
        });
        const starts: Array<[number, string]> = [];
        const events: Anthropic.MessageStreamEvent[] = [];
        let jsonFragments = 0;
        stream.on('streamEvent', (event) => {
          events.push(event);
          if (event.type === 'content_block_start') starts.push([event.index, event.content_block.type]);
          if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta')
            jsonFragments++;
        });
        const message = await stream.finalMessage();

        assertEventGrammar(events);
        assert.deepEqual(starts, [
          [0, 'text'],
          [1, 'tool_use'],
          [2, 'tool_use'],
        ]);
        assert.ok(jsonFragments > 2, `tool input arrived in fragments (${jsonFragments})`);
        assert.equal(message.stop_reason, 'tool_use');
        const uses = message.content.filter((block) => block.type === 'tool_use');
        assert.deepEqual(
          uses.map((use) => [use.id, use.name, use.input]),
          [
            [weather.id, weather.name, weather.input],
            [time.id, time.name, time.input],
          ],
        );
      });

      it('usage in the final message: input, output, cache read and cache creation tokens', async () => {
        const usage = { input: 21, output: 13, cacheRead: 1500, cacheCreation: 400 };
        const expected = {
          input_tokens: 21,
          output_tokens: 13,
          cache_read_input_tokens: 1500,
          cache_creation_input_tokens: side.kind === 'anthropic' ? 400 : 0,
        };
        const pick = (u: Anthropic.Usage) => ({
          input_tokens: u.input_tokens,
          output_tokens: u.output_tokens,
          cache_read_input_tokens: u.cache_read_input_tokens,
          cache_creation_input_tokens: u.cache_creation_input_tokens,
        });
        const request: Anthropic.MessageCreateParamsNonStreaming = {
          model,
          max_tokens: 256,
          system: [{ type: 'text', text: 'A long cached preamble.', cache_control: { type: 'ephemeral' } }],
          messages: [{ role: 'user', content: 'use the cache' }],
        };

        side.answer({ content: 'cached answer', usage });
        const whole = await client.messages.create(request);
        assert.deepEqual(pick(whole.usage), expected, 'non-stream');

        side.answer({ content: 'cached answer', usage });
        const streamed = await client.messages.stream(request).finalMessage();
        assert.deepEqual(pick(streamed.usage), expected, 'stream');
      });

      it('a tool-only answer has no empty text block, streamed or not', async () => {
        const use = {
          id: side.kind === 'anthropic' ? 'toolu_only' : 'call_only',
          name: 'get_time',
          input: { timezone: 'UTC' },
        };
        const request: Anthropic.MessageCreateParamsNonStreaming = {
          model,
          max_tokens: 256,
          tools: [timeTool],
          tool_choice: { type: 'any' },
          messages: [{ role: 'user', content: 'what time is it?' }],
        };
        side.answer({ tools: [use] });
        const whole = await client.messages.create(request);
        side.answer({ tools: [use] });
        const streamed = await client.messages.stream(request).finalMessage();
        for (const [how, message] of [
          ['non-stream', whole],
          ['stream', streamed],
        ] as const) {
          assert.deepEqual(
            message.content.map((block) => block.type),
            ['tool_use'],
            `${how}: ${JSON.stringify(message.content)}`,
          );
          assert.equal(message.stop_reason, 'tool_use', how);
        }
        if (side.kind === 'openai') {
          assert.equal(side.requests()[0]!.body?.tool_choice, 'required', 'tool_choice any -> required');
        }
      });

      it('concurrent streams do not mix: each client gets its own answer', async () => {
        const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
        const answers = await Promise.all(
          words.map(async (word) => {
            const stream = client.messages.stream({
              model,
              max_tokens: 64,
              messages: [{ role: 'user', content: `${word} ünïcødé 🚀 ${word}` }],
            });
            const message = await stream.finalMessage();
            const block = message.content[0];
            return block?.type === 'text' ? block.text : JSON.stringify(message.content);
          }),
        );
        assert.deepEqual(
          answers,
          words.map((word) => `Echo: ${word} ünïcødé 🚀 ${word}`),
        );
      });

      it('a client that aborts the stream aborts the upstream request', async () => {
        side.answer({ content: 'a b c d e f g h i j k l m n o p', chunks: 16, chunkDelayMs: 100 });
        const stream = client.messages.stream({
          model,
          max_tokens: 64,
          messages: [{ role: 'user', content: 'slowly' }],
        });
        stream.on('error', () => {});
        const firstText = new Promise<void>((resolve) => stream.once('text', () => resolve()));
        await withTimeout(firstText, 5000, 'the first text delta');
        stream.abort();
        await assert.rejects(stream.finalMessage(), Anthropic.APIUserAbortError);
        await waitUntil(() => side.requests()[0]?.aborted === true, 3000, 'the upstream request is aborted');
      });

      if (side.kind === 'anthropic') {
        it('thinking with its signature; the signature goes back upstream unchanged next turn', async () => {
          const thinking = {
            text: 'The user wants a haiku. Count syllables.',
            signature: 'EqQBCkYIBxgC+e2e/sig==',
          };
          side.answer({ reasoning: thinking, content: 'Autumn moonlight falls' });
          const question: Anthropic.MessageParam = { role: 'user', content: 'Write a haiku.' };
          const stream = client.messages.stream({
            model,
            max_tokens: 4096,
            thinking: { type: 'enabled', budget_tokens: 2048 },
            messages: [question],
          });
          const thoughts: string[] = [];
          const signatures: string[] = [];
          stream.on('thinking', (delta) => thoughts.push(delta));
          stream.on('signature', (signature) => signatures.push(signature));
          const message = await stream.finalMessage();

          assert.equal(thoughts.join(''), thinking.text);
          assert.deepEqual(signatures, [thinking.signature]);
          assert.deepEqual(
            message.content.map((block) => block.type),
            ['thinking', 'text'],
          );
          const block = message.content[0]!;
          assert.ok(block.type === 'thinking');
          assert.equal(block.thinking, thinking.text);
          assert.equal(block.signature, thinking.signature);
          assert.deepEqual(side.requests()[0]!.body?.thinking, { type: 'enabled', budget_tokens: 2048 });

          side.answer({ content: 'Another haiku' });
          await client.messages.create({
            model,
            max_tokens: 4096,
            thinking: { type: 'enabled', budget_tokens: 2048 },
            messages: [
              question,
              { role: 'assistant', content: message.content },
              { role: 'user', content: 'Another one.' },
            ],
          });
          const history = side.requests()[1]!.body?.messages as Array<{ role: string; content: Body[] }>;
          const sentThinking = history[1]!.content[0]!;
          assert.equal(sentThinking.type, 'thinking');
          assert.equal(sentThinking.thinking, thinking.text);
          assert.equal(
            sentThinking.signature,
            thinking.signature,
            'the signature reaches the upstream unchanged',
          );
        });

        it('messages.countTokens is answered by the Anthropic upstream', async () => {
          const request: Anthropic.MessageCountTokensParams = {
            model,
            system: 'You are terse.',
            tools: [weatherTool],
            messages: [{ role: 'user', content: 'Count these tokens please, all of them.' }],
          };
          const direct = await new Anthropic({
            baseURL: claude.baseUrl,
            apiKey: CLAUDE_KEY,
            maxRetries: 0,
          }).messages.countTokens(request);
          claude.reset();

          const { data, response } = await client.messages.countTokens(request).withResponse();
          assert.equal(response.status, 200);
          assert.equal(data.input_tokens, direct.input_tokens, 'the upstream’s own count');
          assert.equal(response.headers.get('x-monorelay-provider'), 'claude');
          assert.notEqual(response.headers.get('x-monorelay-count'), 'estimate');
          assert.equal(claude.requests.length, 1);
          assert.equal(claude.requests[0]!.path, '/v1/messages/count_tokens');
          assert.equal(claude.requests[0]!.key, CLAUDE_KEY);
          assert.deepEqual(claude.requests[0]!.body?.tools, [weatherTool]);
        });

        it('count_tokens passes anthropic-version and anthropic-beta through, like /v1/messages', async () => {
          const { data } = await client.messages
            .countTokens(
              { model, messages: [{ role: 'user', content: 'count with betas' }] },
              { headers: { 'anthropic-beta': 'token-counting-2024-11-01,prompt-caching-2024-07-31' } },
            )
            .withResponse();
          assert.ok(data.input_tokens > 0);
          const sent = claude.requests[0] as AnthropicRecordedRequest;
          assert.equal(sent.path, '/v1/messages/count_tokens');
          assert.ok(sent.anthropicVersion, 'anthropic-version reaches the upstream');
          assert.deepEqual(sent.anthropicBeta, ['token-counting-2024-11-01', 'prompt-caching-2024-07-31']);
        });

        it('a client that sends no anthropic-version still gets answers (the relay supplies one)', async () => {
          const post = (path: string, json: object) =>
            fetch(`${relay.url}${path}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-api-key': ACCESS_KEY },
              body: JSON.stringify(json),
              signal: AbortSignal.timeout(15_000),
            });
          const messages = [{ role: 'user', content: 'no version header' }];
          const message = await post('/v1/messages', { model, max_tokens: 32, messages });
          assert.equal(message.status, 200, await message.clone().text());
          assert.equal(((await message.json()) as { type: string }).type, 'message');
          const counted = await post('/v1/messages/count_tokens', { model, messages });
          assert.equal(counted.status, 200, await counted.clone().text());
          assert.ok(((await counted.json()) as { input_tokens: number }).input_tokens > 0);
          for (const sent of claude.requests as AnthropicRecordedRequest[]) {
            assert.ok(sent.anthropicVersion, `${sent.path} carries an anthropic-version`);
          }
        });
      } else {
        it('reasoning_content from the upstream becomes a thinking block; thinking budget -> reasoning_effort', async () => {
          side.answer({ reasoning: { text: 'Weighing the options.', signature: '' }, content: 'Option B.' });
          const stream = client.messages.stream({
            model,
            max_tokens: 4096,
            thinking: { type: 'enabled', budget_tokens: 2048 },
            messages: [{ role: 'user', content: 'A or B?' }],
          });
          const thoughts: string[] = [];
          stream.on('thinking', (delta) => thoughts.push(delta));
          const message = await stream.finalMessage();

          assert.equal(thoughts.join(''), 'Weighing the options.');
          assert.deepEqual(
            message.content.map((block) => block.type),
            ['thinking', 'text'],
          );
          const block = message.content[0]!;
          assert.ok(block.type === 'thinking');
          assert.equal(block.thinking, 'Weighing the options.');
          assert.ok(message.content[1]!.type === 'text');
          assert.equal(message.content[1].text, 'Option B.');
          assert.equal(side.requests()[0]!.body?.reasoning_effort, 'low', 'budget 2048 is low effort');
          assert.equal(side.requests()[0]!.body?.thinking, undefined);
        });

        it('an upstream stream with a finish reason but no [DONE] completes normally', async () => {
          openai.when({ model }, behaviours.noDone({ content: 'complete without done' }), { times: 1 });
          const message = await client.messages
            .stream({ model, max_tokens: 64, messages: [{ role: 'user', content: 'no done' }] })
            .finalMessage();
          assert.ok(message.content[0]!.type === 'text');
          assert.equal(message.content[0].text, 'complete without done');
          assert.equal(message.stop_reason, 'end_turn');
        });

        it('an image block reaches the upstream as a data URL', async () => {
          const png =
            'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
          await client.messages.create({
            model,
            max_tokens: 64,
            messages: [
              {
                role: 'user',
                content: [
                  { type: 'text', text: 'What is this?' },
                  { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
                ],
              },
            ],
          });
          const content = (side.requests()[0]!.body?.messages as Array<{ content: Body[] }>)[0]!.content;
          assert.deepEqual(content, [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
          ]);
        });

        it('messages.countTokens: o200k for an OpenAI-family model, an estimate for others', async () => {
          const messages: Anthropic.MessageParam[] = [
            { role: 'user', content: 'Count these tokens please.' },
          ];
          const { data, response } = await client.messages.countTokens({ model, messages }).withResponse();
          assert.equal(response.status, 200);
          assert.equal(response.headers.get('x-monorelay-count'), 'o200k_base');
          // "Count these tokens please." is 5 o200k tokens; +3 per message, +1 for the role, +3 reply priming.
          assert.equal(data.input_tokens, 5 + 3 + 1 + 3);

          const other = await client.messages.countTokens({ model: LOCAL, messages }).withResponse();
          assert.equal(other.response.headers.get('x-monorelay-count'), 'estimate');
          assert.ok(other.data.input_tokens > 0);
          const older = await client.messages.countTokens({ model: 'gpt-4', messages }).withResponse();
          assert.equal(older.response.headers.get('x-monorelay-count'), 'cl100k_base');
          assert.equal(older.data.input_tokens, 5 + 3 + 1 + 3, 'the sentence is 5 cl100k tokens too');
          assert.equal(openai.requests.length, 0, 'counted in the relay, nothing sent upstream');
        });

        it('messages.countTokens counts the system prompt and the tools too', async () => {
          const messages: Anthropic.MessageParam[] = [
            { role: 'user', content: 'Count these tokens please.' },
          ];
          const bare = await client.messages.countTokens({ model, messages });
          const withSystem = await client.messages.countTokens({
            model,
            messages,
            system: [
              { type: 'text', text: 'You are a careful assistant.', cache_control: { type: 'ephemeral' } },
            ],
          });
          const withTools = await client.messages.countTokens({
            model,
            messages,
            system: [
              { type: 'text', text: 'You are a careful assistant.', cache_control: { type: 'ephemeral' } },
            ],
            tools: [weatherTool, timeTool],
          });
          assert.ok(
            withSystem.input_tokens > bare.input_tokens,
            `${withSystem.input_tokens} > ${bare.input_tokens}`,
          );
          assert.ok(
            withTools.input_tokens > withSystem.input_tokens + 20,
            `two tool definitions add tokens: ${withTools.input_tokens} vs ${withSystem.input_tokens}`,
          );
        });
      }
    });
  }

  describe('errors as SDK exception classes', () => {
    const ask = (model: string, sdk = client) =>
      sdk.messages.create({ model, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });

    /** Asserts `promise` rejects with `type` and `status`; returns the error. */
    async function apiError<E extends APIError>(
      promise: Promise<unknown>,
      type: abstract new (...args: never[]) => E,
      status: number,
    ): Promise<E> {
      try {
        await promise;
      } catch (error) {
        assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
        assert.equal(error.status, status, String(error));
        const body = error.error as { type?: unknown; error?: { type?: unknown; message?: unknown } };
        assert.equal(body.type, 'error', `Anthropic error shape: ${JSON.stringify(body)}`);
        assert.equal(typeof body.error?.message, 'string');
        return error;
      }
      assert.fail(`expected ${type.name} ${status}, the request succeeded`);
    }

    it('a wrong access key: AuthenticationError 401, nothing goes upstream', async () => {
      const error = await apiError(
        ask(CLAUDE, anthropicClient(relay, { apiKey: 'wrong-key' })),
        Anthropic.AuthenticationError,
        401,
      );
      assert.equal(error.type, 'authentication_error');
      assert.equal(claude.requests.length + openai.requests.length, 0);
    });

    it('x-api-key authenticates like Bearer; a wrong x-api-key is a 401 in Anthropic’s shape', async () => {
      const body = JSON.stringify({
        model: CLAUDE,
        max_tokens: 16,
        messages: [{ role: 'user', content: 'hi' }],
      });
      const post = (key: string) =>
        fetch(`${relay.url}/v1/messages`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-api-key': key,
            'anthropic-version': '2023-06-01',
          },
          body,
          signal: AbortSignal.timeout(15_000),
        });
      const ok = await post(ACCESS_KEY);
      assert.equal(ok.status, 200);
      assert.equal(((await ok.json()) as { type: string }).type, 'message');
      const wrong = await post('wrong-key');
      assert.equal(wrong.status, 401);
      assert.deepEqual(
        ((await wrong.json()) as { type: string; error: { type: string } }).error.type,
        'authentication_error',
      );
      assert.equal(claude.requests.length, 1);
    });

    it('an unknown model: NotFoundError 404', async () => {
      const error = await apiError(ask('no-such-model'), Anthropic.NotFoundError, 404);
      assert.equal(error.type, 'not_found_error');
      assert.equal(claude.requests.length + openai.requests.length, 0);
    });

    it('count_tokens for an unknown model: NotFoundError 404', async () => {
      const error = await apiError(
        client.messages.countTokens({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }),
        Anthropic.NotFoundError,
        404,
      );
      assert.equal(error.type, 'not_found_error');
    });

    it('a field an OpenAI upstream cannot carry: BadRequestError 400 naming it, nothing sent', async () => {
      const request = {
        model: GPT,
        max_tokens: 64,
        messages: [{ role: 'user' as const, content: 'hi' }],
        mcp_servers: [{ type: 'url', url: 'https://mcp.example.com/sse', name: 'example' }],
      };
      const error = await apiError(client.messages.create(request), Anthropic.BadRequestError, 400);
      assert.equal(error.type, 'invalid_request_error');
      assert.match(error.message, /mcp_servers/);
      assert.equal(openai.requests.length, 0);
    });

    it('an upstream 400 comes back as BadRequestError with the upstream’s message', async () => {
      claude.when({ model: CLAUDE }, anthropicBehaviours.promptTooLong(200_000), { times: 1 });
      const native = await apiError(ask(CLAUDE), Anthropic.BadRequestError, 400);
      assert.equal(native.type, 'invalid_request_error');
      assert.match(native.message, /prompt is too long/);
      openai.when({ model: GPT }, behaviours.contextLengthExceeded(128_000), { times: 1 });
      const translated = await apiError(ask(GPT), Anthropic.BadRequestError, 400);
      assert.equal(translated.type, 'invalid_request_error');
      assert.match(translated.message, /maximum context length is 128000 tokens/);
    });

    it('429 from an Anthropic upstream: RateLimitError with Retry-After', async () => {
      claude.when({ model: 'claude-limited' }, anthropicBehaviours.rateLimited({ retryAfter: 30 }));
      const error = await apiError(ask('claude-limited'), Anthropic.RateLimitError, 429);
      assert.equal(error.type, 'rate_limit_error');
      const retryAfter = Number(error.headers?.get('retry-after'));
      assert.ok(retryAfter >= 28 && retryAfter <= 31, `retry-after ${retryAfter}`);
    });

    it('429 from an OpenAI upstream: RateLimitError with Retry-After', async () => {
      openai.when({ model: 'gpt-limited' }, behaviours.rateLimited({ retryAfter: 30 }));
      const error = await apiError(ask('gpt-limited'), Anthropic.RateLimitError, 429);
      assert.equal(error.type, 'rate_limit_error');
      const retryAfter = Number(error.headers?.get('retry-after'));
      assert.ok(retryAfter >= 28 && retryAfter <= 31, `retry-after ${retryAfter}`);
    });

    it('529 overloaded with no fallback: OverloadedError 529 (overloaded_error), stream or not', async () => {
      claude.when({ model: 'claude-busy' }, anthropicBehaviours.overloaded());
      const error = await apiError(ask('claude-busy'), Anthropic.OverloadedError, 529);
      assert.equal(error.type, 'overloaded_error');
      const streamed = await apiError(
        client.messages
          .stream({ model: 'claude-busy', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
          .finalMessage(),
        Anthropic.OverloadedError,
        529,
      );
      assert.equal(streamed.type, 'overloaded_error');
      assert.equal(
        claude.requests.filter((request) => request.body?.model === 'claude-busy').length,
        2,
        'each request reached the upstream once (no retry)',
      );
    });

    it('count_tokens: an upstream 429 is a RateLimitError with Retry-After (as on /v1/messages)', async () => {
      claude.when({ model: 'claude-count-limited' }, anthropicBehaviours.rateLimited({ retryAfter: 30 }));
      const error = await apiError(
        client.messages.countTokens({
          model: 'claude-count-limited',
          messages: [{ role: 'user', content: 'hi' }],
        }),
        Anthropic.RateLimitError,
        429,
      );
      assert.equal(error.type, 'rate_limit_error');
      const retryAfter = Number(error.headers?.get('retry-after'));
      assert.ok(retryAfter >= 28 && retryAfter <= 31, `retry-after ${retryAfter}`);
    });

    it('count_tokens: an upstream 529 is an OverloadedError 529 (as on /v1/messages)', async () => {
      claude.when({ model: 'claude-count-busy' }, anthropicBehaviours.overloaded());
      const error = await apiError(
        client.messages.countTokens({
          model: 'claude-count-busy',
          messages: [{ role: 'user', content: 'hi' }],
        }),
        Anthropic.OverloadedError,
        529,
      );
      assert.equal(error.type, 'overloaded_error');
    });

    it('the upstream refuses the relay’s key: 502 api_error naming the provider, not a 401 to the client', async () => {
      const error = await apiError(ask('claude-revoked'), Anthropic.InternalServerError, 502);
      assert.equal(error.type, 'api_error');
      assert.match(error.message, /claude-revoked|rejected/);
      assert.equal(claude.requests.filter((request) => request.body?.model === 'claude-revoked').length, 1);
    });

    const midStream: Array<[string, string, () => void]> = [
      [
        'an Anthropic upstream’s cut connection',
        'claude-cut',
        () =>
          claude.when(
            { model: 'claude-cut' },
            anthropicBehaviours.cutStream(5, {
              content: 'one two three four five',
              chunks: 5,
              chunkDelayMs: 20,
            }),
          ),
      ],
      [
        'an Anthropic upstream’s error event',
        'claude-flaky',
        () =>
          claude.when(
            { model: 'claude-flaky' },
            anthropicBehaviours.errorEvent(5, undefined, {
              content: 'one two three four five',
              chunks: 5,
              chunkDelayMs: 20,
            }),
          ),
      ],
      [
        'an OpenAI upstream’s cut stream',
        'gpt-flaky-cut',
        () =>
          openai.when(
            { model: 'gpt-flaky-cut' },
            behaviours.cutStream(4, { content: 'one two three four five', chunks: 5, chunkDelayMs: 20 }),
          ),
      ],
      [
        'an OpenAI upstream’s in-band error',
        'gpt-flaky-error',
        () =>
          openai.when(
            { model: 'gpt-flaky-error' },
            behaviours.errorEvent(4, {}, { content: 'one two three four five', chunks: 5, chunkDelayMs: 20 }),
          ),
      ],
      [
        'an OpenAI upstream’s malformed event',
        'gpt-flaky-malformed',
        () =>
          openai.when(
            { model: 'gpt-flaky-malformed' },
            behaviours.malformedEvent(4, 'continue', {
              content: 'one two three four five',
              chunks: 5,
              chunkDelayMs: 20,
            }),
          ),
      ],
      [
        'an Anthropic upstream that stalls past the provider timeout',
        'claude-stall',
        () =>
          claude.when(
            { model: 'claude-stall' },
            anthropicBehaviours.stallStream(5, { content: 'one two three four five', chunks: 5 }),
          ),
      ],
      [
        'an OpenAI upstream that stalls past the provider timeout',
        'gpt-stall',
        () =>
          openai.when(
            { model: 'gpt-stall' },
            behaviours.stallStream(3, { content: 'one two three four five', chunks: 5 }),
          ),
      ],
    ];
    for (const [what, model, script] of midStream) {
      it(`mid-stream failure (${what}): the SDK throws instead of finishing`, async () => {
        script();
        const stream = client.messages.stream({
          model,
          max_tokens: 64,
          messages: [{ role: 'user', content: 'count to five' }],
        });
        const deltas: string[] = [];
        const events: string[] = [];
        stream.on('text', (delta) => deltas.push(delta));
        stream.on('streamEvent', (event) => events.push(event.type));
        await assert.rejects(stream.finalMessage(), (error) => {
          assert.ok(error instanceof Anthropic.APIError, `an APIError, got ${String(error)}`);
          assert.equal(error.status, undefined, 'an in-band error, after the 200');
          assert.ok(
            error.type === 'overloaded_error' || error.type === 'api_error',
            `error type ${error.type}`,
          );
          return true;
        });
        assert.ok(deltas.length > 0, 'some text arrived before the failure');
        assert.ok(!deltas.join('').includes('five'), `the text stops short: ${deltas.join('')}`);
        assert.ok(!events.includes('message_stop'), `no message_stop: ${events.join(',')}`);
        assert.ok(!events.includes('message_delta'), `no message_delta: ${events.join(',')}`);
      });
    }
  });
});
