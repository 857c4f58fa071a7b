/**
 * A worker thread of the request log store (see `LogWorkerThread`), with its own database
 * connection. The SQLite writer and the PostgreSQL writer compress bodies, sum rollups and run each
 * batch's transaction; the SQLite reader runs the admin API's SELECTs (better-sqlite3 is
 * synchronous). None of that work runs on the relay's event loop.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import {
  LOG_WRITER_CACHE_KIB,
  SQLITE_BUSY_TIMEOUT_MS,
  type SqliteHandle,
  prepareSqliteConnection,
  prepareSqliteReader,
} from '../../../database/sqlite-connection';
import { writeRowsOf } from '../log-append-batch';
import type {
  LogWorkerCommand,
  LogWorkerData,
  LogWorkerRequest,
  LogWorkerResponse,
} from './log-worker-protocol';
import { type PostgresQueryable, writePostgresRows } from './postgres-batch-writer';
import { SqliteBatchWriter } from './sqlite-batch-writer';
import { SqliteLogReader } from './sqlite-log-reader';

type SqliteConstructor = new (
  path: string,
  options: { timeout: number; readonly: boolean },
) => SqliteHandle & { close(): void };

interface PostgresClient extends PostgresQueryable {
  connect(): Promise<void>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): void;
}
type PostgresClientConstructor = new (config: {
  connectionString: string;
  application_name: string;
}) => PostgresClient;

interface Handler {
  run(command: Exclude<LogWorkerCommand, { op: 'close' }>): unknown;
  close(): Promise<void> | void;
}

const load = createRequire(__filename);
const data = workerData as LogWorkerData;

function sqliteHandler(path: string, readonly: boolean): Handler {
  const Database = load('better-sqlite3') as SqliteConstructor;
  const db = new Database(path, { timeout: SQLITE_BUSY_TIMEOUT_MS, readonly });
  if (readonly) prepareSqliteReader(db);
  else prepareSqliteConnection(db, LOG_WRITER_CACHE_KIB);
  const reader = new SqliteLogReader(db);
  const writer = readonly ? null : new SqliteBatchWriter(db);
  return {
    run(command) {
      if (command.op === 'query') return reader.query(command.sql, command.params, command.arrays);
      if (command.op === 'stats') return reader.stats(command.query, command.scope);
      if (!writer) throw new Error(`a reader thread cannot ${command.op}`);
      switch (command.op) {
        case 'write':
          return writer.write(writeRowsOf(command.batch));
        case 'execute':
          return writer.execute(command.sql, command.params);
        case 'removeUserRollups':
          writer.removeUserRollups(command.userId);
          return null;
        case 'optimize':
          writer.optimize();
          return null;
      }
    },
    close: () => db.close(),
  };
}

function postgresHandler(url: string, applicationName: string): Handler {
  const { Client } = load('pg') as { Client: PostgresClientConstructor };
  let client: Promise<PostgresClient> | null = null;
  // one connection, (re)opened on demand: a dropped connection fails the batch in flight only
  const connection = (): Promise<PostgresClient> =>
    (client ??= (async () => {
      const opened = new Client({ connectionString: url, application_name: applicationName });
      opened.on('error', () => (client = null));
      await opened.connect();
      return opened;
    })().catch((error: unknown) => {
      client = null;
      throw error;
    }));
  return {
    async run(command) {
      if (command.op !== 'write') throw new Error(`the PostgreSQL writer thread cannot ${command.op}`);
      return writePostgresRows(await connection(), writeRowsOf(command.batch));
    },
    async close() {
      if (client) await (await client.catch(() => null))?.end();
    },
  };
}

const handler =
  data.role === 'postgres-writer'
    ? postgresHandler(data.url, data.applicationName)
    : sqliteHandler(data.path, data.role === 'sqlite-reader');
const port = parentPort!;
// commands run one after the other, in the order they came, even the asynchronous ones
let previous: Promise<void> = Promise.resolve();

port.on('message', (request: LogWorkerRequest) => {
  previous = previous.then(async () => {
    if (request.op === 'close') {
      await handler.close();
      port.close();
      return;
    }
    let response: LogWorkerResponse;
    try {
      response = { id: request.id, ok: true, result: await handler.run(request) };
    } catch (error) {
      const failure = error as { message?: string; code?: unknown };
      response = {
        id: request.id,
        ok: false,
        message: failure.message ?? String(error),
        code: typeof failure.code === 'string' ? failure.code : null,
      };
    }
    port.postMessage(response);
  });
});
