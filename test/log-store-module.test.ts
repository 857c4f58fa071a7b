import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { ConfigModule } from '../apps/relay/src/config/config.module';
import { DatabaseRegistry } from '../apps/relay/src/database/database-registry';
import { ManagedDataSource } from '../apps/relay/src/database/managed-data-source';
import { LOG_TABLES } from '../apps/relay/src/logging/store/entities/log-table-names';
import { LogRetentionService } from '../apps/relay/src/logging/store/log-retention.service';
import { LogStoreModule } from '../apps/relay/src/logging/store/log-store.module';
import { RequestLogStore } from '../apps/relay/src/logging/store/request-log.store';
import { REQUEST_LOG_SCHEMA } from '../apps/relay/src/logging/store/request-log.schema';
import { makeLogRecords, seededRandom } from '../apps/relay/src/logging/store/testing/log-record-factory';
import { TypeOrmRequestLogStore } from '../apps/relay/src/logging/store/typeorm-request-log.store';
import type { RuntimeOptions } from '../apps/relay/src/runtime-options';

const DAY_MS = 86_400_000;
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'monorelay-logmodule-'));
  dirs.push(dir);
  return dir;
}

async function startContext(dir: string, config: object, env: Record<string, string> = {}) {
  const configPath = join(dir, 'config.yml');
  writeFileSync(configPath, stringify({ server: { access_key: 'k' }, ...config }));
  const options: RuntimeOptions = { configPath, dataDir: join(dir, 'data'), env, watchConfig: false };
  @Module({ imports: [ConfigModule.forRoot(options), LogStoreModule] })
  class TestRootModule {}
  return NestFactory.createApplicationContext(TestRootModule, { logger: false, abortOnError: false });
}

/** Writes records straight into a SQLite file, as an earlier run of the relay would have. */
async function seedFile(path: string, count: number, from: number, to: number): Promise<void> {
  const database = new ManagedDataSource(REQUEST_LOG_SCHEMA, { dialect: 'sqlite', path }, quiet);
  await database.open();
  const store = new TypeOrmRequestLogStore(database, () => ({ compressBodies: true }));
  await store.append(makeLogRecords(count, from, to, { random: seededRandom(3), bodyBytes: 200 }));
  await database.close();
}

describe('LogStoreModule with DatabaseModule', () => {
  it('opens <dataDir>/requests.db for the default db_path, migrates it and serves RequestLogStore', async () => {
    const dir = tempDir();
    const app = await startContext(dir, { logging: { db_path: './data/requests.db', max_age_days: 0 } });
    try {
      assert.ok(existsSync(join(dir, 'data', 'requests.db')));
      assert.ok(existsSync(join(dir, 'data', 'users.db')), 'the app-data store beside it');
      const registry = app.get(DatabaseRegistry);
      assert.deepEqual(registry.checks(), { request_logs: 'ready', app_data: 'ready' });
      assert.equal(registry.isReady(), true);
      const store = app.get(RequestLogStore);
      assert.ok(store instanceof TypeOrmRequestLogStore);
      const records = makeLogRecords(30, Date.now() - 60_000, Date.now(), { random: seededRandom(1) });
      await store.append(records);
      assert.equal((await store.list({ limit: 50 }, { userId: null })).entries.length, 30);
    } finally {
      await app.close();
    }
  });

  it('applies max_age_days at start-up', async () => {
    const dir = tempDir();
    const path = join(dir, 'logs', 'custom.db');
    const now = Date.now();
    await seedFile(path, 200, now - 10 * DAY_MS, now);
    const app = await startContext(dir, { logging: { db_path: path, max_age_days: 3 } });
    try {
      const store = app.get(RequestLogStore);
      // the start-up pass runs in the background; a second call waits for it
      await app.get(LogRetentionService).runNow();
      const left = await store.list({ limit: 200 }, { userId: null });
      assert.ok(left.entries.length > 0 && left.entries.length < 200);
      assert.ok(left.entries.every((e) => e.timestamp >= now - 3 * DAY_MS - 60_000));
    } finally {
      await app.close();
    }
  });

  it('on shutdown runs beforeClose hooks (a last flush) and then closes the database', async () => {
    const dir = tempDir();
    const app = await startContext(dir, { logging: { max_age_days: 30 } });
    const store = app.get(RequestLogStore);
    const registry = app.get(DatabaseRegistry);
    const last = makeLogRecords(5, Date.now() - 1000, Date.now(), { random: seededRandom(2) });
    registry.beforeClose(() => store.append(last));
    await app.close();
    assert.deepEqual(registry.checks(), { request_logs: 'closed', app_data: 'closed' });
    assert.equal(store.isReady(), false);

    const reopened = new ManagedDataSource(
      REQUEST_LOG_SCHEMA,
      { dialect: 'sqlite', path: join(dir, 'data', 'requests.db') },
      quiet,
    );
    await reopened.open();
    const rows = (await reopened.dataSource.query(
      `SELECT COUNT(*) AS n FROM "${LOG_TABLES.logs}"`,
    )) as Array<{
      n: number;
    }>;
    assert.equal(Number(rows[0].n), 5);
    await reopened.close();
  });

  it('fails start-up when the SQLite file cannot be opened', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'not-a-dir'), '');
    await assert.rejects(startContext(dir, { logging: { db_path: join(dir, 'not-a-dir', 'requests.db') } }));
  });
});
