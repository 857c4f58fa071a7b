import { Injectable, Logger } from '@nestjs/common';
import { UntranslatableError, formatSseComment } from '@monorelay/llm-formats';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type LimitRefusal, RelayKeyLimits } from '../auth/relay-keys/relay-key-limits.service';
import { ConfigSource } from '../config/config-source';
import type { RelayConfig } from '../config/relay-config';
import { KeysService } from '../keys/keys.service';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { prepareLocalBody, sessionIdOf } from '../lifecycle/local-request';
import { LocalModelError, type ModelLease } from '../lifecycle/model-scheduler';
import { RequestLogService } from '../logging/request-log.service';
import { ProviderRegistry } from '../providers/provider-registry.service';
import type { RuntimeProvider } from '../providers/runtime-provider';
import { RequestTransformer } from '../routing/request-transformer';
import { promptTextOf } from '../routing/prompt-text';
import {
  type RoutePlan,
  type RouteTarget,
  UnknownModelError,
  unknownModelMessage,
} from '../routing/route-plan';
import { RoutingService } from '../routing/routing.service';
import { AnswerForwarder } from './answer-forwarder.service';
import { type AttemptFailure, failure } from './attempt-failure';
import { inBandError, sendClientError, sendUpstreamError } from './client-dialect';
import { commitEventStream, setRoutingHeaders } from './client-reply';
import { type ExchangeRecord, recordFor } from './exchange-record';
import { type TargetState, keyOutcomeFor, nextStep } from './failure-policy';
import { finalClientError } from './final-error';
import { encodeMultipart, parseMultipart } from './multipart-body';
import { type EndpointSpec, previewDialect } from './relay-endpoints';
import { errorShapeOf } from './relay-exception.filter';
import type { InvalidRelayRequestError } from './relay-input';
import type { PreparedBody, RelayRequest } from './relay-request';
import { upstreamHeaders } from './upstream-headers';
import { UpstreamAttempt } from './upstream-attempt';
import { type UpstreamRoute, upstreamRoute } from './upstream-route';

/** A same-provider retry may use a key resting after the 5xx it is retrying. */
const IGNORE_BACKOFF = { ignoreBackoff: true } as const;

/**
 * The relay path: plans the targets, tries keys and targets per the failure table until one
 * starts answering, then forwards the answer as it arrives and records the exchange.
 */
@Injectable()
export class RelayService {
  private readonly logger = new Logger(RelayService.name);

  constructor(
    private readonly config: ConfigSource,
    private readonly routing: RoutingService,
    private readonly transformer: RequestTransformer,
    private readonly keys: KeysService,
    private readonly providers: ProviderRegistry,
    private readonly requestLog: RequestLogService,
    private readonly forwarder: AnswerForwarder,
    private readonly keyLimits: RelayKeyLimits,
    private readonly lifecycle: LifecycleService,
  ) {}

  /** Used when a client names no model (lifecycle.default_model; '' = none). */
  get defaultModel(): string {
    return this.config.current.lifecycle.default_model;
  }

  /** Answers a malformed request with 400 and records it. */
  reject(
    spec: EndpointSpec,
    request: FastifyRequest,
    reply: FastifyReply,
    error: InvalidRelayRequestError,
  ): void {
    const record = this.newRecord(spec, request, false);
    if (Buffer.isBuffer(request.body)) record.capture.clientRequest.push(request.body);
    const sent = sendClientError(
      reply,
      spec.errorShape,
      400,
      error.message,
      'invalid_request_error',
      error.code,
      error.param,
    );
    record.capture.clientResponse.push(sent);
    this.requestLog.record(record.failed(400, 'client_error', error.code, error.message));
  }

  /** The relay is shutting down: 503 (with Retry-After) in the client's shape, and a log row. */
  refuseWhileClosing(request: FastifyRequest, reply: FastifyReply): void {
    const shape = errorShapeOf(request.url);
    const record = recordFor(request, request.url.split('?', 1)[0], false, this.config.current);
    reply.header('retry-after', '5');
    const message = 'The relay is restarting; retry in a few seconds.';
    record.capture.clientResponse.push(
      sendClientError(reply, shape, 503, message, 'api_error', 'shutting_down'),
    );
    this.requestLog.record(record.failed(503, 'internal', 'shutting_down', message));
  }

