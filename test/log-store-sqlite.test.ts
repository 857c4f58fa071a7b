import { openSqliteFixture } from '../apps/relay/src/logging/store/testing/log-store-fixtures';
import { describeRequestLogStoreContract } from '../apps/relay/src/logging/store/testing/request-log-store.contract';

describeRequestLogStoreContract('SQLite', openSqliteFixture);
