import { CreateAppDataTables1764000000000 } from './1764000000000-create-app-data-tables';
import { CreateRelayKeyUsage1764100000000 } from './1764100000000-create-relay-key-usage';

/** The app-data store's migrations, oldest first. */
export const APP_DATA_MIGRATIONS = [CreateAppDataTables1764000000000, CreateRelayKeyUsage1764100000000];
