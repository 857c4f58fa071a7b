// Errors from the built relay, as the official openai SDK sees them.
import { type FakeOpenAiUpstream, behaviours, startFakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI, { type APIError } from 'openai';
import { type RelayProcess, disposeRelay, fakeProvider, startRelayWithConfig } from './support/relay-process';

const MAX_BODY_BYTES = 4096;

/** Asserts `promise` rejects with an APIError of `type` and `status`; returns the error. */
async function apiError<E extends APIError>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => E,
  status: number,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    assert.equal(error.status, status, String(error));
    return error;
  }
  assert.fail(`expected ${type.name} ${status}, the request succeeded`);
}

function assertOpenAiErrorBody(body: unknown): { message: string; type: unknown; code: unknown } {
  assert.ok(
    body && typeof body === 'object' && 'error' in body,
    `OpenAI error shape: ${JSON.stringify(body)}`,
  );
  const error = (body as { error: { message: unknown; type: unknown; code: unknown } }).error;
  assert.equal(typeof error.message, 'string');
  assert.ok((error.message as string).length > 0);
  assert.ok('type' in error && 'code' in error, JSON.stringify(error));
  return error as { message: string; type: unknown; code: unknown };
}

describe('openai SDK: errors from the built relay', () => {
  let upstream: FakeOpenAiUpstream;
  let deadUpstream: FakeOpenAiUpstream;
  let relay: RelayProcess;
  let client: OpenAI;
  const chat = (model: string, content = 'hi') =>
    client.chat.completions.create({ model, messages: [{ role: 'user', content }] });

  before(async () => {
    upstream = await startFakeOpenAiUpstream();
    deadUpstream = await startFakeOpenAiUpstream();
    await deadUpstream.goDown();
    relay = await startRelayWithConfig({
      relay: { max_body_bytes: MAX_BODY_BYTES },
      providers: {
        fake: fakeProvider(upstream.baseUrl, { models: { include: ['gpt-4o-mini', 'gpt-4o'] } }),
        limited: fakeProvider(upstream.baseUrl, {
          keys: [
            { key: 'sk-limited-a', label: 'a' },
            { key: 'sk-limited-b', label: 'b' },
          ],
          models: { include: ['limited-model'] },
        }),
        hung: fakeProvider(upstream.baseUrl, { timeout: 1, models: { include: ['hung-model'] } }),
        down: fakeProvider(deadUpstream.baseUrl, { models: { include: ['down-model'] } }),
        revoked: fakeProvider(upstream.baseUrl, {
          keys: [{ key: 'sk-revoked', label: 'old' }],
          models: { include: ['revoked-model'] },
        }),
      },
    });
    client = relay.client();
  });

  after(async () => {
    await disposeRelay(relay);
    await upstream?.close();
    await deadUpstream?.close();
  });

  beforeEach(() => upstream.reset());

  it('a wrong access key is an AuthenticationError (401) and nothing goes upstream', async () => {
    const error = await apiError(
      relay.client({ apiKey: 'not-the-key' }).chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
      }),
      OpenAI.AuthenticationError,
      401,
    );
    assertOpenAiErrorBody({ error: error.error });
    assert.equal(upstream.requests.length, 0);
  });

  it('an unknown model is a NotFoundError (404) whose message lists the available models', async () => {
    const error = await apiError(chat('no-such-model'), OpenAI.NotFoundError, 404);
    assert.equal(error.code, 'model_not_found');
    assert.match(error.message, /no-such-model/);
    assert.match(error.message, /gpt-4o-mini/);
    assert.match(error.message, /limited-model/);
    assert.equal(upstream.requests.length, 0);
  });

  it('every key 429 with Retry-After: RateLimitError (429) carrying a retry-after header', async () => {
    upstream.when({ model: 'limited-model' }, behaviours.rateLimited({ retryAfter: 30 }));
    const error = await apiError(chat('limited-model'), OpenAI.RateLimitError, 429);
    const retryAfter = Number(error.headers?.get('retry-after'));
    assert.ok(
      Number.isInteger(retryAfter) && retryAfter >= 25 && retryAfter <= 30,
      `retry-after ${retryAfter}`,
    );
    assert.deepEqual(
      upstream.requests.map((request) => request.key).sort(),
      ['sk-limited-a', 'sk-limited-b'],
      'each key was tried once',
    );
    // Both keys now cool down: the next request is refused at once, without an upstream call.
    upstream.reset();
    const again = await apiError(chat('limited-model'), OpenAI.RateLimitError, 429);
    assert.ok(Number(again.headers?.get('retry-after')) >= 1);
    assert.equal(upstream.requests.length, 0);
  });

  it('upstream down and no fallback: 502', async () => {
    const error = await apiError(chat('down-model'), OpenAI.APIError, 502);
    assert.ok(error instanceof OpenAI.InternalServerError);
    assert.equal(error.headers?.get('x-monorelay-provider'), 'down');
    assertOpenAiErrorBody({ error: error.error });
  });

  it('a hung upstream with provider timeout 1 s: 504 after about a second', async () => {
    upstream.when({ model: 'hung-model' }, behaviours.hang());
    const started = Date.now();
    const error = await apiError(chat('hung-model'), OpenAI.APIError, 504);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 900 && elapsed < 4000, `took ${elapsed} ms`);
    assertOpenAiErrorBody({ error: error.error });
    assert.equal(upstream.requests.length, 1, 'a silent route is not retried');
  });

  it('every key revoked upstream (401): 502 naming the provider', async () => {
    upstream.when({ model: 'revoked-model' }, behaviours.unauthorized('sk-revoked'));
    const error = await apiError(chat('revoked-model'), OpenAI.InternalServerError, 502);
    assert.match(error.message, /revoked/);
  });

  it('/v1/files: 404 with code unsupported_endpoint', async () => {
    const error = await apiError(client.files.list(), OpenAI.NotFoundError, 404);
    assert.equal(error.code, 'unsupported_endpoint');
    const upload = await apiError(
      client.files.create({ file: await OpenAI.toFile(Buffer.from('{}'), 'a.jsonl'), purpose: 'batch' }),
      OpenAI.NotFoundError,
      404,
    );
    assert.equal(upload.code, 'unsupported_endpoint');
    assert.equal(upstream.requests.length, 0);
  });

  it('a malformed JSON body (raw fetch): 400, OpenAI-shaped', async () => {
    const response = await relay.fetch('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model": "gpt-4o-mini", "messages": [',
    });
    assert.equal(response.status, 400);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    const error = assertOpenAiErrorBody(await response.json());
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(upstream.requests.length, 0);
  });

  it('a body over relay.max_body_bytes: 413, OpenAI-shaped (raw fetch and SDK)', async () => {
    const big = 'x'.repeat(MAX_BODY_BYTES * 2);
    const response = await relay.fetch('/v1/chat/completions', {
      json: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: big }] },
    });
    assert.equal(response.status, 413);
    assertOpenAiErrorBody(await response.json());
    const error = await apiError(chat('gpt-4o-mini', big), OpenAI.APIError, 413);
    assertOpenAiErrorBody({ error: error.error });
    assert.equal(upstream.requests.length, 0);
    // A body under the limit still works.
    const small = await chat('gpt-4o-mini', 'x'.repeat(MAX_BODY_BYTES / 4));
    assert.match(small.choices[0]!.message.content ?? '', /^Echo: x+$/);
  });
});

