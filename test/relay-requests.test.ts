import { behaviours, startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ACCESS_KEY, type RelayHarness, fakeProvider, readSse, startRelay } from './support/relay-harness';

describe('relay: authentication, bad input and the other endpoints', () => {
  let upstream: FakeOpenAiUpstream;
  let relay: RelayHarness;

  before(async () => {
    upstream = await startFakeOpenAiUpstream();
    relay = await startRelay({
      relay: { max_body_bytes: 2048 },
      providers: {
        fake: fakeProvider(upstream.baseUrl, {
          models: {
            include: [
              'gpt-4o-mini',
              'text-embedding-3-small',
              'whisper-1',
              'tts-1',
              'dall-e-3',
              'omni-moderation-latest',
              'small-*',
            ],
          },
          params: { temperature: 0.1 },
          system_prompt: 'Be brief.',
          headers: { 'HTTP-Referer': 'https://team.example', 'X-Title': 'Team relay' },
        }),
      },
      model_routing: { aliases: { speech: 'tts-1', ears: 'whisper-1' } },
      tool_calling: { auto_downgrade: true, unsupported_models: ['small-*'] },
    });
  });
  after(async () => {
    await relay.close();
    await upstream.close();
  });
  beforeEach(() => upstream.reset());

  const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] };
  const errorOf = async (response: Response) =>
    (
      (await response.json()) as {
        error: { message: string; type: string; code: string | null; param: string | null };
      }
    ).error;

  it('accepts the access key as Bearer, x-api-key and x-access-key; rejects others with an OpenAI 401', async () => {
    for (const headers of [{ 'x-api-key': ACCESS_KEY }, { 'x-access-key': ACCESS_KEY }]) {
      const response = await fetch(`${relay.url}/v1/models`, { headers });
      assert.equal(response.status, 200);
      await response.arrayBuffer();
    }
    for (const headers of [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: `Basic ${ACCESS_KEY}` },
      { authorization: 'Bearer ' },
    ]) {
      const response = await fetch(`${relay.url}/v1/chat/completions`, {
        method: 'POST',
        headers,
        body: JSON.stringify(chat),
      });
      assert.equal(response.status, 401, JSON.stringify(headers));
      assert.equal((await errorOf(response)).type, 'authentication_error');
    }
    assert.equal(upstream.requests.length, 0);
  });

  it('rejects malformed input with OpenAI-shaped 400s, and logs them', async () => {
    const cases: Array<[string, string, string | null]> = [
      ['{"model":', 'invalid_json', null],
      ['[1,2]', 'invalid_json', null],
      ['{"messages":[]}', 'missing_required_parameter', 'model'],
      ['{"model":"gpt-4o-mini","messages":"hi"}', 'missing_required_parameter', 'messages'],
      ['{"model":"gpt-4o-mini","messages":[],"stream":"yes"}', 'invalid_type', 'stream'],
      ['', 'missing_required_parameter', null],
    ];
    for (const [body, code, param] of cases) {
      const response = await relay.fetch('/v1/chat/completions', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(response.status, 400, body);
      const error = await errorOf(response);
      assert.equal(error.type, 'invalid_request_error');
      if (body !== '') assert.equal(error.code, code, body);
      assert.equal(error.param, param, body);
      const entry = await relay.entry((e) => e.requestId === response.headers.get('x-request-id'));
      assert.equal(entry.statusCode, 400);
    }
    assert.equal(upstream.requests.length, 0);
  });

  it('refuses a body over relay.max_body_bytes with 413', async () => {
    const big = { ...chat, messages: [{ role: 'user', content: 'x'.repeat(4096) }] };
    const response = await relay.fetch('/v1/chat/completions', { json: big });
    assert.equal(response.status, 413);
    assert.equal((await errorOf(response)).code, 'request_too_large');
  });

  it('answers an unknown model with 404 and the list of models', async () => {
    const response = await relay.fetch('/v1/chat/completions', { json: { ...chat, model: 'nope-9' } });
    assert.equal(response.status, 404);
    const error = await errorOf(response);
    assert.equal(error.code, 'model_not_found');
    assert.match(error.message, /gpt-4o-mini@fake/);
  });

  it('applies provider params and system prompt, and strips tools for unsupported models', async () => {
    const tools = [{ type: 'function', function: { name: 'f', parameters: {} } }];
    const response = await relay.fetch('/v1/chat/completions', {
      json: { ...chat, model: 'small-1', tools, tool_choice: 'auto', temperature: 0.9 },
    });
    assert.equal(response.status, 200);
    await response.arrayBuffer();
    const sent = upstream.requests[0].body!;
    assert.equal(sent.temperature, 0.1);
    assert.deepEqual((sent.messages as { role: string; content: string }[])[0], {
      role: 'system',
      content: 'Be brief.',
    });
    assert.equal(sent.tools, undefined);
    assert.equal(sent.tool_choice, undefined);
  });

  it('sends the provider headers and its key, never the client credential', async () => {
    const response = await relay.fetch('/v1/chat/completions', { json: chat });
    await response.arrayBuffer();
    const headers = upstream.requests[0].headers;
    assert.equal(headers['http-referer'], 'https://team.example');
    assert.equal(headers['x-title'], 'Team relay');
    assert.equal(headers.authorization, 'Bearer sk-test-1');
    assert.equal(JSON.stringify(headers).includes(ACCESS_KEY), false);
  });

  it('serves legacy completions, stream and not', async () => {
    const plain = await relay.fetch('/v1/completions', { json: { model: 'gpt-4o-mini', prompt: 'Say hi' } });
    assert.equal(plain.status, 200);
    assert.equal(((await plain.json()) as { object: string }).object, 'text_completion');
    const streamed = await relay.fetch('/v1/completions', {
      json: { model: 'gpt-4o-mini', prompt: 'Say hi', stream: true },
    });
    const { events, done } = await readSse(streamed);
    assert.equal(done, true);
    assert.ok(events.length > 1);
  });

  it('serves embeddings and logs their usage', async () => {
    const response = await relay.fetch('/v1/embeddings', {
      json: { model: 'text-embedding-3-small', input: 'abc' },
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { data: { embedding: number[] }[] };
    assert.ok(body.data[0].embedding.length > 0);
    const entry = await relay.entry((e) => e.requestId === response.headers.get('x-request-id'));
    assert.ok(entry.inputTokens > 0);
  });

  it('serves the Responses API, stream and not', async () => {
    const plain = await relay.fetch('/v1/responses', { json: { model: 'gpt-4o-mini', input: 'hello' } });
    assert.equal(plain.status, 200);
    assert.equal(((await plain.json()) as { object: string }).object, 'response');
    const streamed = await relay.fetch('/v1/responses', {
      json: { model: 'gpt-4o-mini', input: 'hello', stream: true },
    });
    const { raw } = await readSse(streamed);
    assert.match(raw, /event: response\.created/);
    assert.match(raw, /event: response\.completed/);
    const entry = await relay.entry((e) => e.requestId === streamed.headers.get('x-request-id'));
    assert.equal(entry.state, 'success');
    assert.ok(entry.outputTokens > 0);
  });

  it('serves moderations (default model) and image generation', async () => {
    const moderation = await relay.fetch('/v1/moderations', { json: { input: 'I will kill the process' } });
    assert.equal(moderation.status, 200);
    assert.equal(upstream.requests[0].body?.model, 'omni-moderation-latest');
    await moderation.arrayBuffer();
    const image = await relay.fetch('/v1/images/generations', {
      json: { model: 'dall-e-3', prompt: 'a cat' },
    });
    assert.equal(image.status, 200);
    await image.arrayBuffer();
  });

  it('forwards multipart audio unchanged, and re-encodes it when an alias renames the model', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(1234)], { type: 'audio/mpeg' }), 'a.mp3');
    form.append('model', 'ears');
    const response = await relay.fetch('/v1/audio/transcriptions', { method: 'POST', body: form });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { text: string };
    assert.match(body.text, /whisper-1/);
    assert.match(body.text, /1234/);
    assert.equal(upstream.requests[0].body?.model, 'whisper-1');
  });

  it('returns binary speech as it comes', async () => {
    const response = await relay.fetch('/v1/audio/speech', {
      json: { model: 'speech', input: 'hi', voice: 'alloy' },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'audio/mpeg');
    assert.ok((await response.arrayBuffer()).byteLength > 0);
  });

  it('lists models as model@provider plus aliases, and finds ids with slashes', async () => {
    const list = (await (await relay.fetch('/v1/models')).json()) as {
      object: string;
      data: { id: string }[];
    };
    assert.equal(list.object, 'list');
    const ids = list.data.map((m) => m.id);
    assert.ok(ids.includes('gpt-4o-mini@fake') && ids.includes('speech'));
    assert.equal(ids.includes('small-*@fake'), false, 'globs are not models');
    const one = await relay.fetch('/v1/models/gpt-4o-mini@fake');
    assert.equal(((await one.json()) as { id: string }).id, 'gpt-4o-mini@fake');
    const missing = await relay.fetch('/v1/models/org/none@fake');
    assert.equal(missing.status, 404);
  });

  it('answers hosted-state routes and unknown routes with clear 404s', async () => {
    for (const path of [
      '/v1/files',
      '/v1/batches/b1',
      '/v1/assistants',
      '/v1/threads/t/runs',
      '/v1/fine_tuning/jobs',
      '/v1/vector_stores',
    ]) {
      const response = await relay.fetch(path);
      assert.equal(response.status, 404, path);
      assert.equal((await errorOf(response)).code, 'unsupported_endpoint', path);
    }
    const unknown = await relay.fetch('/v1/nothing-here');
    assert.equal(unknown.status, 404);
    assert.equal((await errorOf(unknown)).code, 'unknown_url');
  });

  it('pins a provider with model@provider', async () => {
    const response = await relay.fetch('/v1/chat/completions', {
      json: { ...chat, model: 'gpt-4o-mini@fake' },
    });
    assert.equal(response.status, 200);
    await response.arrayBuffer();
    assert.equal(upstream.requests[0].body?.model, 'gpt-4o-mini');
  });

  it('health endpoints answer without auth', async () => {
    const health = await fetch(`${relay.url}/healthz`);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${relay.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal(((await ready.json()) as { status: string }).status, 'ready');
  });

  it('a 400 from the upstream is not retried even with retries and a second key', async () => {
    upstream.when({}, behaviours.contentFiltered());
    const response = await relay.fetch('/v1/chat/completions', { json: chat });
    assert.equal(response.status, 400);
    assert.equal(upstream.requests.length, 1);
  });
});
