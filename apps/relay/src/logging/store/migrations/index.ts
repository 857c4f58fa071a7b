import { CreateRequestLogTables1763856000000 } from './1763856000000-create-request-log-tables';

/** The request log store's migrations, oldest first. */
export const REQUEST_LOG_MIGRATIONS = [CreateRequestLogTables1763856000000];
