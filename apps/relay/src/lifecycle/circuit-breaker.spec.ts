import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  const settings = { threshold: 3, window_ms: 1000, cooldown_ms: 5000 };

  it('opens after threshold failures within the window, for the cooldown', () => {
    let now = 0;
    const breaker = new CircuitBreaker(
      () => settings,
      () => now,
    );
    breaker.recordFailure();
    now = 100;
    breaker.recordFailure();
    assert.equal(breaker.open, false);
    now = 200;
    breaker.recordFailure();
    assert.equal(breaker.open, true);
    assert.equal(breaker.remainingMs(), 5000);
    now = 5199;
    assert.equal(breaker.open, true);
    now = 5200;
    assert.equal(breaker.open, false);
  });

  it('forgets failures outside the window, and all of them on success', () => {
    let now = 0;
    const breaker = new CircuitBreaker(
      () => settings,
      () => now,
    );
    breaker.recordFailure();
    breaker.recordFailure();
    now = 1500;
    breaker.recordFailure();
    assert.equal(breaker.open, false);
    assert.equal(breaker.recentFailures, 1);
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    assert.equal(breaker.open, false);
  });
});
