import {
  anthropicBehaviours,
  behaviours,
  startFakeAnthropicUpstream,
  startFakeOpenAiUpstream,
  type FakeAnthropicUpstream,
  type FakeOpenAiUpstream,
} from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { type RelayHarness, startRelay } from './support/relay-harness';

/** `event:` + `data:` frames of an SSE body, parsed. */
async function frames(response: Response): Promise<Array<{ event?: string; data: string }>> {
  const raw = await response.text();
  return raw
    .split('\n\n')
    .filter((frame) => frame.trim() && !frame.startsWith(':'))
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = frame
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      return { event, data };
    });
}

/**
 * Every client API against every upstream kind: an Anthropic upstream (`claude`) serving
 * claude-sonnet, an OpenAI-compatible one (`openai`) serving gpt-4o-mini, and the same OpenAI fake
 * declared as chat-only (`chatonly`, Responses translated) serving chat-only-model.
 */
describe('relay: translation between the OpenAI and Anthropic APIs', () => {
  let claude: FakeAnthropicUpstream;
  let openai: FakeOpenAiUpstream;
  let relay: RelayHarness;

  before(async () => {
    claude = await startFakeAnthropicUpstream({ keys: ['sk-ant-1'] });
    openai = await startFakeOpenAiUpstream({ keys: ['sk-oai-1'] });
  });
  // A fresh relay per test: a key backing off after one test's failure must not steer the next.
  beforeEach(async () => {
    claude.reset();
    openai.reset();
    relay = await startRelay({
      providers: {
        claude: {
          provider_type: 'anthropic',
          base_url: claude.baseUrl,
          keys: ['sk-ant-1'],
          models: { include: ['claude-sonnet'] },
          timeout: 5,
        },
        openai: {
          base_url: openai.baseUrl,
          keys: ['sk-oai-1'],
          models: { include: ['gpt-4o-mini'] },
          timeout: 5,
        },
        chatonly: {
          base_url: openai.baseUrl,
          keys: ['sk-oai-1'],
          models: { include: ['chat-only-model'] },
          timeout: 5,
        },
      },
      compat: { responses_api: { chatonly: false } },
    });
  });
  afterEach(() => relay.close());
  after(async () => {
    await claude.close();
    await openai.close();
  });

  const userTurn = [{ role: 'user', content: 'hello' }];

  describe('Anthropic Messages client', () => {
    it('native to an Anthropic upstream: bytes pass through, x-api-key and anthropic-version are sent', async () => {
      const response = await relay.fetch('/v1/messages', {
        json: { model: 'claude-sonnet', max_tokens: 100, messages: userTurn },
        headers: { 'anthropic-version': '2023-06-01', 'anthropic-beta': 'prompt-caching-2024-07-31' },
      });
      assert.equal(response.status, 200);
      const body = (await response.json()) as { type: string; content: { text: string }[] };
      assert.equal(body.type, 'message');
      assert.equal(body.content[0].text, 'Echo: hello');
      const sent = claude.requests[0];
      assert.equal(sent.headers['x-api-key'], 'sk-ant-1');
      assert.equal(sent.headers['anthropic-version'], '2023-06-01');
      assert.equal(sent.headers['anthropic-beta'], 'prompt-caching-2024-07-31');
      assert.equal(sent.path, '/v1/messages');
    });

    it('to an OpenAI upstream, non-stream: the answer is a Messages response with usage', async () => {
      const response = await relay.fetch('/v1/messages', {
        json: { model: 'gpt-4o-mini', max_tokens: 100, system: 'Be terse.', messages: userTurn },
      });
      assert.equal(response.status, 200);
      const body = (await response.json()) as {
        type: string;
        role: string;
        content: { type: string; text: string }[];
        stop_reason: string;
        usage: { input_tokens: number; output_tokens: number };
      };
      assert.equal(body.type, 'message');
      assert.equal(body.content[0].text, 'Echo: hello');
      assert.equal(body.stop_reason, 'end_turn');
      assert.ok(body.usage.output_tokens > 0);
      const sent = openai.requests[0].body!;
      assert.deepEqual((sent.messages as unknown[])[0], { role: 'system', content: 'Be terse.' });
      const entry = await relay.entry((e) => e.requestId === response.headers.get('x-request-id'));
      assert.ok(entry.outputTokens > 0);
    });

    it('to an OpenAI upstream, streamed tool calls become tool_use blocks with input_json_delta', async () => {
      openai.when(
        {},
        behaviours.ok({
          content: 'Let me check.',
          toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }],
        }),
      );
      const response = await relay.fetch('/v1/messages', {
        json: {
          model: 'gpt-4o-mini',
          max_tokens: 100,
          stream: true,
          messages: userTurn,
          tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
        },
      });
      const events = await frames(response);
      const types = events.map((e) => e.event);
      assert.equal(types[0], 'message_start');
      assert.equal(types.at(-1), 'message_stop');
      const starts = events
        .filter((e) => e.event === 'content_block_start')
        .map((e) => JSON.parse(e.data) as { index: number; content_block: { type: string; name?: string } });
      assert.deepEqual(
        starts.map((s) => [s.index, s.content_block.type]),
        [
          [0, 'text'],
          [1, 'tool_use'],
        ],
      );
      const json = events
        .filter((e) => e.event === 'content_block_delta')
        .map((e) => JSON.parse(e.data) as { delta: { type: string; partial_json?: string } })
        .filter((e) => e.delta.type === 'input_json_delta')
        .map((e) => e.delta.partial_json)
        .join('');
      assert.deepEqual(JSON.parse(json), { city: 'Paris' });
      const delta = JSON.parse(events.find((e) => e.event === 'message_delta')!.data) as {
        delta: { stop_reason: string };
        usage: { output_tokens: number };
      };
      assert.equal(delta.delta.stop_reason, 'tool_use');
      assert.ok(delta.usage.output_tokens > 0);
    });

    it('errors come back in Anthropic’s shape: relay errors and translated upstream errors', async () => {
      const unknown = await relay.fetch('/v1/messages', {
        json: { model: 'nope', max_tokens: 1, messages: userTurn },
      });
      assert.equal(unknown.status, 404);
      assert.equal(((await unknown.json()) as { type: string }).type, 'error');
      const noAuth = await fetch(`${relay.url}/v1/messages`, { method: 'POST', body: '{}' });
      assert.equal(noAuth.status, 401);
      assert.deepEqual(
        ((await noAuth.json()) as { error: { type: string } }).error.type,
        'authentication_error',
      );
      openai.when({}, behaviours.contentPolicyViolation());
      const refused = await relay.fetch('/v1/messages', {
        json: { model: 'gpt-4o-mini', max_tokens: 10, messages: userTurn },
      });
      assert.equal(refused.status, 400);
      const body = (await refused.json()) as { type: string; error: { type: string; message: string } };
      assert.equal(body.type, 'error');
      assert.equal(body.error.type, 'invalid_request_error');
      assert.match(body.error.message, /safety system/);
    });

    it('a stream that fails after the first byte ends with an error event and no message_stop', async () => {
      openai.when(
        {},
        behaviours.cutStream(3, { content: 'one two three four', chunks: 4, chunkDelayMs: 40 }),
      );
      const response = await relay.fetch('/v1/messages', {
        json: { model: 'gpt-4o-mini', max_tokens: 100, stream: true, messages: userTurn },
      });
      const events = await frames(response);
      assert.equal(events.at(-1)?.event, 'error');
      assert.equal(
        events.some((e) => e.event === 'message_stop'),
        false,
      );
      assert.equal((JSON.parse(events.at(-1)!.data) as { type: string }).type, 'error');
    });
  });

  describe('OpenAI chat client on an Anthropic upstream', () => {
    it('non-stream: text, thinking as reasoning_content with its signature, usage with cache tokens', async () => {
      claude.when(
        {},
        anthropicBehaviours.ok({
          content: 'The answer.',
          thinking: { text: 'Let me think.', signature: 'sig-abc' },
          usage: { cacheReadInputTokens: 7 },
        }),
      );
      const response = await relay.fetch('/v1/chat/completions', {
        json: { model: 'claude-sonnet', messages: userTurn },
      });
      assert.equal(response.status, 200);
      const body = (await response.json()) as {
        object: string;
        choices: {
          message: { content: string; reasoning_content: string; reasoning_details: { signature: string }[] };
          finish_reason: string;
        }[];
        usage: { prompt_tokens_details: { cached_tokens: number } };
      };
      assert.equal(body.object, 'chat.completion');
      assert.equal(body.choices[0].message.content, 'The answer.');
      assert.equal(body.choices[0].message.reasoning_content, 'Let me think.');
      assert.equal(body.choices[0].message.reasoning_details[0].signature, 'sig-abc');
      assert.equal(body.choices[0].finish_reason, 'stop');
      assert.equal(body.usage.prompt_tokens_details.cached_tokens, 7);
      assert.equal(claude.requests[0].body?.max_tokens !== undefined, true, 'Anthropic needs max_tokens');
    });

    it('the signature goes back to Anthropic on the next turn', async () => {
      const response = await relay.fetch('/v1/chat/completions', {
        json: {
          model: 'claude-sonnet',
          messages: [
            ...userTurn,
            {
              role: 'assistant',
              content: 'The answer.',
              reasoning_content: 'Let me think.',
              reasoning_details: [
                { type: 'reasoning.text', text: 'Let me think.', signature: 'sig-abc', index: 0 },
              ],
            },
            { role: 'user', content: 'and then?' },
          ],
        },
      });
      assert.equal(response.status, 200);
      await response.arrayBuffer();
      const assistant = (
        claude.requests[0].body?.messages as {
          role: string;
          content: { type: string; signature?: string }[];
        }[]
      )[1];
      assert.equal(assistant.content[0].type, 'thinking');
      assert.equal(assistant.content[0].signature, 'sig-abc');
    });

    it('streams tool calls with OpenAI indices, and usage only when asked', async () => {
      claude.when(
        {},
        anthropicBehaviours.ok({
          content: 'Checking.',
          toolUses: [
            { name: 'a', input: { x: 1 } },
            { name: 'b', input: { y: [2, 3] } },
          ],
        }),
      );
      const response = await relay.fetch('/v1/chat/completions', {
        json: {
          model: 'claude-sonnet',
          stream: true,
          messages: userTurn,
          tools: [{ type: 'function', function: { name: 'a' } }],
        },
      });
      const events = (await frames(response)).map((e) => e.data);
      assert.equal(events.at(-1), '[DONE]');
      const chunks = events.slice(0, -1).map(
        (data) =>
          JSON.parse(data) as {
            choices: {
              delta: { content?: string; tool_calls?: { index: number; function: { arguments?: string } }[] };
              finish_reason: string | null;
            }[];
          },
      );
      assert.equal(
        chunks.some((c) => c.choices.length === 0),
        false,
        'no usage chunk unasked',
      );
      const args = ['', ''];
      for (const chunk of chunks) {
        for (const call of chunk.choices[0]?.delta.tool_calls ?? [])
          args[call.index] += call.function.arguments ?? '';
      }
      assert.deepEqual(
        args.map((a) => JSON.parse(a) as unknown),
        [{ x: 1 }, { y: [2, 3] }],
      );
      assert.equal(chunks.at(-1)?.choices[0].finish_reason, 'tool_calls');

      claude.reset();
      const withUsage = await relay.fetch('/v1/chat/completions', {
        json: {
          model: 'claude-sonnet',
          stream: true,
          stream_options: { include_usage: true },
          messages: userTurn,
        },
      });
      const usageChunks = (await frames(withUsage))
        .map((e) => e.data)
        .filter((d) => d !== '[DONE]')
        .map((d) => JSON.parse(d) as { choices: unknown[]; usage?: { completion_tokens: number } })
        .filter((c) => c.choices.length === 0);
      assert.equal(usageChunks.length, 1);
      assert.ok(usageChunks[0].usage!.completion_tokens > 0);
    });

    it('an Anthropic error event mid-stream becomes an OpenAI error event without [DONE]', async () => {
      claude.when(
        {},
        anthropicBehaviours.errorEvent(4, undefined, {
          content: 'one two three four',
          chunks: 4,
          chunkDelayMs: 40,
        }),
      );
      const response = await relay.fetch('/v1/chat/completions', {
        json: { model: 'claude-sonnet', stream: true, messages: userTurn },
      });
      const events = (await frames(response)).map((e) => e.data);
      assert.notEqual(events.at(-1), '[DONE]');
      assert.ok((JSON.parse(events.at(-1)!) as { error?: unknown }).error);
    });

    it('a field Anthropic cannot carry is a 400 naming it', async () => {
      const response = await relay.fetch('/v1/chat/completions', {
        json: { model: 'claude-sonnet', messages: userTurn, n: 3 },
      });
      assert.equal(response.status, 400);
      const body = (await response.json()) as { error: { param: string; code: string } };
      assert.equal(body.error.param, 'n');
      assert.equal(claude.requests.length, 0);
    });

    it('429 from Anthropic with reset headers cools the key like any other', async () => {
      claude.when({}, anthropicBehaviours.rateLimited({ requestsReset: 30 }));
      const response = await relay.fetch('/v1/chat/completions', {
        json: { model: 'claude-sonnet', messages: userTurn },
      });
      assert.equal(response.status, 429);
      const retryAfter = Number(response.headers.get('retry-after'));
      assert.ok(retryAfter >= 28 && retryAfter <= 31, `retry-after ${retryAfter}`);
      await response.arrayBuffer();
    });
  });

  describe('OpenAI Responses client', () => {
    it('on an Anthropic upstream: a Responses object, through chat both ways', async () => {
      const response = await relay.fetch('/v1/responses', {
        json: { model: 'claude-sonnet', input: 'hello', instructions: 'Be terse.' },
      });
      assert.equal(response.status, 200);
      const body = (await response.json()) as {
        object: string;
        status: string;
        output: { type: string; content?: { text: string }[] }[];
      };
      assert.equal(body.object, 'response');
      assert.equal(body.status, 'completed');
      assert.equal(body.output.find((item) => item.type === 'message')?.content?.[0].text, 'Echo: hello');
      assert.equal(claude.requests[0].body?.system, 'Be terse.');
    });

    it('streamed from an Anthropic upstream: the Responses event lifecycle', async () => {
      const response = await relay.fetch('/v1/responses', {
        json: { model: 'claude-sonnet', input: 'hello', stream: true },
      });
      const events = await frames(response);
      const types = events.map((e) => e.event);
      assert.equal(types[0], 'response.created');
      assert.ok(types.includes('response.output_text.delta'));
      assert.equal(types.at(-1), 'response.completed');
      const completed = JSON.parse(events.at(-1)!.data) as { response: { usage: { output_tokens: number } } };
      assert.ok(completed.response.usage.output_tokens > 0);
      const sequence = events.map((e) => (JSON.parse(e.data) as { sequence_number: number }).sequence_number);
      assert.deepEqual(
        sequence,
        sequence.map((_, i) => i),
      );
    });

    it('on a chat-only upstream: translated to chat completions', async () => {
      const response = await relay.fetch('/v1/responses', {
        json: { model: 'chat-only-model', input: 'hello' },
      });
      assert.equal(response.status, 200);
      await response.arrayBuffer();
      assert.equal(openai.requests[0].path, '/v1/chat/completions');
    });

    it('on an upstream that serves Responses: native', async () => {
      const response = await relay.fetch('/v1/responses', { json: { model: 'gpt-4o-mini', input: 'hello' } });
      assert.equal(response.status, 200);
      await response.arrayBuffer();
      assert.equal(openai.requests[0].path, '/v1/responses');
    });

    it('previous_response_id cannot be carried to a chat upstream: 400 naming it', async () => {
      const response = await relay.fetch('/v1/responses', {
        json: { model: 'chat-only-model', input: 'hello', previous_response_id: 'resp_1' },
      });
      assert.equal(response.status, 400);
      assert.equal(
        ((await response.json()) as { error: { param: string } }).error.param,
        'previous_response_id',
      );
    });
  });

  describe('count_tokens', () => {
    const request = {
      model: 'claude-sonnet',
      messages: [{ role: 'user', content: 'Count these tokens please.' }],
    };

    it('is answered by an Anthropic upstream for its models', async () => {
      const response = await relay.fetch('/v1/messages/count_tokens', { json: request });
      assert.equal(response.status, 200);
      const body = (await response.json()) as { input_tokens: number };
      assert.ok(body.input_tokens > 0);
      assert.equal(claude.requests[0].path, '/v1/messages/count_tokens');
    });

    it('uses the real tokenizer for OpenAI-family models', async () => {
      const response = await relay.fetch('/v1/messages/count_tokens', {
        json: { ...request, model: 'gpt-4o-mini' },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('x-monorelay-count'), 'o200k_base');
      const body = (await response.json()) as { input_tokens: number };
      // "Count these tokens please." is 5 o200k tokens; +3 per message, +1 for the role, +3 reply priming.
      assert.equal(body.input_tokens, 5 + 3 + 1 + 3);
      assert.equal(openai.requests.length, 0);
    });

    it('estimates for other models, and says so', async () => {
      const response = await relay.fetch('/v1/messages/count_tokens', {
        json: { ...request, model: 'chat-only-model' },
      });
      assert.equal(response.headers.get('x-monorelay-count'), 'estimate');
      assert.ok(((await response.json()) as { input_tokens: number }).input_tokens > 0);
    });
  });
});
