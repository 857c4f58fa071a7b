import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { RelayKeyLimits } from '../auth/relay-keys/relay-key-limits.service';
import { ConfigSource } from '../config/config-source';
import { KeysService } from '../keys/keys.service';
import { RequestLogService } from '../logging/request-log.service';
import { ProviderRegistry } from '../providers/provider-registry.service';
import type { RuntimeProvider } from '../providers/runtime-provider';
import { type RoutePlan, UnknownModelError } from '../routing/route-plan';
import { RoutingService } from '../routing/routing.service';
import { type AttemptFailure, failure } from './attempt-failure';
import { sendClientError, sendUpstreamError } from './client-dialect';
import { setRoutingHeaders } from './client-reply';
import { type ExchangeRecord, recordFor } from './exchange-record';
import { parseRateLimitReset } from '../keys/rate-limit-reset';
import { classifyTransportError, classifyUpstreamStatus, keyOutcomeFor } from './failure-policy';
import type { RelayRequest } from './relay-request';
import { finalClientError } from './final-error';
import { readUpstreamBody } from './request-body';
import { upstreamHeaders } from './upstream-headers';
import { countMethodFor, countTokens, countableFromMessages } from './token-counter';

/**
 * `POST /v1/messages/count_tokens` for the resolved target: an Anthropic upstream counts itself
 * (the request is passed through); any other target is counted here, with the model's real
 * tokenizer when it is an OpenAI-family model and an estimate otherwise (`x-monorelay-count`
 * says which).
 */
@Injectable()
export class CountTokensService {
  constructor(
    private readonly config: ConfigSource,
    private readonly routing: RoutingService,
    private readonly keys: KeysService,
    private readonly providers: ProviderRegistry,
    private readonly requestLog: RequestLogService,
    private readonly keyLimits: RelayKeyLimits,
  ) {}

  async count(input: RelayRequest): Promise<void> {
    const { request, reply } = input;
    const record = recordFor(request, 'count_tokens', false, this.config.current);
    if (input.json) record.capture.clientRequest.push(input.raw);
    record.requestedModel = input.model;
    // a relay key's allowed models apply here too (its rate and usage limits do not: counting is free)
    const refused = this.keyLimits.modelRefusal(request, input.model);
    if (refused !== null) {
      const sent = sendClientError(
        reply,
        'anthropic',
        403,
        refused.message,
        refused.openAiType,
        refused.code,
      );
      record.capture.clientResponse.push(sent);
      this.requestLog.record(record.failed(403, 'client_error', refused.code, refused.message));
      return;
    }
    let plan: RoutePlan;
    try {
      plan = this.routing.plan({ model: input.model, endpoint: 'messages' }, this.config.current);
    } catch (error) {
      if (!(error instanceof UnknownModelError)) throw error;
      sendClientError(
        reply,
        'anthropic',
        404,
        `${error.message}.`,
        'invalid_request_error',
        'model_not_found',
      );
      this.requestLog.record(record.failed(404, 'not_found', 'model_not_found', error.message));
      return;
    }
    record.routeSteps = plan.steps;
    const failures: AttemptFailure[] = [];
    for (const target of plan.targets) {
      const provider = this.providers.get(target.provider);
      if (!provider) continue;
      if (provider.config.provider_type !== 'anthropic') {
        const method = countMethodFor(target.model);
        const tokens = countTokens(countableFromMessages(input.json ?? {}), method);
        record.provider = provider.name;
        record.servedModel = target.model;
        setRoutingHeaders(reply, provider.name, target.model, record.upstreamAttempts);
        reply.header('x-monorelay-count', method).send({ input_tokens: tokens });
        this.requestLog.record(record.succeeded(200));
        return;
      }
      if (await this.passThrough(input, record, provider, target.model, failures)) return;
    }
    this.answerFailure(input, record, plan, failures);
  }

