import { Module } from '@nestjs/common';
import { ConfigSource } from '../../config/config-source';
import { DatabaseModule } from '../../database/database.module';
import { REQUEST_LOG_DATABASE } from '../../database/database.tokens';
import type { ManagedDataSource } from '../../database/managed-data-source';
import { LogRetentionService } from './log-retention.service';
import { RequestLogStore } from './request-log.store';
import { TypeOrmRequestLogStore } from './typeorm-request-log.store';

/**
 * The request log store: inject `RequestLogStore` (a `TypeOrmRequestLogStore` on the DataSource
 * `DatabaseModule` opened). `LogRetentionService` applies `logging.max_age_days` at start-up and daily.
 */
@Module({
  imports: [DatabaseModule],
  providers: [
    {
      provide: TypeOrmRequestLogStore,
      inject: [REQUEST_LOG_DATABASE, ConfigSource],
      useFactory: (database: ManagedDataSource, config: ConfigSource) =>
        new TypeOrmRequestLogStore(database, () => ({
          compressBodies: config.current.log_store.compress_bodies,
        })),
    },
    { provide: RequestLogStore, useExisting: TypeOrmRequestLogStore },
    LogRetentionService,
  ],
  exports: [RequestLogStore, TypeOrmRequestLogStore, LogRetentionService],
})
export class LogStoreModule {}
