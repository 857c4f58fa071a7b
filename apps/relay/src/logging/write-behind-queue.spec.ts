import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { WriteBehindQueue, type WriteBehindQueueOptions } from './write-behind-queue';

interface Item {
  n: number;
  body: string | null;
}

const item = (n: number): Item => ({ n, body: `body ${n}` });
const numbers = (batch: readonly Item[]): number[] => batch.map((i) => i.n);
const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(1);
  }
}

interface Deferred {
  resolve(): void;
  reject(error: unknown): void;
}

/** A writer whose writes the spec settles by hand (or at once, with `autoResolve`). */
class FakeWriter {
  readonly batches: number[][] = [];
  readonly shedFlags: boolean[][] = [];
  readonly open: Deferred[] = [];
  autoResolve = true;
  failNext = 0;
  inFlight = 0;
  maxInFlight = 0;

  readonly write = (batch: Item[]): Promise<void> => {
    this.batches.push(numbers(batch));
    this.shedFlags.push(batch.map((i) => i.body === null));
    if (this.failNext > 0) {
      this.failNext--;
      return Promise.reject(new Error('database is locked'));
    }
    if (this.autoResolve) return Promise.resolve();
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise<void>((resolve, reject) => {
      this.open.push({
        resolve: () => {
          this.inFlight--;
          resolve();
        },
        reject: (error) => {
          this.inFlight--;
          reject(error);
        },
      });
    });
  };

  get written(): number[] {
    return this.batches.flat();
  }
}

interface Harness {
  queue: WriteBehindQueue<Item>;
  writer: FakeWriter;
  errors: unknown[];
  settings: { intervalMs: number; batchSize: number; maxQueued: number; shedAbove: number };
}

