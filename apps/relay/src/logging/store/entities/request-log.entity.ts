import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { LOG_INDEXES, LOG_TABLES } from './log-table-names';

/**
 * One row per logged request (`RequestLogEntry`). The schema itself comes from the migrations; this
 * entity describes the same table for TypeORM (a test checks that the two agree). The store writes
 * and reads it with hand-written SQL for speed.
 */
@Entity(LOG_TABLES.logs)
@Index(LOG_INDEXES.timestamp, ['timestamp'])
@Index(LOG_INDEXES.userId, ['userId', 'id'])
@Index(LOG_INDEXES.provider, ['provider', 'id'])
@Index(LOG_INDEXES.requestedModel, ['requestedModel', 'id'])
@Index(LOG_INDEXES.servedModel, ['servedModel', 'id'])
@Index(LOG_INDEXES.state, ['state', 'id'])
@Index(LOG_INDEXES.statusCode, ['statusCode', 'id'])
export class RequestLogEntity {
  /** UUIDv7 of the entry: time-ordered, so `ORDER BY id DESC` is newest first and a stable cursor. */
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Column({ name: 'request_id', type: 'varchar' })
  requestId!: string;

  /** Epoch milliseconds. */
  @Column({ type: 'bigint' })
  timestamp!: number;

  @Column({ type: 'varchar' })
  endpoint!: string;

  @Column({ type: 'varchar' })
  method!: string;

  @Column({ type: 'text' })
  path!: string;

  @Column({ type: 'boolean' })
  streaming!: boolean;

  /** pending | success | failed */
  @Column({ type: 'varchar' })
  state!: string;

  @Column({ name: 'status_code', type: 'integer' })
  statusCode!: number;

  @Column({ type: 'varchar' })
  principal!: string;

  @Column({ name: 'user_id', type: 'varchar', nullable: true })
  userId!: string | null;

  @Column({ name: 'relay_key_id', type: 'varchar', nullable: true })
  relayKeyId!: string | null;

  @Column({ name: 'client_ip', type: 'varchar' })
  clientIp!: string;

  @Column({ name: 'user_agent', type: 'text' })
  userAgent!: string;

  @Column({ name: 'requested_model', type: 'varchar', nullable: true })
  requestedModel!: string | null;

  @Column({ name: 'served_model', type: 'varchar', nullable: true })
  servedModel!: string | null;

  @Column({ type: 'varchar', nullable: true })
  provider!: string | null;

  @Column({ name: 'key_label', type: 'varchar', nullable: true })
  keyLabel!: string | null;

  @Column({ name: 'latency_ms', type: 'integer', nullable: true })
  latencyMs!: number | null;

  @Column({ name: 'first_token_ms', type: 'integer', nullable: true })
  firstTokenMs!: number | null;

  @Column({ name: 'input_tokens', type: 'integer' })
  inputTokens!: number;

  @Column({ name: 'output_tokens', type: 'integer' })
  outputTokens!: number;

  @Column({ name: 'cache_read_tokens', type: 'integer' })
  cacheReadTokens!: number;

  @Column({ name: 'cache_write_tokens', type: 'integer' })
  cacheWriteTokens!: number;

  @Column({ name: 'reasoning_tokens', type: 'integer' })
  reasoningTokens!: number;

  @Column({ name: 'cost_usd', type: 'double precision', nullable: true })
  costUsd!: number | null;

  @Column({ name: 'error_type', type: 'varchar', nullable: true })
  errorType!: string | null;

  @Column({ name: 'error_code', type: 'varchar', nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ name: 'error_details', type: 'text', nullable: true })
  errorDetails!: string | null;

  /** `RequestAttempt[]` as JSON text. */
  @Column({ type: 'text' })
  attempts!: string;

  /** `string[]` as JSON text. */
  @Column({ name: 'route_steps', type: 'text' })
  routeSteps!: string;

  @Column({ name: 'request_preview', type: 'text', nullable: true })
  requestPreview!: string | null;

  @Column({ name: 'response_preview', type: 'text', nullable: true })
  responsePreview!: string | null;

  /** A `request_log_bodies` row exists for this entry. */
  @Column({ name: 'has_bodies', type: 'boolean' })
  hasBodies!: boolean;
}
