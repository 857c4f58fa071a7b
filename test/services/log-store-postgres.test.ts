import { openPostgresFixture } from '../../apps/relay/src/logging/store/testing/log-store-fixtures';
import { describeRequestLogStoreContract } from '../../apps/relay/src/logging/store/testing/request-log-store.contract';

// Against the local PostgreSQL server (MONORELAY_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/test);
// every run creates its own database and drops it at the end.
describeRequestLogStoreContract('PostgreSQL', () => openPostgresFixture());
