/** Table and index names of the request log store, shared by the entities, the migrations and the SQL. */
export const LOG_TABLES = {
  logs: 'request_logs',
  bodies: 'request_log_bodies',
  stats: 'request_stats',
} as const;

/** TypeORM's bookkeeping table for this store's migrations (the app-data store keeps its own). */
export const LOG_MIGRATIONS_TABLE = 'request_log_migrations';

/** The condition of the partial index on a user's `full` rollups. */
export const FULL_BREAKDOWN_ONLY = `"breakdown" = 'full'`;

export const LOG_INDEXES = {
  timestamp: 'IDX_request_logs_timestamp',
  userId: 'IDX_request_logs_user_id',
  provider: 'IDX_request_logs_provider',
  requestedModel: 'IDX_request_logs_requested_model',
  servedModel: 'IDX_request_logs_served_model',
  state: 'IDX_request_logs_state',
  statusCode: 'IDX_request_logs_status_code',
  bodiesLog: 'FK_request_log_bodies_log',
  statsUser: 'IDX_request_stats_user',
} as const;
