import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { stringify } from 'yaml';
import { ConfigModule } from '../../apps/relay/src/config/config.module';
import { DatabaseRegistry } from '../../apps/relay/src/database/database-registry';
import { LOG_MIGRATIONS_TABLE } from '../../apps/relay/src/logging/store/entities/log-table-names';
import { LogStoreModule } from '../../apps/relay/src/logging/store/log-store.module';
import { RequestLogStore } from '../../apps/relay/src/logging/store/request-log.store';
import { testPostgresUrl } from '../../apps/relay/src/logging/store/testing/log-store-fixtures';
import { makeLogRecords, seededRandom } from '../../apps/relay/src/logging/store/testing/log-record-factory';

async function onAdmin(sql: string): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: testPostgresUrl(), extra: { max: 1 } });
  await admin.initialize();
  try {
    await admin.query(sql);
  } finally {
    await admin.destroy();
  }
}

describe('DatabaseModule on PostgreSQL (DATABASE_URL)', () => {
  const name = `monorelay_m_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const dir = mkdtempSync(join(tmpdir(), 'monorelay-pgmodule-'));
  const url = new URL(testPostgresUrl());
  url.pathname = `/${name}`;

  before(() => onAdmin(`CREATE DATABASE "${name}"`));
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await onAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  async function start() {
    const configPath = join(dir, 'config.yml');
    writeFileSync(configPath, stringify({ server: { access_key: 'k' }, logging: { max_age_days: 30 } }));
    @Module({
      imports: [
        ConfigModule.forRoot({
          configPath,
          dataDir: join(dir, 'data'),
          env: { DATABASE_URL: url.toString() },
          watchConfig: false,
        }),
        LogStoreModule,
      ],
    })
    class TestRootModule {}
    return NestFactory.createApplicationContext(TestRootModule, { logger: false, abortOnError: false });
  }

  it('migrates the database once, even when two relays start together, and serves the store', async () => {
    const [first, second] = await Promise.all([start(), start()]);
    try {
      for (const app of [first, second])
        assert.deepEqual(app.get(DatabaseRegistry).checks(), { request_logs: 'ready', app_data: 'ready' });
      const store = first.get(RequestLogStore);
      await store.append(
        makeLogRecords(40, Date.now() - 60_000, Date.now(), { random: seededRandom(8), bodyBytes: 100 }),
      );
      const page = await second.get(RequestLogStore).list({ limit: 50 }, { userId: null });
      assert.equal(page.entries.length, 40);
      const migrations = (await new DataSource({ type: 'postgres', url: url.toString() })
        .initialize()
        .then(async (ds) => {
          try {
            return (await ds.query(`SELECT name FROM "${LOG_MIGRATIONS_TABLE}"`)) as unknown[];
          } finally {
            await ds.destroy();
          }
        })) as unknown[];
      assert.equal(migrations.length, 1);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
