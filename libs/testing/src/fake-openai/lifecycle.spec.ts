import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { behaviours } from './behaviours';
import { startFakeOpenAiUpstream } from './fake-openai-upstream';
import { eventually, fetchFailureCode, frameCount, postJson, readUntil } from './spec-helpers';

const chat = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };

describe('fake upstream: lifecycle and recording', () => {
  it('binds 127.0.0.1 on a free port and exposes its URLs', async () => {
    const upstream = await startFakeOpenAiUpstream();
    try {
      assert.ok(upstream.port > 0);
      assert.equal(upstream.origin, `http://127.0.0.1:${upstream.port}`);
      assert.equal(upstream.baseUrl, `http://127.0.0.1:${upstream.port}/v1`);
      assert.ok(upstream.isUp);
    } finally {
      await upstream.close();
    }
  });

  it('goDown refuses connections; comeBack listens again on the same port', async () => {
    const upstream = await startFakeOpenAiUpstream();
    try {
      const port = upstream.port;
      assert.equal((await postJson(`${upstream.baseUrl}/chat/completions`, chat)).status, 200);
      await upstream.goDown();
      assert.equal(upstream.isUp, false);
      assert.equal(
        await fetchFailureCode(postJson(`${upstream.baseUrl}/chat/completions`, chat)),
        'ECONNREFUSED',
      );
      await upstream.comeBack();
      assert.equal(upstream.port, port);
      const response = await postJson(`${upstream.baseUrl}/chat/completions`, chat);
      assert.equal(response.status, 200);
      await response.arrayBuffer();
    } finally {
      await upstream.close();
    }
  });

  it('goDown drops requests in flight (not counted as client aborts)', async () => {
    const upstream = await startFakeOpenAiUpstream();
    try {
      upstream.when({}, behaviours.hang());
      const pending = fetchFailureCode(postJson(`${upstream.baseUrl}/chat/completions`, chat));
      await eventually(() => upstream.requests.length === 1 && upstream.requests[0]!.body !== undefined);
      await upstream.goDown();
      assert.ok((await pending) !== undefined);
      assert.equal(upstream.requests[0]!.aborted, false);
    } finally {
      await upstream.close();
    }
  });

  it('downFor refuses connections for a while, then recovers', async () => {
    const upstream = await startFakeOpenAiUpstream();
    try {
      const started = Date.now();
      const { recovered } = await upstream.downFor(200);
      assert.equal(
        await fetchFailureCode(postJson(`${upstream.baseUrl}/chat/completions`, chat)),
        'ECONNREFUSED',
      );
      await recovered;
      assert.ok(Date.now() - started >= 190);
      assert.ok(upstream.isUp);
      assert.equal((await postJson(`${upstream.baseUrl}/chat/completions`, chat)).status, 200);
    } finally {
      await upstream.close();
    }
  });

  it('close ends hung and stalled requests and pending recoveries at once', async () => {
    const upstream = await startFakeOpenAiUpstream();
    upstream.when({ model: 'hang' }, behaviours.hang());
    upstream.when({ model: 'stall' }, behaviours.stallStream(1));
    upstream.when({ model: 'slow' }, behaviours.ok({ chunkDelayMs: 60_000 }));
    const hung = fetchFailureCode(
      postJson(`${upstream.baseUrl}/chat/completions`, { ...chat, model: 'hang' }),
    );
    const stalled = await postJson(`${upstream.baseUrl}/chat/completions`, {
      ...chat,
      model: 'stall',
      stream: true,
    });
    const stalledReader = stalled.body!.getReader();
    await readUntil(stalledReader, (text) => frameCount(text) >= 1);
    const slow = await postJson(`${upstream.baseUrl}/chat/completions`, {
      ...chat,
      model: 'slow',
      stream: true,
    });
    await eventually(() => upstream.requests.length === 3);

    const started = Date.now();
    await upstream.close();
    assert.ok(Date.now() - started < 1000);
    assert.ok((await hung) !== undefined);
    await assert.rejects(readUntil(stalledReader, () => false));
    await assert.rejects(slow.text());
    assert.ok(upstream.requests.every((request) => !request.aborted));
    await assert.rejects(upstream.comeBack(), /closed/);
  });

  it('records method, path, query, lower-case headers, body, key, times and status', async () => {
    const upstream = await startFakeOpenAiUpstream();
    try {
      const before = Date.now();
      const response = await fetch(`${upstream.baseUrl}/chat/completions?api-version=1`, {
        method: 'POST',
        headers: {
          Authorization: 'Bearer sk-recorded',
          'Content-Type': 'application/json',
          'X-Custom': 'Yes',
        },
        body: JSON.stringify(chat),
      });
      await response.arrayBuffer();
      const [record] = upstream.requests;
      assert.equal(record!.id, 1);
      assert.equal(record!.method, 'POST');
      assert.equal(record!.path, '/v1/chat/completions');
      assert.equal(record!.query, 'api-version=1');
      assert.equal(record!.headers['x-custom'], 'Yes');
      assert.equal(record!.headers.authorization, 'Bearer sk-recorded');
      assert.equal(record!.key, 'sk-recorded');
      assert.deepEqual(record!.body, chat);
      assert.ok(record!.receivedAt >= before && record!.receivedAt <= Date.now());
      assert.equal(record!.status, 200);
      assert.equal(record!.aborted, false);
      assert.equal(record!.abortedAt, undefined);
    } finally {
      await upstream.close();
    }
  });

  it('records a client that leaves mid-stream as aborted', async () => {
    const upstream = await startFakeOpenAiUpstream({ defaultReply: { chunkDelayMs: 100 } });
    try {
      const controller = new AbortController();
      const response = await postJson(
        `${upstream.baseUrl}/chat/completions`,
        { ...chat, stream: true },
        'k',
        controller.signal,
      );
      await readUntil(response.body!.getReader(), (text) => frameCount(text) >= 1);
      controller.abort();
      await eventually(() => upstream.requests[0]!.aborted);
      assert.ok(upstream.requests[0]!.abortedAt! >= upstream.requests[0]!.receivedAt);
    } finally {
      await upstream.close();
    }
  });

  it('takes a default reply and can stop recording', async () => {
    const upstream = await startFakeOpenAiUpstream({
      defaultReply: { content: 'fixed' },
      recordRequests: false,
    });
    try {
      const response = await postJson(`${upstream.baseUrl}/chat/completions`, chat);
      const body = (await response.json()) as { choices: { message: { content: string } }[] };
      assert.equal(body.choices[0]!.message.content, 'fixed');
      assert.equal(upstream.requests.length, 0);
      // Rules inherit the default reply unless they say otherwise.
      upstream.when({}, behaviours.noDone());
      const streamed = await (
        await postJson(`${upstream.baseUrl}/chat/completions`, { ...chat, stream: true })
      ).text();
      const pieces = [...streamed.matchAll(/"content":"([^"]+)"/g)].map((match) => match[1]);
      assert.equal(pieces.join(''), 'fixed');
      assert.ok(!streamed.includes('[DONE]'));
    } finally {
      await upstream.close();
    }
  });
});
