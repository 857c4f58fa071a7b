import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { startFakeAnthropicUpstream } from './fake-anthropic-upstream';
import { TEST_KEY, getAnthropic, messageRequest, postAnthropic, sdkClient } from './spec-helpers';
import type { FakeAnthropicUpstream } from './types';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

async function errorOf(response: Response): Promise<{ status: number; type: string; message: string }> {
  const body = (await response.json()) as { type: string; error: { type: string; message: string } };
  assert.equal(body.type, 'error');
  return { status: response.status, ...body.error };
}

describe('fake Anthropic upstream: auth, versions, count_tokens, models', () => {
  let upstream: FakeAnthropicUpstream;

  before(async () => {
    upstream = await startFakeAnthropicUpstream({ keys: [TEST_KEY, 'sk-ant-second'] });
  });
  after(() => upstream.close());
  beforeEach(() => upstream.reset());

  describe('auth', () => {
    it('rejects an unknown key with 401 authentication_error "invalid x-api-key" (SDK: AuthenticationError)', async () => {
      const raw = await postAnthropic(upstream, messageRequest(), { key: 'sk-ant-wrong' });
      assert.deepEqual(await errorOf(raw), {
        status: 401,
        type: 'authentication_error',
        message: 'invalid x-api-key',
      });
      await assert.rejects(sdkClient(upstream, 'sk-ant-wrong').messages.create(messageRequest()), (error) => {
        assert.ok(error instanceof Anthropic.AuthenticationError);
        assert.equal(error.status, 401);
        assert.equal(error.type, 'authentication_error');
        assert.match(error.requestID ?? '', /^req_/);
        return true;
      });
    });

    it('requires a key: none at all is 401 "x-api-key header is required"', async () => {
      assert.deepEqual(await errorOf(await postAnthropic(upstream, messageRequest(), { key: null })), {
        status: 401,
        type: 'authentication_error',
        message: 'x-api-key header is required',
      });
    });

    it('takes the key from x-api-key or, as SDK 1.x sends it, Authorization: Bearer; records which', async () => {
      const viaHeader = await postAnthropic(upstream, messageRequest(), { key: 'sk-ant-second' });
      assert.equal(viaHeader.status, 200);
      await viaHeader.arrayBuffer();
      const viaBearer = await postAnthropic(upstream, messageRequest(), {
        key: null,
        headers: { authorization: `Bearer ${TEST_KEY}` },
      });
      assert.equal(viaBearer.status, 200);
      await viaBearer.arrayBuffer();
      await sdkClient(upstream).messages.create(messageRequest());
      assert.deepEqual(
        upstream.requests.map((request) => [request.key, request.authScheme]),
        [
          ['sk-ant-second', 'x-api-key'],
          [TEST_KEY, 'bearer'],
          [TEST_KEY, 'bearer'],
        ],
      );
    });

    it('accepts any key when no keys are configured, but still requires one', async () => {
      const open = await startFakeAnthropicUpstream();
      try {
        const anyKey = await postAnthropic(open, messageRequest(), { key: 'whatever' });
        assert.equal(anyKey.status, 200);
        await anyKey.arrayBuffer();
        assert.equal((await postAnthropic(open, messageRequest(), { key: null })).status, 401);
      } finally {
        await open.close();
      }
    });
  });

  describe('anthropic-version and anthropic-beta', () => {
    it('answers 400 without anthropic-version, and for an unknown one', async () => {
      assert.deepEqual(await errorOf(await postAnthropic(upstream, messageRequest(), { version: null })), {
        status: 400,
        type: 'invalid_request_error',
        message: 'anthropic-version: header is required',
      });
      assert.deepEqual(
        await errorOf(await postAnthropic(upstream, messageRequest(), { version: '2024-10-22' })),
        {
          status: 400,
          type: 'invalid_request_error',
          message: 'anthropic-version: "2024-10-22" is not a valid version',
        },
      );
    });

    it('checks the key before the version', async () => {
      const response = await postAnthropic(upstream, messageRequest(), { key: 'nope', version: null });
      assert.equal(response.status, 401);
      await response.arrayBuffer();
    });

    it('records anthropic-version and each anthropic-beta flag', async () => {
      await sdkClient(upstream).beta.messages.create({
        ...messageRequest(),
        betas: ['interleaved-thinking-2025-05-14', 'context-1m-2025-08-07'],
      });
      const [request] = upstream.requests;
      assert.equal(request?.anthropicVersion, request?.headers['anthropic-version']);
      assert.ok(request?.anthropicVersion);
      assert.deepEqual(request?.anthropicBeta, ['interleaved-thinking-2025-05-14', 'context-1m-2025-08-07']);
    });

    it('accepts the versions it is told to', async () => {
      const strict = await startFakeAnthropicUpstream({ versions: ['2023-06-01'] });
      try {
        const ok = await postAnthropic(strict, messageRequest(), { version: '2023-06-01' });
        assert.equal(ok.status, 200);
        await ok.arrayBuffer();
        const old = await postAnthropic(strict, messageRequest(), { version: '2023-01-01' });
        assert.equal(old.status, 400);
        await old.arrayBuffer();
      } finally {
        await strict.close();
      }
    });
  });

  describe('other requests', () => {
    it('answers unknown paths with 404 not_found_error and bad JSON with 400', async () => {
      assert.deepEqual(await errorOf(await postAnthropic(upstream, {}, { path: '/v1/complete-me' })), {
        status: 404,
        type: 'not_found_error',
        message: 'Not Found',
      });
      const bad = await errorOf(await postAnthropic(upstream, '{"model":', {}));
      assert.equal(bad.status, 400);
      assert.equal(bad.type, 'invalid_request_error');
    });

    it('sends request-id and the rate-limit window (RFC 3339 resets) on success', async () => {
      const response = await postAnthropic(upstream, messageRequest());
      await response.arrayBuffer();
      assert.match(response.headers.get('request-id') ?? '', /^req_011C[1-9A-HJ-NP-Za-km-z]{20}$/);
      for (const window of ['requests', 'tokens', 'input-tokens', 'output-tokens']) {
        assert.match(response.headers.get(`anthropic-ratelimit-${window}-limit`) ?? '', /^\d+$/);
        assert.match(response.headers.get(`anthropic-ratelimit-${window}-remaining`) ?? '', /^\d+$/);
        assert.match(response.headers.get(`anthropic-ratelimit-${window}-reset`) ?? '', RFC3339);
      }
      assert.equal(upstream.requests[0]?.status, 200);
    });
  });

  describe('POST /v1/messages/count_tokens', () => {
    it('counts system, messages and tools deterministically, as usage.input_tokens does', async () => {
      const client = sdkClient(upstream);
      const request = {
        model: 'claude-test',
        system: 'You are a weather bot.',
        messages: [{ role: 'user' as const, content: 'What is the weather in Lisbon today?' }],
        tools: [{ name: 'get_weather', input_schema: { type: 'object' as const } }],
      };
      const counted = await client.messages.countTokens(request);
      const promptChars =
        'You are a weather bot.\nWhat is the weather in Lisbon today?\n'.length +
        JSON.stringify(request.tools).length;
      assert.deepEqual(counted, { input_tokens: Math.ceil(promptChars / 4) });
      const message = await client.messages.create({ ...request, max_tokens: 64 });
      assert.equal(message.usage.input_tokens, counted.input_tokens);
      const recorded = upstream.requests[0]!;
      assert.equal(recorded.path, '/v1/messages/count_tokens');
      assert.deepEqual(recorded.body?.tools, request.tools);
    });

    it('counts tool results and tool uses in the conversation', async () => {
      const count = async (messages: unknown) => {
        const response = await postAnthropic(
          upstream,
          { model: 'm', messages },
          { path: '/v1/messages/count_tokens' },
        );
        return ((await response.json()) as { input_tokens: number }).input_tokens;
      };
      const short = await count([{ role: 'user', content: 'hi' }]);
      const long = await count([
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 't1', name: 'lookup', input: { q: 'x'.repeat(40) } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'y'.repeat(80) }] },
      ]);
      assert.ok(long > short + 30);
    });

    it('answers 400 without model or messages', async () => {
      const response = await postAnthropic(upstream, { model: 'm' }, { path: '/v1/messages/count_tokens' });
      assert.deepEqual(await errorOf(response), {
        status: 400,
        type: 'invalid_request_error',
        message: 'messages: Field required',
      });
    });
  });

  describe('GET /v1/models', () => {
    it('lists models in Anthropic’s shape (type, id, display_name, created_at; has_more, first_id, last_id)', async () => {
      const response = await getAnthropic(upstream, '/v1/models');
      const page = (await response.json()) as Record<string, unknown>;
      const data = page.data as Record<string, string>[];
      assert.ok(data.length > 0);
      assert.deepEqual(data[0], {
        type: 'model',
        id: 'claude-sonnet-4-5-20250929',
        display_name: 'Claude Sonnet 4.5',
        created_at: '2025-09-29T00:00:00Z',
      });
      assert.equal(page.has_more, false);
      assert.equal(page.first_id, data[0]!.id);
      assert.equal(page.last_id, data.at(-1)!.id);
    });

    it('pages with limit, after_id and before_id, and the SDK iterates every page', async () => {
      const models = ['claude-a', 'claude-b', 'claude-c', 'claude-d', 'claude-e'];
      const paged = await startFakeAnthropicUpstream({ models });
      try {
        const first = (await (await getAnthropic(paged, '/v1/models?limit=2')).json()) as Record<
          string,
          unknown
        >;
        assert.deepEqual(
          (first.data as { id: string }[]).map((model) => model.id),
          ['claude-a', 'claude-b'],
        );
        assert.equal(first.has_more, true);
        const before = (await (
          await getAnthropic(paged, '/v1/models?limit=2&before_id=claude-d')
        ).json()) as {
          data: { id: string }[];
        };
        assert.deepEqual(
          before.data.map((model) => model.id),
          ['claude-b', 'claude-c'],
        );
        const ids: string[] = [];
        for await (const model of sdkClient(paged).models.list({ limit: 2 })) ids.push(model.id);
        assert.deepEqual(ids, models);
        assert.equal(paged.requests.length, 5); // 2 raw + 3 pages
      } finally {
        await paged.close();
      }
    });

    it('retrieves one model, and 404s an unknown one', async () => {
      const client = sdkClient(upstream);
      const model = await client.models.retrieve('claude-opus-4-1-20250805');
      assert.equal(model.display_name, 'Claude Opus 4.1');
      await assert.rejects(client.models.retrieve('claude-nope'), (error) => {
        assert.ok(error instanceof Anthropic.NotFoundError);
        assert.match(error.message, /model: claude-nope/);
        return true;
      });
    });
  });
});
