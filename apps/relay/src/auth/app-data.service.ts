import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { APP_DATA_DATABASE } from '../database/database.tokens';
import type { ManagedDataSource } from '../database/managed-data-source';
import { APP_TABLES, UserEntity, UserIdentityEntity, UserInviteEntity, UserSessionEntity } from './entities';

/**
 * The app-data store (users, identities, sessions, invites) for the auth services: repositories for
 * reads, and `write` for every change.
 *
 * `write` runs its work in a transaction and, in this process, one at a time: TypeORM's
 * better-sqlite3 driver has a single connection, so two transactions running together would nest
 * into one (and a rollback of one would undo the other). On PostgreSQL the queue costs little and
 * `lockUsers` guards the invariants that span rows (first account, last superadmin) across replicas.
 */
@Injectable()
export class AppDataService {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(@Inject(APP_DATA_DATABASE) private readonly database: ManagedDataSource) {}

  get dataSource(): DataSource {
    return this.database.dataSource;
  }

  get users(): Repository<UserEntity> {
    return this.dataSource.getRepository(UserEntity);
  }

  get identities(): Repository<UserIdentityEntity> {
    return this.dataSource.getRepository(UserIdentityEntity);
  }

  get sessions(): Repository<UserSessionEntity> {
    return this.dataSource.getRepository(UserSessionEntity);
  }

  get invites(): Repository<UserInviteEntity> {
    return this.dataSource.getRepository(UserInviteEntity);
  }

  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const run = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Inside `write`: holds off other writers to `users` until the transaction ends (PostgreSQL; on
   * SQLite the single process's queue already does).
   */
  async lockUsers(manager: EntityManager): Promise<void> {
    if (this.database.dialect === 'postgres')
      await manager.query(`LOCK TABLE "${APP_TABLES.users}" IN SHARE ROW EXCLUSIVE MODE`);
  }
}

/** A unique index refused the row (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const driver = (error as { driverError?: { code?: unknown } })?.driverError ?? error;
  const code = (driver as { code?: unknown })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
