import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI, { toFile } from 'openai';
import { behaviours } from './behaviours';
import { startFakeOpenAiUpstream } from './fake-openai-upstream';
import { TEST_KEY, chunksOf, postJson, readSse } from './spec-helpers';
import type { FakeOpenAiUpstream, RecordedFile } from './types';

describe('fake upstream: endpoints', () => {
  let upstream: FakeOpenAiUpstream;
  let client: OpenAI;
  before(async () => {
    upstream = await startFakeOpenAiUpstream({ keys: [TEST_KEY, 'sk-second'] });
    client = new OpenAI({ apiKey: TEST_KEY, baseURL: upstream.baseUrl, maxRetries: 0 });
  });
  after(() => upstream.close());
  beforeEach(() => upstream.reset());

  describe('authentication and errors', () => {
    it('401 for a wrong key, worded like OpenAI and masking the key', async () => {
      const response = await postJson(
        `${upstream.baseUrl}/chat/completions`,
        { model: 'm', messages: [] },
        'sk-wrong-key-123456',
      );
      assert.equal(response.status, 401);
      assert.deepEqual(await response.json(), {
        error: {
          message:
            'Incorrect API key provided: sk-************3456. You can find your API key at https://platform.openai.com/account/api-keys.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
      assert.equal(upstream.requests[0]!.key, 'sk-wrong-key-123456');
    });

    it('401 without a key; every configured key is accepted', async () => {
      const missing = await postJson(
        `${upstream.baseUrl}/chat/completions`,
        { model: 'm', messages: [] },
        null,
      );
      assert.equal(missing.status, 401);
      const body = (await missing.json()) as { error: { message: string; code: unknown } };
      assert.match(body.error.message, /^You didn't provide an API key/);
      assert.equal(body.error.code, null);
      const second = await postJson(
        `${upstream.baseUrl}/chat/completions`,
        { model: 'm', messages: [] },
        'sk-second',
      );
      assert.equal(second.status, 200);
      await second.arrayBuffer();
    });

    it('the official client sees AuthenticationError', async () => {
      const wrong = new OpenAI({ apiKey: 'sk-nope-nope-nope', baseURL: upstream.baseUrl, maxRetries: 0 });
      await assert.rejects(wrong.models.list(), OpenAI.AuthenticationError);
    });

    it('404 for an unknown path', async () => {
      const response = await postJson(`${upstream.baseUrl}/nope?x=1`, {});
      assert.equal(response.status, 404);
      assert.deepEqual(await response.json(), {
        error: {
          message: 'Invalid URL (POST /v1/nope)',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
      const wrongMethod = await fetch(`${upstream.baseUrl}/chat/completions`, {
        headers: { authorization: `Bearer ${TEST_KEY}` },
      });
      assert.equal(wrongMethod.status, 404);
      await wrongMethod.arrayBuffer();
      assert.equal(upstream.requests[0]!.query, 'x=1');
    });

    it('400 for a body that is not JSON', async () => {
      const response = await fetch(`${upstream.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
        body: '{"model": ',
      });
      assert.equal(response.status, 400);
      const body = (await response.json()) as { error: { message: string; type: string } };
      assert.match(body.error.message, /^We could not parse the JSON body of your request/);
      assert.equal(body.error.type, 'invalid_request_error');
    });
  });

  describe('POST /v1/completions', () => {
    it('answers a text_completion', async () => {
      const completion = await client.completions.create({
        model: 'gpt-3.5-turbo-instruct',
        prompt: 'Say hi',
      });
      assert.equal(completion.object, 'text_completion');
      assert.match(completion.id, /^cmpl-/);
      assert.deepEqual(completion.choices, [
        { text: 'Echo: Say hi', index: 0, logprobs: null, finish_reason: 'stop' },
      ]);
      assert.deepEqual(completion.usage, { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 });
    });

    it('streams text_completion chunks, with usage on request, then [DONE]', async () => {
      const response = await postJson(`${upstream.baseUrl}/completions`, {
        model: 'i',
        prompt: 'abc',
        stream: true,
        stream_options: { include_usage: true },
      });
      const { chunks, done } = chunksOf(await readSse(response));
      assert.ok(done);
      const texts = chunks
        .slice(0, -1)
        .map((chunk) => (chunk.choices as { text: string; finish_reason: unknown }[])[0]);
      assert.deepEqual(
        texts.map((choice) => choice!.text),
        ['Ec', 'ho', ': ', 'abc', ''],
      );
      assert.equal(texts.at(-1)!.finish_reason, 'stop');
      assert.ok(
        chunks.slice(0, -1).every((chunk) => chunk.usage === null && chunk.object === 'text_completion'),
      );
      assert.deepEqual(chunks.at(-1)!.choices, []);
      assert.deepEqual(chunks.at(-1)!.usage, { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 });
    });
  });

  describe('POST /v1/embeddings', () => {
    it('answers deterministic unit vectors as floats', async () => {
      const first = await client.embeddings.create({
        model: 'text-embedding-3-small',
        input: ['alpha', 'beta'],
        encoding_format: 'float',
      });
      assert.equal(first.object, 'list');
      assert.equal(first.model, 'text-embedding-3-small');
      assert.deepEqual(
        first.data.map((item) => [item.object, item.index, item.embedding.length]),
        [
          ['embedding', 0, 16],
          ['embedding', 1, 16],
        ],
      );
      const norm = Math.hypot(...first.data[0]!.embedding);
      assert.ok(Math.abs(norm - 1) < 1e-5);
      assert.notDeepEqual(first.data[0]!.embedding, first.data[1]!.embedding);
      assert.deepEqual(first.usage, { prompt_tokens: 3, total_tokens: 3 }); // ceil(5/4) + ceil(4/4)

      const again = await client.embeddings.create({
        model: 'x',
        input: 'alpha',
        encoding_format: 'float',
        dimensions: 16,
      });
      assert.deepEqual(again.data[0]!.embedding, first.data[0]!.embedding);
    });

    it('answers base64 little-endian float32 (the official client default) with `dimensions`', async () => {
      const response = await postJson(`${upstream.baseUrl}/embeddings`, {
        model: 'e',
        input: 'alpha',
        encoding_format: 'base64',
        dimensions: 8,
      });
      const body = (await response.json()) as { data: { embedding: string }[] };
      const bytes = Buffer.from(body.data[0]!.embedding, 'base64');
      assert.equal(bytes.length, 8 * 4);

      const viaClient = await client.embeddings.create({ model: 'e', input: 'alpha', dimensions: 8 });
      assert.equal(upstream.requests.at(-1)!.body?.encoding_format, 'base64');
      const floats = Array.from({ length: 8 }, (_, i) => bytes.readFloatLE(i * 4));
      assert.deepEqual(viaClient.data[0]!.embedding, floats);
    });

    it('400 without input', async () => {
      assert.equal((await postJson(`${upstream.baseUrl}/embeddings`, { model: 'e' })).status, 400);
    });
  });

  describe('POST /v1/moderations', () => {
    it('flags violent text only', async () => {
      const result = await client.moderations.create({
        model: 'omni-moderation-latest',
        input: ['I will kill it', 'tea?'],
      });
      assert.match(result.id, /^modr-/);
      assert.equal(result.model, 'omni-moderation-latest');
      assert.deepEqual(
        result.results.map((item) => [item.flagged, item.categories.violence, item.categories.hate]),
        [
          [true, true, false],
          [false, false, false],
        ],
      );
      assert.deepEqual(result.results[0]!.category_applied_input_types.violence, ['text']);
    });
  });

  describe('POST /v1/images/generations', () => {
    it('answers b64_json for gpt-image models and usable URLs for DALL·E', async () => {
      const b64 = await client.images.generate({ model: 'gpt-image-1', prompt: 'a cat', n: 2 });
      assert.equal(b64.data?.length, 2);
      assert.ok(Buffer.from(b64.data![0]!.b64_json!, 'base64').subarray(1, 4).equals(Buffer.from('PNG')));
      assert.ok(b64.usage);

      const urls = await client.images.generate({ model: 'dall-e-3', prompt: 'a dog' });
      const url = urls.data![0]!.url!;
      assert.ok(url.startsWith(`${upstream.origin}/fake-files/`));
      const image = await fetch(url);
      assert.equal(image.headers.get('content-type'), 'image/png');
      assert.equal(
        Buffer.from(await image.arrayBuffer())
          .subarray(1, 4)
          .toString(),
        'PNG',
      );
    });
  });

  describe('audio', () => {
    it('transcribes multipart uploads, recording fields and the file size', async () => {
      const transcription = await client.audio.transcriptions.create({
        model: 'whisper-1',
        file: await toFile(Buffer.alloc(1234, 7), 'clip.wav', { type: 'audio/wav' }),
        language: 'en',
      });
      assert.equal(transcription.text, 'Transcribed 1234 bytes of clip.wav with whisper-1');
      const body = upstream.requests[0]!.body!;
      assert.equal(body.model, 'whisper-1');
      assert.equal(body.language, 'en');
      assert.deepEqual(body.file as RecordedFile, {
        filename: 'clip.wav',
        mimeType: 'audio/wav',
        bytes: 1234,
      });
    });

    it('answers text/plain when response_format is text, and translates too', async () => {
      const form = new FormData();
      form.set('model', 'whisper-1');
      form.set('response_format', 'text');
      form.set('file', new Blob([new Uint8Array(50)]), 'a.mp3');
      const response = await fetch(`${upstream.baseUrl}/audio/translations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_KEY}` },
        body: form,
      });
      assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.equal(await response.text(), 'Translated 50 bytes of a.mp3 with whisper-1\n');
    });

    it('400 for a multipart call without a file, or with a JSON body', async () => {
      const form = new FormData();
      form.set('model', 'whisper-1');
      const noFile = await fetch(`${upstream.baseUrl}/audio/transcriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_KEY}` },
        body: form,
      });
      assert.equal(noFile.status, 400);
      assert.equal(((await noFile.json()) as { error: { param: string } }).error.param, 'file');
      const json = await postJson(`${upstream.baseUrl}/audio/transcriptions`, { model: 'whisper-1' });
      assert.equal(json.status, 400);
      await json.arrayBuffer();
    });

    it('speaks audio/mpeg bytes', async () => {
      const speech = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hello' });
      assert.equal(speech.headers.get('content-type'), 'audio/mpeg');
      const bytes = Buffer.from(await speech.arrayBuffer());
      assert.equal(bytes.length, 64 + 5 * 16);
      assert.equal(bytes[0], 0xff);
    });
  });

  describe('models', () => {
    it('lists and retrieves the models it serves', async () => {
      const page = await client.models.list();
      assert.ok(page.data.some((model) => model.id === 'gpt-4o-mini'));
      assert.deepEqual(page.data[0], {
        id: 'gpt-4o-mini',
        object: 'model',
        created: 1_700_000_000,
        owned_by: 'system',
      });
      const model = await client.models.retrieve('gpt-4o');
      assert.equal(model.id, 'gpt-4o');
      await assert.rejects(client.models.retrieve('nope'), OpenAI.NotFoundError);
    });

    it('serves the models it was told to', async () => {
      const custom = await startFakeOpenAiUpstream({ models: ['meta/llama-3', 'only-one'] });
      try {
        const response = await fetch(`${custom.baseUrl}/models`);
        const body = (await response.json()) as { data: { id: string }[] };
        assert.deepEqual(
          body.data.map((model) => model.id),
          ['meta/llama-3', 'only-one'],
        );
        assert.equal((await fetch(`${custom.baseUrl}/models/meta/llama-3`)).status, 200);
      } finally {
        await custom.close();
      }
    });
  });

  it('stream faults and delays apply to non-chat endpoints too', async () => {
    upstream.when({ path: '/embeddings' }, behaviours.malformedEvent(0));
    const response = await postJson(`${upstream.baseUrl}/embeddings`, { model: 'e', input: 'x' });
    assert.equal(response.status, 200);
    await assert.rejects(response.json(), SyntaxError);
  });
});
