import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyIdFor } from './key-id';
import type { KeyOutcome, LeaseResult } from './key-lease';
import {
  keysConfig,
  keysHarness,
  keyWith,
  leased,
  ManualClock,
  providerWithKeys,
  settle,
} from './keys-test-helpers';
import { parseRateLimitReset } from './rate-limit-reset';

function labels(results: LeaseResult[]): string[] {
  return results.map((result) => leased(result).label);
}

function unavailable(result: LeaseResult): { reason: string; retryAfterMs: number | null } {
  assert.equal(result.ok, false, 'expected no lease');
  const { reason, retryAfterMs } = result as Extract<LeaseResult, { ok: false }>;
  return { reason, retryAfterMs };
}

const abc = () => [keyWith('a'), keyWith('b'), keyWith('c')];

describe('KeysService: strategies', () => {
  it('round-robin rotates in exact order and skips unavailable keys', () => {
    const { service } = keysHarness(keysConfig({ p: providerWithKeys(abc()) }));
    assert.deepEqual(labels(Array.from({ length: 7 }, () => service.lease('p'))), [
      'a',
      'b',
      'c',
      'a',
      'b',
      'c',
      'a',
    ]);
    service.report(leased(service.lease('p')), { kind: 'rate_limited', retryAfterMs: 10_000 }); // b cools
    assert.deepEqual(labels(Array.from({ length: 4 }, () => service.lease('p'))), ['c', 'a', 'c', 'a']);
  });

  it('random spreads leases evenly', () => {
    const { service } = keysHarness(keysConfig({ p: providerWithKeys(abc()) }, 'random'));
    const counts = new Map<string, number>();
    const draws = 6000;
    for (let i = 0; i < draws; i++) {
      const label = leased(service.lease('p')).label;
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    for (const label of ['a', 'b', 'c']) {
      assert.ok(Math.abs((counts.get(label) ?? 0) / draws - 1 / 3) < 0.04, JSON.stringify([...counts]));
    }
  });

  it('weighted follows the weights; weight 0 is a standby', () => {
    const keys = [
      keyWith('light', { weight: 1 }),
      keyWith('heavy', { weight: 3 }),
      keyWith('standby', { weight: 0 }),
    ];
    const { service } = keysHarness(keysConfig({ p: providerWithKeys(keys) }, 'weighted'));
    const counts = new Map<string, number>();
    const draws = 8000;
    for (let i = 0; i < draws; i++) {
      const label = leased(service.lease('p')).label;
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    assert.equal(counts.get('standby'), undefined);
    assert.ok(Math.abs((counts.get('heavy') ?? 0) / draws - 0.75) < 0.03, JSON.stringify([...counts]));
    const exclude = new Set([keyIdFor('p', 'light'), keyIdFor('p', 'heavy')]);
    assert.equal(leased(service.lease('p', exclude)).label, 'standby');
  });
});

describe('KeysService: availability', () => {
  it('skips disabled keys and says no_keys when none is enabled', () => {
    const { service } = keysHarness(
      keysConfig({
        p: providerWithKeys([keyWith('off', { enabled: false }), keyWith('on')]),
        q: providerWithKeys([keyWith('x', { enabled: false })]),
      }),
    );
    assert.deepEqual(labels([service.lease('p'), service.lease('p')]), ['on', 'on']);
    assert.deepEqual(unavailable(service.lease('q')), { reason: 'no_keys', retryAfterMs: null });
  });

  it('says no_keys for unknown and disabled providers', () => {
    const { service } = keysHarness(
      keysConfig({ off: providerWithKeys([keyWith('a')], { enabled: false }) }),
    );
    assert.deepEqual(unavailable(service.lease('off')), { reason: 'no_keys', retryAfterMs: null });
    assert.deepEqual(unavailable(service.lease('ghost')), { reason: 'no_keys', retryAfterMs: null });
  });

  it('leases a keyless provider with an empty secret', () => {
    const { service } = keysHarness(keysConfig({ local: providerWithKeys([]) }));
    const lease = leased(service.lease('local'));
    assert.equal(lease.secret, '');
    assert.equal(lease.label, 'keyless');
  });

  it('skips expired keys', () => {
    const { service, clock } = keysHarness(
      keysConfig({
        p: providerWithKeys([
          keyWith('old', { expires_at: '2026-03-01T11:00:00Z' }),
          keyWith('soon', { expires_at: '2026-03-01T12:00:01Z' }),
        ]),
      }),
    );
    assert.equal(leased(service.lease('p')).label, 'soon');
    clock.advance(1000);
    assert.deepEqual(unavailable(service.lease('p')), { reason: 'expired', retryAfterMs: null });
  });

  it('skips keys over quota, counting successful requests only', () => {
    const { service } = keysHarness(keysConfig({ p: providerWithKeys([keyWith('q', { quota_limit: 2 })]) }));
    const lease = leased(service.lease('p'));
    service.report(lease, { kind: 'client_error' });
    service.report(lease, { kind: 'success' });
    assert.ok(service.lease('p').ok);
    service.report(lease, { kind: 'success' });
    assert.deepEqual(unavailable(service.lease('p')), { reason: 'over_quota', retryAfterMs: null });
    assert.equal(service.snapshot('p')[0].state, 'over_quota');
  });

  it('enforces rate_limit_rps over a sliding one-second window, each lease counting', () => {
    const { service, clock } = keysHarness(
      keysConfig({ p: providerWithKeys([keyWith('r', { rate_limit_rps: 2 })]) }),
    );
    assert.ok(service.lease('p').ok);
    clock.advance(400);
    assert.ok(service.lease('p').ok);
    clock.advance(100);
    assert.deepEqual(unavailable(service.lease('p')), { reason: 'rate_limited', retryAfterMs: 500 });
    clock.advance(500);
    assert.ok(service.lease('p').ok, 'the first lease left the window');
    assert.deepEqual(unavailable(service.lease('p')), { reason: 'rate_limited', retryAfterMs: 400 });
  });

  it('skips cooling and auth-failed keys and never falls back to them', () => {
    const { service } = keysHarness(
      keysConfig({ p: providerWithKeys([keyWith('a'), keyWith('b'), keyWith('c', { enabled: false })]) }),
    );
    service.report(leased(service.lease('p')), { kind: 'auth_failed' });
    assert.equal(leased(service.lease('p')).label, 'b');
    service.report(leased(service.lease('p')), { kind: 'rate_limited', retryAfterMs: 3000 });
    assert.deepEqual(unavailable(service.lease('p')), { reason: 'cooling', retryAfterMs: 3000 });
  });

  it('honours the exclude set of keys this request already tried', () => {
    const { service } = keysHarness(keysConfig({ p: providerWithKeys([keyWith('a'), keyWith('b')]) }));
    const tried = new Set([keyIdFor('p', 'a')]);
    assert.deepEqual(labels([service.lease('p', tried), service.lease('p', tried)]), ['b', 'b']);
    tried.add(keyIdFor('p', 'b'));
    assert.deepEqual(unavailable(service.lease('p', tried)), { reason: 'no_keys', retryAfterMs: null });
    service.report(leased(service.lease('p')), { kind: 'rate_limited', retryAfterMs: 2000 });
    assert.deepEqual(unavailable(service.lease('p', tried)), { reason: 'cooling', retryAfterMs: 2000 });
  });

  it('reports the soonest recovery when every key is cooling', () => {
    const { service, clock } = keysHarness(keysConfig({ p: providerWithKeys(abc()) }));
    for (const delay of [10_000, 3_000, 7_000]) {
      service.report(leased(service.lease('p')), { kind: 'rate_limited', retryAfterMs: delay });
    }
    assert.deepEqual(unavailable(service.lease('p')), { reason: 'cooling', retryAfterMs: 3000 });
    clock.advance(2500);
    assert.deepEqual(unavailable(service.lease('p')), { reason: 'cooling', retryAfterMs: 500 });
    clock.advance(500);
    assert.equal(leased(service.lease('p')).label, 'b');
  });

  it('ranks lasting reasons: auth_failed before over_quota', () => {
    const { service } = keysHarness(
      keysConfig({ p: providerWithKeys([keyWith('a'), keyWith('b', { quota_limit: 1 })]) }),
    );
    service.report(leased(service.lease('p')), { kind: 'auth_failed' });
    service.report(leased(service.lease('p')), { kind: 'success' });
    assert.deepEqual(unavailable(service.lease('p')), { reason: 'auth_failed', retryAfterMs: null });
  });
});

describe('KeysService: outcomes', () => {
  const single = (cooldownSeconds = 60) =>
    keysHarness(
      keysConfig({ p: providerWithKeys([keyWith('k')], { rate_limit_cooldown: cooldownSeconds }) }),
    );

  it('cools a rate-limited key for the upstream reset, parsed from its headers', () => {
    const cases: [string, Record<string, string>, number][] = [
      ['Retry-After seconds', { 'retry-after': '12' }, 12_000],
      ['Retry-After date', { 'retry-after': 'Sun, 01 Mar 2026 12:00:45 GMT' }, 45_000],
      [
        'OpenAI reset',
        { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1m30s' },
        90_000,
      ],
      [
        'Anthropic reset',
        {
          'anthropic-ratelimit-tokens-remaining': '0',
          'anthropic-ratelimit-tokens-reset': '2026-03-01T12:00:08Z',
        },
        8_000,
      ],
    ];
    for (const [name, headers, expected] of cases) {
      const { service, clock } = single();
      const retryAfterMs = parseRateLimitReset(headers, clock.now());
      service.report(leased(service.lease('p')), { kind: 'rate_limited', retryAfterMs });
      assert.deepEqual(unavailable(service.lease('p')), { reason: 'cooling', retryAfterMs: expected }, name);
      assert.equal(service.snapshot()[0].cooldownUntil, clock.now() + expected, name);
    }
  });

  it('cools a rate-limited key for rate_limit_cooldown when the upstream gave no reset', () => {
    const { service } = single(30);
    service.report(leased(service.lease('p')), { kind: 'rate_limited', retryAfterMs: null });
    assert.deepEqual(unavailable(service.lease('p')), { reason: 'cooling', retryAfterMs: 30_000 });
  });

  it('never shortens an existing cooldown', () => {
    const { service } = single();
    const lease = leased(service.lease('p'));
    service.report(lease, { kind: 'rate_limited', retryAfterMs: 20_000 });
    service.report(lease, { kind: 'rate_limited', retryAfterMs: 1_000 });
    assert.equal(unavailable(service.lease('p')).retryAfterMs, 20_000);
  });

  it('a 429 cooldown is not lifted for a same-provider retry', () => {
    const { service } = single();
    service.report(leased(service.lease('p')), { kind: 'rate_limited', retryAfterMs: 2_000 });
    assert.equal(service.lease('p', undefined, { ignoreBackoff: true }).ok, false);
  });

  for (const kind of ['server_error', 'timeout'] as const) {
    it(`backs off after ${kind}, doubling on repeats, capped by rate_limit_cooldown, reset by a success`, () => {
      const { service, clock } = single(5);
      const lease = leased(service.lease('p'));
      const waits: (number | null)[] = [];
      for (let i = 0; i < 5; i++) {
        service.report(lease, { kind });
        const { retryAfterMs } = unavailable(service.lease('p'));
        waits.push(retryAfterMs);
        clock.advance(retryAfterMs ?? 0);
      }
      assert.deepEqual(waits, [1000, 2000, 4000, 5000, 5000]);
      assert.equal(service.snapshot()[0].consecutiveFailures, 5);
      service.report(lease, { kind });
      assert.equal(unavailable(service.lease('p')).reason, 'backing_off');
      assert.equal(service.snapshot()[0].state, 'backing_off');
      assert.ok(
        service.lease('p', undefined, { ignoreBackoff: true }).ok,
        "a request's own retry may use it",
      );
      clock.advance(5000);
      service.report(leased(service.lease('p')), { kind: 'success' });
      assert.equal(service.snapshot()[0].consecutiveFailures, 0);
      service.report(lease, { kind });
      assert.equal(unavailable(service.lease('p')).retryAfterMs, 1000);
    });
  }

  it('never cools a key for a client error', () => {
    const { service } = single();
    const lease = leased(service.lease('p'));
    for (let i = 0; i < 5; i++) service.report(lease, { kind: 'client_error' });
    assert.ok(service.lease('p').ok);
    assert.equal(service.snapshot()[0].state, 'available');
  });

  it('ignores reports for keys a reload removed', () => {
    const { service, source } = single();
    const lease = leased(service.lease('p'));
    source.reload(keysConfig({ p: providerWithKeys([keyWith('other')]) }));
    assert.doesNotThrow(() => service.report(lease, { kind: 'auth_failed' }));
    assert.ok(service.lease('p').ok);
  });
});

describe('KeysService: auth failures', () => {
  it('takes the key out until restore(), and lists it for the probe', () => {
    const { service } = keysHarness(keysConfig({ p: providerWithKeys([keyWith('k')]) }));
    const lease = leased(service.lease('p'));
    service.report(lease, { kind: 'auth_failed' });
    assert.deepEqual(unavailable(service.lease('p')), { reason: 'auth_failed', retryAfterMs: null });
    assert.deepEqual(service.authFailedKeys(), [lease]);
    assert.equal(service.authFailedKeys()[0].secret, 'k');
    assert.equal(service.restore(lease.keyId), true);
    assert.ok(service.lease('p').ok);
    assert.deepEqual(service.authFailedKeys(), []);
    assert.equal(service.restore('p:unknown'), false);
  });

  it('restores auth-failed keys of a provider whose config changed, and only those', () => {
    const config = keysConfig({ p: providerWithKeys([keyWith('a')]), q: providerWithKeys([keyWith('b')]) });
    const { service, source } = keysHarness(config);
    service.report(leased(service.lease('p')), { kind: 'auth_failed' });
    service.report(leased(service.lease('q')), { kind: 'auth_failed' });
    const next = keysConfig({
      p: providerWithKeys([keyWith('a')], { base_url: 'https://fixed.example/v1' }),
      q: providerWithKeys([keyWith('b')]),
    });
    source.reload(next);
    assert.ok(service.lease('p').ok);
    assert.equal(unavailable(service.lease('q')).reason, 'auth_failed');
  });
});

describe('KeysService: reloads', () => {
  it('keeps the state of kept keys, forgets removed ones and adds new ones', () => {
    const { service, source, clock } = keysHarness(
      keysConfig({ p: providerWithKeys([keyWith('a'), keyWith('b')]) }),
    );
    const a = leased(service.lease('p'));
    service.report(a, { kind: 'rate_limited', retryAfterMs: 5_000 });
    service.report(leased(service.lease('p')), { kind: 'success' });
    source.reload(keysConfig({ p: providerWithKeys([keyWith('a', { label: 'renamed' }), keyWith('c')]) }));
    const views = service.snapshot('p');
    assert.deepEqual(
      views.map((view) => [view.label, view.state, view.keyId]),
      [
        ['renamed', 'cooling', a.keyId],
        ['c', 'available', keyIdFor('p', 'c')],
      ],
    );
    assert.equal(views[0].cooldownUntil, clock.now() + 5_000);
    assert.equal(leased(service.lease('p')).label, 'c');
  });

  it('derives stable ids from provider name and secret hash, never exposing the secret', () => {
    const id = keyIdFor('openai', 'sk-secret-value');
    assert.match(id, /^openai:[0-9a-f]{12}$/);
    assert.equal(id, keyIdFor('openai', 'sk-secret-value'));
    assert.notEqual(id, keyIdFor('other', 'sk-secret-value'));
    const { service } = keysHarness(
      keysConfig({ openai: providerWithKeys([keyWith('sk-secret-value', { label: 'main' })]) }),
    );
    const snapshot = JSON.stringify(service.snapshot());
    assert.ok(!snapshot.includes('sk-secret-value'));
    assert.equal(service.snapshot()[0].keyId, id);
  });

  it('treats a secret listed twice as one key', () => {
    const { service } = keysHarness(
      keysConfig({ p: providerWithKeys([keyWith('a'), keyWith('a', { label: 'dup' })]) }),
    );
    assert.equal(service.snapshot().length, 1);
  });

  it('follows the strategy of the new snapshot', () => {
    const { service, source } = keysHarness(
      keysConfig({ p: providerWithKeys([keyWith('a', { weight: 0 }), keyWith('b')]) }),
    );
    assert.deepEqual(labels([service.lease('p'), service.lease('p')]), ['a', 'b']);
    source.reload(
      keysConfig({ p: providerWithKeys([keyWith('a', { weight: 0 }), keyWith('b')]) }, 'weighted'),
    );
    assert.deepEqual(labels([service.lease('p'), service.lease('p'), service.lease('p')]), ['b', 'b', 'b']);
  });
});

describe('KeysService: snapshot', () => {
  it('describes every key without secrets', () => {
    const { service, clock } = keysHarness(
      keysConfig({
        p: providerWithKeys([keyWith('a', { quota_limit: 5 }), keyWith('b', { enabled: false })]),
        q: providerWithKeys([keyWith('c')]),
      }),
    );
    service.report(leased(service.lease('p')), { kind: 'server_error' });
    assert.deepEqual(service.snapshot('p'), [
      {
        provider: 'p',
        keyId: keyIdFor('p', 'a'),
        label: 'a',
        enabled: true,
        state: 'backing_off',
        cooldownUntil: clock.now() + 1000,
        consecutiveFailures: 1,
        successCount: 0,
        quotaLimit: 5,
      },
      {
        provider: 'p',
        keyId: keyIdFor('p', 'b'),
        label: 'b',
        enabled: false,
        state: 'disabled',
        cooldownUntil: null,
        consecutiveFailures: 0,
        successCount: 0,
        quotaLimit: 0,
      },
    ]);
    assert.equal(service.snapshot().length, 3);
  });
});

describe('KeysService: shared state across replicas', () => {
  const config = () => keysConfig({ p: providerWithKeys([keyWith('a'), keyWith('b', { quota_limit: 2 })]) });

  it('a second service on the same store sees a cooldown reported by the first', () => {
    const first = keysHarness(config());
    const second = keysHarness(config(), { clock: first.clock, store: first.store });
    first.service.report(leased(first.service.lease('p')), { kind: 'rate_limited', retryAfterMs: 9_000 });
    assert.equal(second.service.snapshot('p')[0].state, 'cooling');
    assert.equal(leased(second.service.lease('p')).label, 'b');
  });

  it('a service started later loads cooldowns, auth failures and quota counts from the store', async () => {
    const first = keysHarness(config());
    const a = leased(first.service.lease('p'));
    const b = leased(first.service.lease('p'));
    first.service.report(a, { kind: 'auth_failed' });
    first.service.report(b, { kind: 'success' });
    first.service.report(b, { kind: 'rate_limited', retryAfterMs: 4_000 });
    await settle();
    const later = keysHarness(config(), { clock: first.clock, store: first.store });
    await settle();
    assert.deepEqual(
      later.service.snapshot('p').map((view) => [view.label, view.state, view.successCount]),
      [
        ['a', 'auth_failed', 0],
        ['b', 'cooling', 1],
      ],
    );
    first.clock.advance(4_000);
    first.service.report(b, { kind: 'success' });
    await settle();
    assert.equal(later.service.snapshot('p')[1].state, 'over_quota');
  });

  it('shares auth failures and restores; a stored failure under an older provider config is ignored', async () => {
    const first = keysHarness(config());
    const second = keysHarness(config(), { clock: first.clock, store: first.store });
    const a = leased(first.service.lease('p'));
    first.service.report(a, { kind: 'auth_failed' });
    assert.equal(second.service.snapshot('p')[0].state, 'auth_failed');
    second.service.restore(a.keyId);
    assert.equal(first.service.snapshot('p')[0].state, 'available');
    first.service.report(a, { kind: 'auth_failed' });
    await settle();
    const changed = keysConfig({ p: providerWithKeys([keyWith('a'), keyWith('b', { quota_limit: 3 })]) });
    const fresh = keysHarness(changed, { clock: first.clock, store: first.store });
    await settle();
    assert.equal(fresh.service.snapshot('p')[0].state, 'available');
  });

  it('stops listening after onModuleDestroy', () => {
    const first = keysHarness(config());
    const second = keysHarness(config(), { clock: first.clock, store: first.store });
    second.service.onModuleDestroy();
    first.service.report(leased(first.service.lease('p')), { kind: 'rate_limited', retryAfterMs: 1_000 });
    assert.equal(second.service.snapshot('p')[0].state, 'available');
  });
});

describe('KeysService: clock', () => {
  it('uses the injected clock for every decision', () => {
    const clock = new ManualClock(0);
    const { service } = keysHarness(keysConfig({ p: providerWithKeys([keyWith('a')]) }), { clock });
    const outcome: KeyOutcome = { kind: 'rate_limited', retryAfterMs: 100 };
    service.report(leased(service.lease('p')), outcome);
    assert.equal(service.snapshot()[0].cooldownUntil, 100);
    clock.advance(100);
    assert.ok(service.lease('p').ok);
  });
});