  async relay(input: RelayRequest): Promise<void> {
    const { request, reply, spec } = input;
    const config = this.config.current;
    const record = this.newRecord(spec, request, input.wantsStream);
    record.requestedModel = input.model;
    record.capture.clientRequest.push(input.raw);
    record.previews.dialect = previewDialect(spec.endpoint);
    record.previews.request = input.json;
    // a relay key's allowed models and limits, before anything is routed (null: go ahead)
    const checked = this.keyLimits.admit(request, input.model);
    const refusal = checked instanceof Promise ? await checked : checked;
    if (refusal !== null) return this.refuse(input, record, refusal);
    this.requestLog.started(record);
    const abort = new AbortController();
    const onClose = (): void => {
      if (!reply.raw.writableFinished) abort.abort();
    };
    reply.raw.once('close', onClose);

    try {
      await this.run(input, config, record, abort.signal);
    } catch (error) {
      this.logger.error(
        `request ${request.id} failed inside the relay: ${(error as Error).stack ?? String(error)}`,
      );
      if (!reply.sent && !reply.raw.headersSent) {
        sendClientError(
          reply,
          spec.errorShape,
          500,
          'The relay failed to process this request.',
          'api_error',
          'internal_error',
        );
      } else if (!reply.raw.writableEnded) {
        reply.raw.end();
      }
      this.requestLog.record(record.failed(500, 'internal', 'internal_error', String(error)));
    } finally {
      reply.raw.off('close', onClose);
    }
  }

  /** A relay key's model or limit refused the request: 403 or 429 (+ Retry-After) in the client's shape. */
  private refuse(input: RelayRequest, record: ExchangeRecord, refusal: LimitRefusal): void {
    const { reply, spec } = input;
    if (refusal.retryAfterSeconds !== null) reply.header('retry-after', String(refusal.retryAfterSeconds));
    record.capture.clientResponse.push(
      sendClientError(
        reply,
        spec.errorShape,
        refusal.status,
        refusal.message,
        refusal.openAiType,
        refusal.code,
      ),
    );
    record.errorDetails = JSON.stringify({ relayKeyLimit: refusal.limit });
    const errorType = refusal.status === 429 ? 'rate_limit' : 'client_error';
    this.requestLog.record(record.failed(refusal.status, errorType, refusal.code, refusal.message));
  }

  private newRecord(spec: EndpointSpec, request: FastifyRequest, streaming: boolean): ExchangeRecord {
    return recordFor(request, spec.endpoint, streaming, this.config.current);
  }

