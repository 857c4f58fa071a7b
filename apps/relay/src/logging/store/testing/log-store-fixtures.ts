import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { DatabaseTarget } from '../../../database/database-target';
import { ManagedDataSource } from '../../../database/managed-data-source';
import { LOG_TABLES } from '../entities/log-table-names';
import { REQUEST_LOG_SCHEMA } from '../request-log.schema';
import { type LogStoreSettings, TypeOrmRequestLogStore } from '../typeorm-request-log.store';

/** A request log store on a throw-away database, for the store's tests. Not used by the relay. */
export interface LogStoreFixture {
  readonly name: string;
  readonly database: ManagedDataSource;
  readonly store: TypeOrmRequestLogStore;
  /** Settings the store reads at each append (tests flip `compressBodies`). */
  readonly settings: LogStoreSettings;
  /** Empties every table without going through the store. */
  reset(): Promise<void>;
  /** Rows in a table, counted directly. */
  count(table: string, where?: string): Promise<number>;
  /** Raw SQL on the store's database, bypassing the store. */
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

const quietLogger = { log: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };

async function openFixture(
  name: string,
  target: DatabaseTarget,
  cleanup: () => Promise<void>,
): Promise<LogStoreFixture> {
  const database = new ManagedDataSource(REQUEST_LOG_SCHEMA, target, quietLogger, {
    pool: { max: 4, connectTimeoutMs: 5000 },
  });
  await database.open();
  if (!database.isReady()) throw new Error(`${name}: ${database.lastError}`);
  const settings: LogStoreSettings = { compressBodies: false };
  const store = new TypeOrmRequestLogStore(database, () => settings);
  const query = async (sql: string): Promise<Array<Record<string, unknown>>> =>
    (await database.dataSource.query(sql)) as Array<Record<string, unknown>>;
  return {
    name,
    database,
    store,
    settings,
    async reset() {
      for (const table of [LOG_TABLES.bodies, LOG_TABLES.logs, LOG_TABLES.stats]) {
        await database.dataSource.query(`DELETE FROM "${table}"`);
      }
    },
    async count(table, where) {
      const rows = await query(`SELECT COUNT(*) AS "n" FROM "${table}"${where ? ` WHERE ${where}` : ''}`);
      return Number(rows[0].n);
    },
    query,
    async close() {
      await database.close();
      await cleanup();
    },
  };
}

/** A store on a fresh SQLite file in a temporary directory (removed on close). */
export async function openSqliteFixture(): Promise<LogStoreFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'monorelay-logs-'));
  return openFixture('SQLite', { dialect: 'sqlite', path: join(dir, 'requests.db') }, async () =>
    rmSync(dir, { recursive: true, force: true }),
  );
}

/** The PostgreSQL server the services tier uses (`MONORELAY_TEST_PG_URL` overrides). */
export function testPostgresUrl(): string {
  return process.env.MONORELAY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/**
 * A store on a freshly created PostgreSQL database (`monorelay_t_<pid>_<random>`, dropped on
 * close), so test runs never see each other's rows.
 */
export async function openPostgresFixture(adminUrl: string = testPostgresUrl()): Promise<LogStoreFixture> {
  const name = `monorelay_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await onAdminDatabase(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return openFixture('PostgreSQL', { dialect: 'postgres', url: url.toString() }, () =>
    onAdminDatabase(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  );
}

async function onAdminDatabase(adminUrl: string, sql: string): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: adminUrl, extra: { max: 1 } });
  await admin.initialize();
  try {
    await admin.query(sql);
  } finally {
    await admin.destroy();
  }
}
