import { Injectable, Logger } from '@nestjs/common';
import { type TokenUsage, readAnthropicUsage, readOpenAiUsage } from '@monorelay/llm-formats';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { KeysService } from '../keys/keys.service';
import { parseRateLimitReset } from '../keys/rate-limit-reset';
import { RequestLogService } from '../logging/request-log.service';
import type { UpstreamResponse } from '../providers/provider-adapter';
import { failure } from './attempt-failure';
import { inBandError } from './client-dialect';
import { commitEventStream, setRoutingHeaders } from './client-reply';
import {
  FirstTokenTimeoutError,
  classifyTransportError,
  classifyUpstreamStatus,
  keyOutcomeFor,
} from './failure-policy';
import { readUpstreamBody } from './request-body';
import { type StreamDialect, previewDialect } from './relay-endpoints';
import { SseRelayStream, passthroughOutput, transcodedOutput } from './sse-relay-stream';
import type { AttemptResult, UpstreamAttempt } from './upstream-attempt';

/**
 * Sends one attempt upstream and forwards the answer: JSON bodies whole, binary bodies piped, SSE
 * streams event by event. Until the client's response is committed every failure is returned for
 * failover; after that it is reported to the client in-band.
 */
@Injectable()
export class AnswerForwarder {
  private readonly logger = new Logger(AnswerForwarder.name);

  constructor(
    private readonly keys: KeysService,
    private readonly requestLog: RequestLogService,
  ) {}

  async forward(attempt: UpstreamAttempt): Promise<AttemptResult> {
    const { input, provider, lease, prepared, signal, route } = attempt;
    const { capture } = attempt.record;
    capture.upstreamRequestIsClient = prepared.payload === input.raw;
    if (!capture.upstreamRequestIsClient) capture.upstreamRequest.replace(prepared.payload);
    let upstream: UpstreamResponse;
    try {
      upstream = await provider.adapter.send({
        provider,
        key: lease,
        path: route.upstream.path,
        method: 'POST',
        body: prepared.payload,
        contentType: prepared.contentType,
        headers: prepared.headers,
        signal,
      });
    } catch (error) {
      if (signal.aborted) return attempt.clientClosed();
      return attempt.failed(classifyTransportError(error, provider.config.timeout));
    }
    if (upstream.status < 200 || upstream.status >= 300) return this.upstreamError(attempt, upstream);
    const contentType = String(upstream.headers['content-type'] ?? '');
    const upstreamDialect = route.upstream.streamKind;
    if (input.wantsStream && upstreamDialect && contentType.startsWith('text/event-stream')) {
      return this.stream(attempt, upstream, upstreamDialect);
    }
    if (input.reply.raw.headersSent) {
      // the client's stream is already open (a local model's loading comments): only a stream fits
      await upstream.body.dump().catch(() => undefined);
      return attempt.failed(
        failure('stream_failed', 'upstream answered a stream request without an event stream', {
          status: upstream.status,
        }),
      );
    }
    if (input.spec.binaryResponse) return this.pipe(attempt, upstream, contentType);
    return this.whole(attempt, upstream, contentType);
  }

  /** The client left after its response was committed: the upstream answered, the key did well. */
  recordClientClosed(attempt: UpstreamAttempt): AttemptResult {
    this.keys.report(attempt.lease, { kind: 'success' });
    if (!attempt.input.reply.raw.destroyed) attempt.input.reply.raw.destroy();
    this.requestLog.record(attempt.record.clientClosed());
    return { kind: 'served' };
  }

  private async upstreamError(attempt: UpstreamAttempt, upstream: UpstreamResponse): Promise<AttemptResult> {
    let body: Buffer;
    try {
      body = await readUpstreamBody(upstream.body);
    } catch (error) {
      if (attempt.signal.aborted) return attempt.clientClosed();
      body = Buffer.alloc(0);
      this.logger.debug(`reading an upstream error body failed: ${String(error)}`);
    }
    const failed = classifyUpstreamStatus(
      upstream.status,
      upstream.headers,
      body,
      attempt.provider.config,
      (headers) => parseRateLimitReset(headers, Date.now()),
    );
    failed.bodyShape = attempt.route.upstream.errorShape;
    return attempt.failed(failed);
  }