  private async run(
    input: RelayRequest,
    config: RelayConfig,
    record: ExchangeRecord,
    signal: AbortSignal,
  ): Promise<void> {
    const { reply, spec } = input;
    let plan: RoutePlan;
    try {
      plan = this.routing.plan(
        { model: input.model, endpoint: spec.endpoint, promptText: () => promptTextOf(input.json) },
        config,
      );
    } catch (error) {
      if (!(error instanceof UnknownModelError)) throw error;
      const message = unknownModelMessage(error);
      const sent = sendClientError(
        reply,
        spec.errorShape,
        404,
        message,
        'invalid_request_error',
        'model_not_found',
        'model',
      );
      record.capture.clientResponse.push(sent);
      this.requestLog.record(record.failed(404, 'not_found', 'model_not_found', error.message));
      return;
    }
    record.routeSteps = plan.steps;

    const failures: AttemptFailure[] = [];
    let attemptsLeft = config.relay.max_attempts;
    for (let index = 0; index < plan.targets.length && attemptsLeft > 0; index++) {
      const target = plan.targets[index];
      const provider = this.providers.get(target.provider);
      const route = provider ? upstreamRoute(spec, provider, input.json, config) : null;
      if (!provider || !route) {
        const detail = provider
          ? `[${target.provider}] cannot serve ${spec.path} (its API is ${provider.config.provider_type})`
          : `[${target.provider}] provider is not available`;
        failures.push(failure('unsupported', detail));
        record.addAttempt(
          target.provider,
          target.model,
          null,
          'unsupported',
          null,
          performance.now(),
          detail,
        );
        continue;
      }
      let prepared: PreparedBody;
      try {
        const preparing = this.prepareBody(input, target, provider, route, config);
        prepared = preparing instanceof Promise ? await preparing : preparing;
      } catch (error) {
        if (!(error instanceof UntranslatableError)) throw error;
        const detail = `[${provider.name}] ${error.message}`;
        failures.push(failure('unsupported', detail, { status: 400, param: error.param }));
        record.addAttempt(provider.name, target.model, null, 'unsupported', 400, performance.now(), detail);
        continue;
      }
      const state: TargetState = {
        retries: 0,
        resetPromised: false,
        laterTargetWithOtherModel: hasLaterTargetWithOtherModel(plan.targets, index),
      };
      const tried = new Set<string>();
      let retryingProvider = false;

      while (attemptsLeft > 0) {
        // a local model: started (or waited for) before the attempt, then called on its own port
        let local: ModelLease | null = null;
        let attemptProvider = provider;
        if (provider.config.provider_type === 'local') {
          const readied = await this.readyLocal(
            input,
            provider,
            target,
            signal,
            index < plan.targets.length - 1,
          );
          if (readied.kind === 'client_closed') return this.clientClosed(record, reply);
          if (readied.kind === 'failed') {
            failures.push(readied.failure);
            record.addAttempt(
              provider.name,
              target.model,
              null,
              readied.failure.outcome,
              readied.failure.status,
              performance.now(),
              readied.failure.detail,
            );
            break;
          }
          local = readied.lease;
          attemptProvider = { ...provider, origin: local.origin };
        }
        const leased = this.keys.lease(provider.name, tried, retryingProvider ? IGNORE_BACKOFF : undefined);
        retryingProvider = false;
        let failed: AttemptFailure;
        if (!leased.ok) {
          local?.release();
          failed = failure('no_key', `[${provider.name}] no usable API key (${leased.reason})`, {
            retryAfterMs: leased.retryAfterMs,
            keyReason: leased.reason,
          });
          record.addAttempt(
            provider.name,
            target.model,
            null,
            'no_key',
            null,
            performance.now(),
            failed.detail,
          );
        } else {
          attemptsLeft--;
          tried.add(leased.lease.keyId);
          const attempt = new UpstreamAttempt(
            input,
            record,
            attemptProvider,
            target,
            leased.lease,
            route,
            prepared,
            signal,
          );
          const forwarding = this.forwarder.forward(attempt);
          const result = await (local ? forwarding.finally(() => local.release()) : forwarding);
          if (result.kind === 'served') return;
          if (result.kind === 'client_closed') return this.clientClosed(record, reply);
          failed = result.failure;
          const keyOutcome = keyOutcomeFor(failed);
          if (keyOutcome) this.keys.report(leased.lease, keyOutcome);
          if (failed.outcome === 'rate_limited') state.resetPromised = failed.retryAfterMs !== null;
        }
        failures.push(failed);
        const step = nextStep(failed, provider.config.retry, state);
        if (step.action === 'next_key') continue;
        if (step.action === 'next_target') break;
        if (step.action === 'return_to_client')
          return this.returnUpstreamError(input, record, provider, target, failed);
        state.retries++;
        tried.clear();
        retryingProvider = step.action === 'retry_provider';
        if (!(await this.pause(step.delayMs, signal))) return this.clientClosed(record, reply);
      }
    }
    this.sendFinalError(input, record, plan, failures, config);
  }

