import type { KeyStrategy } from '../config/relay-config';
import type { LeaseResult, UnavailableReason } from './key-lease';
import type { KeyRecord } from './key-record';
import { pickRandom, pickRoundRobin, pickWeighted } from './selection-strategies';

export type Unavailable = Extract<LeaseResult, { ok: false }>;

/** A provider's keys for one config snapshot, with the selection strategy and its cursor. */
export class ProviderKeyPool {
  /** Round-robin position: the index the next search starts at. */
  cursor: number;
  private readonly usable: boolean[];
  private readonly weights: number[];

  constructor(
    readonly name: string,
    readonly enabled: boolean,
    readonly strategy: KeyStrategy,
    /** `rate_limit_cooldown` in ms: the default 429 cooldown and the back-off cap. */
    readonly cooldownMs: number,
    /** Fingerprint of the provider's config, to tell whether a reload touched it. */
    readonly fingerprint: string,
    readonly keys: readonly KeyRecord[],
    cursor = 0,
  ) {
    this.cursor = keys.length > 0 ? cursor % keys.length : 0;
    this.usable = keys.map(() => false);
    this.weights = keys.map((key) => key.weight);
  }

  /** The key to lease now, or null when none is available. */
  pick(
    now: number,
    exclude: ReadonlySet<string> | undefined,
    random: () => number,
    ignoreBackoff = false,
  ): KeyRecord | null {
    let any = false;
    for (let index = 0; index < this.keys.length; index++) {
      const key = this.keys[index];
      const ok = key.isAvailable(now, ignoreBackoff) && !(exclude !== undefined && exclude.has(key.keyId));
      this.usable[index] = ok;
      any ||= ok;
    }
    if (!any) return null;
    let index: number;
    if (this.strategy === 'random') index = pickRandom(this.usable, random);
    else if (this.strategy === 'weighted') index = pickWeighted(this.usable, this.weights, random);
    else {
      index = pickRoundRobin(this.usable, this.cursor);
      this.cursor = (index + 1) % this.keys.length;
    }
    return this.keys[index];
  }

  /**
   * Why no key could be leased. A time-bound state (cooling, backing off, rate-limited) wins because it ends:
   * the reason is that of the key back soonest, and `retryAfterMs` says when. Otherwise the first
   * lasting state present, by priority auth_failed > over_quota > expired; `no_keys` when every key
   * is disabled (or the only free ones were excluded by the caller).
   */
  unavailable(now: number): Unavailable {
    let soonest = Number.POSITIVE_INFINITY;
    let soonestReason: UnavailableReason = 'cooling';
    let authFailed = false;
    let overQuota = false;
    let expired = false;
    for (const key of this.keys) {
      const status = key.status(now);
      if (status === 'cooling' || status === 'backing_off' || status === 'rate_limited') {
        const at = key.availableAt();
        if (at < soonest) {
          soonest = at;
          soonestReason = status;
        }
      } else if (status === 'auth_failed') authFailed = true;
      else if (status === 'over_quota') overQuota = true;
      else if (status === 'expired') expired = true;
    }
    if (soonest !== Number.POSITIVE_INFINITY) {
      return { ok: false, reason: soonestReason, retryAfterMs: Math.max(0, Math.ceil(soonest - now)) };
    }
    const reason: UnavailableReason = authFailed
      ? 'auth_failed'
      : overQuota
        ? 'over_quota'
        : expired
          ? 'expired'
          : 'no_keys';
    return { ok: false, reason, retryAfterMs: null };
  }
}
