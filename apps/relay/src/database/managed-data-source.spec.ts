import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REQUEST_LOG_SCHEMA } from '../logging/store/request-log.schema';
import { DatabaseUnavailableError, ManagedDataSource } from './managed-data-source';

function recordingLogger() {
  const lines: string[] = [];
  return {
    lines,
    log: (m: string) => lines.push(m),
    warn: (m: string) => lines.push(m),
    error: (m: string) => lines.push(m),
  };
}

describe('ManagedDataSource', () => {
  it('opens and migrates a SQLite file, then closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'monorelay-mds-'));
    try {
      const database = new ManagedDataSource(
        REQUEST_LOG_SCHEMA,
        { dialect: 'sqlite', path: join(dir, 'a', 'r.db') },
        recordingLogger(),
      );
      assert.equal(database.state, 'opening');
      await database.open();
      assert.equal(database.state, 'ready');
      const tables = (await database.dataSource.query(
        `SELECT name FROM sqlite_master WHERE type = 'table'`,
      )) as Array<{ name: string }>;
      assert.ok(tables.some((t) => t.name === 'request_logs'));
      const pragmas = database.dataSource.driver as unknown as {
        databaseConnection: { pragma(s: string, o: object): unknown };
      };
      assert.equal(pragmas.databaseConnection.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(pragmas.databaseConnection.pragma('foreign_keys', { simple: true }), 1);
      await database.close();
      assert.equal(database.state, 'closed');
      assert.throws(() => database.dataSource, DatabaseUnavailableError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails to open a SQLite path that cannot exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'monorelay-mds-'));
    try {
      writeFileSync(join(dir, 'file'), '');
      const database = new ManagedDataSource(
        REQUEST_LOG_SCHEMA,
        { dialect: 'sqlite', path: join(dir, 'file', 'r.db') },
        recordingLogger(),
      );
      await assert.rejects(database.open());
      assert.equal(database.state, 'unavailable');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps retrying an unreachable PostgreSQL in the background, and stops when closed', async () => {
    const logger = recordingLogger();
    const database = new ManagedDataSource(
      REQUEST_LOG_SCHEMA,
      { dialect: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' },
      logger,
      { retryDelayMs: 20, maxRetryDelayMs: 40, pool: { max: 1, connectTimeoutMs: 1000 } },
    );
    await database.open();
    assert.equal(database.state, 'unavailable');
    assert.equal(database.isReady(), false);
    assert.match(database.lastError ?? '', /ECONNREFUSED|connect/);
    assert.throws(() => database.dataSource, /request_logs' is unavailable/);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const attempts = logger.lines.filter((l) => l.includes('cannot open')).length;
    assert.ok(attempts >= 2, `retried (${attempts} attempts)`);
    await database.close();
    const afterClose = logger.lines.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(logger.lines.length, afterClose);
    assert.equal(database.state, 'closed');
  });
});
