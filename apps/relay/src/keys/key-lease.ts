import type { ProviderKeyState } from '@monorelay/contracts';
/** A provider key handed to one upstream attempt. */
export interface KeyLease {
  provider: string;
  /** Stable id: provider name + a hash of the secret (survives reloads that keep the key). */
  keyId: string;
  label: string;
  /** The upstream credential. Never logged or returned by any API. */
  secret: string;
}

export type UnavailableReason =
  | 'no_keys' // the provider has no enabled key at all
  | 'cooling' // every usable key is cooling down after a 429
  | 'backing_off' // every usable key rests briefly after 5xx/timeouts
  | 'auth_failed' // every usable key failed authentication and waits for a probe or config change
  | 'over_quota' // every usable key reached quota_limit
  | 'rate_limited' // every usable key is at its rate_limit_rps
  | 'expired'; // every usable key is past expires_at

export type LeaseResult =
  | { ok: true; lease: KeyLease }
  | {
      ok: false;
      reason: UnavailableReason;
      /** Milliseconds until the soonest key is expected back, when that is known. */
      retryAfterMs: number | null;
    };

/** How an upstream attempt ended, as far as the key is concerned. */
export type KeyOutcome =
  | { kind: 'success' }
  /** 429. `retryAfterMs` from Retry-After or the provider's reset headers, null if none. */
  | { kind: 'rate_limited'; retryAfterMs: number | null }
  /** 5xx, connection refused or reset. */
  | { kind: 'server_error' }
  /** No headers within `timeout`, or no first token within `first_token_timeout`. */
  | { kind: 'timeout' }
  /** 401/403 from upstream. */
  | { kind: 'auth_failed' }
  /** The client's own fault (400, 404, 413, ...): never cools a key. */
  | { kind: 'client_error' };

/** A key's state as shown to admins (no secret). */
export interface KeyStateView {
  provider: string;
  keyId: string;
  label: string;
  enabled: boolean;
  state: ProviderKeyState;
  /** Epoch ms when a cooling or backing-off key is expected back, else null. */
  cooldownUntil: number | null;
  consecutiveFailures: number;
  successCount: number;
  quotaLimit: number;
}
