import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestLogEntry } from '@monorelay/contracts';
import type { FastifyRequest } from 'fastify';
import type { RequestLogService } from '../../logging/request-log.service';
import type { ActiveRelayKey } from './active-relay-key';
import { modelAllowlist } from './model-allowlist';
import { RelayKeyCounters } from './relay-key-counters';
import { RelayKeyLimits } from './relay-key-limits.service';
import { RequestWindow } from './request-window';
import { UsageTally } from './usage-tally';

class MemoryCounters extends RelayKeyCounters {
  readonly window = new RequestWindow();
  readonly tally = new UsageTally();
  takeRequest(keyId: string, perMinute: number, now: number) {
    return this.window.take(keyId, perMinute, now);
  }
  usage(keyId: string, now: number) {
    return this.tally.usage(keyId, now);
  }
  addUsage(keyId: string, tokens: number, cost: number, at: number) {
    this.tally.add(keyId, tokens, cost, at);
  }
  flush() {
    return Promise.resolve();
  }
}

function key(overrides: Partial<ActiveRelayKey> = {}): ActiveRelayKey {
  const allowedModels = overrides.allowedModels ?? null;
  return {
    id: 'k1',
    userId: 'u1',
    name: 'test',
    username: 'ann',
    role: 'user',
    userDisabled: false,
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
    allowedModels,
    modelAllowed: modelAllowlist(allowedModels),
    requestsPerMinute: null,
    tokensPerDay: null,
    budgetUsdPerDay: null,
    budgetUsdPerMonth: null,
    principal: {
      kind: 'relay_key',
      id: 'user:u1',
      name: 'ann',
      userId: 'u1',
      role: 'user',
      relayKeyId: 'k1',
    },
    ...overrides,
  };
}

const requestWith = (relayKey?: ActiveRelayKey) => ({ relayKey }) as FastifyRequest;
const NOW = Date.parse('2026-03-10T22:00:00Z');

function limits(): { limits: RelayKeyLimits; counters: MemoryCounters } {
  const counters = new MemoryCounters();
  return { limits: new RelayKeyLimits(counters, {} as RequestLogService), counters };
}

describe('RelayKeyLimits', () => {
  it('lets the access key (no relay key) and unlimited keys through', () => {
    const { limits: l } = limits();
    assert.equal(l.admit(requestWith(), 'any', NOW), null);
    assert.equal(l.admit(requestWith(key()), 'any', NOW), null);
  });

  it('refuses a model outside the globs with 403 model_not_allowed, naming the model', () => {
    const { limits: l } = limits();
    const refusal = l.admit(requestWith(key({ allowedModels: ['gpt-4o*'] })), 'claude-3', NOW);
    assert.ok(refusal && !(refusal instanceof Promise));
    assert.equal(refusal.status, 403);
    assert.equal(refusal.code, 'model_not_allowed');
    assert.equal(refusal.openAiType, 'invalid_request_error');
    assert.match(refusal.message, /'claude-3'.*gpt-4o\*/);
    assert.equal(l.admit(requestWith(key({ allowedModels: ['gpt-4o*'] })), 'gpt-4o-mini', NOW), null);
  });

  it('requests per minute: 429 with the seconds until a slot frees', () => {
    const { limits: l } = limits();
    const k = key({ requestsPerMinute: 2 });
    assert.equal(l.admit(requestWith(k), 'm', NOW), null);
    assert.equal(l.admit(requestWith(k), 'm', NOW + 20_000), null);
    const refusal = l.admit(requestWith(k), 'm', NOW + 30_500);
    assert.ok(refusal && !(refusal instanceof Promise));
    assert.equal(refusal.status, 429);
    assert.equal(refusal.code, 'rate_limit_exceeded');
    assert.equal(refusal.limit, 'requests_per_minute');
    assert.equal(refusal.retryAfterSeconds, 30);
    assert.match(refusal.message, /2 requests per minute/);
  });

  it('tokens per day and budgets: counted from finished entries, refused until the period ends', () => {
    const { limits: l } = limits();
    const k = key({ tokensPerDay: 1000, budgetUsdPerDay: 1, budgetUsdPerMonth: 5, requestsPerMinute: 100 });
    const entry = (inputTokens: number, outputTokens: number, costUsd: number | null) =>
      ({ relayKeyId: 'k1', inputTokens, outputTokens, costUsd }) as RequestLogEntry;
    l.count(entry(400, 500, 0.1), NOW);
    assert.equal(l.admit(requestWith(k), 'm', NOW), null);
    l.count(entry(50, 50, null), NOW);
    const tokens = l.admit(requestWith(k), 'm', NOW);
    assert.ok(tokens && !(tokens instanceof Promise));
    assert.equal(tokens.limit, 'tokens_per_day');
    assert.equal(tokens.retryAfterSeconds, 2 * 3600, 'until 00:00 UTC');
    assert.match(tokens.message, /1000 of 1000 tokens/);

    const day = l.admit(requestWith({ ...k, tokensPerDay: null }), 'm', NOW);
    assert.equal(day, null, 'cost 0.1 < $1');
    l.count(entry(1, 1, 0.95), NOW);
    const budget = l.admit(requestWith({ ...k, tokensPerDay: null }), 'm', NOW);
    assert.ok(budget && !(budget instanceof Promise));
    assert.equal(budget.limit, 'budget_usd_per_day');
    assert.match(budget.message, /\$1\.05 of \$1\.00/);

    const month = l.admit(
      requestWith({ ...k, tokensPerDay: null, budgetUsdPerDay: null, budgetUsdPerMonth: 1 }),
      'm',
      NOW,
    );
    assert.ok(month && !(month instanceof Promise));
    assert.equal(month.limit, 'budget_usd_per_month');
    assert.equal(month.retryAfterSeconds, (Date.parse('2026-04-01T00:00:00Z') - NOW) / 1000);
    assert.match(month.message, /resets on 2026-04-01/);
  });

  it('a refused request does not use a per-minute slot', () => {
    const { limits: l, counters } = limits();
    const k = key({ requestsPerMinute: 1, allowedModels: ['a'] });
    l.admit(requestWith(k), 'b', NOW);
    assert.equal(counters.window.count('k1', NOW), 0);
    assert.equal(l.admit(requestWith(k), 'a', NOW), null);
  });

  it('ignores entries of the access key', () => {
    const { limits: l, counters } = limits();
    l.count({ relayKeyId: null, inputTokens: 5, outputTokens: 5, costUsd: 1 } as RequestLogEntry, NOW);
    assert.equal(counters.tally.pendingCount, 0);
  });
});
