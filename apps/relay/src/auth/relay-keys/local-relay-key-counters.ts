import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DatabaseRegistry } from '../../database/database-registry';
import { APP_DATA_DATABASE } from '../../database/database.tokens';
import { ManagedDataSource } from '../../database/managed-data-source';
import { AppDataService } from '../app-data.service';
import { APP_TABLES } from '../entities/app-table-names';
import { RELAY_KEY_USAGE_TABLE } from '../entities/relay-key-usage.entity';
import { RelayKeyCounters } from './relay-key-counters';
import { RequestWindow } from './request-window';
import { numberOrNull, placeholder } from './sql-dialect';
import { type UsagePeriod, utcDayStart, utcMonthStart } from './usage-periods';
import { type KeyUsage, type UsageDelta, UsageTally } from './usage-tally';

/** How often pending usage is written. */
export const USAGE_FLUSH_INTERVAL_MS = 2_000;
/** Rows per upsert statement. */
const CHUNK = 100;
/** Idle windows and past periods are dropped every this many flush ticks (~1 min). */
const SWEEP_EVERY_TICKS = 30;

interface UsageRow {
  key_id: string;
  period: UsagePeriod;
  period_start: unknown;
  tokens: unknown;
  cost_usd: unknown;
}

/**
 * Relay key counters in this process: an exact sliding window per key for requests per minute,
 * and day/month token and cost totals that are loaded from `relay_key_usage` at start and written
 * back every 2 s (and before the databases close) as additive upserts. Each write reads the new
 * totals back, so replicas sharing a PostgreSQL database see each other's usage within seconds;
 * request windows are per replica (a Redis implementation of {@link RelayKeyCounters} would share them).
 */
@Injectable()
export class LocalRelayKeyCounters extends RelayKeyCounters implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RelayKeyUsage');
  private readonly window = new RequestWindow();
  private readonly tally = new UsageTally();
  private loaded = false;
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;
  private flushing: Promise<void> | null = null;

  constructor(
    @Inject(APP_DATA_DATABASE) private readonly database: ManagedDataSource,
    private readonly data: AppDataService,
    registry: DatabaseRegistry,
  ) {
    super();
    registry.beforeClose(() => this.close());
  }

  async onModuleInit(): Promise<void> {
    this.timer = setInterval(() => void this.tick(), USAGE_FLUSH_INTERVAL_MS);
    this.timer.unref();
    if (this.database.isReady()) await this.load();
    else void this.database.whenReady().then(() => this.load());
  }

  onModuleDestroy(): void {
    this.stopTimer();
  }

  takeRequest(keyId: string, perMinute: number, now: number): number {
    return this.window.take(keyId, perMinute, now);
  }

  usage(keyId: string, now: number): KeyUsage {
    return this.tally.usage(keyId, now);
  }

  addUsage(keyId: string, tokens: number, costUsd: number, at: number): void {
    this.tally.add(keyId, tokens, costUsd, at);
  }

  /** Requests counted in the key's current minute window (for summaries). */
  requestsInWindow(keyId: string, now: number): number {
    return this.window.count(keyId, now);
  }

  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.write().finally(() => {
        this.flushing = null;
      });
    }
    return this.flushing;
  }

  private async tick(): Promise<void> {
    if (++this.ticks % SWEEP_EVERY_TICKS === 0) {
      const now = Date.now();
      this.window.sweep(now);
      this.tally.sweep(now);
    }
    await this.flush();
  }

  private async close(): Promise<void> {
    this.stopTimer();
    await this.flushing;
    await this.flush();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Today's and this month's totals of every key. */
  private async load(): Promise<void> {
    const now = Date.now();
    const dialect = this.database.dialect;
    try {
      const rows = (await this.database.dataSource.query(
        `SELECT key_id, period, period_start, tokens, cost_usd FROM ${RELAY_KEY_USAGE_TABLE} ` +
          `WHERE (period = 'day' AND period_start = ${placeholder(dialect, 1)}) ` +
          `OR (period = 'month' AND period_start = ${placeholder(dialect, 2)})`,
        [utcDayStart(now), utcMonthStart(now)],
      )) as UsageRow[];
      this.apply(rows, now);
      this.loaded = true;
    } catch (error) {
      this.logger.error(`could not load relay key usage: ${error instanceof Error ? error.message : error}`);
      // retried by the next flush tick
    }
  }

  private async write(): Promise<void> {
    if (!this.database.isReady()) return;
    if (!this.loaded) {
      await this.load();
      if (!this.loaded) return;
    }
    const deltas = this.tally.takePending();
    for (let offset = 0; offset < deltas.length; offset += CHUNK) {
      const chunk = deltas.slice(offset, offset + CHUNK);
      try {
        this.apply(await this.upsert(chunk), Date.now());
      } catch (error) {
        const kept = await this.writeOneByOne(chunk, error);
        if (kept.length > 0) {
          this.tally.restore([...kept, ...deltas.slice(offset + CHUNK)]);
          return;
        }
      }
    }
  }

  /**
   * A batch failed: write its rows one at a time. A row whose key no longer exists (its user was
   * deleted) is dropped; the rows left unwritten (the database is down) are returned.
   */
  private async writeOneByOne(chunk: UsageDelta[], cause: unknown): Promise<UsageDelta[]> {
    for (let index = 0; index < chunk.length; index++) {
      const delta = chunk[index];
      try {
        this.apply(await this.upsert([delta]), Date.now());
      } catch (error) {
        if (await this.keyExists(delta.keyId).catch(() => true)) {
          this.logger.error(`could not write relay key usage: ${describe(error ?? cause)}`);
          return chunk.slice(index);
        }
      }
    }
    return [];
  }

  private async keyExists(id: string): Promise<boolean> {
    const rows = (await this.database.dataSource.query(
      `SELECT 1 AS one FROM ${APP_TABLES.relayKeys} WHERE id = ${placeholder(this.database.dialect, 1)}`,
      [id],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Adds the deltas to their rows (creating them) and returns the new totals. */
  private async upsert(deltas: UsageDelta[]): Promise<UsageRow[]> {
    const dialect = this.database.dialect;
    const values: string[] = [];
    const parameters: unknown[] = [];
    for (const delta of deltas) {
      const n = parameters.length;
      values.push(`(${[1, 2, 3, 4, 5].map((i) => placeholder(dialect, n + i)).join(', ')})`);
      parameters.push(delta.keyId, delta.period, delta.start, delta.tokens, delta.costUsd);
    }
    const table = RELAY_KEY_USAGE_TABLE;
    // through the app-data write queue: on SQLite's single connection, a statement run while
    // another service's transaction is open would become part of it
    return this.data.write(
      async (manager) =>
        (await manager.query(
          `INSERT INTO ${table} (key_id, period, period_start, tokens, cost_usd) VALUES ${values.join(', ')} ` +
            `ON CONFLICT (key_id, period, period_start) DO UPDATE SET ` +
            `tokens = ${table}.tokens + excluded.tokens, cost_usd = ${table}.cost_usd + excluded.cost_usd ` +
            `RETURNING key_id, period, period_start, tokens, cost_usd`,
          parameters,
        )) as UsageRow[],
    );
  }

  private apply(rows: UsageRow[], now: number): void {
    for (const row of rows) {
      this.tally.setStored(
        row.key_id,
        row.period,
        numberOrNull(row.period_start) ?? 0,
        numberOrNull(row.tokens) ?? 0,
        numberOrNull(row.cost_usd) ?? 0,
        now,
      );
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
