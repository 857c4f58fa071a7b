import { behaviours, startFakeOpenAiUpstream, type FakeOpenAiUpstream } from '@monorelay/testing';
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ACCESS_KEY,
  type RelayProcess,
  disposeRelay,
  fakeProvider,
  startRelayWithConfig,
} from './support/relay-process';

/** The request log survives the process: SIGTERM in the middle of a burst loses no entry. */
describe('request log of the built relay', () => {
  let upstream: FakeOpenAiUpstream;
  let relay: RelayProcess | undefined;

  before(async () => {
    upstream = await startFakeOpenAiUpstream();
  });
  after(async () => {
    await disposeRelay(relay);
    await upstream.close();
  });

  it('SIGTERM mid-burst: every request that got an answer has its row, none is lost', async () => {
    upstream.when({}, behaviours.ok({ delayMs: 150 }));
    relay = await startRelayWithConfig({
      providers: { fake: fakeProvider(upstream.baseUrl, { models: { include: ['gpt-4o-mini'] } }) },
      // Large flush interval and batch: whatever is still queued at SIGTERM must be written by the drain.
      log_store: { flush_interval_ms: 60_000, flush_batch_size: 100_000 },
    });
    const url = relay.url;
    const answered: number[] = [];
    const burst = Array.from({ length: 300 }, (_, i) =>
      new Promise((resolve) => setTimeout(resolve, i * 2))
        .then(() =>
          fetch(`${url}/v1/chat/completions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${ACCESS_KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `n${i}` }] }),
          }),
        )
        .then(async (response) => {
          await response.arrayBuffer();
          answered.push(response.status);
        })
        .catch(() => undefined),
    );
    // SIGTERM once part of the burst is answered and the rest is still coming: waiting for a count
    // rather than a fixed time keeps the test meaningful on a slow or busy machine
    const deadline = Date.now() + 10_000;
    while (answered.length < 60 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    relay.signal('SIGTERM');
    await Promise.all(burst);
    const status = await relay.waitForExit(20_000);
    assert.deepEqual(status, { code: 0, signal: null });
    assert.ok(answered.length > 50, `the burst was under way (${answered.length} answered)`);

    const database = new Database(join(relay.workspace.dataDir, 'requests.db'), { readonly: true });
    try {
      const rows = database.prepare('SELECT status_code AS status FROM request_logs').all() as {
        status: number;
      }[];
      const counts = (list: number[]) =>
        JSON.stringify(
          list.reduce<Record<number, number>>((all, s) => ({ ...all, [s]: (all[s] ?? 0) + 1 }), {}),
        );
      assert.equal(
        rows.length,
        answered.length,
        `rows ${counts(rows.map((r) => r.status))} vs answers ${counts(answered)}`,
      );
      assert.deepEqual(rows.map((row) => row.status).sort(), [...answered].sort());
    } finally {
      database.close();
    }
  });
});
