import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { RelayConfig } from '../config/relay-config';
import { appDataDatabaseTarget, describeDatabaseTarget, requestLogDatabaseTarget } from './database-target';

function config(dbPath: string, url = ''): RelayConfig {
  return { logging: { db_path: dbPath }, database: { url } } as unknown as RelayConfig;
}

describe('database targets', () => {
  const dataDir = resolve('/srv/monorelay/state');
  const cwd = resolve('/work/here');

  it('puts the default db_path under the data directory', () => {
    for (const path of ['./data/requests.db', 'data/requests.db', '', '  ']) {
      assert.deepEqual(requestLogDatabaseTarget(config(path), dataDir, cwd), {
        dialect: 'sqlite',
        path: join(dataDir, 'requests.db'),
      });
    }
  });

  it('resolves any other relative path against the working directory; absolute and :memory: as given', () => {
    assert.equal(
      (requestLogDatabaseTarget(config('logs/r.db'), dataDir, cwd) as { path: string }).path,
      join(cwd, 'logs/r.db'),
    );
    assert.equal(
      (requestLogDatabaseTarget(config('/var/lib/r.db'), dataDir, cwd) as { path: string }).path,
      '/var/lib/r.db',
    );
    assert.equal(
      (requestLogDatabaseTarget(config(':memory:'), dataDir, cwd) as { path: string }).path,
      ':memory:',
    );
  });

  it('uses PostgreSQL for every store when database.url is set', () => {
    const url = 'postgresql://relay:secret@db:5432/monorelay';
    assert.deepEqual(requestLogDatabaseTarget(config('./data/requests.db', url), dataDir, cwd), {
      dialect: 'postgres',
      url,
    });
    assert.deepEqual(appDataDatabaseTarget(config('', url), dataDir), { dialect: 'postgres', url });
    assert.deepEqual(appDataDatabaseTarget(config(''), dataDir), {
      dialect: 'sqlite',
      path: join(dataDir, 'users.db'),
    });
    assert.throws(() => requestLogDatabaseTarget(config('', 'mysql://x'), dataDir, cwd), /postgres/);
  });

  it('never shows a password', () => {
    const text = describeDatabaseTarget({ dialect: 'postgres', url: 'postgres://relay:secret@db/monorelay' });
    assert.ok(!text.includes('secret'));
    assert.match(text, /relay:\*\*\*@db/);
  });
});
