import { behaviours, startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '@monorelay/testing';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type RelayHarness, readSse, startRelay } from './support/relay-harness';

/**
 * After the first byte reached the client, failover is over: an upstream failure becomes an
 * in-band error event, the stream never ends with [DONE], and the log marks the request failed.
 */
describe('relay: streams that fail after the first byte', () => {
  let upstream: FakeOpenAiUpstream;
  let relay: RelayHarness;

  before(async () => {
    upstream = await startFakeOpenAiUpstream();
  });
  // A fresh relay per test: the failed key of one test must not steer the next one.
  beforeEach(async () => {
    await relay?.close();
    upstream.reset();
    relay = await startRelay({
      providers: {
        primary: { base_url: upstream.baseUrl, keys: ['sk-a'], models: { include: ['m1'] }, timeout: 1 },
        backup: { base_url: upstream.baseUrl, keys: ['sk-backup'], models: { include: ['m2'] }, timeout: 1 },
      },
      model_routing: { cascade: { enabled: true, models: ['m2'], max_retries: 1 } },
    });
  });
  after(async () => {
    await relay.close();
    await upstream.close();
  });

  // Content arrives in its own chunks so the relay commits before the failure shows up.
  const slowly = { content: 'one two three four five six', chunks: 6, chunkDelayMs: 50 };
  const stream = () =>
    relay.fetch('/v1/chat/completions', {
      json: { model: 'm1', stream: true, messages: [{ role: 'user', content: 'hi' }] },
    });

  async function expectInBandFailure(code: RegExp): Promise<void> {
    const response = await stream();
    assert.equal(response.status, 200);
    const { events, done } = await readSse(response);
    assert.equal(done, false, 'never [DONE] after a failure');
    const last = JSON.parse(events.at(-1)!) as { error?: { code: string; message: string } };
    assert.ok(last.error, `the last event is an error event: ${events.at(-1)}`);
    assert.match(last.error.code, code);
    assert.ok(
      events.some((e) => e.includes('"content":"one')),
      'content before the failure was delivered',
    );
    const entry = await relay.entry((e) => e.requestId === response.headers.get('x-request-id'));
    assert.equal(entry.state, 'failed');
    assert.equal(entry.errorType, 'stream_interrupted');
    assert.equal(entry.attempts.at(-1)?.outcome, 'stream_failed');
    assert.equal(upstream.requests.length, 1, 'no failover after the first byte');
  }

  it('a cut stream ends with an error event and no [DONE]', async () => {
    upstream.when({ model: 'm1' }, behaviours.cutStream(3, slowly));
    await expectInBandFailure(/upstream_stream_interrupted/);
  });

  it('a stalled stream ends with an error event once the per-chunk timeout passes', async () => {
    upstream.when({ model: 'm1' }, behaviours.stallStream(3, slowly));
    const started = Date.now();
    await expectInBandFailure(/upstream_stream_interrupted/);
    assert.ok(Date.now() - started >= 950, 'waited for the provider timeout');
  });

  it('a malformed event ends the stream with an error event', async () => {
    upstream.when({ model: 'm1' }, behaviours.malformedEvent(3, 'continue', slowly));
    await expectInBandFailure(/malformed_upstream_event/);
  });

  it('an upstream error event is passed on as an error event, without [DONE]', async () => {
    upstream.when(
      { model: 'm1' },
      behaviours.errorEvent(3, { message: 'overloaded', code: 'server_overloaded' }, slowly),
    );
    await expectInBandFailure(/server_overloaded/);
  });

  it('a failure before the first content still fails over, invisibly to the client', async () => {
    upstream.when({ model: 'm1' }, behaviours.cutStream(1, slowly));
    const response = await stream();
    const { events, done } = await readSse(response);
    assert.equal(done, true);
    assert.equal(response.headers.get('x-monorelay-model'), 'm2');
    assert.equal(events.filter((e) => e.includes('"role":"assistant"')).length, 1);
    const entry = await relay.entry((e) => e.requestId === response.headers.get('x-request-id'));
    assert.equal(entry.state, 'success');
    assert.deepEqual(
      entry.attempts.map((a) => a.outcome),
      ['connection_error', 'success'],
      'the cut is the connection breaking',
    );
  });

  it('a 5xx on a stream request fails over to the cascade like a non-stream one', async () => {
    upstream.when({ model: 'm1' }, behaviours.serverError(503));
    const response = await stream();
    const { done } = await readSse(response);
    assert.equal(done, true);
    assert.equal(response.headers.get('x-monorelay-provider'), 'backup');
  });
});
