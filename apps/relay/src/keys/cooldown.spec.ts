import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMs, rateLimitCooldownMs } from './cooldown';

describe('backoffMs', () => {
  it('doubles from 1 s with each consecutive failure', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => backoffMs(n, 60_000)),
      [1000, 2000, 4000, 8000, 16_000],
    );
  });

  it('is capped by the provider cooldown, also for very long streaks', () => {
    assert.equal(backoffMs(7, 60_000), 60_000);
    assert.equal(backoffMs(1000, 60_000), 60_000);
    assert.equal(backoffMs(1, 500), 500);
  });

  it('is zero without failures or with a zero cooldown', () => {
    assert.equal(backoffMs(0, 60_000), 0);
    assert.equal(backoffMs(3, 0), 0);
  });
});

describe('rateLimitCooldownMs', () => {
  it("uses the upstream's delay when there is one", () => {
    assert.equal(rateLimitCooldownMs(1500, 60_000), 1500);
    assert.equal(rateLimitCooldownMs(0, 60_000), 0);
    assert.equal(rateLimitCooldownMs(12.2, 60_000), 13);
  });

  it('falls back to the provider cooldown', () => {
    assert.equal(rateLimitCooldownMs(null, 30_000), 30_000);
    assert.equal(rateLimitCooldownMs(Number.NaN, 30_000), 30_000);
  });
});
