import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { SharedStateStore } from '../cluster/shared-state.store';
import { defaultProviderKeyConfig } from '../config/config-defaults';
import { ConfigSource } from '../config/config-source';
import type { ProviderKeyConfig, RelayConfig } from '../config/relay-config';
import { Clock } from './clock';
import { backoffMs, rateLimitCooldownMs } from './cooldown';
import { configFingerprint, keyIdFor } from './key-id';
import type { KeyLease, KeyOutcome, KeyStateView, LeaseResult } from './key-lease';
import { KeyRecord } from './key-record';
import { type KeyEvent, KeyStateSync } from './key-state-sync';
import { ProviderKeyPool } from './provider-key-pool';

const NO_KEYS: LeaseResult = Object.freeze({ ok: false, reason: 'no_keys', retryAfterMs: null });

/**
 * A provider without any key (a local llama.cpp, an open endpoint) still gets leases, with an empty
 * secret (send no credential), so the request path stays the same and back-off still applies.
 */
const KEYLESS: ProviderKeyConfig = { ...defaultProviderKeyConfig(), key: '', label: 'keyless' };

/**
 * Provider key pools: which key an upstream attempt uses, and what its outcome does to the key.
 *
 * `lease` is synchronous and decides from in-process state only. State changes are mirrored to the
 * shared store (fire-and-forget) and announced on a channel so other replicas follow: cooldowns,
 * auth failures and, for keys with a quota, success counts. Round-robin cursors and rps windows
 * stay per replica.
 */
@Injectable()
export class KeysService implements OnModuleDestroy {
  private readonly logger = new Logger(KeysService.name);
  private readonly sync: KeyStateSync;
  private readonly unsubscribeEvents: () => void;
  private readonly configSubscription: Subscription;
  private pools = new Map<string, ProviderKeyPool>();
  private records = new Map<string, KeyRecord>();
  private applied: RelayConfig | null = null;

  constructor(
    config: ConfigSource,
    store: SharedStateStore,
    private readonly clock: Clock,
  ) {
    this.sync = new KeyStateSync(store, (error) => this.logger.warn(`shared key state: ${String(error)}`));
    this.unsubscribeEvents = this.sync.subscribe((event) => this.applyEvent(event));
    this.applyConfig(config.current);
    this.configSubscription = config.changes$.subscribe((next) => this.applyConfig(next));
  }

  /**
   * A key of `provider` for one upstream attempt, chosen by `key_selection.strategy` among keys that
   * are enabled, unexpired, under quota and rps, not cooling, not auth-failed and not in `exclude`
   * (the keys this request already tried). A lease counts toward the key's rps window.
   * `ignoreBackoff` lets a request's own same-provider retry use keys resting after a 5xx.
   */
  lease(provider: string, exclude?: ReadonlySet<string>, options?: { ignoreBackoff?: boolean }): LeaseResult {
    const pool = this.pools.get(provider);
    if (!pool || !pool.enabled) return NO_KEYS;
    const now = this.clock.now();
    const key = pool.pick(now, exclude, Math.random, options?.ignoreBackoff ?? false);
    if (!key) return pool.unavailable(now);
    key.window?.record(now);
    return key.granted;
  }

  report(lease: KeyLease, outcome: KeyOutcome): void {
    const key = this.records.get(lease.keyId);
    const pool = key && this.pools.get(key.provider);
    if (!key || !pool) return; // removed by a reload while the attempt ran
    const now = this.clock.now();
    switch (outcome.kind) {
      case 'success':
        key.consecutiveFailures = 0;
        key.successCount++;
        if (key.quotaLimit > 0) this.shareSuccess(key);
        return;
      case 'rate_limited':
        this.coolDown(key, now + rateLimitCooldownMs(outcome.retryAfterMs, pool.cooldownMs), now);
        return;
      case 'server_error':
      case 'timeout': {
        key.consecutiveFailures++;
        const delay = backoffMs(key.consecutiveFailures, pool.cooldownMs);
        if (delay > 0 && now + delay > key.backoffUntil) {
          key.backoffUntil = now + delay;
          this.sync.rest('backoff', key.keyId, key.backoffUntil, now);
        }
        return;
      }
      case 'auth_failed':
        if (key.authFailed) return;
        key.authFailed = true;
        this.sync.authFailed(key.keyId, pool.fingerprint);
        return;
      case 'client_error':
        return;
    }
  }

  /** Every key's state, or one provider's (no secrets). */
  snapshot(provider?: string): KeyStateView[] {
    const now = this.clock.now();
    const views: KeyStateView[] = [];
    for (const pool of this.pools.values()) {
      if (provider !== undefined && pool.name !== provider) continue;
      for (const key of pool.keys) views.push(key.view(now));
    }
    return views;
  }

