import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigSource } from '../../config/config-source';
import { REQUEST_LOG_DATABASE } from '../../database/database.tokens';
import { ManagedDataSource } from '../../database/managed-data-source';
import { LogRetention } from './log-retention';
import { TypeOrmRequestLogStore } from './typeorm-request-log.store';
import { DAY_MS } from './stats-rollup';

/**
 * Runs `LogRetention` once the log database is open (at start-up, in the background so a large
 * first delete never delays readiness) and then once a day. The timer does not keep the process
 * alive and stops at shutdown. `max_age_days` is read at each run, so hot reload applies.
 */
@Injectable()
export class LogRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LogRetention');
  private readonly retention: LogRetention;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    store: TypeOrmRequestLogStore,
    config: ConfigSource,
    @Inject(REQUEST_LOG_DATABASE) private readonly database: ManagedDataSource,
  ) {
    this.retention = new LogRetention(store, () => config.current.logging.max_age_days);
  }

  onApplicationBootstrap(): void {
    void this.database.whenReady().then(() => {
      if (this.stopped) return;
      void this.runNow();
      this.timer = setInterval(() => void this.runNow(), DAY_MS);
      this.timer.unref();
    });
  }

  /** One retention pass now (skipped while one is running); errors are logged, never thrown. */
  runNow(): Promise<void> {
    this.running ??= this.retention
      .runOnce()
      .then((run) => {
        if (run && run.deleted > 0) {
          this.logger.log(
            `deleted ${run.deleted} log entries older than ${new Date(run.cutoff).toISOString()}`,
          );
        }
      })
      .catch((error: unknown) => {
        this.logger.error(`retention failed: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
