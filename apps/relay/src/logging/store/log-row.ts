import type { RequestLogEntry } from '@monorelay/contracts';
import type { RollupInput } from './stats-rollup';

/**
 * `request_logs` rows: the column order used for inserts and selects, an entry's values in that
 * order, and an entry back from a selected row. Booleans are written as 0/1 (better-sqlite3 cannot
 * bind booleans; PostgreSQL reads '1'/'0' as boolean) and read back from either form; PostgreSQL
 * returns bigint as a string, hence `Number`.
 */
export const LOG_COLUMNS = [
  'id',
  'request_id',
  'timestamp',
  'endpoint',
  'method',
  'path',
  'streaming',
  'state',
  'status_code',
  'principal',
  'user_id',
  'relay_key_id',
  'client_ip',
  'user_agent',
  'requested_model',
  'served_model',
  'provider',
  'key_label',
  'latency_ms',
  'first_token_ms',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'error_type',
  'error_code',
  'error_message',
  'error_details',
  'attempts',
  'route_steps',
  'request_preview',
  'response_preview',
  'has_bodies',
] as const;

export type LogColumn = (typeof LOG_COLUMNS)[number];
export type LogRow = Record<LogColumn, unknown>;

/** `"id", "request_id", …` for SELECT lists. */
export const LOG_SELECT_LIST = LOG_COLUMNS.map((column) => `"${column}"`).join(', ');

/** The entry's values in `LOG_COLUMNS` order. */
export function logRowValues(entry: RequestLogEntry, hasBodies: boolean): unknown[] {
  return [
    entry.id,
    entry.requestId,
    Math.round(entry.timestamp),
    entry.endpoint,
    entry.method,
    entry.path,
    entry.streaming ? 1 : 0,
    entry.state,
    Math.round(entry.statusCode),
    entry.principal,
    entry.userId,
    entry.relayKeyId,
    entry.clientIp,
    entry.userAgent,
    entry.requestedModel,
    entry.servedModel,
    entry.provider,
    entry.keyLabel,
    roundOrNull(entry.latencyMs),
    roundOrNull(entry.firstTokenMs),
    Math.round(entry.inputTokens),
    Math.round(entry.outputTokens),
    Math.round(entry.cacheReadTokens),
    Math.round(entry.cacheWriteTokens),
    Math.round(entry.reasoningTokens),
    entry.costUsd,
    entry.errorType,
    entry.errorCode,
    entry.errorMessage,
    entry.errorDetails,
    JSON.stringify(entry.attempts),
    JSON.stringify(entry.routeSteps),
    entry.requestPreview,
    entry.responsePreview,
    hasBodies ? 1 : 0,
  ];
}

/** The entry a selected row holds (exactly what was appended). */
export function entryFromRow(row: LogRow): RequestLogEntry {
  return {
    id: row.id as string,
    requestId: row.request_id as string,
    timestamp: Number(row.timestamp),
    state: row.state as RequestLogEntry['state'],
    endpoint: row.endpoint as string,
    method: row.method as string,
    path: row.path as string,
    streaming: asBoolean(row.streaming),
    principal: row.principal as string,
    userId: row.user_id as string | null,
    relayKeyId: row.relay_key_id as string | null,
    clientIp: row.client_ip as string,
    userAgent: row.user_agent as string,
    requestedModel: row.requested_model as string | null,
    servedModel: row.served_model as string | null,
    provider: row.provider as string | null,
    keyLabel: row.key_label as string | null,
    statusCode: Number(row.status_code),
    latencyMs: numberOrNull(row.latency_ms),
    firstTokenMs: numberOrNull(row.first_token_ms),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    cacheReadTokens: Number(row.cache_read_tokens),
    cacheWriteTokens: Number(row.cache_write_tokens),
    reasoningTokens: Number(row.reasoning_tokens),
    errorType: row.error_type as RequestLogEntry['errorType'],
    errorCode: row.error_code as string | null,
    errorMessage: row.error_message as string | null,
    errorDetails: row.error_details as string | null,
    costUsd: numberOrNull(row.cost_usd),
    requestPreview: row.request_preview as string | null,
    responsePreview: row.response_preview as string | null,
    attempts: JSON.parse(row.attempts as string) as RequestLogEntry['attempts'],
    routeSteps: JSON.parse(row.route_steps as string) as string[],
  };
}

export function asBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : Math.round(value);
}

const at = Object.fromEntries(LOG_COLUMNS.map((column, index) => [column, index])) as Record<
  LogColumn,
  number
>;

/** The rollup fields of a row built by `logRowValues` (so a writer thread needs only the rows). */
export function rollupInputOfRow(row: readonly unknown[]): RollupInput {
  return {
    timestamp: row[at.timestamp] as number,
    state: row[at.state] as RequestLogEntry['state'],
    streaming: row[at.streaming] === 1,
    provider: row[at.provider] as string | null,
    servedModel: row[at.served_model] as string | null,
    requestedModel: row[at.requested_model] as string | null,
    keyLabel: row[at.key_label] as string | null,
    userId: row[at.user_id] as string | null,
    inputTokens: row[at.input_tokens] as number,
    outputTokens: row[at.output_tokens] as number,
    cacheReadTokens: row[at.cache_read_tokens] as number,
    cacheWriteTokens: row[at.cache_write_tokens] as number,
    reasoningTokens: row[at.reasoning_tokens] as number,
    costUsd: row[at.cost_usd] as number | null,
    latencyMs: row[at.latency_ms] as number | null,
    firstTokenMs: row[at.first_token_ms] as number | null,
  };
}
