import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { behaviours } from './behaviours';
import { startFakeOpenAiUpstream } from './fake-openai-upstream';
import {
  chunksOf,
  eventually,
  fetchFailureCode,
  frameCount,
  parseSse,
  postJson,
  readAllowingFailure,
  readSse,
  readUntil,
  within,
} from './spec-helpers';
import type { FakeOpenAiUpstream } from './types';

const chatBody = (stream = false, extra: Record<string, unknown> = {}) => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'hello world' }],
  stream,
  ...extra,
});

describe('fake upstream: behaviours', () => {
  let upstream: FakeOpenAiUpstream;
  let client: OpenAI;
  let chatUrl: string;
  before(async () => {
    upstream = await startFakeOpenAiUpstream();
    client = new OpenAI({ apiKey: 'sk-any', baseURL: upstream.baseUrl, maxRetries: 0 });
    chatUrl = `${upstream.baseUrl}/chat/completions`;
  });
  after(() => upstream.close());
  beforeEach(() => upstream.reset());

  describe('status', () => {
    async function errorOf(response: Response) {
      return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
    }

    it('429 with Retry-After seconds', async () => {
      upstream.when({}, behaviours.rateLimited({ retryAfter: 2 }));
      const { status, headers, body } = await errorOf(await postJson(chatUrl, chatBody()));
      assert.equal(status, 429);
      assert.equal(headers.get('retry-after'), '2');
      assert.equal(headers.get('x-ratelimit-reset-requests'), null);
      assert.deepEqual(body, {
        error: {
          message:
            'Rate limit reached for gpt-4o-mini in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.',
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        },
      });
    });

    it('429 with an HTTP-date Retry-After', async () => {
      const at = new Date(Date.now() + 3000);
      upstream.when({}, behaviours.rateLimited({ retryAfter: at }));
      const { headers } = await errorOf(await postJson(chatUrl, chatBody()));
      assert.equal(headers.get('retry-after'), at.toUTCString());
    });

    it('429 with only rate-limit reset headers', async () => {
      upstream.when({}, behaviours.rateLimited({ resetRequests: '2s', resetTokens: '1m30s' }));
      const { status, headers } = await errorOf(await postJson(chatUrl, chatBody()));
      assert.equal(status, 429);
      assert.equal(headers.get('retry-after'), null);
      assert.equal(headers.get('x-ratelimit-reset-requests'), '2s');
      assert.equal(headers.get('x-ratelimit-reset-tokens'), '1m30s');
    });

    it('429 with no hint at all', async () => {
      upstream.when({}, behaviours.rateLimited());
      const { status, headers } = await errorOf(await postJson(chatUrl, chatBody()));
      assert.equal(status, 429);
      for (const name of [
        'retry-after',
        'retry-after-ms',
        'x-ratelimit-reset-requests',
        'x-ratelimit-reset-tokens',
      ]) {
        assert.equal(headers.get(name), null, name);
      }
      assert.match(headers.get('x-request-id') ?? '', /^req_/);
    });

    it('429 insufficient_quota', async () => {
      upstream.when({}, behaviours.quotaExceeded());
      const { status, body } = await errorOf(await postJson(chatUrl, chatBody()));
      assert.equal(status, 429);
      assert.equal((body as { error: { code: string } }).error.code, 'insufficient_quota');
    });

    it('500, 502 and 503 server errors', async () => {
      for (const code of [500, 502, 503] as const) {
        upstream.when({}, behaviours.serverError(code), { times: 1 });
        const { status, body } = await errorOf(await postJson(chatUrl, chatBody()));
        assert.equal(status, code);
        assert.equal((body as { error: { type: string } }).error.type, 'server_error');
      }
    });

    it('401 and 403', async () => {
      upstream.when({}, behaviours.unauthorized('sk-proj-abcdefghijklmnop'), { times: 1 });
      const unauthorized = await errorOf(await postJson(chatUrl, chatBody()));
      assert.equal(unauthorized.status, 401);
      assert.deepEqual(unauthorized.body, {
        error: {
          message:
            'Incorrect API key provided: sk-*****************mnop. You can find your API key at https://platform.openai.com/account/api-keys.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
      upstream.when({}, behaviours.forbidden(), { times: 1 });
      const forbidden = await errorOf(await postJson(chatUrl, chatBody()));
      assert.equal(forbidden.status, 403);
      assert.equal(
        (forbidden.body as { error: { code: string } }).error.code,
        'unsupported_country_region_territory',
      );
    });

    it('400 context length exceeded, worded like OpenAI', async () => {
      upstream.when({}, behaviours.contextLengthExceeded(8192, 9000));
      const { status, body } = await errorOf(await postJson(chatUrl, chatBody()));
      assert.equal(status, 400);
      assert.deepEqual(body, {
        error: {
          message:
            "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens. Please reduce the length of the messages.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      });
    });

    it('400 content policy (OpenAI) and content filter (Azure)', async () => {
      upstream.when({}, behaviours.contentPolicyViolation(), { times: 1 });
      const policy = await errorOf(await postJson(chatUrl, chatBody()));
      assert.equal(policy.status, 400);
      assert.equal((policy.body as { error: { code: string } }).error.code, 'content_policy_violation');
      upstream.when({}, behaviours.contentFiltered(), { times: 1 });
      const filter = await errorOf(await postJson(chatUrl, chatBody()));
      assert.equal((filter.body as { error: { code: string } }).error.code, 'content_filter');
    });

    it('any status, with a custom error, extra headers or a raw body', async () => {
      upstream.when(
        {},
        behaviours.status(418, { error: { message: 'teapot', code: 'tea' }, headers: { 'X-Extra': 'yes' } }),
        {
          times: 1,
        },
      );
      const custom = await errorOf(await postJson(chatUrl, chatBody()));
      assert.equal(custom.status, 418);
      assert.equal(custom.headers.get('x-extra'), 'yes');
      assert.deepEqual(custom.body, {
        error: { message: 'teapot', type: 'invalid_request_error', param: null, code: 'tea' },
      });
      upstream.when({}, { kind: 'status', status: 502, rawBody: '<html>Bad Gateway</html>' });
      const raw = await postJson(chatUrl, chatBody());
      assert.equal(raw.status, 502);
      assert.equal(raw.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(await raw.text(), '<html>Bad Gateway</html>');
    });

    it('is understood by the official client', async () => {
      upstream.when({}, behaviours.rateLimited({ retryAfter: 7 }));
      await assert.rejects(
        client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
        (error: unknown) => {
          assert.ok(error instanceof OpenAI.RateLimitError);
          assert.equal(error.status, 429);
          assert.equal(error.code, 'rate_limit_exceeded');
          assert.equal(error.headers?.get('retry-after'), '7');
          return true;
        },
      );
    });
  });

  describe('connection-level failures', () => {
    it('hang: reads the request and never answers until the client gives up', async () => {
      upstream.when({}, behaviours.hang());
      const started = Date.now();
      const code = await fetchFailureCode(postJson(chatUrl, chatBody(), undefined, AbortSignal.timeout(150)));
      assert.ok(code !== undefined);
      assert.ok(Date.now() - started >= 140);
      await eventually(() => upstream.requests[0]?.aborted === true);
      const [record] = upstream.requests;
      assert.equal(record!.status, undefined);
      assert.ok(record!.abortedAt! >= record!.receivedAt);
      assert.equal(record!.body?.model, 'gpt-4o-mini');
    });

    it('reset: destroys the socket without a response (ECONNRESET)', async () => {
      upstream.when({}, behaviours.resetConnection());
      assert.equal(await fetchFailureCode(postJson(chatUrl, chatBody())), 'ECONNRESET');
      assert.equal(upstream.requests.length, 1);
      assert.equal(upstream.requests[0]!.aborted, false);
    });

    it('ok with delayMs waits before sending headers', async () => {
      upstream.when({}, behaviours.ok({ delayMs: 200 }));
      const started = Date.now();
      const response = await postJson(chatUrl, chatBody());
      assert.ok(Date.now() - started >= 190);
      assert.equal(response.status, 200);
      await response.arrayBuffer();
    });

    it('ok with chunkDelayMs spaces the stream frames', async () => {
      upstream.when({}, behaviours.ok({ chunkDelayMs: 60, chunks: 2 }));
      const response = await postJson(chatUrl, chatBody(true));
      const started = Date.now();
      const { chunks, done } = chunksOf(await readSse(response));
      assert.ok(done);
      assert.equal(chunks.length, 4); // role, 2 pieces, finish
      assert.ok(Date.now() - started >= 3 * 60 - 20);
    });
  });

  describe('slowFirstToken', () => {
    it('stream: headers and role chunk at once, the first content after the delay', async () => {
      upstream.when({}, behaviours.slowFirstToken(400));
      const started = Date.now();
      const response = await postJson(chatUrl, chatBody(true));
      assert.equal(response.status, 200);
      assert.ok(Date.now() - started < 300, 'headers arrive before the delay');
      const reader = response.body!.getReader();
      const roleOnly = await readUntil(reader, (text) => frameCount(text) >= 1);
      assert.equal(frameCount(roleOnly), 1);
      assert.ok(Date.now() - started < 300, 'role chunk arrives before the delay');
      const rest = await readUntil(reader, (text) => frameCount(text) >= 1);
      assert.ok(Date.now() - started >= 390, 'content waits for the delay');
      assert.match(rest, /"content":"Echo"/);
      await reader.cancel();
    });

    it('non-stream: headers at once, the body after the delay', async () => {
      upstream.when({}, behaviours.slowFirstToken(300));
      const started = Date.now();
      const response = await postJson(chatUrl, chatBody());
      assert.ok(Date.now() - started < 250);
      const body = (await response.json()) as { object: string };
      assert.ok(Date.now() - started >= 290);
      assert.equal(body.object, 'chat.completion');
    });
  });

  describe('stream faults', () => {
    it('cutStream: N frames then the connection drops, no finish reason, no [DONE]', async () => {
      upstream.when({}, behaviours.cutStream(2));
      const { text, failed } = await readAllowingFailure(await postJson(chatUrl, chatBody(true)));
      assert.ok(failed);
      const frames = parseSse(text);
      assert.equal(frames.length, 2);
      assert.ok(!text.includes('[DONE]') && !text.includes('"finish_reason":"stop"'));
      assert.equal(upstream.requests[0]!.aborted, false);
    });

    it('cutStream(0): headers then the connection drops', async () => {
      upstream.when({}, behaviours.cutStream(0));
      const response = await postJson(chatUrl, chatBody(true));
      assert.equal(response.status, 200);
      const { text, failed } = await readAllowingFailure(response);
      assert.ok(failed);
      assert.equal(text, '');
    });

    it('cutStream on a non-stream request sends half a body', async () => {
      upstream.when({}, behaviours.cutStream(1));
      const { text, failed } = await readAllowingFailure(await postJson(chatUrl, chatBody()));
      assert.ok(failed);
      assert.ok(text.startsWith('{"id":"chatcmpl-'));
    });

    it('stallStream: N frames then silence with the socket open, until the client leaves', async () => {
      upstream.when({}, behaviours.stallStream(3));
      const controller = new AbortController();
      const response = await postJson(chatUrl, chatBody(true), undefined, controller.signal);
      const reader = response.body!.getReader();
      const text = await readUntil(reader, (sofar) => frameCount(sofar) >= 3);
      assert.equal(frameCount(text), 3);
      assert.equal(await within(reader.read(), 250), 'timeout');
      assert.equal(upstream.requests[0]!.aborted, false);
      controller.abort();
      await eventually(() => upstream.requests[0]!.aborted);
    });

    it('malformedEvent: a data line that is not JSON, then the stream closes', async () => {
      upstream.when({}, behaviours.malformedEvent(2));
      const { text, failed } = await readAllowingFailure(await postJson(chatUrl, chatBody(true)));
      assert.ok(!failed);
      const frames = parseSse(text);
      assert.equal(frames.length, 3);
      assert.doesNotThrow(() => JSON.parse(frames[1]!.data));
      assert.throws(() => JSON.parse(frames[2]!.data));
      assert.ok(!text.includes('[DONE]'));
    });

    it('malformedEvent then continue: the rest of the stream follows, to [DONE]', async () => {
      upstream.when({}, behaviours.malformedEvent(2, 'continue'));
      const frames = await readSse(await postJson(chatUrl, chatBody(true)));
      assert.equal(frames.length, 1 + 4 + 1 + 1 + 1); // role, 4 pieces, malformed, finish, [DONE]
      assert.equal(frames.at(-1)!.data, '[DONE]');
    });

    it('malformedEvent makes the official client throw', async () => {
      upstream.when({}, behaviours.malformedEvent(1));
      const stream = await client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      });
      await assert.rejects(async () => {
        for await (const _chunk of stream) {
          // drain
        }
      }, SyntaxError);
    });

    it('errorEvent: an in-band error event, then the stream ends without [DONE]', async () => {
      upstream.when({}, behaviours.errorEvent(2, { message: 'upstream exploded' }));
      const { text, failed } = await readAllowingFailure(await postJson(chatUrl, chatBody(true)));
      assert.ok(!failed);
      const frames = parseSse(text);
      assert.equal(frames.length, 3);
      assert.deepEqual(JSON.parse(frames[2]!.data), {
        error: { message: 'upstream exploded', type: 'server_error', param: null, code: null },
      });
      assert.ok(!text.includes('[DONE]'));

      upstream.when({}, behaviours.errorEvent(1, { message: 'again' }));
      const stream = await client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      });
      await assert.rejects(
        async () => {
          for await (const _chunk of stream) {
            // drain
          }
        },
        (error: unknown) => error instanceof OpenAI.APIError && error.message.includes('again'),
      );
    });

    it('errorEvent on a non-stream request: an error body with status 200', async () => {
      upstream.when({}, behaviours.errorEvent(0));
      const response = await postJson(chatUrl, chatBody());
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { error: { type: string } }).error.type, 'server_error');
    });

    it('noDone: finish reason and usage, but no [DONE]; the official client still completes', async () => {
      upstream.when({}, behaviours.noDone());
      const frames = await readSse(
        await postJson(chatUrl, chatBody(true, { stream_options: { include_usage: true } })),
      );
      const { chunks, done } = chunksOf(frames);
      assert.ok(!done);
      assert.deepEqual(chunks.at(-1)!.choices, []);
      assert.ok(chunks.at(-1)!.usage);
      assert.equal((chunks.at(-2)!.choices as { finish_reason: string }[])[0]!.finish_reason, 'stop');

      const stream = await client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: 'fine' }],
        stream: true,
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      assert.equal(text, 'Echo: fine');
    });

    it('a fault never counts past the content: cutStream(99) stops before the finish chunk', async () => {
      upstream.when({}, behaviours.cutStream(99));
      const { text } = await readAllowingFailure(await postJson(chatUrl, chatBody(true)));
      assert.equal(parseSse(text).length, 5); // role + 4 pieces
      assert.ok(!text.includes('finish_reason":"stop'));
    });
  });

  describe('rules', () => {
    it('give different keys different fates', async () => {
      upstream.when({ key: 'sk-A' }, behaviours.rateLimited({ retryAfter: 1 }));
      upstream.when({ key: 'sk-B' }, behaviours.ok({ content: 'from B' }));
      assert.equal((await postJson(chatUrl, chatBody(), 'sk-A')).status, 429);
      const fromB = (await (await postJson(chatUrl, chatBody(), 'sk-B')).json()) as {
        choices: { message: { content: string } }[];
      };
      assert.equal(fromB.choices[0]!.message.content, 'from B');
      const other = (await (await postJson(chatUrl, chatBody(), 'sk-C')).json()) as {
        choices: { message: { content: string } }[];
      };
      assert.equal(other.choices[0]!.message.content, 'Echo: hello world');
    });

    it('match model and path (with or without /v1)', async () => {
      upstream.when({ model: 'broken' }, behaviours.serverError(503));
      upstream.when({ path: '/embeddings' }, behaviours.serverError(502));
      upstream.when({ path: '/v1/moderations' }, behaviours.serverError(500));
      assert.equal((await postJson(chatUrl, { ...chatBody(), model: 'broken' })).status, 503);
      assert.equal((await postJson(chatUrl, chatBody())).status, 200);
      assert.equal(
        (await postJson(`${upstream.baseUrl}/embeddings`, { model: 'e', input: 'x' })).status,
        502,
      );
      assert.equal((await postJson(`${upstream.baseUrl}/moderations`, { input: 'x' })).status, 500);
    });

    it('are checked newest first and expire after `times`', async () => {
      upstream.when({}, behaviours.serverError(500));
      const rule = upstream.when({}, behaviours.rateLimited(), { times: 2 });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await postJson(chatUrl, chatBody())).status);
      assert.deepEqual(statuses, [429, 429, 500]);
      assert.equal(rule.hits, 2);
      assert.equal(rule.active, false);
    });

    it('can be removed, and reset() clears rules and requests', async () => {
      const rule = upstream.when({}, behaviours.serverError(500));
      assert.equal((await postJson(chatUrl, chatBody())).status, 500);
      rule.remove();
      assert.equal((await postJson(chatUrl, chatBody())).status, 200);
      upstream.when({}, behaviours.serverError(500));
      assert.equal(upstream.requests.length, 2);
      upstream.reset();
      assert.equal(upstream.requests.length, 0);
      assert.equal((await postJson(chatUrl, chatBody())).status, 200);
    });

    it('reject a non-positive times', () => {
      assert.throws(() => upstream.when({}, behaviours.hang(), { times: 0 }), RangeError);
    });
  });
});
