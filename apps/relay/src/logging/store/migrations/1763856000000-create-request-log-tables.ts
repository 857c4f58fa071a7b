import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions';
import { FULL_BREAKDOWN_ONLY, LOG_INDEXES, LOG_TABLES } from '../entities/log-table-names';
import { FIRST_TOKEN_BIN_COLUMNS, LATENCY_BIN_COLUMNS } from '../latency-histogram';

/**
 * The request log tables: `request_logs`, `request_log_bodies`, `request_stats`. Written with the
 * QueryRunner Table API so the one migration serves SQLite and PostgreSQL (only the byte type
 * differs: BLOB vs bytea).
 */
export class CreateRequestLogTables1763856000000 implements MigrationInterface {
  name = 'CreateRequestLogTables1763856000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const bytes = queryRunner.connection.driver.options.type === 'postgres' ? 'bytea' : 'blob';

    await queryRunner.createTable(
      new Table({
        name: LOG_TABLES.logs,
        columns: [
          { name: 'id', type: 'varchar', isPrimary: true },
          required('request_id', 'varchar'),
          { name: 'timestamp', type: 'bigint' },
          required('endpoint', 'varchar'),
          required('method', 'varchar'),
          required('path', 'text'),
          { name: 'streaming', type: 'boolean' },
          required('state', 'varchar'),
          { name: 'status_code', type: 'integer' },
          required('principal', 'varchar'),
          nullable('user_id', 'varchar'),
          nullable('relay_key_id', 'varchar'),
          required('client_ip', 'varchar'),
          required('user_agent', 'text'),
          nullable('requested_model', 'varchar'),
          nullable('served_model', 'varchar'),
          nullable('provider', 'varchar'),
          nullable('key_label', 'varchar'),
          nullable('latency_ms', 'integer'),
          nullable('first_token_ms', 'integer'),
          { name: 'input_tokens', type: 'integer' },
          { name: 'output_tokens', type: 'integer' },
          { name: 'cache_read_tokens', type: 'integer' },
          { name: 'cache_write_tokens', type: 'integer' },
          { name: 'reasoning_tokens', type: 'integer' },
          nullable('cost_usd', 'double precision'),
          nullable('error_type', 'varchar'),
          nullable('error_code', 'varchar'),
          nullable('error_message', 'text'),
          nullable('error_details', 'text'),
          required('attempts', 'text'),
          required('route_steps', 'text'),
          nullable('request_preview', 'text'),
          nullable('response_preview', 'text'),
          { name: 'has_bodies', type: 'boolean' },
        ],
      }),
    );
    // Every list filter has an index ending in id, so "filter, newest first, LIMIT n" walks it in order.
    const logIndexes: Array<[string, string[]]> = [
      [LOG_INDEXES.timestamp, ['timestamp']],
      [LOG_INDEXES.userId, ['user_id', 'id']],
      [LOG_INDEXES.provider, ['provider', 'id']],
      [LOG_INDEXES.requestedModel, ['requested_model', 'id']],
      [LOG_INDEXES.servedModel, ['served_model', 'id']],
      [LOG_INDEXES.state, ['state', 'id']],
      [LOG_INDEXES.statusCode, ['status_code', 'id']],
    ];
    for (const [name, columnNames] of logIndexes) {
      await queryRunner.createIndex(LOG_TABLES.logs, new TableIndex({ name, columnNames }));
    }

    await queryRunner.createTable(
      new Table({
        name: LOG_TABLES.bodies,
        columns: [
          { name: 'log_id', type: 'varchar', isPrimary: true },
          required('encoding', 'varchar'),
          { name: 'truncated', type: 'boolean' },
          nullable('client_request', bytes),
          nullable('upstream_request', bytes),
          nullable('upstream_response', bytes),
          nullable('client_response', bytes),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: LOG_INDEXES.bodiesLog,
            columnNames: ['log_id'],
            referencedTableName: LOG_TABLES.logs,
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    const counter = (name: string, type = 'bigint'): TableColumnOptions => ({ name, type, default: 0 });
    await queryRunner.createTable(
      new Table({
        name: LOG_TABLES.stats,
        withoutRowid: true,
        columns: [
          { name: 'breakdown', type: 'varchar', isPrimary: true },
          { name: 'granularity', type: 'varchar', isPrimary: true },
          { name: 'bucket_start', type: 'bigint', isPrimary: true },
          { name: 'provider', type: 'varchar', isPrimary: true, default: "''" },
          { name: 'model', type: 'varchar', isPrimary: true, default: "''" },
          { name: 'key_label', type: 'varchar', isPrimary: true, default: "''" },
          { name: 'user_id', type: 'varchar', isPrimary: true, default: "''" },
          counter('requests'),
          counter('errors'),
          counter('input_tokens'),
          counter('output_tokens'),
          counter('cache_read_tokens'),
          counter('cache_write_tokens'),
          counter('reasoning_tokens'),
          counter('cost_usd', 'double precision'),
          counter('latency_ms_sum'),
          counter('first_token_ms_sum'),
          counter('generation_ms_sum'),
          counter('generation_output_tokens'),
          ...[...LATENCY_BIN_COLUMNS, ...FIRST_TOKEN_BIN_COLUMNS].map((name) => counter(name, 'integer')),
        ],
      }),
    );
    await queryRunner.createIndex(
      LOG_TABLES.stats,
      // a user's own statistics: their rows of the `full` breakdown only
      new TableIndex({
        name: LOG_INDEXES.statsUser,
        columnNames: ['user_id', 'granularity', 'bucket_start'],
        where: FULL_BREAKDOWN_ONLY,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(LOG_TABLES.stats);
    await queryRunner.dropTable(LOG_TABLES.bodies);
    await queryRunner.dropTable(LOG_TABLES.logs);
  }
}

function required(name: string, type: string): TableColumnOptions {
  return { name, type };
}

function nullable(name: string, type: string): TableColumnOptions {
  return { name, type, isNullable: true };
}
