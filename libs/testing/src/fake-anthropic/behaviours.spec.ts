import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import {
  eventually,
  fetchFailureCode,
  frameCount,
  parseSse,
  readAllowingFailure,
  readSse,
  readUntil,
  within,
} from '../shared/spec-helpers';
import { anthropicBehaviours as b } from './behaviours';
import { startFakeAnthropicUpstream } from './fake-anthropic-upstream';
import { TEST_KEY, eventNames, messageRequest, postAnthropic, sdkClient } from './spec-helpers';
import type { FakeAnthropicUpstream } from './types';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const streamRequest = (text = 'stream me') => messageRequest(text, { stream: true });

async function errorBodyOf(response: Response) {
  return (await response.json()) as {
    type: string;
    error: { type: string; message: string };
    request_id: string;
  };
}

describe('fake Anthropic upstream: behaviours', () => {
  let upstream: FakeAnthropicUpstream;
  let client: Anthropic;

  before(async () => {
    upstream = await startFakeAnthropicUpstream({ keys: [TEST_KEY, 'sk-ant-other'] });
    client = sdkClient(upstream);
  });
  after(() => upstream.close());
  beforeEach(() => upstream.reset());

  describe('error statuses', () => {
    const cases: [string, ReturnType<typeof b.status>, number, string, RegExp][] = [
      [
        'promptTooLong',
        b.promptTooLong(200_000, 208_310),
        400,
        'invalid_request_error',
        /^prompt is too long: 208310 tokens > 200000 maximum$/,
      ],
      [
        'invalidRequest',
        b.invalidRequest('temperature: bad'),
        400,
        'invalid_request_error',
        /^temperature: bad$/,
      ],
      [
        'creditBalanceTooLow',
        b.creditBalanceTooLow(),
        400,
        'invalid_request_error',
        /credit balance is too low/,
      ],
      ['unauthorized', b.unauthorized(), 401, 'authentication_error', /^invalid x-api-key$/],
      ['forbidden', b.forbidden(), 403, 'permission_error', /does not have permission/],
      ['modelNotFound', b.modelNotFound('claude-9'), 404, 'not_found_error', /^model: claude-9$/],
      ['requestTooLarge', b.requestTooLarge(), 413, 'request_too_large', /maximum allowed number of bytes/],
      ['rateLimited', b.rateLimited(), 429, 'rate_limit_error', /exceed the rate limit/],
      ['serverError', b.serverError(), 500, 'api_error', /^Internal server error$/],
      ['overloaded', b.overloaded(), 529, 'overloaded_error', /^Overloaded$/],
      ['status(418)', b.status(418), 418, 'invalid_request_error', /status 418/],
    ];
    for (const [name, behaviour, status, type, message] of cases) {
      it(`${name}: ${status} ${type} in Anthropic's error shape`, async () => {
        upstream.when({}, behaviour);
        const response = await postAnthropic(upstream, messageRequest());
        assert.equal(response.status, status);
        assert.equal(response.headers.get('content-type'), 'application/json');
        const body = await errorBodyOf(response);
        assert.equal(body.type, 'error');
        assert.equal(body.error.type, type);
        assert.match(body.error.message, message);
        assert.equal(body.request_id, response.headers.get('request-id'));
        assert.equal(response.headers.get('anthropic-ratelimit-requests-limit'), null, 'no success window');
      });
    }

    it('the SDK maps them to its error classes (529: OverloadedError, 403: PermissionDeniedError)', async () => {
      upstream.when({}, b.overloaded(), { times: 1 });
      await assert.rejects(client.messages.create(messageRequest()), (error) => {
        assert.ok(error instanceof Anthropic.OverloadedError);
        assert.equal(error.status, 529);
        assert.equal(error.type, 'overloaded_error');
        return true;
      });
      upstream.when({}, b.forbidden(), { times: 1 });
      await assert.rejects(client.messages.create(messageRequest()), Anthropic.PermissionDeniedError);
      upstream.when({}, b.promptTooLong(), { times: 1 });
      await assert.rejects(client.messages.create(messageRequest()), (error) => {
        assert.ok(error instanceof Anthropic.BadRequestError);
        assert.match(error.message, /prompt is too long: \d+ tokens > 200000 maximum/);
        return true;
      });
    });

    it('sends a raw body (a proxy’s HTML page) when asked', async () => {
      upstream.when({}, { kind: 'status', status: 502, rawBody: '<html>Bad Gateway</html>' });
      const response = await postAnthropic(upstream, messageRequest());
      assert.equal(response.status, 502);
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(await response.text(), '<html>Bad Gateway</html>');
    });
  });

  describe('429 rate limits', () => {
    it('sends retry-after and each hinted window’s reset (RFC 3339) with remaining 0', async () => {
      const tokensReset = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
      upstream.when(
        {},
        b.rateLimited({
          retryAfter: 7,
          requestsReset: 30,
          tokensReset,
          inputTokensReset: 60,
          outputTokensReset: 90,
        }),
      );
      const before = Date.now();
      const response = await postAnthropic(upstream, messageRequest());
      assert.equal(response.status, 429);
      await response.arrayBuffer();
      assert.equal(response.headers.get('retry-after'), '7');
      assert.equal(response.headers.get('anthropic-ratelimit-tokens-reset'), '2030-01-02T03:04:05Z');
      for (const [window, seconds] of [
        ['requests', 30],
        ['input-tokens', 60],
        ['output-tokens', 90],
      ] as const) {
        const reset = response.headers.get(`anthropic-ratelimit-${window}-reset`) ?? '';
        assert.match(reset, RFC3339);
        const inSeconds = (Date.parse(reset) - before) / 1000;
        assert.ok(inSeconds >= seconds - 1 && inSeconds <= seconds + 2, `${window}: ${inSeconds}s`);
        assert.equal(response.headers.get(`anthropic-ratelimit-${window}-remaining`), '0');
        assert.match(response.headers.get(`anthropic-ratelimit-${window}-limit`) ?? '', /^\d+$/);
      }
    });

    it('can say nothing about when to come back, or only the reset header', async () => {
      upstream.when({}, b.rateLimited(), { times: 1 });
      const bare = await postAnthropic(upstream, messageRequest());
      await bare.arrayBuffer();
      assert.equal(bare.headers.get('retry-after'), null);
      assert.equal(bare.headers.get('anthropic-ratelimit-requests-reset'), null);

      upstream.when({}, b.rateLimited({ requestsReset: 5 }), { times: 1 });
      const resetOnly = await postAnthropic(upstream, messageRequest());
      await resetOnly.arrayBuffer();
      assert.equal(resetOnly.headers.get('retry-after'), null);
      assert.match(resetOnly.headers.get('anthropic-ratelimit-requests-reset') ?? '', RFC3339);
    });

    it('reaches the SDK as a RateLimitError carrying the headers', async () => {
      upstream.when({ key: TEST_KEY }, b.rateLimited({ retryAfter: 3 }));
      await assert.rejects(client.messages.create(messageRequest()), (error) => {
        assert.ok(error instanceof Anthropic.RateLimitError);
        assert.equal(error.headers?.get('retry-after'), '3');
        assert.equal(error.type, 'rate_limit_error');
        return true;
      });
      const other = await sdkClient(upstream, 'sk-ant-other').messages.create(messageRequest());
      assert.equal(other.type, 'message');
    });
  });

  describe('rules', () => {
    it('match on model, key and path, newest first, and expire after `times`', async () => {
      upstream.when({ path: '/messages/count_tokens' }, b.serverError());
      upstream.when({ model: 'claude-busy' }, b.overloaded(), { times: 1 });
      const busy = () => postAnthropic(upstream, { ...messageRequest(), model: 'claude-busy' });
      assert.equal((await busy()).status, 529);
      assert.equal((await busy()).status, 200);
      const counted = await postAnthropic(upstream, messageRequest(), { path: '/v1/messages/count_tokens' });
      assert.equal(counted.status, 500);
      assert.equal((await postAnthropic(upstream, messageRequest())).status, 200);
    });
  });

  describe('connection faults', () => {
    it('hang: no answer until the client gives up; the request is recorded as aborted', async () => {
      upstream.when({}, b.hang());
      const controller = new AbortController();
      const pending = postAnthropic(upstream, messageRequest(), { signal: controller.signal });
      assert.equal(await within(pending, 150), 'timeout');
      controller.abort();
      await assert.rejects(pending);
      await eventually(() => upstream.requests[0]?.aborted === true);
      assert.equal(upstream.requests[0]?.status, undefined);
    });

    it('resetConnection: the client sees ECONNRESET; the SDK an APIConnectionError', async () => {
      upstream.when({}, b.resetConnection());
      assert.equal(await fetchFailureCode(postAnthropic(upstream, messageRequest())), 'ECONNRESET');
      await assert.rejects(client.messages.create(messageRequest()), Anthropic.APIConnectionError);
    });

    it('downFor: refused while down, answering again once recovered', async () => {
      const { recovered } = await upstream.downFor(150);
      assert.equal(upstream.isUp, false);
      assert.equal(await fetchFailureCode(postAnthropic(upstream, messageRequest())), 'ECONNREFUSED');
      await recovered;
      assert.equal(upstream.isUp, true);
      const response = await postAnthropic(upstream, messageRequest());
      assert.equal(response.status, 200);
      await response.arrayBuffer();
    });
  });

  describe('stream faults', () => {
    it('slowFirstToken: message_start and the first block open at once, the first delta after the delay', async () => {
      upstream.when({}, b.slowFirstToken(300));
      const started = Date.now();
      const response = await postAnthropic(upstream, streamRequest());
      const reader = response.body!.getReader();
      const head = await readUntil(reader, (text) => text.includes('event: ping'));
      assert.ok(Date.now() - started < 250, 'opening frames arrive before the delay');
      assert.deepEqual(eventNames(parseSse(head)), ['message_start', 'content_block_start', 'ping']);
      const rest = await readUntil(reader, (text) => text.includes('message_stop'));
      assert.ok(Date.now() - started >= 290, 'the first delta waits');
      assert.match(rest, /^event: content_block_delta/);
    });

    it('slowFirstToken with pingIntervalMs: pings keep the connection warm while the model "thinks"', async () => {
      upstream.when({}, b.slowFirstToken(260, { pingIntervalMs: 50 }));
      const frames = await readSse(await postAnthropic(upstream, streamRequest()));
      const names = eventNames(frames);
      const firstDelta = names.indexOf('content_block_delta');
      const pings = names.slice(0, firstDelta).filter((name) => name === 'ping').length;
      assert.ok(pings >= 4, `${pings} pings before the first delta`);
      assert.equal(names.at(-1), 'message_stop');
    });

    it('slowFirstToken on a non-stream request: headers at once, the body after the delay', async () => {
      upstream.when({}, b.slowFirstToken(200));
      const started = Date.now();
      const response = await postAnthropic(upstream, messageRequest());
      assert.ok(Date.now() - started < 180);
      const body = (await response.json()) as { content: unknown[] };
      assert.ok(Date.now() - started >= 190);
      assert.equal(body.content.length, 1);
    });

    it('cutStream(n): n frames, then the connection drops without message_stop; the SDK fails', async () => {
      upstream.when({}, b.cutStream(3));
      const { text, failed } = await readAllowingFailure(await postAnthropic(upstream, streamRequest()));
      assert.ok(failed, 'the body ends with a transport error');
      assert.equal(frameCount(text), 3);
      assert.deepEqual(eventNames(parseSse(text)), ['message_start', 'content_block_start', 'ping']);
      await assert.rejects(client.messages.stream(messageRequest()).finalMessage());
    });

    it('cutStream never reaches the closing frames, however large n is', async () => {
      upstream.when({}, b.cutStream(1000, { chunks: 2 }));
      const { text } = await readAllowingFailure(await postAnthropic(upstream, streamRequest()));
      const names = eventNames(parseSse(text));
      assert.equal(names.at(-1), 'content_block_stop');
      assert.ok(!names.includes('message_delta'));
    });

    it('stallStream(n): n frames, then silence with the connection open', async () => {
      upstream.when({}, b.stallStream(4));
      const controller = new AbortController();
      const response = await postAnthropic(upstream, streamRequest(), { signal: controller.signal });
      const reader = response.body!.getReader();
      const text = await readUntil(reader, (received) => frameCount(received) >= 4);
      assert.equal(frameCount(text), 4);
      assert.equal(await within(reader.read(), 200), 'timeout');
      controller.abort();
    });

    it('stallStream with pingIntervalMs: pings go on, content never comes', async () => {
      upstream.when({}, b.stallStream(2, { pingIntervalMs: 40 }));
      const controller = new AbortController();
      const response = await postAnthropic(upstream, streamRequest(), { signal: controller.signal });
      const reader = response.body!.getReader();
      const text = await readUntil(reader, (received) => (received.match(/event: ping/g)?.length ?? 0) >= 3);
      const names = eventNames(parseSse(text));
      assert.deepEqual(names.slice(0, 2), ['message_start', 'content_block_start']);
      assert.ok(names.slice(2).every((name) => name === 'ping'));
      controller.abort();
      await eventually(() => upstream.requests[0]?.aborted === true);
    });

    it('malformedEvent(n): n frames, then a frame whose JSON is cut off; the SDK fails to parse it', async () => {
      upstream.when({}, b.malformedEvent(4));
      const frames = await readSse(await postAnthropic(upstream, streamRequest()));
      assert.equal(frames.length, 5);
      assert.equal(frames[4]!.event, 'content_block_delta');
      assert.throws(() => JSON.parse(frames[4]!.data));
      await assert.rejects(client.messages.stream(messageRequest()).finalMessage(), (error) => {
        assert.ok(error instanceof Anthropic.AnthropicError);
        assert.ok((error as Error).cause instanceof SyntaxError);
        return true;
      });
    });

    it('malformedEvent(n, "continue"): the stream goes on to message_stop', async () => {
      upstream.when({}, b.malformedEvent(2, 'continue'));
      const frames = await readSse(await postAnthropic(upstream, streamRequest()));
      assert.equal(frames.at(-1)!.event, 'message_stop');
      assert.throws(() => JSON.parse(frames[2]!.data));
    });

    it('errorEvent(n): n frames, an `event: error` overloaded_error frame, then the end without message_stop', async () => {
      upstream.when({}, b.errorEvent(4));
      const response = await postAnthropic(upstream, streamRequest());
      const text = await response.text();
      const frames = parseSse(text);
      assert.equal(frames.length, 5);
      assert.ok(
        text.endsWith(
          'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
        ),
      );
      assert.ok(!text.includes('message_stop'));

      upstream.when({}, b.errorEvent(4), { times: 1 });
      await assert.rejects(client.messages.stream(messageRequest()).finalMessage(), (error) => {
        assert.ok(error instanceof Anthropic.APIError);
        assert.equal(error.type, 'overloaded_error');
        return true;
      });
    });

    it('errorEvent with another error, and on a non-stream request: a 200 whose body is the error', async () => {
      upstream.when({}, b.errorEvent(1, { type: 'api_error', message: 'Internal server error' }));
      const streamed = parseSse(await (await postAnthropic(upstream, streamRequest())).text());
      assert.deepEqual(JSON.parse(streamed.at(-1)!.data), {
        type: 'error',
        error: { type: 'api_error', message: 'Internal server error' },
      });
      const whole = await postAnthropic(upstream, messageRequest());
      assert.equal(whole.status, 200);
      const body = await errorBodyOf(whole);
      assert.deepEqual(body.error, { type: 'api_error', message: 'Internal server error' });
    });

    it('noStop: a complete stream up to message_delta, without message_stop', async () => {
      upstream.when({}, b.noStop({ content: 'done' }));
      const frames = await readSse(await postAnthropic(upstream, streamRequest()));
      assert.equal(frames.at(-1)!.event, 'message_delta');
      assert.ok(!eventNames(frames).includes('message_stop'));
      // The SDK's finalMessage() needs message_stop; its events still carry the stop reason.
      await assert.rejects(
        client.messages.stream(messageRequest()).finalMessage(),
        /stream ended without producing a Message/,
      );
      const stream = await client.messages.create({ ...messageRequest(), stream: true });
      let stopReason: string | null | undefined;
      for await (const event of stream)
        if (event.type === 'message_delta') stopReason = event.delta.stop_reason;
      assert.equal(stopReason, 'end_turn');
    });

    it('non-stream faults: cutStream sends half the body, malformedEvent a truncated one', async () => {
      upstream.when({}, b.cutStream(1), { times: 1 });
      const cut = await readAllowingFailure(await postAnthropic(upstream, messageRequest()));
      assert.ok(cut.failed);
      assert.ok(cut.text.startsWith('{"id":"msg_'));
      upstream.when({}, b.malformedEvent(1), { times: 1 });
      const truncated = await postAnthropic(upstream, messageRequest());
      await assert.rejects(truncated.json(), SyntaxError);
    });
  });

  describe('timing', () => {
    it('delayMs holds the headers; chunkDelayMs spaces the frames', async () => {
      upstream.when({}, b.ok({ delayMs: 150 }), { times: 1 });
      let started = Date.now();
      const delayed = await postAnthropic(upstream, messageRequest());
      assert.ok(Date.now() - started >= 140);
      await delayed.arrayBuffer();

      upstream.when({}, b.ok({ chunkDelayMs: 20, chunks: 2 }), { times: 1 });
      started = Date.now();
      const frames = await readSse(await postAnthropic(upstream, streamRequest()));
      assert.ok(Date.now() - started >= (frames.length - 1) * 20 - 10);
    });
  });
});

describe('fake Anthropic upstream: close', () => {
  it('ends hanging requests and pinging stalls, and leaves no timer behind', async () => {
    const upstream = await startFakeAnthropicUpstream();
    upstream.when({ model: 'claude-hang' }, b.hang());
    upstream.when({ model: 'claude-stall' }, b.stallStream(2, { pingIntervalMs: 20 }));
    const hanging = fetchFailureCode(postAnthropic(upstream, { ...messageRequest(), model: 'claude-hang' }));
    const stalled = await postAnthropic(upstream, { ...streamRequest(), model: 'claude-stall' });
    const stalledBody = readAllowingFailure(stalled);
    await eventually(() => upstream.requests.length === 2);
    await upstream.close();
    assert.ok((await hanging) !== undefined);
    assert.equal((await stalledBody).failed, true);
    assert.equal(upstream.isUp, false);
  });
});