  /**
   * Gets a local target's model ready: waits for its start (streaming clients get SSE comments
   * meanwhile), or, with `fallback_while_loading` and a later target, starts it and moves on.
   */
  private async readyLocal(
    input: RelayRequest,
    provider: RuntimeProvider,
    target: RouteTarget,
    signal: AbortSignal,
    laterTarget: boolean,
  ): Promise<
    | { kind: 'ready'; lease: ModelLease }
    | { kind: 'failed'; failure: AttemptFailure }
    | { kind: 'client_closed' }
  > {
    const session = sessionIdOf(input.request.headers);
    try {
      if (this.lifecycle.settings.fallback_while_loading && laterTarget) {
        const now = this.lifecycle.readyNow(target.model, session);
        if (now) return { kind: 'ready', lease: await now };
        const detail = `[${provider.name}] local model ${target.model} is loading; the next target serves meanwhile`;
        return { kind: 'failed', failure: failure('server_error', detail, { status: 503 }) };
      }
      const keepAlive =
        input.wantsStream && input.spec.streamKind
          ? (elapsedMs: number) => this.loadingComment(input, target.model, elapsedMs)
          : undefined;
      const lease = await this.lifecycle.ensureReady(target.model, { signal, session, onWaiting: keepAlive });
      return { kind: 'ready', lease };
    } catch (error) {
      if (!(error instanceof LocalModelError)) throw error;
      if (error.code === 'aborted' || signal.aborted) return { kind: 'client_closed' };
      const detail = `[${provider.name}] ${error.message}`;
      return {
        kind: 'failed',
        failure: failure('server_error', detail, { status: 503, retryAfterMs: error.retryAfterMs }),
      };
    }
  }

  /** While a model loads, a streaming client gets SSE comments (and its 200 with them). */
  private loadingComment(input: RelayRequest, model: string, elapsedMs: number): void {
    const { reply } = input;
    if (reply.raw.destroyed || reply.raw.writableEnded) return;
    commitEventStream(reply);
    reply.raw.write(formatSseComment(`relay loading model=${model} elapsed_ms=${Math.round(elapsedMs)}`));
  }

  /**
   * The client's stream was committed by loading comments and then nothing could serve: the
   * error goes in-band, and the stream never ends as if it had succeeded.
   */
  private failCommittedStream(
    input: RelayRequest,
    record: ExchangeRecord,
    status: number,
    errorType: Parameters<ExchangeRecord['failed']>[1],
    code: string,
    message: string,
  ): void {
    const event = inBandError(input.spec.streamKind ?? 'chat', message, code);
    record.capture.clientResponse.push(event);
    if (!input.reply.raw.writableEnded) input.reply.raw.end(event);
    this.requestLog.record(record.failed(status, errorType, code, message));
  }

  private clientClosed(record: ExchangeRecord, reply: FastifyReply): void {
    if (!reply.raw.destroyed) reply.raw.destroy();
    this.requestLog.record(record.clientClosed());
  }

  private returnUpstreamError(
    input: RelayRequest,
    record: ExchangeRecord,
    provider: RuntimeProvider,
    target: RouteTarget,
    failed: AttemptFailure,
  ): void {
    const status = failed.status ?? 400;
    if (input.reply.raw.headersSent) {
      return this.failCommittedStream(input, record, status, 'client_error', failed.outcome, failed.detail);
    }
    setRoutingHeaders(input.reply, provider.name, target.model, record.upstreamAttempts);
    record.provider = provider.name;
    captureError(record, failed, sendUpstreamError(input.reply, input.spec.errorShape, failed));
    this.requestLog.record(record.failed(status, 'client_error', failed.outcome, failed.detail));
  }

  private sendFinalError(
    input: RelayRequest,
    record: ExchangeRecord,
    plan: RoutePlan,
    failures: AttemptFailure[],
    config: RelayConfig,
  ): void {
    const cooldowns = plan.targets.map(
      (target) => config.providers[target.provider]?.rate_limit_cooldown ?? 60,
    );
    const error = finalClientError(failures, Math.min(...cooldowns, 60) * 1000);
    const lastAttempt = record.attempts.at(-1);
    const { reply, spec } = input;
    if (reply.raw.headersSent) {
      return this.failCommittedStream(
        input,
        record,
        error.status,
        error.errorType,
        error.code,
        error.message,
      );
    }
    setRoutingHeaders(
      reply,
      lastAttempt?.provider ?? null,
      lastAttempt?.model ?? null,
      record.upstreamAttempts,
    );
    if (error.passThrough) {
      captureError(record, error.passThrough, sendUpstreamError(reply, spec.errorShape, error.passThrough));
    } else {
      if (error.retryAfterSeconds !== null) reply.header('retry-after', String(error.retryAfterSeconds));
      const last = failures.at(-1);
      const sent = sendClientError(
        reply,
        spec.errorShape,
        error.status,
        error.message,
        error.type,
        error.code,
        error.param,
      );
      if (last) captureError(record, last, sent);
    }
    this.requestLog.record(record.failed(error.status, error.errorType, error.code, error.message));
  }

