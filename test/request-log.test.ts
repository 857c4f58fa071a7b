import type {
  LiveLogEvent,
  RequestLogBodies,
  RequestLogEntry,
  RequestLogPage,
  StatsResult,
} from '@monorelay/contracts';
import { behaviours, startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ConfigService } from '../apps/relay/src/config/config.service';
import { RequestLogService } from '../apps/relay/src/logging/request-log.service';
import { ACCESS_KEY, type RelayHarness, fakeProvider, startRelay } from './support/relay-harness';

/** Waits until the write-behind queue has written everything pushed so far. */
async function flushed(relay: RelayHarness): Promise<void> {
  const service = relay.app.get(RequestLogService);
  const deadline = Date.now() + 15_000;
  while (service.queueStats().queued > 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  assert.equal(service.queueStats().queued, 0, 'queue written');
}

/** Reads SSE frames from a streaming fetch until `done` says so (or the time runs out). */
async function readLive(
  response: Response,
  done: (events: Array<{ id: string; event: LiveLogEvent }>) => boolean,
  timeoutMs = 10_000,
): Promise<Array<{ id: string; event: LiveLogEvent }>> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: Array<{ id: string; event: LiveLogEvent }> = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  while (!done(events) && Date.now() < deadline) {
    const result = await Promise.race([
      reader.read(),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), Math.max(1, deadline - Date.now()))),
    ]);
    if (!result || result.done) break;
    buffer += decoder.decode(result.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (id && data) events.push({ id, event: JSON.parse(data) as LiveLogEvent });
    }
  }
  await reader.cancel();
  return events;
}

