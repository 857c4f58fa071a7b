import type { AttemptOutcome, RequestAttempt, RequestErrorType, RequestLogEntry } from '@monorelay/contracts';
import type { PreviewDialect, TokenUsage } from '@monorelay/llm-formats';
import type { FastifyRequest } from 'fastify';
import { performance } from 'node:perf_hooks';
import type { RelayConfig } from '../config/relay-config';
import { BodyCapture } from '../logging/body-capture';
import { newLogId } from '../logging/log-id';

/** Who is calling, as far as the log is concerned. */
export interface ExchangeCaller {
  principal: string;
  userId: string | null;
  relayKeyId: string | null;
  clientIp: string;
  userAgent: string;
}

/** A finished exchange: its log entry, and the raw material the log store derives bodies from. */
export interface FinishedExchange {
  entry: RequestLogEntry;
  capture: BodyCapture;
  /** Where previews come from (read by the logging side, off the request path where it can). */
  previews: ExchangePreviewSources;
}

export interface ExchangePreviewSources {
  dialect: PreviewDialect;
  /** The client's parsed request. */
  request: unknown;
  /** The upstream's parsed answer (non-streamed) and its dialect. */
  response: unknown;
  responseDialect: PreviewDialect;
  /** The stream the answer came from, which gathers its text (bounded) as it passes. */
  stream: { readonly previewText: string } | null;
}

/** Collects what happened to one client request while it runs; becomes its log entry at the end. */
export class ExchangeRecord {
  readonly timestamp = Date.now();
  /** Unique and time-ordered: the log's primary key and cursor. */
  readonly id = newLogId(this.timestamp);
  readonly startedAt = performance.now();
  readonly attempts: RequestAttempt[] = [];
  readonly capture: BodyCapture;
  readonly previews: ExchangePreviewSources = {
    dialect: 'other',
    request: null,
    response: null,
    responseDialect: 'other',
    stream: null,
  };
  routeSteps: string[] = [];
  requestedModel: string | null = null;
  servedModel: string | null = null;
  provider: string | null = null;
  keyLabel: string | null = null;
  firstTokenAt: number | null = null;
  usage: TokenUsage | null = null;
  errorDetails: string | null = null;

  constructor(
    readonly requestId: string,
    readonly endpoint: string,
    readonly method: string,
    readonly path: string,
    readonly streaming: boolean,
    readonly caller: ExchangeCaller,
    /** Bytes kept per body for the log; 0 = bodies are not logged. */
    captureLimit: number,
  ) {
    this.capture = new BodyCapture(captureLimit);
  }

  addAttempt(
    provider: string,
    model: string,
    keyLabel: string | null,
    outcome: AttemptOutcome,
    status: number | null,
    startedAt: number,
    detail: string | null,
  ): void {
    this.attempts.push({
      provider,
      model,
      keyLabel,
      outcome,
      status,
      durationMs: Math.round(performance.now() - startedAt),
      detail,
    });
  }

  /** Requests actually sent upstream (not targets skipped for want of a key or support). */
  get upstreamAttempts(): number {
    let count = 0;
    for (const attempt of this.attempts) {
      if (attempt.outcome !== 'no_key' && attempt.outcome !== 'unsupported') count++;
    }
    return count;
  }

  /** The entry shown while the request runs. */
  pending(): RequestLogEntry {
    return this.entry('pending', 0, null, null, null);
  }

  /** The client left before its answer was complete (logged with nginx's 499). */
  clientClosed(): FinishedExchange {
    return this.failed(499, 'client_closed', 'client_closed', 'client closed the connection');
  }

  succeeded(statusCode: number): FinishedExchange {
    return this.finish(this.entry('success', statusCode, null, null, null));
  }

  failed(
    statusCode: number,
    errorType: RequestErrorType,
    errorCode: string | null,
    message: string,
  ): FinishedExchange {
    return this.finish(this.entry('failed', statusCode, errorType, errorCode, message));
  }

  private finish(entry: RequestLogEntry): FinishedExchange {
    return { entry, capture: this.capture, previews: this.previews };
  }

  private entry(
    state: RequestLogEntry['state'],
    statusCode: number,
    errorType: RequestErrorType | null,
    errorCode: string | null,
    errorMessage: string | null,
  ): RequestLogEntry {
    const { usage, caller } = this;
    const finished = state !== 'pending';
    return {
      id: this.id,
      requestId: this.requestId,
      timestamp: this.timestamp,
      state,
      endpoint: this.endpoint,
      method: this.method,
      path: this.path,
      streaming: this.streaming,
      principal: caller.principal,
      userId: caller.userId,
      relayKeyId: caller.relayKeyId,
      clientIp: caller.clientIp,
      userAgent: caller.userAgent,
      requestedModel: this.requestedModel,
      servedModel: this.servedModel,
      provider: this.provider,
      keyLabel: this.keyLabel,
      statusCode,
      latencyMs: finished ? Math.round(performance.now() - this.startedAt) : null,
      firstTokenMs: this.firstTokenAt === null ? null : Math.round(this.firstTokenAt - this.startedAt),
      inputTokens: usage?.inputTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
      cacheReadTokens: usage?.cacheReadTokens ?? 0,
      cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
      reasoningTokens: usage?.reasoningTokens ?? 0,
      errorType,
      errorCode,
      errorMessage,
      errorDetails: this.errorDetails,
      costUsd: null,
      requestPreview: null,
      responsePreview: null,
      attempts: this.attempts,
      routeSteps: this.routeSteps,
    };
  }
}

/** A record for a request that just arrived: who called, and how much of its bodies the log keeps. */
export function recordFor(
  request: FastifyRequest,
  endpoint: string,
  streaming: boolean,
  config: RelayConfig,
): ExchangeRecord {
  const captureLimit =
    config.logging.enabled && config.log_store.bodies ? config.log_store.max_body_bytes : 0;
  const caller: ExchangeCaller = {
    principal: request.principal?.id ?? 'anonymous',
    userId: request.principal?.userId ?? null,
    relayKeyId: request.principal?.relayKeyId ?? null,
    clientIp: request.ip,
    userAgent: request.headers['user-agent'] ?? '',
  };
  return new ExchangeRecord(
    request.id,
    endpoint,
    request.method,
    request.url,
    streaming,
    caller,
    captureLimit,
  );
}
