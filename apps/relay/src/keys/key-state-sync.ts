import { randomUUID } from 'node:crypto';
import type { SharedStateStore } from '../cluster/shared-state.store';

/** Channel on which replicas announce key state changes to each other. */
export const KEY_EVENTS_CHANNEL = 'monorelay:keys:events';

/** How long an auth failure is remembered in the store for replicas that start later. */
export const AUTH_FAILED_TTL_MS = 24 * 60 * 60 * 1000;

export const keyStateKeys = {
  cooldown: (keyId: string) => `monorelay:keys:cooldown:${keyId}`,
  backoff: (keyId: string) => `monorelay:keys:backoff:${keyId}`,
  /** Value: the provider config fingerprint the failure happened under. */
  authFailed: (keyId: string) => `monorelay:keys:auth-failed:${keyId}`,
  successes: (keyId: string) => `monorelay:keys:successes:${keyId}`,
};

export type KeyEvent =
  | { type: 'cooldown'; keyId: string; until: number }
  | { type: 'backoff'; keyId: string; until: number }
  | { type: 'auth_failed'; keyId: string; fingerprint: string }
  | { type: 'restored'; keyId: string }
  | { type: 'successes'; keyId: string; count: number };

/** A key's state as another replica left it in the store. */
export interface StoredKeyState {
  cooldownUntil: number;
  backoffUntil: number;
  /** Fingerprint of the provider config the auth failure happened under, or null. */
  authFailedUnder: string | null;
  successes: number;
}

/**
 * Mirrors key state changes to the shared store (fire-and-forget, with TTLs) and relays other
 * replicas' changes. Decisions never wait on it: the local mirror in KeysService is authoritative
 * for this process, the store only brings replicas into line.
 */
export class KeyStateSync {
  /** Identifies this instance's messages, which the memory store also delivers back to it. */
  private readonly origin = randomUUID();

  constructor(
    private readonly store: SharedStateStore,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** A 429 cooldown (`cooldown`) or a 5xx/timeout back-off (`backoff`) until `until`. */
  rest(type: 'cooldown' | 'backoff', keyId: string, until: number, now: number): void {
    this.forget(this.store.set(keyStateKeys[type](keyId), String(until), Math.max(1, until - now)));
    this.publish({ type, keyId, until });
  }

  authFailed(keyId: string, fingerprint: string): void {
    this.forget(this.store.set(keyStateKeys.authFailed(keyId), fingerprint, AUTH_FAILED_TTL_MS));
    this.publish({ type: 'auth_failed', keyId, fingerprint });
  }

  restored(keyId: string): void {
    this.forget(this.store.delete(keyStateKeys.authFailed(keyId)));
    this.publish({ type: 'restored', keyId });
  }

  /** Counts a success in the store; resolves to the count across replicas. */
  countSuccess(keyId: string): Promise<number> {
    return this.store.increment(keyStateKeys.successes(keyId));
  }

  successes(keyId: string, count: number): void {
    this.publish({ type: 'successes', keyId, count });
  }

  async load(keyId: string): Promise<StoredKeyState> {
    const [cooldown, backoff, authFailed, successes] = await Promise.all([
      this.store.get(keyStateKeys.cooldown(keyId)),
      this.store.get(keyStateKeys.backoff(keyId)),
      this.store.get(keyStateKeys.authFailed(keyId)),
      this.store.get(keyStateKeys.successes(keyId)),
    ]);
    return {
      cooldownUntil: Number(cooldown) || 0,
      backoffUntil: Number(backoff) || 0,
      authFailedUnder: authFailed,
      successes: Number(successes) || 0,
    };
  }

  /** Other replicas' events; returns the unsubscribe function. */
  subscribe(handler: (event: KeyEvent) => void): () => void {
    return this.store.subscribe(KEY_EVENTS_CHANNEL, (message) => {
      let parsed: { origin?: unknown; event?: KeyEvent };
      try {
        parsed = JSON.parse(message) as typeof parsed;
      } catch {
        return;
      }
      if (parsed.origin !== this.origin && parsed.event && typeof parsed.event.keyId === 'string') {
        handler(parsed.event);
      }
    });
  }

  private publish(event: KeyEvent): void {
    this.forget(this.store.publish(KEY_EVENTS_CHANNEL, JSON.stringify({ origin: this.origin, event })));
  }

  private forget(pending: Promise<unknown>): void {
    pending.catch(this.onError);
  }
}
