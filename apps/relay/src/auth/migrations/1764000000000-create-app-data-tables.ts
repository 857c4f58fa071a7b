import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions';
import { APP_TABLES } from '../entities/app-table-names';

/** Users, their SSO identities, console sessions, relay keys and invites (SQLite and PostgreSQL). */
export class CreateAppDataTables1764000000000 implements MigrationInterface {
  name = 'CreateAppDataTables1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: APP_TABLES.users,
        columns: [
          id(),
          required('username', 'varchar'),
          required('username_key', 'varchar'),
          { name: 'display_name', type: 'varchar', default: "''" },
          nullable('email', 'varchar'),
          required('role', 'varchar'),
          { name: 'disabled', type: 'boolean', default: false },
          nullable('password_hash', 'text'),
          { name: 'sessions_valid_after', type: 'bigint', default: 0 },
          required('created_at', 'bigint'),
          nullable('last_login_at', 'bigint'),
        ],
        indices: [{ name: 'users_username_key', columnNames: ['username_key'], isUnique: true }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: APP_TABLES.identities,
        columns: [
          id(),
          required('user_id', 'varchar'),
          required('provider', 'varchar'),
          required('subject', 'varchar'),
          required('username', 'varchar'),
          nullable('email', 'varchar'),
          required('created_at', 'bigint'),
          nullable('last_login_at', 'bigint'),
        ],
        foreignKeys: [userForeignKey()],
        indices: [
          { name: 'user_identities_subject', columnNames: ['provider', 'subject'], isUnique: true },
          { name: 'user_identities_user', columnNames: ['user_id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: APP_TABLES.sessions,
        columns: [
          id(),
          required('user_id', 'varchar'),
          required('refresh_hash', 'varchar'),
          required('created_at', 'bigint'),
          required('expires_at', 'bigint'),
          required('last_used_at', 'bigint'),
          nullable('revoked_at', 'bigint'),
          { name: 'user_agent', type: 'text', default: "''" },
          { name: 'ip', type: 'varchar', default: "''" },
        ],
        foreignKeys: [userForeignKey()],
        indices: [
          { name: 'user_sessions_refresh', columnNames: ['refresh_hash'], isUnique: true },
          { name: 'user_sessions_user', columnNames: ['user_id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: APP_TABLES.relayKeys,
        columns: [
          id(),
          required('user_id', 'varchar'),
          required('name', 'varchar'),
          required('prefix', 'varchar'),
          required('hash', 'varchar'),
          required('created_at', 'bigint'),
          nullable('expires_at', 'bigint'),
          nullable('revoked_at', 'bigint'),
          nullable('last_used_at', 'bigint'),
          nullable('allowed_models', 'text'),
          nullable('requests_per_minute', 'integer'),
          nullable('tokens_per_day', 'bigint'),
          nullable('budget_usd_per_day', 'double precision'),
          nullable('budget_usd_per_month', 'double precision'),
        ],
        foreignKeys: [userForeignKey()],
        indices: [
          { name: 'relay_keys_hash', columnNames: ['hash'], isUnique: true },
          { name: 'relay_keys_user', columnNames: ['user_id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: APP_TABLES.invites,
        columns: [
          id(),
          required('token_hash', 'varchar'),
          required('role', 'varchar'),
          nullable('email', 'varchar'),
          required('created_by', 'varchar'),
          required('created_at', 'bigint'),
          required('expires_at', 'bigint'),
          nullable('used_at', 'bigint'),
          nullable('used_by', 'varchar'),
        ],
      }),
    );
    await queryRunner.createIndex(
      APP_TABLES.invites,
      new TableIndex({ name: 'user_invites_token', columnNames: ['token_hash'], isUnique: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      APP_TABLES.invites,
      APP_TABLES.relayKeys,
      APP_TABLES.sessions,
      APP_TABLES.identities,
      APP_TABLES.users,
    ])
      await queryRunner.dropTable(table);
  }
}

function id(): TableColumnOptions {
  return { name: 'id', type: 'varchar', isPrimary: true };
}

function required(name: string, type: string): TableColumnOptions {
  return { name, type, isNullable: false };
}

function nullable(name: string, type: string): TableColumnOptions {
  return { name, type, isNullable: true };
}

function userForeignKey() {
  return {
    columnNames: ['user_id'],
    referencedTableName: APP_TABLES.users,
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  };
}