  private async whole(
    attempt: UpstreamAttempt,
    upstream: UpstreamResponse,
    contentType: string,
  ): Promise<AttemptResult> {
    const { input, record, provider } = attempt;
    let body: Buffer;
    try {
      body = await readUpstreamBody(upstream.body);
    } catch (error) {
      if (attempt.signal.aborted) return attempt.clientClosed();
      return attempt.failed(classifyTransportError(error, provider.config.timeout));
    }
    const { translation } = attempt.route;
    let parsed: Record<string, unknown> | null = null;
    let clientBody: Buffer | string = body;
    if (translation) {
      parsed = parseJsonObject(body);
      if (!parsed) {
        return attempt.failed(
          failure('server_error', 'upstream answered with a body that is not JSON', {
            status: upstream.status,
          }),
        );
      }
      clientBody = JSON.stringify(translation.response(parsed));
    }
    attempt.served(upstream.status, null);
    this.keys.report(attempt.lease, { kind: 'success' });
    record.capture.upstreamResponse.replace(body);
    record.capture.clientResponseIsUpstream = clientBody === body;
    if (clientBody !== body) record.capture.clientResponse.replace(clientBody);
    setRoutingHeaders(input.reply, provider.name, attempt.target.model, record.upstreamAttempts);
    input.reply
      .code(upstream.status)
      .header('content-type', translation ? 'application/json' : contentType || 'application/json')
      .send(clientBody);
    // Read on the side, once the answer is on its way: the model that served and the usage.
    parsed ??= contentType.includes('json') ? parseJsonObject(body) : null;
    if (typeof parsed?.model === 'string') record.servedModel = parsed.model;
    record.usage = usageOf(attempt.route.upstream.errorShape === 'anthropic', parsed?.usage);
    record.previews.response = parsed;
    record.previews.stream = null;
    record.previews.responseDialect = previewDialect(attempt.route.upstream.endpoint);
    this.requestLog.record(record.succeeded(upstream.status));
    return { kind: 'served' };
  }

  private async pipe(
    attempt: UpstreamAttempt,
    upstream: UpstreamResponse,
    contentType: string,
  ): Promise<AttemptResult> {
    const { input, record, provider, target } = attempt;
    attempt.served(upstream.status, target.model);
    setRoutingHeaders(input.reply, provider.name, target.model, record.upstreamAttempts);
    this.keys.report(attempt.lease, { kind: 'success' });
    await input.reply
      .code(upstream.status)
      .header('content-type', contentType || 'application/octet-stream')
      .send(upstream.body);
    this.requestLog.record(record.succeeded(upstream.status));
    return { kind: 'served' };
  }

  /**
   * Nothing reaches the client until the first content event arrives, so every failure before it
   * can still fail over; after it, a failure becomes an in-band error event and the stream never
   * ends as if it had succeeded.
   */
  private async stream(
    attempt: UpstreamAttempt,
    upstream: UpstreamResponse,
    upstreamDialect: StreamDialect,
  ): Promise<AttemptResult> {
    const { input, route } = attempt;
    const clientDialect = input.spec.streamKind ?? upstreamDialect;
    const output = route.translation
      ? transcodedOutput(route.translation.stream({ model: attempt.target.model }))
      : passthroughOutput(upstreamDialect, attempt.prepared.injectedUsage);
    const stream = new SseRelayStream(upstreamDialect, output, () => performance.now());
    attempt.record.capture.upstreamResponse.clear();
    attempt.record.previews.stream = stream;
    return this.forwardStream(attempt, upstream, upstreamDialect, clientDialect, stream);
  }