describe('openai SDK: a client error from upstream is final', () => {
  let upstream: FakeOpenAiUpstream;
  let relay: RelayProcess;
  let client: OpenAI;

  before(async () => {
    upstream = await startFakeOpenAiUpstream();
    relay = await startRelayWithConfig({
      providers: {
        primary: fakeProvider(upstream.baseUrl, {
          keys: [
            { key: 'sk-primary-1', label: 'p1' },
            { key: 'sk-primary-2', label: 'p2' },
          ],
          retry: { enabled: true, max_retries: 2, backoff_factor: 0.1, backoff_max: 1 },
          models: { include: ['gpt-4o-mini'] },
        }),
        backup: fakeProvider(upstream.baseUrl, {
          keys: [{ key: 'sk-backup', label: 'b' }],
          models: { include: ['gpt-4o'] },
        }),
      },
      model_routing: { cascade: { enabled: true, models: ['gpt-4o'], max_retries: 2 } },
    });
    client = relay.client();
  });

  after(async () => {
    await disposeRelay(relay);
    await upstream?.close();
  });

  it('upstream 400 content policy: BadRequestError (400), exactly one upstream request', async () => {
    upstream.when({ model: 'gpt-4o-mini' }, behaviours.contentPolicyViolation());
    const error = await apiError(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'bad' }] }),
      OpenAI.BadRequestError,
      400,
    );
    assert.equal(error.code, 'content_policy_violation');
    assert.match(error.message, /safety system/);
    assert.equal(upstream.requests.length, 1, 'no retry, no other key, no cascade');
    assert.equal(error.headers?.get('x-monorelay-attempts'), '1');
  });

  it('the cascade still serves when the first target fails for a server error (control)', async () => {
    upstream.reset();
    upstream.when({ model: 'gpt-4o-mini' }, behaviours.serverError(500));
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'fallback' }],
    });
    assert.equal(completion.model, 'gpt-4o');
    assert.ok(upstream.requests.length > 1);
  });
});
