import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { LogWorkerThread } from '../apps/relay/src/logging/store/sql/log-worker-thread';
import {
  type LogStoreFixture,
  openSqliteFixture,
} from '../apps/relay/src/logging/store/testing/log-store-fixtures';

const fixtures: LogStoreFixture[] = [];
after(() => Promise.all(fixtures.map((fixture) => fixture.close())));

/** A fresh log database file with the request log's schema (the writer prepares its statements on it). */
async function newDatabasePath(): Promise<string> {
  const fixture = await openSqliteFixture();
  fixtures.push(fixture);
  return String(fixture.database.dataSource.options.database);
}

function writer(path: string, idleEndMs: number): LogWorkerThread {
  return new LogWorkerThread({ role: 'sqlite-writer', path }, { idleEndMs });
}

function reader(path: string, idleEndMs: number): LogWorkerThread {
  return new LogWorkerThread({ role: 'sqlite-reader', path }, { idleEndMs });
}

async function count(thread: LogWorkerThread): Promise<number> {
  const rows = (await thread.run({
    op: 'query',
    sql: 'SELECT count(*) AS n FROM t',
    params: [],
    arrays: false,
  })) as Array<{ n: number }>;
  return rows[0].n;
}

/** Resolves once `thread` runs no thread, or fails after `withinMs`. */
async function stopped(thread: LogWorkerThread, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (thread.threadId !== null) {
    if (Date.now() > deadline) throw new Error(`the thread still runs after ${withinMs} ms`);
    await sleep(10);
  }
}

describe('LogWorkerThread: idle threads end and start again', () => {
  it('ends an idle thread, and the next command runs on a new one with the data kept', async () => {
    const path = await newDatabasePath();
    const thread = writer(path, 100);
    try {
      await thread.run({ op: 'execute', sql: 'CREATE TABLE t (x INTEGER)', params: [] });
      await thread.run({ op: 'execute', sql: 'INSERT INTO t (x) VALUES (1)', params: [] });
      const first = thread.threadId;
      assert.notEqual(first, null);
      await stopped(thread, 2000);

      assert.equal(await thread.run({ op: 'execute', sql: 'INSERT INTO t (x) VALUES (2)', params: [] }), 1);
      const second = thread.threadId;
      assert.notEqual(second, null);
      assert.notEqual(second, first);

      const read = reader(path, 100);
      try {
        assert.equal(await count(read), 2);
      } finally {
        await read.close();
      }
    } finally {
      await thread.close();
    }
  });

  it('keeps a thread that gets work before its idle time is up', async () => {
    const path = await newDatabasePath();
    const thread = writer(path, 300);
    try {
      await thread.run({ op: 'execute', sql: 'CREATE TABLE t (x INTEGER)', params: [] });
      const first = thread.threadId;
      for (let i = 0; i < 6; i++) {
        await sleep(100);
        await thread.run({ op: 'execute', sql: 'INSERT INTO t (x) VALUES (?)', params: [i] });
      }
      assert.equal(thread.threadId, first);
    } finally {
      await thread.close();
    }
  });

  it('answers every command sent while an idle thread is ending', async () => {
    const path = await newDatabasePath();
    const setup = writer(path, 0);
    await setup.run({ op: 'execute', sql: 'CREATE TABLE t (x INTEGER)', params: [] });
    await setup.run({ op: 'execute', sql: 'INSERT INTO t (x) VALUES (1)', params: [] });
    await setup.close();

    const thread = reader(path, 30);
    try {
      for (let round = 0; round < 8; round++) {
        // around the moment the idle thread is told to end
        await sleep(25 + round * 2);
        const counts = await Promise.all(Array.from({ length: 5 }, () => count(thread)));
        assert.deepEqual(counts, [1, 1, 1, 1, 1]);
      }
    } finally {
      await thread.close();
    }
  });

  it('never ends the thread without idleEndMs', async () => {
    const thread = writer(await newDatabasePath(), 0);
    try {
      await thread.run({ op: 'execute', sql: 'CREATE TABLE t (x INTEGER)', params: [] });
      const first = thread.threadId;
      await sleep(300);
      assert.equal(thread.threadId, first);
    } finally {
      await thread.close();
    }
  });

  it('closes cleanly while an idle thread is still ending, and refuses work after', async () => {
    const thread = writer(await newDatabasePath(), 20);
    await thread.run({ op: 'execute', sql: 'CREATE TABLE t (x INTEGER)', params: [] });
    await sleep(20);
    await thread.close();
    assert.equal(thread.threadId, null);
    await assert.rejects(thread.run({ op: 'execute', sql: 'SELECT 1', params: [] }), /closed/);
  });
});
