import type { StatsResult } from '@monorelay/contracts';
import type { DataSource, QueryRunner } from 'typeorm';
import { LOG_TABLES } from '../entities/log-table-names';
import type { LogAppendBatch } from '../log-append-batch';
import { assembleStats, buildStatsQuery } from '../log-stats-query';
import type { LogScope, LogStatsQuery } from '../request-log.store';
import {
  DELETE_USER_ROLLUPS_SQL,
  SELECT_USER_FULL_ROLLUPS_SQL,
  sharedRollupCorrections,
} from '../user-rollup-removal';
import type { LogDatabase } from './log-database';
import { LogWorkerThread } from './log-worker-thread';
import { insertMany } from './postgres-batch-writer';
import { STATS_COLUMN_COUNT, upsertRollupsSql } from './write-statements';

/**
 * PostgreSQL. Appends go to a writer thread with its own connection (it compresses the bodies, sums
 * the rollups, and serialises tens of thousands of parameters — none of it on the relay's event
 * loop); everything else runs on the TypeORM DataSource's pool, `?` placeholders numbered `$n`.
 */
export class PostgresLogDatabase implements LogDatabase {
  readonly dialect = 'postgres' as const;
  private readonly numbered = new Map<string, string>();
  private readonly writer: LogWorkerThread;

  constructor(
    private readonly dataSource: DataSource,
    url: string,
    applicationName: string,
  ) {
    this.writer = new LogWorkerThread({ role: 'postgres-writer', url, applicationName });
  }

  async query<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    return (await this.dataSource.query(this.toPostgres(sql), [...params])) as T[];
  }

  async stats(query: LogStatsQuery, scope: LogScope): Promise<StatsResult> {
    const { sql, params } = buildStatsQuery(query, scope);
    // node-postgres keeps the SELECT order in each row object
    const rows = (await this.query<Record<string, unknown>>(sql, params)).map((row) => Object.values(row));
    return assembleStats(query, rows);
  }

  async execute(sql: string, params: readonly unknown[]): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(this.toPostgres(sql), [...params], true);
      return result.affected ?? 0;
    } finally {
      await runner.release();
    }
  }

  async write(batch: LogAppendBatch): Promise<void> {
    await this.writer.run({ op: 'write', batch });
  }

  async removeUserRollups(userId: string): Promise<void> {
    await this.transaction(async (runner) => {
      // appends wait (their UPSERTs take ROW EXCLUSIVE); readers do not
      await runner.query(`LOCK TABLE "${LOG_TABLES.stats}" IN SHARE ROW EXCLUSIVE MODE`);
      const fullRows = (await runner.query(this.toPostgres(SELECT_USER_FULL_ROLLUPS_SQL), [userId])) as Array<
        Record<string, unknown>
      >;
      await insertMany(runner, sharedRollupCorrections(fullRows), STATS_COLUMN_COUNT, upsertRollupsSql);
      for (const sql of DELETE_USER_ROLLUPS_SQL) await runner.query(this.toPostgres(sql), [userId]);
    });
  }

  async optimize(): Promise<void> {
    // autovacuum keeps PostgreSQL's planner statistics current.
  }

  async close(): Promise<void> {
    await this.writer.close();
  }

  private async transaction(work: (runner: QueryRunner) => Promise<void>): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await work(runner);
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** `?` → `$1`, `$2`, … (the SQL here never has a literal question mark). */
  private toPostgres(sql: string): string {
    let numbered = this.numbered.get(sql);
    if (numbered === undefined) {
      let n = 0;
      numbered = sql.replace(/\?/g, () => `$${++n}`);
      if (this.numbered.size >= 500) this.numbered.clear();
      this.numbered.set(sql, numbered);
    }
    return numbered;
  }
}
