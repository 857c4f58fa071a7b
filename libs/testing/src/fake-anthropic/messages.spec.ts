import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type Anthropic from '@anthropic-ai/sdk';
import { readSse } from '../shared/spec-helpers';
import { anthropicBehaviours as b } from './behaviours';
import { startFakeAnthropicUpstream } from './fake-anthropic-upstream';
import { eventNames, eventsOf, messageRequest, postAnthropic, sdkClient } from './spec-helpers';
import type { FakeAnthropicUpstream } from './types';

const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('fake Anthropic upstream: POST /v1/messages', () => {
  let upstream: FakeAnthropicUpstream;
  let client: Anthropic;

  before(async () => {
    upstream = await startFakeAnthropicUpstream();
    client = sdkClient(upstream);
  });
  after(() => upstream.close());
  beforeEach(() => upstream.reset());

  describe('non-stream', () => {
    it('answers a message the SDK reads: echo text, end_turn, ids, usage with cache fields', async () => {
      const message = await client.messages.create(messageRequest('hello there'));
      assert.match(message.id, /^msg_01[1-9A-HJ-NP-Za-km-z]{22}$/);
      assert.equal(message.type, 'message');
      assert.equal(message.role, 'assistant');
      assert.equal(message.model, 'claude-test');
      assert.deepEqual(message.content, [{ type: 'text', text: 'Echo: hello there' }]);
      assert.equal(message.stop_reason, 'end_turn');
      assert.equal(message.stop_sequence, null);
      assert.deepEqual(message.usage, {
        input_tokens: 3, // ceil("hello there".length / 4)
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
        output_tokens: 5, // ceil("Echo: hello there".length / 4)
        service_tier: 'standard',
      });
      assert.match(message._request_id ?? '', /^req_011C/);
    });

    it('echoes the last user message, whatever came before', async () => {
      const message = await client.messages.create({
        model: 'claude-test',
        max_tokens: 64,
        system: 'Be brief.',
        messages: [
          { role: 'user', content: 'first' },
          { role: 'assistant', content: 'ok' },
          { role: 'user', content: [{ type: 'text', text: 'second' }] },
        ],
      });
      assert.deepEqual(message.content, [{ type: 'text', text: 'Echo: second' }]);
    });

    it('answers tool uses with toolu_ ids and stop_reason tool_use', async () => {
      upstream.when({}, b.ok({ toolUses: [{ name: 'get_weather', input: { city: 'Paris' } }] }));
      const message = await client.messages.create(messageRequest('weather?', { tools: [weatherTool] }));
      assert.equal(message.stop_reason, 'tool_use');
      assert.equal(message.content.length, 1);
      const [block] = message.content;
      assert.equal(block?.type, 'tool_use');
      if (block?.type !== 'tool_use') return;
      assert.match(block.id, /^toolu_01/);
      assert.equal(block.name, 'get_weather');
      assert.deepEqual(block.input, { city: 'Paris' });
    });

    it('puts thinking (with signature) and redacted thinking first, then text, then tool uses', async () => {
      upstream.when(
        {},
        b.ok({
          thinking: { text: 'The user wants weather.', signature: 'sig-abc' },
          redactedThinking: ['opaque-1'],
          content: 'Let me check.',
          toolUses: [{ name: 'get_weather', input: { city: 'Oslo' }, id: 'toolu_fixed' }],
        }),
      );
      const message = await client.messages.create(messageRequest('weather?', { tools: [weatherTool] }));
      assert.deepEqual(message.content, [
        { type: 'thinking', thinking: 'The user wants weather.', signature: 'sig-abc' },
        { type: 'redacted_thinking', data: 'opaque-1' },
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: 'toolu_fixed', name: 'get_weather', input: { city: 'Oslo' } },
      ]);
    });

    it('derives a stable signature when none is given', async () => {
      upstream.when({}, b.ok({ thinking: { text: 'hmm' } }));
      const first = await client.messages.create(messageRequest());
      const second = await client.messages.create(messageRequest());
      const signature = (message: Anthropic.Message) =>
        message.content[0]?.type === 'thinking' ? message.content[0].signature : undefined;
      assert.ok((signature(first)?.length ?? 0) > 20);
      assert.equal(signature(first), signature(second));
    });

    it('reports each stop reason; stop_sequence names the sequence (given, or the request’s first)', async () => {
      for (const stopReason of ['max_tokens', 'refusal', 'end_turn'] as const) {
        upstream.when({}, b.ok({ stopReason }), { times: 1 });
        const message = await client.messages.create(messageRequest());
        assert.equal(message.stop_reason, stopReason);
        assert.equal(message.stop_sequence, null);
      }
      upstream.when({}, b.ok({ stopSequence: 'END' }), { times: 1 });
      const given = await client.messages.create(messageRequest());
      assert.equal(given.stop_reason, 'stop_sequence');
      assert.equal(given.stop_sequence, 'END');
      upstream.when({}, b.ok({ stopReason: 'stop_sequence' }), { times: 1 });
      const fromRequest = await client.messages.create(
        messageRequest('x', { stop_sequences: ['###', 'STOP'] }),
      );
      assert.equal(fromRequest.stop_sequence, '###');
    });

    it('takes usage overrides, cache reads and writes included', async () => {
      upstream.when(
        {},
        b.ok({
          usage: {
            inputTokens: 10,
            outputTokens: 20,
            cacheCreationInputTokens: 300,
            cacheReadInputTokens: 4000,
            serviceTier: 'priority',
          },
        }),
      );
      const { usage } = await client.messages.create(messageRequest());
      assert.equal(usage.input_tokens, 10);
      assert.equal(usage.output_tokens, 20);
      assert.equal(usage.cache_creation_input_tokens, 300);
      assert.equal(usage.cache_read_input_tokens, 4000);
      assert.deepEqual(usage.cache_creation, {
        ephemeral_5m_input_tokens: 300,
        ephemeral_1h_input_tokens: 0,
      });
      assert.equal(usage.service_tier, 'priority');
    });

    it('rejects a request without model, max_tokens or messages like the real API', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, 'model: Field required'],
        [{ model: 'm', messages: [{ role: 'user', content: 'x' }] }, 'max_tokens: Field required'],
        [{ model: 'm', max_tokens: 5 }, 'messages: Field required'],
        [{ model: 'm', max_tokens: 5, messages: [] }, 'messages: at least one message is required'],
      ];
      for (const [body, message] of cases) {
        const response = await postAnthropic(upstream, body);
        assert.equal(response.status, 400);
        const error = (await response.json()) as { type: string; error: unknown; request_id: string };
        assert.equal(error.type, 'error');
        assert.deepEqual(error.error, { type: 'invalid_request_error', message });
        assert.equal(error.request_id, response.headers.get('request-id'));
      }
    });
  });

  describe('stream', () => {
    it('sends Anthropic’s event sequence: message_start, ping, block events, message_delta, message_stop', async () => {
      upstream.when({}, b.ok({ content: 'Hello!', chunks: 2 }));
      const response = await postAnthropic(upstream, messageRequest('hi', { stream: true }));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      const frames = await readSse(response);
      assert.deepEqual(eventNames(frames), [
        'message_start',
        'content_block_start',
        'ping',
        'content_block_delta',
        'content_block_delta',
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
      const events = eventsOf(frames);
      for (const { event, payload } of events) assert.equal(payload.type, event);
      const start = events[0]!.payload.message as Record<string, unknown>;
      assert.deepEqual(start.content, []);
      assert.equal(start.stop_reason, null);
      assert.deepEqual(start.usage, {
        input_tokens: 1,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
        output_tokens: 1,
        service_tier: 'standard',
      });
      assert.deepEqual(events[1]!.payload, {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      });
      assert.equal(frames[2]!.data, '{"type": "ping"}');
      assert.deepEqual(
        events.slice(3, 5).map((event) => event.payload.delta),
        [
          { type: 'text_delta', text: 'Hel' },
          { type: 'text_delta', text: 'lo!' },
        ],
      );
      assert.deepEqual(events[6]!.payload, {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: {
          input_tokens: 1,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 2,
        },
      });
      assert.deepEqual(events[7]!.payload, { type: 'message_stop' });
    });

    it('streams thinking (deltas, then one signature_delta), text and tool input with sequential indices', async () => {
      const input = { city: 'São Paulo', note: 'say "hi"', days: [1, 2, 3] };
      upstream.when(
        {},
        b.ok({
          thinking: { text: 'Thinking it over.', signature: 'sig-xyz' },
          content: 'Checking.',
          toolUses: [{ name: 'get_weather', input }],
          chunks: 5,
        }),
      );
      const response = await postAnthropic(
        upstream,
        messageRequest('hi', { stream: true, tools: [weatherTool] }),
      );
      const events = eventsOf(await readSse(response));
      const starts = events.filter((event) => event.event === 'content_block_start');
      assert.deepEqual(
        starts.map((event) => [event.payload.index, event.payload.content_block]),
        [
          [0, { type: 'thinking', thinking: '', signature: '' }],
          [1, { type: 'text', text: '' }],
          [
            2,
            {
              type: 'tool_use',
              id: (starts[2]!.payload.content_block as { id: string }).id,
              name: 'get_weather',
              input: {},
            },
          ],
        ],
      );
      const deltasOf = (index: number) =>
        events
          .filter((event) => event.event === 'content_block_delta' && event.payload.index === index)
          .map((event) => event.payload.delta as Record<string, string>);
      const thinking = deltasOf(0);
      assert.deepEqual(thinking.at(-1), { type: 'signature_delta', signature: 'sig-xyz' });
      assert.ok(thinking.slice(0, -1).every((delta) => delta.type === 'thinking_delta'));
      assert.equal(
        thinking
          .slice(0, -1)
          .map((delta) => delta.thinking)
          .join(''),
        'Thinking it over.',
      );
      const fragments = deltasOf(2).map((delta) => {
        assert.equal(delta.type, 'input_json_delta');
        return delta.partial_json!;
      });
      assert.equal(fragments[0], '', 'the first input_json_delta is empty, as Anthropic sends it');
      assert.ok(fragments.length >= 5);
      assert.deepEqual(JSON.parse(fragments.join('')), input);
      assert.ok(
        fragments.slice(1, -1).some((fragment) => {
          try {
            JSON.parse(fragment);
            return false;
          } catch {
            return true;
          }
        }),
        'fragments are not JSON on their own',
      );
      const stops = events
        .filter((event) => event.event === 'content_block_stop')
        .map((e) => e.payload.index);
      assert.deepEqual(stops, [0, 1, 2]);
      const delta = events.find((event) => event.event === 'message_delta')!.payload.delta;
      assert.deepEqual(delta, { stop_reason: 'tool_use', stop_sequence: null });
    });

    it('streams a redacted_thinking block whole in its content_block_start', async () => {
      upstream.when({}, b.ok({ redactedThinking: 'EncryptedBlob', content: 'ok' }));
      const events = eventsOf(
        await readSse(await postAnthropic(upstream, messageRequest('x', { stream: true }))),
      );
      assert.deepEqual(events[1]!.payload.content_block, {
        type: 'redacted_thinking',
        data: 'EncryptedBlob',
      });
      assert.equal(events[3]!.event, 'content_block_stop');
      assert.equal(events[4]!.event, 'content_block_start');
    });

    it('lets the SDK assemble the final message: text, thinking with signature, tool input from fragments', async () => {
      const input = { city: 'Zürich', units: 'metric', extra: { nested: [true, null, 'a"b'] } };
      upstream.when(
        {},
        b.ok({
          thinking: { text: 'Let me look that up.' },
          content: 'Looking it up.',
          toolUses: [{ name: 'get_weather', input }],
          usage: { cacheReadInputTokens: 12 },
        }),
      );
      const stream = client.messages.stream(messageRequest('weather in Zürich?', { tools: [weatherTool] }));
      const texts: string[] = [];
      stream.on('text', (text) => texts.push(text));
      const message = await stream.finalMessage();
      assert.equal(texts.join(''), 'Looking it up.');
      assert.equal(message.content.length, 3);
      const [thinking, text, toolUse] = message.content;
      assert.equal(thinking?.type === 'thinking' && thinking.thinking, 'Let me look that up.');
      assert.ok(thinking?.type === 'thinking' && thinking.signature.length > 20);
      assert.equal(text?.type === 'text' && text.text, 'Looking it up.');
      assert.ok(toolUse?.type === 'tool_use');
      assert.deepEqual(toolUse.input, input);
      assert.equal(message.stop_reason, 'tool_use');
      assert.equal(message.usage.cache_read_input_tokens, 12);
      assert.ok(message.usage.output_tokens > 1);
    });

    it('answers the SDK’s stream: true create() as an async iterable of events', async () => {
      const stream = await client.messages.create({ ...messageRequest('abc'), stream: true });
      const types: string[] = [];
      let text = '';
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
          text += event.delta.text;
      }
      assert.equal(text, 'Echo: abc');
      assert.equal(types[0], 'message_start');
      assert.equal(types.at(-1), 'message_stop');
    });

    it('splits each text into `chunks` deltas', async () => {
      upstream.when({}, b.ok({ content: 'abcdefgh', chunks: 8 }));
      const events = eventsOf(
        await readSse(await postAnthropic(upstream, messageRequest('x', { stream: true }))),
      );
      assert.equal(events.filter((event) => event.event === 'content_block_delta').length, 8);
    });
  });
});
