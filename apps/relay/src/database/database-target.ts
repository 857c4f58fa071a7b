import { normalize, resolve } from 'node:path';
import type { RelayConfig } from '../config/relay-config';

export type DatabaseDialect = 'sqlite' | 'postgres';

/** Where one store lives: a SQLite file (or `:memory:`), or a PostgreSQL database. */
export type DatabaseTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

/** MonoRelay's default `logging.db_path`; it means `<dataDir>/requests.db` so `--data-dir` moves it. */
export const DEFAULT_REQUEST_LOG_DB_PATH = './data/requests.db';

/**
 * The request log store: PostgreSQL when `database.url` is set, else the SQLite file
 * `logging.db_path`. That path, when it is the default (`./data/requests.db`) or empty, is
 * `<dataDir>/requests.db`; any other relative path is resolved against the process's working
 * directory; `:memory:` is an in-memory database (tests).
 */
export function requestLogDatabaseTarget(
  config: RelayConfig,
  dataDir: string,
  cwd: string = process.cwd(),
): DatabaseTarget {
  const url = postgresUrl(config.database.url);
  if (url !== null) return { dialect: 'postgres', url };
  return { dialect: 'sqlite', path: sqlitePath(config.logging.db_path, dataDir, cwd) };
}

/** The app-data store (users, keys): `<dataDir>/users.db`, or the same PostgreSQL database. */
export function appDataDatabaseTarget(config: RelayConfig, dataDir: string): DatabaseTarget {
  const url = postgresUrl(config.database.url);
  if (url !== null) return { dialect: 'postgres', url };
  return { dialect: 'sqlite', path: resolve(dataDir, 'users.db') };
}

function sqlitePath(configured: string, dataDir: string, cwd: string): string {
  const path = configured.trim();
  if (path === ':memory:') return path;
  if (path === '' || normalize(path) === normalize(DEFAULT_REQUEST_LOG_DB_PATH)) {
    return resolve(dataDir, 'requests.db');
  }
  return resolve(cwd, path);
}

/** `database.url` when it names PostgreSQL; null when empty (SQLite). Anything else is refused. */
function postgresUrl(configured: string): string | null {
  const url = configured.trim();
  if (url === '') return null;
  if (/^postgres(ql)?:\/\//i.test(url)) return url;
  throw new Error(`database.url must be a postgres:// or postgresql:// URL, or empty for SQLite`);
}

/** For logs: the file, or the URL with any password masked. */
export function describeDatabaseTarget(target: DatabaseTarget): string {
  if (target.dialect === 'sqlite') return `SQLite ${target.path}`;
  try {
    const url = new URL(target.url);
    if (url.password) url.password = '***';
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return 'PostgreSQL (unparsable URL)';
  }
}
