import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { APP_TABLES } from '../entities/app-table-names';
import { RELAY_KEY_USAGE_TABLE } from '../entities/relay-key-usage.entity';

/** Per-key usage totals per UTC day and month (relay key limits survive a restart). */
export class CreateRelayKeyUsage1764100000000 implements MigrationInterface {
  name = 'CreateRelayKeyUsage1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: RELAY_KEY_USAGE_TABLE,
        columns: [
          { name: 'key_id', type: 'varchar', isPrimary: true },
          { name: 'period', type: 'varchar', isPrimary: true },
          { name: 'period_start', type: 'bigint', isPrimary: true },
          { name: 'tokens', type: 'bigint', default: 0, isNullable: false },
          { name: 'cost_usd', type: 'double precision', default: 0, isNullable: false },
        ],
        foreignKeys: [
          {
            columnNames: ['key_id'],
            referencedTableName: APP_TABLES.relayKeys,
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        // start-up reads the current day and month of every key
        indices: [{ name: 'relay_key_usage_period', columnNames: ['period', 'period_start'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(RELAY_KEY_USAGE_TABLE);
  }
}