function makeQueue(
  settings: Partial<Harness['settings']> = {},
  extra: Partial<WriteBehindQueueOptions<Item>> = {},
): Harness {
  const writer = new FakeWriter();
  const errors: unknown[] = [];
  const live = { intervalMs: 10_000, batchSize: 100, maxQueued: 1000, shedAbove: 500, ...settings };
  const queue = new WriteBehindQueue<Item>({
    write: writer.write,
    intervalMs: () => live.intervalMs,
    batchSize: () => live.batchSize,
    maxQueued: () => live.maxQueued,
    shedAbove: () => live.shedAbove,
    shed: (i) => ({ ...i, body: null }),
    onError: (error) => errors.push(error),
    retryBaseMs: 5,
    retryMaxMs: 20,
    drainTimeoutMs: 1000,
    ...extra,
  });
  return { queue, writer, errors, settings: live };
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

before(() => process.on('unhandledRejection', onUnhandled));
after(() => {
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(unhandled, [], 'no unhandled rejections');
});

describe('WriteBehindQueue: batching and ordering', () => {
  it('writes items in push order, in batches of at most batchSize', async () => {
    const { queue, writer } = makeQueue({ batchSize: 3, intervalMs: 5 });
    for (let n = 1; n <= 7; n++) queue.push(item(n));
    await until(() => writer.written.length === 7);
    assert.deepEqual(writer.batches, [[1, 2, 3], [4, 5, 6], [7]]);
    assert.deepEqual(queue.stats(), {
      queued: 0,
      written: 7,
      shed: 0,
      dropped: 0,
      failedWrites: 0,
      lastError: null,
    });
  });

  it('flushes a full batch on the next tick, never inside push', async () => {
    const { queue, writer } = makeQueue({ batchSize: 2 });
    queue.push(item(1));
    queue.push(item(2));
    assert.equal(writer.batches.length, 0, 'push must not write synchronously');
    await nextTick();
    assert.deepEqual(writer.batches, [[1, 2]]);
  });

  it('flushes a partial batch after intervalMs, not before', async () => {
    const { queue, writer } = makeQueue({ batchSize: 100, intervalMs: 200 });
    queue.push(item(1));
    queue.push(item(2));
    await nextTick();
    await sleep(5);
    assert.equal(writer.batches.length, 0);
    await until(() => writer.batches.length === 1);
    assert.deepEqual(writer.batches, [[1, 2]]);
  });

  it('oldest() is the first unwritten item, the batch in flight included', async () => {
    const { queue, writer } = makeQueue({ batchSize: 2, intervalMs: 1 });
    assert.equal(queue.oldest(), undefined);
    writer.autoResolve = false;
    for (let n = 1; n <= 3; n++) queue.push(item(n));
    await nextTick();
    assert.deepEqual(writer.batches, [[1, 2]]);
    assert.equal(queue.oldest()?.n, 1, 'still being written');
    writer.open.shift()!.resolve();
    await until(() => queue.oldest()?.n === 3);
    writer.open.shift()?.resolve();
    await until(() => writer.open.length > 0 || queue.oldest() === undefined);
    writer.open.shift()?.resolve();
    await until(() => queue.oldest() === undefined);
  });

  it('keeps one write in flight at a time; what arrives meanwhile follows in order', async () => {
    const { queue, writer } = makeQueue({ batchSize: 2, intervalMs: 1 });
    writer.autoResolve = false;
    for (let n = 1; n <= 5; n++) queue.push(item(n));
    await nextTick();
    assert.equal(writer.batches.length, 1);
    queue.push(item(6));
    await sleep(5);
    assert.equal(writer.batches.length, 1, 'no second write while the first is open');
    assert.equal(queue.stats().queued, 6, 'the batch in flight still counts as queued');
    while (writer.written.length < 6 || writer.open.length > 0) {
      writer.open.shift()?.resolve();
      await sleep(2);
    }
    assert.deepEqual(writer.batches, [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    assert.equal(writer.maxInFlight, 1);
    assert.equal(queue.stats().written, 6);
  });

  it('reads its limits on every use, so a config reload applies at once', async () => {
    const { queue, writer, settings } = makeQueue({ batchSize: 100 });
    queue.push(item(1));
    queue.push(item(2));
    await nextTick();
    assert.equal(writer.batches.length, 0);
    settings.batchSize = 3;
    queue.push(item(3));
    await nextTick();
    assert.deepEqual(writer.batches, [[1, 2, 3]]);
  });
});

describe('WriteBehindQueue: shedding and dropping', () => {
  it('sheds items pushed while more than shedAbove wait, and counts them', async () => {
    const { queue, writer } = makeQueue({ shedAbove: 2, intervalMs: 5 });
    for (let n = 1; n <= 5; n++) queue.push(item(n));
    assert.equal(queue.stats().shed, 3);
    await until(() => writer.written.length === 5);
    assert.deepEqual(writer.shedFlags, [[false, false, true, true, true]]);
  });

  it('drops the newest items once maxQueued wait, and counts them', async () => {
    const { queue, writer } = makeQueue({ maxQueued: 3, intervalMs: 5 });
    for (let n = 1; n <= 5; n++) queue.push(item(n));
    assert.deepEqual(queue.stats(), {
      queued: 3,
      written: 0,
      shed: 0,
      dropped: 2,
      failedWrites: 0,
      lastError: null,
    });
    await until(() => writer.written.length === 3);
    assert.deepEqual(writer.written, [1, 2, 3]);
  });

  it('a throwing shed function queues the item whole and is reported', async () => {
    const { queue, writer, errors } = makeQueue(
      { shedAbove: 0, intervalMs: 5 },
      {
        shed: () => {
          throw new Error('shed broke');
        },
      },
    );
    assert.doesNotThrow(() => queue.push(item(1)));
    await until(() => writer.written.length === 1);
    assert.equal((errors[0] as Error).message, 'shed broke');
  });
});

describe('WriteBehindQueue: failures', () => {
  it('retries a failed write with back-off, keeping order and counting failures', async () => {
    const { queue, writer, errors } = makeQueue({ batchSize: 2, intervalMs: 5 });
    writer.failNext = 2;
    for (let n = 1; n <= 3; n++) queue.push(item(n));
    await until(() => queue.stats().written === 3);
    assert.deepEqual(writer.batches, [[1, 2], [1, 2], [1, 2], [3]]);
    const stats = queue.stats();
    assert.equal(stats.failedWrites, 2);
    assert.equal(stats.lastError, 'database is locked');
    assert.equal(errors.length, 2);
  });

  it('waits out the back-off instead of writing each time a batch fills', async () => {
    const { queue, writer } = makeQueue({ batchSize: 1 }, { retryBaseMs: 300, retryMaxMs: 300 });
    writer.failNext = 1;
    queue.push(item(1));
    await nextTick();
    assert.equal(writer.batches.length, 1);
    for (let n = 2; n <= 4; n++) queue.push(item(n));
    await sleep(10);
    assert.equal(writer.batches.length, 1, 'no writes during the back-off');
    await until(() => queue.stats().written === 4);
    assert.deepEqual(writer.batches, [[1], [1], [2], [3], [4]]);
  });

  it('treats a write that throws synchronously as a failed write', async () => {
    let calls = 0;
    const { queue, errors } = makeQueue(
      { batchSize: 1 },
      {
        write: () => {
          calls++;
          if (calls === 1) throw new Error('sync boom');
          return Promise.resolve();
        },
      },
    );
    assert.doesNotThrow(() => queue.push(item(1)));
    await until(() => queue.stats().written === 1);
    assert.equal(queue.stats().failedWrites, 1);
    assert.equal((errors[0] as Error).message, 'sync boom');
  });

  it('survives an onError that throws', async () => {
    const { queue, writer } = makeQueue(
      { batchSize: 1 },
      {
        onError: () => {
          throw new Error('reporter broke');
        },
      },
    );
    writer.failNext = 1;
    queue.push(item(1));
    await until(() => queue.stats().written === 1);
    assert.equal(queue.stats().failedWrites, 1);
  });

  it('stays bounded during an outage: keeps the oldest maxQueued, counts the rest as dropped', async () => {
    const { queue, writer } = makeQueue({ batchSize: 2, maxQueued: 4, shedAbove: 2 });
    writer.failNext = Number.POSITIVE_INFINITY;
    for (let n = 1; n <= 10; n++) queue.push(item(n));
    await sleep(30);
    const stats = queue.stats();
    assert.equal(stats.queued, 4);
    assert.equal(stats.dropped, 6);
    assert.equal(stats.shed, 2);
    assert.ok(stats.failedWrites >= 2, 'kept retrying');
    writer.failNext = 0;
    await until(() => queue.stats().written === 4);
    assert.deepEqual([...new Set(writer.written)], [1, 2, 3, 4]);
  });
});

describe('WriteBehindQueue: drain', () => {
  it('writes everything queued, including what arrives during the drain', async () => {
    const { queue, writer } = makeQueue({ batchSize: 2 });
    writer.autoResolve = false;
    for (let n = 1; n <= 3; n++) queue.push(item(n));
    const drained = queue.drain();
    let done = false;
    void drained.then(() => (done = true));
    await nextTick();
    queue.push(item(4));
    queue.push(item(5));
    while (!done) {
      writer.open.shift()?.resolve();
      await sleep(1);
    }
    assert.deepEqual(writer.written, [1, 2, 3, 4, 5]);
    assert.equal(queue.stats().queued, 0);
    assert.equal(writer.maxInFlight, 1);
  });

  it('retries during the drain without waiting for the back-off timer that was armed', async () => {
    const { queue, writer } = makeQueue({ batchSize: 1 }, { retryBaseMs: 60_000, retryMaxMs: 60_000 });
    writer.failNext = 1;
    queue.push(item(1));
    await until(() => queue.stats().failedWrites === 1);
    const started = Date.now();
    await queue.drain();
    assert.ok(Date.now() - started < 1000);
    assert.deepEqual(queue.stats().written, 1);
  });

  it('closes the queue: later pushes are dropped and counted, and nothing more is written', async () => {
    const { queue, writer } = makeQueue({ intervalMs: 1 });
    queue.push(item(1));
    await queue.drain();
    queue.push(item(2));
    await sleep(10);
    assert.deepEqual(writer.written, [1]);
    assert.equal(queue.stats().dropped, 1);
    assert.equal(queue.drain(), queue.drain(), 'drain is idempotent');
  });

  it('gives up at its deadline and counts what is left as dropped', async () => {
    const { queue, writer } = makeQueue({ batchSize: 2 });
    writer.autoResolve = false;
    for (let n = 1; n <= 5; n++) queue.push(item(n));
    const started = Date.now();
    await queue.drain(30);
    assert.ok(Date.now() - started < 500);
    let stats = queue.stats();
    assert.equal(stats.dropped, 3, 'items not in flight are given up');
    assert.equal(stats.queued, 2, 'the batch in flight awaits its outcome');
    assert.match(stats.lastError ?? '', /drain timed out/);
    writer.open.shift()?.reject(new Error('too late'));
    await nextTick();
    stats = queue.stats();
    assert.equal(stats.queued, 0);
    assert.equal(stats.dropped, 5);
    assert.equal(writer.batches.length, 1, 'no retry after close');
  });

  it('keeps retrying failed writes until the deadline', async () => {
    const { queue, writer } = makeQueue({ batchSize: 10 });
    writer.failNext = Number.POSITIVE_INFINITY;
    queue.push(item(1));
    await queue.drain(50);
    const stats = queue.stats();
    assert.ok(stats.failedWrites >= 2, `retried (${stats.failedWrites} failures)`);
    assert.equal(stats.dropped, 1);
    assert.equal(stats.queued, 0);
  });

  it('resolves at once when nothing is queued', async () => {
    const { queue, writer } = makeQueue();
    await queue.drain();
    assert.equal(writer.batches.length, 0);
  });
});

describe('WriteBehindQueue: timers', () => {
  it('does not keep the process alive while items wait or a retry is pending', () => {
    const script = `
      const { WriteBehindQueue } = require(${JSON.stringify(require.resolve('./write-behind-queue'))});
      const options = (write) => ({
        write, intervalMs: () => 60000, batchSize: () => 1, maxQueued: () => 10, shedAbove: () => 10,
        shed: (i) => i, onError: () => {}, retryBaseMs: 60000,
      });
      new WriteBehindQueue(options(() => Promise.resolve())).push(1);
      new WriteBehindQueue({ ...options(() => Promise.resolve()), batchSize: () => 100 }).push(1);
      new WriteBehindQueue(options(() => Promise.reject(new Error('down')))).push(1);
    `;
    const result = spawnSync(process.execPath, ['-e', script], { timeout: 10_000, encoding: 'utf8' });
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0, 'exited on its own');
  });
});
