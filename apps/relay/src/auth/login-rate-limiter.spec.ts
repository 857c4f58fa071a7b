import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigService } from '../config/config.service';
import { defaultRelayConfig } from '../config/config-defaults';
import { LoginRateLimiter, SlidingWindowCounter } from './login-rate-limiter';

describe('SlidingWindowCounter', () => {
  it('limits after `limit` hits inside the window and frees as the oldest leaves it', () => {
    const counter = new SlidingWindowCounter();
    for (let t = 0; t < 3; t++) counter.hit('k', 3, 1000, t * 100);
    assert.equal(counter.retryAfterMs('k', 3, 1000, 250), 750);
    assert.equal(counter.retryAfterMs('k', 3, 1000, 999), 1);
    assert.equal(counter.retryAfterMs('k', 3, 1000, 1000), 0);
    // the window slides: one more hit at 1000 makes the hits at 100, 200, 1000
    counter.hit('k', 3, 1000, 1000);
    assert.equal(counter.retryAfterMs('k', 3, 1000, 1000), 100);
    assert.equal(counter.retryAfterMs('other', 3, 1000, 1000), 0);
  });

  it('keeps keys apart and forgets on reset', () => {
    const counter = new SlidingWindowCounter();
    counter.hit('a', 1, 1000, 0);
    assert.ok(counter.retryAfterMs('a', 1, 1000, 10) > 0);
    assert.equal(counter.retryAfterMs('b', 1, 1000, 10), 0);
    counter.reset('a');
    assert.equal(counter.retryAfterMs('a', 1, 1000, 10), 0);
  });

  it('stays within its key bound, dropping expired then least recently failed keys', () => {
    const counter = new SlidingWindowCounter(3);
    counter.hit('a', 1, 1000, 0);
    counter.hit('b', 1, 1000, 1);
    counter.hit('c', 1, 1000, 2000);
    counter.hit('d', 1, 1000, 2001); // a and b expired: swept
    assert.equal(counter.size, 2);
    counter.hit('e', 1, 1000, 2002);
    counter.hit('f', 1, 1000, 2003); // full, nothing expired: c (least recent) goes
    assert.equal(counter.size, 3);
    assert.equal(counter.retryAfterMs('c', 1, 1000, 2003), 0);
    assert.ok(counter.retryAfterMs('f', 1, 1000, 2003) > 0);
  });
});

describe('LoginRateLimiter', () => {
  const config = defaultRelayConfig();
  const limiter = () =>
    new LoginRateLimiter({
      current: {
        ...config,
        auth: {
          ...config.auth,
          login_attempts_per_account: 2,
          login_attempts_per_ip: 3,
          login_window_seconds: 60,
        },
      },
    } as unknown as ConfigService);

  it('limits an account after its failures, with Retry-After in whole seconds', () => {
    const l = limiter();
    l.recordFailure('alice', '10.0.0.1', 1000);
    assert.equal(l.check('alice', '10.0.0.1', 1000), null);
    l.recordFailure('alice', '10.0.0.2', 2000);
    assert.deepEqual(l.check('alice', '10.0.0.9', 2500), { retryAfterSeconds: 59, scope: 'account' });
    assert.equal(l.check('alice', '10.0.0.9', 61_000), null);
  });

  it('limits an address across accounts', () => {
    const l = limiter();
    for (const name of ['a', 'b', 'c']) l.recordFailure(name, '10.0.0.1', 0);
    assert.equal(l.check('d', '10.0.0.1', 10)?.scope, 'address');
    assert.equal(l.check('d', '10.0.0.2', 10), null);
  });

  it('a success clears the account, not the address', () => {
    const l = limiter();
    l.recordFailure('bob', '10.0.0.1', 0);
    l.recordFailure('bob', '10.0.0.1', 0);
    l.recordSuccess('bob');
    assert.equal(l.check('bob', '10.0.0.7', 10), null);
    l.recordFailure('x', '10.0.0.1', 0);
    assert.equal(l.check('y', '10.0.0.1', 10)?.scope, 'address');
  });
});