  private async forwardStream(
    attempt: UpstreamAttempt,
    upstream: UpstreamResponse,
    upstreamDialect: StreamDialect,
    clientDialect: StreamDialect,
    stream: SseRelayStream,
  ): Promise<AttemptResult> {
    const { input, record, provider, signal } = attempt;
    const { reply } = input;
    const firstTokenSeconds = provider.config.first_token_timeout;
    const firstTokenTimer =
      firstTokenSeconds > 0
        ? setTimeout(
            () => upstream.body.destroy(new FirstTokenTimeoutError(firstTokenSeconds)),
            firstTokenSeconds * 1000,
          )
        : undefined;
    let committed = false;
    const commit = (): void => {
      clearTimeout(firstTokenTimer);
      committed = true;
      stream.committed();
      attempt.served(upstream.status, stream.servedModel);
      record.firstTokenAt = stream.firstContentAt;
      setRoutingHeaders(reply, provider.name, record.servedModel, record.upstreamAttempts);
      commitEventStream(reply);
    };

    try {
      for await (const chunk of upstream.body as AsyncIterable<Buffer>) {
        record.capture.upstreamResponse.push(chunk);
        stream.feed(chunk);
        if (!committed) {
          if (stream.failure) {
            upstream.body.destroy();
            return attempt.failed(
              failure('stream_failed', stream.failure.message, { status: upstream.status }),
            );
          }
          if (stream.firstContentAt === null) continue;
          commit();
        }
        const text = stream.take();
        if (text) {
          record.capture.clientResponse.push(text);
          await writeToClient(reply.raw, text, signal);
        }
        if (stream.failure) {
          upstream.body.destroy();
          this.keys.report(attempt.lease, { kind: 'server_error' });
          return this.failCommitted(attempt, clientDialect, stream.failure.message, stream.failure.code);
        }
      }
    } catch (error) {
      clearTimeout(firstTokenTimer);
      if (signal.aborted) return committed ? this.recordClientClosed(attempt) : attempt.clientClosed();
      const failed = classifyTransportError(error, provider.config.timeout);
      if (!committed) return attempt.failed(failed);
      this.keys.report(attempt.lease, keyOutcomeFor(failed)!);
      const what = failed.outcome === 'timeout' ? 'upstream stalled' : 'upstream stream broke';
      return this.failCommitted(
        attempt,
        clientDialect,
        `${what}: ${failed.detail}`,
        'upstream_stream_interrupted',
      );
    }
    clearTimeout(firstTokenTimer);

    if (!stream.complete()) {
      const ended = failure('stream_failed', 'upstream closed the stream before any content', {
        status: upstream.status,
      });
      if (!committed) return attempt.failed(ended);
      this.keys.report(attempt.lease, { kind: 'server_error' });
      return this.failCommitted(
        attempt,
        clientDialect,
        'upstream closed the stream before it finished',
        'upstream_stream_interrupted',
      );
    }
    if (!committed) commit();
    const rest = stream.take();
    record.capture.clientResponse.push(rest);
    reply.raw.end(rest);
    record.usage = stream.usage;
    this.keys.report(attempt.lease, { kind: 'success' });
    this.requestLog.record(record.succeeded(200));
    return { kind: 'served' };
  }

  private failCommitted(
    attempt: UpstreamAttempt,
    dialect: StreamDialect,
    message: string,
    code: string,
  ): AttemptResult {
    const { record, input } = attempt;
    const last = record.attempts.at(-1);
    if (last) {
      last.outcome = 'stream_failed';
      last.detail = message;
    }
    const errorEvent = inBandError(dialect, message, code);
    record.capture.clientResponse.push(errorEvent);
    if (!input.reply.raw.writableEnded) input.reply.raw.end(errorEvent);
    this.requestLog.record(record.failed(200, 'stream_interrupted', code, message));
    return { kind: 'served' };
  }
}

async function writeToClient(response: ServerResponse, text: string, signal: AbortSignal): Promise<void> {
  if (!response.write(text)) await once(response, 'drain', { signal });
}

function usageOf(anthropic: boolean, usage: unknown): TokenUsage | null {
  return anthropic ? readAnthropicUsage(usage) : readOpenAiUsage(usage);
}

function parseJsonObject(body: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
