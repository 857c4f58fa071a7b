import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { LOG_INDEXES, LOG_TABLES } from './log-table-names';
import { RequestLogEntity } from './request-log.entity';

/** How a body column is stored. */
export type BodyEncoding = 'identity' | 'gzip';

/**
 * The four bodies of one logged exchange (only for entries that have them), each a UTF-8 text stored
 * as bytes, gzipped when `encoding` is `gzip`. Deleted with its log row (ON DELETE CASCADE).
 *
 * The byte columns are BLOB on SQLite and bytea on PostgreSQL, and TypeORM has no type name that
 * means both: the columns shared by both live here and each database gets a subclass (see
 * `requestLogEntities`).
 */
export abstract class RequestLogBodyColumns {
  @PrimaryColumn({ name: 'log_id', type: 'varchar' })
  logId!: string;

  @OneToOne(() => RequestLogEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'log_id', referencedColumnName: 'id', foreignKeyConstraintName: LOG_INDEXES.bodiesLog })
  log?: RequestLogEntity;

  @Column({ type: 'varchar' })
  encoding!: BodyEncoding;

  /** A body was cut at `log_store.max_body_bytes`. */
  @Column({ type: 'boolean' })
  truncated!: boolean;

  abstract clientRequest: Buffer | null;
  abstract upstreamRequest: Buffer | null;
  abstract upstreamResponse: Buffer | null;
  abstract clientResponse: Buffer | null;
}

@Entity(LOG_TABLES.bodies)
export class SqliteRequestLogBodyEntity extends RequestLogBodyColumns {
  @Column({ name: 'client_request', type: 'blob', nullable: true })
  clientRequest!: Buffer | null;

  @Column({ name: 'upstream_request', type: 'blob', nullable: true })
  upstreamRequest!: Buffer | null;

  @Column({ name: 'upstream_response', type: 'blob', nullable: true })
  upstreamResponse!: Buffer | null;

  @Column({ name: 'client_response', type: 'blob', nullable: true })
  clientResponse!: Buffer | null;
}

@Entity(LOG_TABLES.bodies)
export class PostgresRequestLogBodyEntity extends RequestLogBodyColumns {
  @Column({ name: 'client_request', type: 'bytea', nullable: true })
  clientRequest!: Buffer | null;

  @Column({ name: 'upstream_request', type: 'bytea', nullable: true })
  upstreamRequest!: Buffer | null;

  @Column({ name: 'upstream_response', type: 'bytea', nullable: true })
  upstreamResponse!: Buffer | null;

  @Column({ name: 'client_response', type: 'bytea', nullable: true })
  clientResponse!: Buffer | null;
}
