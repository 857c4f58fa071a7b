import { Injectable } from '@nestjs/common';
import { ConfigService } from '../config/config.service';

/** Keys (accounts, addresses) a window keeps at most; beyond, the stalest are forgotten first. */
const MAX_KEYS = 100_000;

/**
 * Failures per key in a sliding window. Each key keeps only its newest `limit` failure times, so
 * "limited" is simply "the oldest of those is still inside the window", and the wait is until it
 * leaves. Memory is bounded by {@link MAX_KEYS} keys of at most `limit` numbers.
 */
export class SlidingWindowCounter {
  private readonly failures = new Map<string, number[]>();
  private sweepAt = 0;

  constructor(private readonly maxKeys = MAX_KEYS) {}

  get size(): number {
    return this.failures.size;
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  retryAfterMs(key: string, limit: number, windowMs: number, now: number): number {
    const times = this.failures.get(key);
    if (!times || times.length < limit) return 0;
    const oldest = times[times.length - limit];
    return Math.max(0, oldest + windowMs - now);
  }

  hit(key: string, limit: number, windowMs: number, now: number): void {
    let times = this.failures.get(key);
    if (times) {
      // Re-insert: Map order is then least recently failed first, which is what eviction wants.
      this.failures.delete(key);
    } else {
      times = [];
      if (this.failures.size >= this.maxKeys) this.sweep(windowMs, now);
    }
    times.push(now);
    if (times.length > limit) times.splice(0, times.length - limit);
    this.failures.set(key, times);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  /** Drops keys whose failures all left the window; if still full, the least recently failed. */
  private sweep(windowMs: number, now: number): void {
    if (now >= this.sweepAt) {
      for (const [key, times] of this.failures) {
        if (times[times.length - 1] + windowMs <= now) this.failures.delete(key);
      }
      this.sweepAt = now + 1000;
    }
    const excess = this.failures.size - this.maxKeys + 1;
    if (excess <= 0) return;
    let dropped = 0;
    for (const key of this.failures.keys()) {
      if (dropped++ >= excess) break;
      this.failures.delete(key);
    }
  }
}

export interface LoginThrottle {
  /** Whole seconds to wait (for `Retry-After`). */
  retryAfterSeconds: number;
  /** What is limited, for the message. */
  scope: 'account' | 'address';
}

/**
 * Failed sign-ins per account (user name, whether it exists or not: the answer must not tell) and
 * per client address (`request.ip`, which honours `relay.trusted_proxies`) within
 * `auth.login_window_seconds`. Over either limit, sign-in is refused before any password is checked.
 * In memory: each replica counts its own attempts.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly accounts = new SlidingWindowCounter();
  private readonly addresses = new SlidingWindowCounter();

  constructor(private readonly config: ConfigService) {}

  /** Null when the attempt may go ahead. */
  check(usernameKey: string, ip: string, now = Date.now()): LoginThrottle | null {
    const { login_attempts_per_account, login_attempts_per_ip } = this.config.current.auth;
    const windowMs = this.windowMs();
    const account = this.accounts.retryAfterMs(usernameKey, login_attempts_per_account, windowMs, now);
    const address = this.addresses.retryAfterMs(ip, login_attempts_per_ip, windowMs, now);
    if (account === 0 && address === 0) return null;
    return {
      retryAfterSeconds: Math.max(1, Math.ceil(Math.max(account, address) / 1000)),
      scope: account >= address ? 'account' : 'address',
    };
  }

  recordFailure(usernameKey: string, ip: string, now = Date.now()): void {
    const { login_attempts_per_account, login_attempts_per_ip } = this.config.current.auth;
    this.accounts.hit(usernameKey, login_attempts_per_account, this.windowMs(), now);
    this.addresses.hit(ip, login_attempts_per_ip, this.windowMs(), now);
  }

  /** A successful sign-in clears the account's failures (not the address's). */
  recordSuccess(usernameKey: string): void {
    this.accounts.reset(usernameKey);
  }

  private windowMs(): number {
    return this.config.current.auth.login_window_seconds * 1000;
  }
}
