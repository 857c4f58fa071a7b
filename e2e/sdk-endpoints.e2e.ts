// The other OpenAI endpoints through the built relay, with the official openai SDK.
import {
  type FakeOpenAiUpstream,
  type RecordedFile,
  behaviours,
  startFakeOpenAiUpstream,
} from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type OpenAI, toFile } from 'openai';
import { type RelayProcess, disposeRelay, fakeProvider, startRelayWithConfig } from './support/relay-process';

const MODELS = [
  'gpt-4o-mini',
  'gpt-3.5-turbo-instruct',
  'text-embedding-3-small',
  'omni-moderation-latest',
  'dall-e-3',
  'whisper-1',
  'tts-1',
];

describe('openai SDK: the other endpoints through the built relay', () => {
  let upstream: FakeOpenAiUpstream;
  let relay: RelayProcess;
  let client: OpenAI;

  before(async () => {
    upstream = await startFakeOpenAiUpstream({ keys: ['sk-e2e-1'] });
    relay = await startRelayWithConfig({
      providers: { fake: fakeProvider(upstream.baseUrl, { models: { include: MODELS } }) },
      model_routing: { aliases: { fast: 'gpt-4o-mini', embed: 'text-embedding-3-small' } },
    });
    client = relay.client();
  });

  after(async () => {
    await disposeRelay(relay);
    await upstream?.close();
  });

  beforeEach(() => upstream.reset());

  it('completions.create (legacy)', async () => {
    const { data, response } = await client.completions
      .create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say this is a test' })
      .withResponse();
    assert.equal(data.object, 'text_completion');
    assert.equal(data.choices[0]!.text, 'Echo: Say this is a test');
    assert.equal(data.model, 'gpt-3.5-turbo-instruct');
    assert.ok((data.usage?.total_tokens ?? 0) > 0);
    assert.equal(response.headers.get('x-monorelay-provider'), 'fake');
    assert.equal(upstream.requests[0]!.path, '/v1/completions');
  });

  it('completions.create stream', async () => {
    const stream = await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'stream legacy',
      stream: true,
    });
    let text = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.text ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(text, 'Echo: stream legacy');
    assert.equal(finish, 'stop');
  });

  it('embeddings.create: one vector per input, through an alias', async () => {
    const { data, response } = await client.embeddings
      .create({ model: 'embed', input: ['first text', 'second text'], encoding_format: 'float' })
      .withResponse();
    assert.equal(data.object, 'list');
    assert.equal(data.data.length, 2);
    assert.deepEqual(
      data.data.map((item) => item.index),
      [0, 1],
    );
    for (const item of data.data) {
      assert.ok(item.embedding.length > 0);
      const norm = Math.sqrt(item.embedding.reduce((sum, value) => sum + value * value, 0));
      assert.ok(Math.abs(norm - 1) < 1e-3, `unit vector, norm ${norm}`);
    }
    assert.notDeepEqual(data.data[0]!.embedding, data.data[1]!.embedding);
    assert.equal(data.model, 'text-embedding-3-small');
    assert.equal(response.headers.get('x-monorelay-model'), 'text-embedding-3-small');
    assert.equal(upstream.requests[0]!.body?.model, 'text-embedding-3-small');
  });

  it('embeddings.create with the SDK default (base64) encoding decodes to the same vectors', async () => {
    const asFloats = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'same text',
      encoding_format: 'float',
    });
    const asDefault = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'same text' });
    assert.equal(asDefault.data[0]!.embedding.length, asFloats.data[0]!.embedding.length);
    asDefault.data[0]!.embedding.forEach((value, i) =>
      assert.ok(Math.abs(value - asFloats.data[0]!.embedding[i]!) < 1e-6),
    );
  });

  it('responses.create non-stream: output_text, usage, served model', async () => {
    upstream.when({ path: '/v1/responses' }, behaviours.ok({ content: 'A response object' }), { times: 1 });
    const { data, response } = await client.responses
      .create({ model: 'gpt-4o-mini', input: 'respond please' })
      .withResponse();
    assert.equal(data.object, 'response');
    assert.equal(data.status, 'completed');
    assert.equal(data.output_text, 'A response object');
    assert.equal(data.model, 'gpt-4o-mini');
    assert.ok((data.usage?.total_tokens ?? 0) > 0);
    assert.equal(response.headers.get('x-monorelay-provider'), 'fake');
    assert.equal(upstream.requests[0]!.path, '/v1/responses');
  });

  it('responses.create stream: deltas assemble the text and the stream completes', async () => {
    upstream.when({ path: '/v1/responses' }, behaviours.ok({ content: 'streaming the responses API' }), {
      times: 1,
    });
    const stream = await client.responses.create({
      model: 'gpt-4o-mini',
      input: 'stream please',
      stream: true,
    });
    let text = '';
    const types: string[] = [];
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    assert.equal(text, 'streaming the responses API');
    assert.equal(types[0], 'response.created');
    assert.equal(types.at(-1), 'response.completed');
    assert.equal(completed?.output_text ?? textOf(completed), 'streaming the responses API');
    assert.ok((completed?.usage?.total_tokens ?? 0) > 0);
  });

  it('models.list(): model@provider ids and the aliases', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    for (const model of MODELS)
      assert.ok(ids.includes(`${model}@fake`), `${model}@fake in ${ids.join(', ')}`);
    assert.ok(ids.includes('fast'));
    assert.ok(ids.includes('embed'));
    assert.equal(ids.length, MODELS.length + 2);
  });

  it('models.retrieve("gpt-4o-mini@fake"), and 404 for an unknown id', async () => {
    const model = await client.models.retrieve('gpt-4o-mini@fake');
    assert.equal(model.id, 'gpt-4o-mini@fake');
    assert.equal(model.object, 'model');
    assert.equal(model.owned_by, 'fake');
    await assert.rejects(client.models.retrieve('no-such-model@fake'), (error: unknown) => {
      assert.ok(error instanceof Error && 'status' in error && error.status === 404, String(error));
      return true;
    });
  });

  it('moderations.create', async () => {
    const result = await client.moderations.create({
      model: 'omni-moderation-latest',
      input: ['a calm sentence', 'I will kill the process'],
    });
    assert.equal(result.results.length, 2);
    assert.equal(result.results[0]!.flagged, false);
    assert.equal(result.results[1]!.flagged, true);
    assert.equal(result.results[1]!.categories.violence, true);
    assert.equal(upstream.requests[0]!.path, '/v1/moderations');
  });

  it('images.generate (b64_json)', async () => {
    const result = await client.images.generate({
      model: 'dall-e-3',
      prompt: 'a tiny red pixel',
      response_format: 'b64_json',
      n: 2,
    });
    assert.equal(result.data?.length, 2);
    const png = Buffer.from(result.data![0]!.b64_json!, 'base64');
    assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
    assert.equal(result.data![0]!.revised_prompt, 'a tiny red pixel');
  });

  it('audio.transcriptions.create: a multipart upload reaches the upstream intact', async () => {
    const audio = Buffer.alloc(3200, 7);
    const { data, response } = await client.audio.transcriptions
      .create({ model: 'whisper-1', file: await toFile(audio, 'hello.wav', { type: 'audio/wav' }) })
      .withResponse();
    assert.equal(data.text, 'Transcribed 3200 bytes of hello.wav with whisper-1');
    assert.equal(response.headers.get('x-monorelay-provider'), 'fake');
    const sent = upstream.requests[0]!;
    assert.equal(sent.path, '/v1/audio/transcriptions');
    assert.match(sent.headers['content-type'] ?? '', /^multipart\/form-data; boundary=/);
    const file = sent.body?.file as RecordedFile;
    assert.equal(file.filename, 'hello.wav');
    assert.equal(file.bytes, 3200);
    assert.equal(sent.body?.model, 'whisper-1');
  });

  it('audio.transcriptions.create with response_format text', async () => {
    const text = await client.audio.transcriptions.create({
      model: 'whisper-1',
      file: await toFile(Buffer.alloc(100, 1), 'short.mp3', { type: 'audio/mpeg' }),
      response_format: 'text',
    });
    assert.equal(String(text).trim(), 'Transcribed 100 bytes of short.mp3 with whisper-1');
  });

  it('audio.speech.create: binary audio comes back byte for byte', async () => {
    const input = 'Hello there';
    const response = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'audio/mpeg');
    assert.equal(response.headers.get('x-monorelay-provider'), 'fake');
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.equal(bytes.length, 64 + input.length * 16);
    assert.deepEqual([...bytes.subarray(0, 4)], [0xff, 0xfb, 0x90, 0x64]);
  });
});

function textOf(response: OpenAI.Responses.Response | undefined): string {
  const texts: string[] = [];
  for (const item of response?.output ?? []) {
    if (item.type !== 'message') continue;
    for (const part of item.content) if (part.type === 'output_text') texts.push(part.text);
  }
  return texts.join('');
}
