import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { RequestLogEntry } from '@monorelay/contracts';
import type { FastifyRequest } from 'fastify';
import type { Subscription } from 'rxjs';
import { RequestLogService } from '../../logging/request-log.service';
import type { ActiveRelayKey } from './active-relay-key';
import { type MaybePromise, RelayKeyCounters } from './relay-key-counters';
import { nextUtcDayStart, nextUtcMonthStart, retryAfterSeconds } from './usage-periods';
import type { KeyUsage } from './usage-tally';

/** Why a relay key's request is refused before routing; answered in the client's error format. */
export interface LimitRefusal {
  status: 403 | 429;
  message: string;
  /** OpenAI's error type (Anthropic's follows from the status: permission_error, rate_limit_error). */
  openAiType: string;
  code: 'model_not_allowed' | 'rate_limit_exceeded';
  /** Which limit, for the log: `allowed_models`, `requests_per_minute`, `tokens_per_day`, ... */
  limit: string;
  /** Seconds, for 429's `Retry-After`. */
  retryAfterSeconds: number | null;
}

/**
 * Enforces a relay key's allowed models and limits before a request is routed, and counts the
 * tokens and cost of every finished exchange made with a key (from the request log's stream of
 * finished entries, which flows whether or not `logging.enabled` stores them).
 *
 * Usage is counted when an exchange finishes, so requests already running when a key reaches its
 * token or budget limit still complete: the limit can be overshot by those.
 */
@Injectable()
export class RelayKeyLimits implements OnModuleInit, OnModuleDestroy {
  private subscription: Subscription | null = null;

  constructor(
    private readonly counters: RelayKeyCounters,
    private readonly requestLog: RequestLogService,
  ) {}

  onModuleInit(): void {
    this.subscription = this.requestLog.entries$.subscribe((entry) => this.count(entry));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** null: go ahead (always for the access key). */
  admit(request: FastifyRequest, model: string, now = Date.now()): MaybePromise<LimitRefusal | null> {
    const key = request.relayKey;
    if (key === undefined) return null;
    if (key.modelAllowed !== null && !key.modelAllowed(model)) return modelRefused(key, model);
    if (key.tokensPerDay !== null || key.budgetUsdPerDay !== null || key.budgetUsdPerMonth !== null) {
      const usage = this.counters.usage(key.id, now);
      if (usage instanceof Promise) {
        return usage.then((known) => overUsage(key, known, now) ?? this.takeRequest(key, now));
      }
      const over = overUsage(key, usage, now);
      if (over !== null) return over;
    }
    return this.takeRequest(key, now);
  }

  /** Only the allowed-models check (for requests that use no tokens, such as counting them). */
  modelRefusal(request: FastifyRequest, model: string): LimitRefusal | null {
    const key = request.relayKey;
    if (key === undefined || key.modelAllowed === null || key.modelAllowed(model)) return null;
    return modelRefused(key, model);
  }

  /** Adds a finished exchange's tokens (input + output) and cost to its key's day and month. */
  count(entry: RequestLogEntry, at = Date.now()): void {
    if (entry.relayKeyId === null) return;
    const tokens = entry.inputTokens + entry.outputTokens;
    const cost = entry.costUsd ?? 0;
    if (tokens > 0 || cost > 0) this.counters.addUsage(entry.relayKeyId, tokens, cost, at);
  }

  private takeRequest(key: ActiveRelayKey, now: number): MaybePromise<LimitRefusal | null> {
    const perMinute = key.requestsPerMinute;
    if (perMinute === null) return null;
    const waitMs = this.counters.takeRequest(key.id, perMinute, now);
    if (waitMs instanceof Promise) return waitMs.then((ms) => rateRefused(perMinute, ms, now));
    return rateRefused(perMinute, waitMs, now);
  }
}

function modelRefused(key: ActiveRelayKey, model: string): LimitRefusal {
  return {
    status: 403,
    message: `This relay key may not use the model '${model}'. Allowed models: ${key.allowedModels!.join(', ')}.`,
    openAiType: 'invalid_request_error',
    code: 'model_not_allowed',
    limit: 'allowed_models',
    retryAfterSeconds: null,
  };
}

function rateRefused(perMinute: number, waitMs: number, now: number): LimitRefusal | null {
  if (waitMs <= 0) return null;
  const seconds = retryAfterSeconds(now, now + waitMs);
  return overLimit(
    'requests_per_minute',
    `Rate limit of this relay key reached: ${perMinute} requests per minute. Retry in ${seconds} s.`,
    seconds,
  );
}

/** The first day or month limit the key has reached, if any. */
export function overUsage(key: ActiveRelayKey, usage: KeyUsage, now: number): LimitRefusal | null {
  if (key.tokensPerDay !== null && usage.tokensToday >= key.tokensPerDay) {
    return overLimit(
      'tokens_per_day',
      `Daily token limit of this relay key reached: ${usage.tokensToday} of ${key.tokensPerDay} tokens ` +
        `used today (UTC). It resets at 00:00 UTC.`,
      retryAfterSeconds(now, nextUtcDayStart(now)),
    );
  }
  if (key.budgetUsdPerDay !== null && usage.costUsdToday >= key.budgetUsdPerDay) {
    return overLimit(
      'budget_usd_per_day',
      `Daily budget of this relay key reached: ${usd(usage.costUsdToday)} of ${usd(key.budgetUsdPerDay)} ` +
        `spent today (UTC). It resets at 00:00 UTC.`,
      retryAfterSeconds(now, nextUtcDayStart(now)),
    );
  }
  if (key.budgetUsdPerMonth !== null && usage.costUsdThisMonth >= key.budgetUsdPerMonth) {
    const next = nextUtcMonthStart(now);
    return overLimit(
      'budget_usd_per_month',
      `Monthly budget of this relay key reached: ${usd(usage.costUsdThisMonth)} of ${usd(key.budgetUsdPerMonth)} ` +
        `spent this month (UTC). It resets on ${new Date(next).toISOString().slice(0, 10)}.`,
      retryAfterSeconds(now, next),
    );
  }
  return null;
}

function overLimit(limit: string, message: string, seconds: number): LimitRefusal {
  return {
    status: 429,
    message,
    openAiType: 'rate_limit_error',
    code: 'rate_limit_exceeded',
    limit,
    retryAfterSeconds: seconds,
  };
}

function usd(amount: number): string {
  return `$${amount < 10 ? amount.toFixed(4).replace(/0{1,2}$/, '') : amount.toFixed(2)}`;
}