  /** Keys out for 401/403, for the probe that may restore them. */
  authFailedKeys(): KeyLease[] {
    const leases: KeyLease[] = [];
    for (const key of this.records.values()) if (key.authFailed) leases.push(key.lease);
    return leases;
  }

  /** Puts an auth-failed key back (a probe passed). False when the key is unknown. */
  restore(keyId: string): boolean {
    const key = this.records.get(keyId);
    if (!key) return false;
    key.authFailed = false;
    key.consecutiveFailures = 0;
    this.sync.restored(keyId);
    return true;
  }

  onModuleDestroy(): void {
    this.configSubscription.unsubscribe();
    this.unsubscribeEvents();
  }

  private coolDown(key: KeyRecord, until: number, now: number): void {
    if (until <= key.cooldownUntil) return;
    key.cooldownUntil = until;
    this.sync.rest('cooldown', key.keyId, until, now);
  }

  private shareSuccess(key: KeyRecord): void {
    this.sync.countSuccess(key.keyId).then(
      (count) => {
        if (this.records.get(key.keyId) !== key) return;
        key.successCount = Math.max(key.successCount, count);
        if (count >= key.quotaLimit) this.sync.successes(key.keyId, count);
      },
      (error: unknown) => this.logger.warn(`shared key state: ${String(error)}`),
    );
  }

  private applyEvent(event: KeyEvent): void {
    const key = this.records.get(event.keyId);
    if (!key) return;
    switch (event.type) {
      case 'cooldown':
        key.cooldownUntil = Math.max(key.cooldownUntil, event.until);
        return;
      case 'backoff':
        key.backoffUntil = Math.max(key.backoffUntil, event.until);
        return;
      case 'auth_failed':
        // A failure under another version of the provider's config is stale (or not ours yet).
        if (this.pools.get(key.provider)?.fingerprint === event.fingerprint) key.authFailed = true;
        return;
      case 'restored':
        key.authFailed = false;
        key.consecutiveFailures = 0;
        return;
      case 'successes':
        key.successCount = Math.max(key.successCount, event.count);
        return;
    }
  }

  /**
   * Rebuilds the pools for a new snapshot. Keys are matched by id, so kept keys keep their state,
   * removed keys are forgotten and new keys load what other replicas stored about them. A provider
   * whose config changed gets its auth-failed keys back (the fix may be in the new config).
   */
  private applyConfig(config: RelayConfig): void {
    if (config === this.applied) return;
    this.applied = config;
    const records = new Map<string, KeyRecord>();
    const pools = new Map<string, ProviderKeyPool>();
    const added: KeyRecord[] = [];
    for (const [name, provider] of Object.entries(config.providers)) {
      const previous = this.pools.get(name);
      const fingerprint = configFingerprint(provider);
      const touched = previous !== undefined && previous.fingerprint !== fingerprint;
      const keys: KeyRecord[] = [];
      for (const keyConfig of provider.keys.length > 0 ? provider.keys : [KEYLESS]) {
        const keyId = keyIdFor(name, keyConfig.key);
        if (records.has(keyId)) continue; // the same secret listed twice: one key
        let key = this.records.get(keyId);
        if (!key) {
          key = new KeyRecord(name, keyId, keyConfig.key);
          added.push(key);
        } else if (touched && key.authFailed) {
          key.authFailed = false;
          this.sync.restored(keyId);
        }
        key.applyConfig(keyConfig);
        records.set(keyId, key);
        keys.push(key);
      }
      const cooldownMs = Math.max(0, provider.rate_limit_cooldown) * 1000;
      const strategy = config.key_selection.strategy;
      pools.set(
        name,
        new ProviderKeyPool(
          name,
          provider.enabled,
          strategy,
          cooldownMs,
          fingerprint,
          keys,
          previous?.cursor,
        ),
      );
    }
    this.records = records;
    this.pools = pools;
    for (const key of added) this.loadStoredState(key);
  }

  private loadStoredState(key: KeyRecord): void {
    this.sync.load(key.keyId).then(
      (stored) => {
        if (this.records.get(key.keyId) !== key) return;
        key.cooldownUntil = Math.max(key.cooldownUntil, stored.cooldownUntil);
        key.backoffUntil = Math.max(key.backoffUntil, stored.backoffUntil);
        key.successCount = Math.max(key.successCount, stored.successes);
        if (
          stored.authFailedUnder !== null &&
          stored.authFailedUnder === this.pools.get(key.provider)?.fingerprint
        ) {
          key.authFailed = true;
        }
      },
      (error: unknown) => this.logger.warn(`shared key state: ${String(error)}`),
    );
  }
}