  /** Waits, unless the client leaves first; returns false if it left. */
  private async pause(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The body one target gets: the client's, translated when the upstream speaks another API, with
   * routing's transformations and, for streams, usage requested. Unchanged bodies are forwarded
   * as the client's bytes. Synchronous for JSON bodies (no promise on the hot path).
   */
  private prepareBody(
    input: RelayRequest,
    target: RouteTarget,
    provider: RuntimeProvider,
    route: UpstreamRoute,
    config: RelayConfig,
  ): PreparedBody | Promise<PreparedBody> {
    const headers = upstreamHeaders(input.request, provider);
    if (input.json === null) {
      if (target.model === input.model) {
        return { payload: input.raw, contentType: input.contentType, injectedUsage: false, headers };
      }
      return this.prepareMultipartBody(input, target, headers);
    }
    const translated = route.translation ? route.translation.request(input.json) : input.json;
    const transformed = this.transformer.transform(translated, target, route.upstream.endpoint, config);
    let body = transformed.body;
    let changed = transformed.changed || route.translation !== null;
    if (provider.config.provider_type === 'local') {
      const local = prepareLocalBody(body, target.model, config.lifecycle);
      if (!local.ok) throw new UntranslatableError(local.field, local.message);
      if (local.stripped.length > 0 && config.lifecycle.warn_on_stripped_fields) {
        this.logger.warn(
          `request ${input.request.id}: stripped for ${target.model}: ${local.stripped.join(', ')}`,
        );
      }
      body = local.body;
      changed ||= local.changed;
    }
    let injectedUsage = false;
    if (
      input.wantsStream &&
      route.upstream.streamUsage &&
      provider.preset.streamUsage &&
      !clientAskedForUsage(body)
    ) {
      const streamOptions = (body.stream_options as Record<string, unknown> | undefined) ?? {};
      body = { ...body, stream_options: { ...streamOptions, include_usage: true } };
      changed = true;
      injectedUsage = route.translation === null;
    }
    return {
      payload: changed ? JSON.stringify(body) : input.raw,
      contentType: 'application/json',
      injectedUsage,
      headers,
    };
  }

  /** A multipart upload for a target whose model differs from the client's: re-encoded with it. */
  private async prepareMultipartBody(
    input: RelayRequest,
    target: RouteTarget,
    headers: PreparedBody['headers'],
  ): Promise<PreparedBody> {
    const multipart = await parseMultipart(input.raw, input.contentType);
    const encoded = await encodeMultipart(multipart, { model: target.model });
    return { payload: encoded.payload, contentType: encoded.contentType, injectedUsage: false, headers };
  }
}

/** The log keeps the upstream's error (body and status) and what the client got. */
function captureError(record: ExchangeRecord, failed: AttemptFailure, sent: Buffer | string): void {
  if (failed.body && failed.body.length > 0) record.capture.upstreamResponse.replace(failed.body);
  record.capture.clientResponse.replace(sent);
  record.errorDetails = JSON.stringify({
    upstreamStatus: failed.status,
    outcome: failed.outcome,
    ...(failed.body && failed.body.length > 0 ? { upstreamBody: failed.body.toString('utf8', 0, 500) } : {}),
  });
}

function hasLaterTargetWithOtherModel(targets: readonly RouteTarget[], index: number): boolean {
  for (let later = index + 1; later < targets.length; later++) {
    if (targets[later].model !== targets[index].model) return true;
  }
  return false;
}

function clientAskedForUsage(body: Record<string, unknown>): boolean {
  const options = body.stream_options as { include_usage?: unknown } | undefined;
  return options?.include_usage === true;
}