  /** Every target failed: the same answer /v1/messages would give (429 + Retry-After, 5xx carried...). */
  private answerFailure(
    input: RelayRequest,
    record: ExchangeRecord,
    plan: RoutePlan,
    failures: AttemptFailure[],
  ): void {
    const config = this.config.current;
    const cooldowns = plan.targets.map(
      (target) => config.providers[target.provider]?.rate_limit_cooldown ?? 60,
    );
    const error = finalClientError(failures, Math.min(...cooldowns, 60) * 1000);
    const { reply } = input;
    if (error.passThrough) {
      sendUpstreamError(reply, 'anthropic', error.passThrough);
    } else {
      if (error.retryAfterSeconds !== null) reply.header('retry-after', String(error.retryAfterSeconds));
      sendClientError(reply, 'anthropic', error.status, error.message, error.type, error.code, error.param);
    }
    this.requestLog.record(record.failed(error.status, error.errorType, error.code, error.message));
  }

  /**
   * Asks an Anthropic upstream, key after key; true when an answer (a count, or the client's own
   * error) was sent. Other failures are added to `failures`.
   */
  private async passThrough(
    input: RelayRequest,
    record: ExchangeRecord,
    provider: RuntimeProvider,
    model: string,
    failures: AttemptFailure[],
  ): Promise<boolean> {
    const tried = new Set<string>();
    for (;;) {
      const leased = this.keys.lease(provider.name, tried);
      if (!leased.ok) {
        failures.push(
          failure('no_key', `[${provider.name}] no usable API key (${leased.reason})`, {
            retryAfterMs: leased.retryAfterMs,
            keyReason: leased.reason,
          }),
        );
        return false;
      }
      tried.add(leased.lease.keyId);
      const startedAt = performance.now();
      let status: number;
      let body: Buffer;
      try {
        const upstream = await provider.adapter.send({
          provider,
          key: leased.lease,
          path: '/messages/count_tokens',
          method: 'POST',
          body: JSON.stringify({ ...input.json, model }),
          contentType: 'application/json',
          headers: upstreamHeaders(input.request, provider),
          signal: AbortSignal.timeout(provider.config.timeout * 1000),
        });
        body = await readUpstreamBody(upstream.body);
        status = upstream.status;
        if (status >= 300) {
          const failed = classifyUpstreamStatus(status, upstream.headers, body, provider.config, (h) =>
            parseRateLimitReset(h, Date.now()),
          );
          failed.bodyShape = 'anthropic';
          failed.detail = `[${provider.name}] ${failed.detail}`;
          record.addAttempt(
            provider.name,
            model,
            leased.lease.label,
            failed.outcome,
            status,
            startedAt,
            failed.detail,
          );
          this.keys.report(leased.lease, keyOutcomeFor(failed)!);
          if (failed.outcome !== 'client_error' && failed.outcome !== 'context_length') {
            failures.push(failed);
            // As on the relay path: another key after a 429 or 401/403, the next target otherwise.
            if (failed.outcome === 'rate_limited' || failed.outcome === 'auth_failed') continue;
            return false;
          }
        } else {
          record.addAttempt(provider.name, model, leased.lease.label, 'success', status, startedAt, null);
          this.keys.report(leased.lease, { kind: 'success' });
        }
      } catch (error) {
        const failed = classifyTransportError(error, provider.config.timeout);
        failed.detail = `[${provider.name}] ${failed.detail}`;
        record.addAttempt(
          provider.name,
          model,
          leased.lease.label,
          failed.outcome,
          null,
          startedAt,
          failed.detail,
        );
        this.keys.report(leased.lease, keyOutcomeFor(failed)!);
        failures.push(failed);
        return false;
      }
      record.provider = provider.name;
      record.keyLabel = leased.lease.label;
      record.servedModel = model;
      setRoutingHeaders(input.reply, provider.name, model, record.upstreamAttempts);
      input.reply.code(status).header('content-type', 'application/json').send(body);
      this.requestLog.record(
        status < 300
          ? record.succeeded(status)
          : record.failed(status, 'client_error', null, body.toString('utf8', 0, 300)),
      );
      return true;
    }
  }
}