describe('request log: store, API, live stream', () => {
  let upstream: FakeOpenAiUpstream;
  let relay: RelayHarness;

  const configWith = (flushIntervalMs: number) => ({
    providers: {
      openai: fakeProvider(upstream.baseUrl, { models: { include: ['gpt-4o-mini', 'gpt-4o'] } }),
      other: fakeProvider(upstream.baseUrl, { models: { include: ['other-model'] } }),
    },
    logging: { content_preview_length: 40 },
    log_store: { flush_interval_ms: flushIntervalMs },
    // These tests read the log with the access key; by default it has no /api role.
    auth: { access_key_role: 'admin' },
  });

  before(async () => {
    upstream = await startFakeOpenAiUpstream();
    relay = await startRelay(configWith(20));
  });
  after(async () => {
    await relay.close();
    await upstream.close();
  });
  beforeEach(() => upstream.reset());

  const ask = (content: string, model = 'gpt-4o-mini', extra: object = {}) =>
    relay.fetch('/v1/chat/completions', { json: { model, messages: [{ role: 'user', content }], ...extra } });
  const list = async (query = ''): Promise<RequestLogPage> =>
    (await (await relay.fetch(`/api/logs${query}`)).json()) as RequestLogPage;

  it('stores every field of an exchange, with previews, cost and bodies, secrets redacted', async () => {
    const response = await ask(`What is a relay? My key is ${ACCESS_KEY}, do not log it.`, 'gpt-4o-mini', {
      stream: true,
    });
    await response.text();
    await flushed(relay);
    const requestId = response.headers.get('x-request-id');
    const page = await list();
    const entry = page.entries.find((e) => e.requestId === requestId)!;
    assert.ok(entry, 'listed');
    assert.equal(entry.state, 'success');
    assert.equal(entry.provider, 'openai');
    assert.equal(entry.requestedModel, 'gpt-4o-mini');
    assert.equal(entry.servedModel, 'gpt-4o-mini');
    assert.equal(entry.keyLabel, 'k1');
    assert.equal(entry.streaming, true);
    assert.equal(entry.clientIp, '127.0.0.1');
    assert.ok(entry.latencyMs !== null && entry.firstTokenMs !== null);
    assert.ok(entry.inputTokens > 0 && entry.outputTokens > 0);
    assert.ok(entry.costUsd !== null && entry.costUsd > 0, 'gpt-4o-mini has a built-in price');
    assert.equal(entry.requestPreview!.length <= 41, true, 'cut to content_preview_length');
    assert.match(entry.requestPreview!, /^What is a relay\?/);
    assert.match(entry.responsePreview!, /^Echo: What is a relay/);
    assert.equal(entry.attempts.length, 1);

    const one = (await (await relay.fetch(`/api/logs/${entry.id}`)).json()) as RequestLogEntry;
    assert.deepEqual(one, entry);
    const bodies = (await (await relay.fetch(`/api/logs/${entry.id}/bodies`)).json()) as RequestLogBodies;
    assert.ok(bodies.clientRequest?.includes('What is a relay?'));
    assert.equal(bodies.clientRequest?.includes(ACCESS_KEY), false, 'the access key is redacted');
    assert.ok(bodies.upstreamRequest?.includes('"include_usage":true'), 'what went upstream');
    assert.ok(bodies.upstreamResponse?.includes('data: [DONE]'));
    assert.ok(bodies.clientResponse?.includes('data: [DONE]'));
    assert.equal(
      bodies.clientResponse?.includes('"choices":[]'),
      false,
      'the client did not get the usage chunk',
    );
  });

  it('stores failures with their error fields and the upstream error body', async () => {
    upstream.when({}, behaviours.contentPolicyViolation());
    const response = await ask('something refused');
    assert.equal(response.status, 400);
    await response.arrayBuffer();
    await flushed(relay);
    const [entry] = (await list('?status=error&limit=20')).entries;
    assert.equal(entry.requestId, response.headers.get('x-request-id'));
    assert.equal(entry.errorType, 'client_error');
    assert.equal(entry.statusCode, 400);
    assert.match(entry.errorDetails ?? '', /content_policy_violation/);
    const bodies = (await (await relay.fetch(`/api/logs/${entry.id}/bodies`)).json()) as RequestLogBodies;
    assert.match(bodies.upstreamResponse ?? '', /safety system/);
  });

  it('filters by model, provider, status and text, and pages with a cursor without gaps', async () => {
    for (let i = 0; i < 7; i++)
      await (await ask(`needle-${i}`, i % 2 ? 'other-model' : 'gpt-4o')).arrayBuffer();
    await flushed(relay);
    const others = await list('?provider=other&limit=20');
    assert.ok(others.entries.length >= 3 && others.entries.every((e) => e.provider === 'other'));
    const byModel = await list('?model=gpt-4o&limit=20');
    assert.ok(byModel.entries.length >= 4 && byModel.entries.every((e) => e.requestedModel === 'gpt-4o'));
    const search = await list('?q=needle-3&limit=20');
    assert.deepEqual(
      search.entries.map((e) => e.requestPreview),
      ['needle-3'],
    );
    const seen: string[] = [];
    let cursor: string | null = '';
    do {
      const page = await list(`?limit=20${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(new Set(seen).size, seen.length, 'no duplicates across pages');
    assert.deepEqual([...seen].sort().reverse(), seen, 'newest first');
    const invalid = await relay.fetch('/api/logs?limit=33');
    assert.equal(invalid.status, 400);
  });

  it('shows running requests as in flight', async () => {
    upstream.when({}, behaviours.ok({ delayMs: 600 }));
    const pending = ask('slow one');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const page = await list();
    assert.equal(page.inFlight.length, 1);
    assert.equal(page.inFlight[0].state, 'pending');
    assert.equal(page.inFlight[0].requestPreview, null);
    await (await pending).arrayBuffer();
    assert.equal((await list()).inFlight.length, 0);
  });

  it('the live stream delivers every entry, started then finished, and resumes after Last-Event-ID', async () => {
    const live = await relay.fetch('/api/logs/stream');
    assert.equal(live.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(live.headers.get('x-accel-buffering'), 'no');
    const count = 25;
    const receiving = readLive(
      live,
      (events) => events.filter((e) => e.event.type === 'finished').length >= count,
    );
    await Promise.all(Array.from({ length: count }, (_, i) => ask(`live-${i}`).then((r) => r.arrayBuffer())));
    const events = await receiving;
    const finished = events
      .filter((e) => e.event.type === 'finished')
      .map((e) => (e.event as { entry: RequestLogEntry }).entry);
    const started = new Set(
      events
        .filter((e) => e.event.type === 'started')
        .map((e) => (e.event as { entry: RequestLogEntry }).entry.id),
    );
    assert.equal(finished.length, count);
    assert.equal(new Set(finished.map((e) => e.id)).size, count);
    for (const entry of finished) assert.ok(started.has(entry.id), 'started came first');

    const middle = events[Math.floor(events.length / 2)];
    const resumed = await relay.fetch('/api/logs/stream', { headers: { 'last-event-id': middle.id } });
    const replay = await readLive(
      resumed,
      (got) => got.length >= events.length - events.indexOf(middle) - 1,
      3000,
    );
    assert.deepEqual(
      replay.map((e) => e.id),
      events.slice(events.indexOf(middle) + 1).map((e) => e.id),
    );
  });

  it('a page read while an entry waits to be written resumes the stream before that entry', async () => {
    await flushed(relay);
    relay.writeConfig(configWith(3000));
    assert.ok(relay.app.get(ConfigService).reload().ok);
    try {
      const answer = await ask('finished but not written yet');
      await answer.arrayBuffer();
      const requestId = answer.headers.get('x-request-id');
      const page = await list();
      assert.ok(
        !page.entries.some((e) => e.requestId === requestId),
        'the entry is still in the write queue, not in the store',
      );
      const live = await relay.fetch('/api/logs/stream', { headers: { 'last-event-id': page.lastEventId } });
      const replay = await readLive(live, (got) =>
        got.some((e) => e.event.type === 'finished' && e.event.entry.requestId === requestId),
      );
      assert.ok(
        replay.some((e) => e.event.type === 'finished' && e.event.entry.requestId === requestId),
        'its finished event is replayed after the page',
      );
    } finally {
      relay.writeConfig(configWith(20));
      assert.ok(relay.app.get(ConfigService).reload().ok);
      await flushed(relay);
    }
  });

  it('serves statistics from rollups', async () => {
    await flushed(relay);
    const now = Date.now();
    const stats = (await (
      await relay.fetch(
        `/api/stats?from=${now - 3_600_000}&to=${now + 60_000}&bucket=minute&group_by=provider`,
      )
    ).json()) as StatsResult;
    const page = await list('?limit=200');
    assert.equal(stats.totals.requests, page.entries.length);
    assert.equal(stats.totals.errors, page.entries.filter((e) => e.state === 'failed').length);
    assert.ok(stats.totals.costUsd > 0);
    assert.ok(stats.totals.latencyP50Ms !== null);
    assert.deepEqual(stats.groups.map((g) => g.key).sort(), ['openai', 'other']);
    const bad = await relay.fetch(`/api/stats?from=${now}&to=${now - 1}`);
    assert.equal(bad.status, 400);
  });

  it('a burst of 5,000 requests leaves exactly 5,000 rows', async () => {
    await (await relay.fetch('/api/logs', { method: 'DELETE' })).arrayBuffer();
    const total = 5000;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        next++;
        await (await ask('burst')).arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: 40 }, worker));
    await flushed(relay);
    const now = Date.now();
    const stats = (await (
      await relay.fetch(`/api/stats?from=${now - 3_600_000}&to=${now + 60_000}&bucket=hour`)
    ).json()) as StatsResult;
    assert.equal(stats.totals.requests, total);
    let rows = 0;
    let cursor: string | null = '';
    do {
      const page = await list(`?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      rows += page.entries.length;
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(rows, total);
    const queue = relay.app.get(RequestLogService).queueStats();
    assert.equal(queue.dropped, 0);
  });

  it('clears the log and tells live viewers', async () => {
    const response = await relay.fetch('/api/logs', { method: 'DELETE' });
    assert.equal(response.status, 200);
    assert.equal((await list()).entries.length, 0);
  });

  it('refuses callers without credentials', async () => {
    const response = await fetch(`${relay.url}/api/logs`);
    assert.equal(response.status, 401);
    const body = (await response.json()) as { error: { type: string; code: string } };
    assert.equal(body.error.type, 'authentication_error');
    assert.equal(body.error.code, 'missing_credentials');
  });
});
