import type { ProviderKeyConfig } from '../config/relay-config';
import type { KeyLease, KeyStateView, LeaseResult } from './key-lease';
import { SlidingWindow } from './sliding-window';

export type KeyStatus = KeyStateView['state'];

/** One provider key: its settings from config and the runtime state that decides whether it may be leased. */
export class KeyRecord {
  /** The lease and the successful LeaseResult handed out for this key, built once (no per-lease allocation). */
  lease!: KeyLease;
  granted!: LeaseResult;
  enabled = true;
  weight = 1;
  quotaLimit = 0;
  /** Epoch ms from `expires_at`; null = never (also for an unparsable value, which validation reports). */
  expiresAt: number | null = null;
  window: SlidingWindow | null = null;

  /** Epoch ms until which the key rests after a 429; 0 = not cooling. */
  cooldownUntil = 0;
  /** Epoch ms until which the key rests after 5xx/timeouts; 0 = not backing off. */
  backoffUntil = 0;
  /** 401/403 seen: out until a probe restores it or a reload touches the provider. */
  authFailed = false;
  consecutiveFailures = 0;
  /** Successful requests, across replicas when the key has a quota. */
  successCount = 0;

  constructor(
    readonly provider: string,
    readonly keyId: string,
    readonly secret: string,
  ) {}

  applyConfig(config: ProviderKeyConfig): void {
    if (this.lease?.label !== config.label) {
      this.lease = Object.freeze({
        provider: this.provider,
        keyId: this.keyId,
        label: config.label,
        secret: this.secret,
      });
      this.granted = Object.freeze({ ok: true, lease: this.lease });
    }
    this.enabled = config.enabled;
    this.weight = Number.isFinite(config.weight) ? Math.max(0, config.weight) : 0;
    this.quotaLimit = config.quota_limit > 0 ? config.quota_limit : 0;
    const expiresAt = config.expires_at ? Date.parse(config.expires_at) : Number.NaN;
    this.expiresAt = Number.isNaN(expiresAt) ? null : expiresAt;
    const rps = config.rate_limit_rps > 0 ? config.rate_limit_rps : 0;
    if (rps === 0) this.window = null;
    else if (this.window?.perSecond !== rps) this.window = new SlidingWindow(rps);
  }

  /**
   * The hot-path check: may this key be leased right now? `ignoreBackoff` is for a request's own
   * same-provider retry, which the 5xx back-off (meant to steer other requests away) must not block.
   */
  isAvailable(now: number, ignoreBackoff = false): boolean {
    return (
      this.enabled &&
      (this.expiresAt === null || now < this.expiresAt) &&
      !this.authFailed &&
      (this.quotaLimit === 0 || this.successCount < this.quotaLimit) &&
      this.cooldownUntil <= now &&
      (ignoreBackoff || this.backoffUntil <= now) &&
      !(this.window?.isFull(now) ?? false)
    );
  }

  /** Why the key is or is not available, most lasting reason first. */
  status(now: number): KeyStatus {
    if (!this.enabled) return 'disabled';
    if (this.expiresAt !== null && now >= this.expiresAt) return 'expired';
    if (this.authFailed) return 'auth_failed';
    if (this.quotaLimit > 0 && this.successCount >= this.quotaLimit) return 'over_quota';
    if (this.cooldownUntil > now) return 'cooling';
    if (this.backoffUntil > now) return 'backing_off';
    if (this.window?.isFull(now)) return 'rate_limited';
    return 'available';
  }

  /** When a cooling, backing-off or rate-limited key may be leased again (epoch ms). */
  availableAt(): number {
    return Math.max(this.cooldownUntil, this.backoffUntil, this.window?.freeAt() ?? 0);
  }

  view(now: number): KeyStateView {
    return {
      provider: this.provider,
      keyId: this.keyId,
      label: this.lease.label,
      enabled: this.enabled,
      state: this.status(now),
      cooldownUntil:
        Math.max(this.cooldownUntil, this.backoffUntil) > now
          ? Math.max(this.cooldownUntil, this.backoffUntil)
          : null,
      consecutiveFailures: this.consecutiveFailures,
      successCount: this.successCount,
      quotaLimit: this.quotaLimit,
    };
  }
}
