import type { DatabaseDialect } from '../../../database/database-target';
import { PostgresRequestLogBodyEntity, SqliteRequestLogBodyEntity } from './request-log-body.entity';
import { RequestLogEntity } from './request-log.entity';
import { RequestStatsEntity } from './request-stats.entity';

export * from './log-table-names';
export * from './request-log-body.entity';
export * from './request-log.entity';
export * from './request-stats.entity';

/** The request log store's entities for one database kind. */
export function requestLogEntities(dialect: DatabaseDialect): Array<new () => object> {
  const bodies = dialect === 'postgres' ? PostgresRequestLogBodyEntity : SqliteRequestLogBodyEntity;
  return [RequestLogEntity, bodies, RequestStatsEntity];
}
