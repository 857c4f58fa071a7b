import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keysConfig, keysHarness, keyWith, leased, providerWithKeys } from './keys-test-helpers';

describe('keys hot path', () => {
  it('hands out a prebuilt lease result per key: nothing is allocated per lease', () => {
    const { service } = keysHarness(keysConfig({ p: providerWithKeys([keyWith('a'), keyWith('b')]) }));
    const first = service.lease('p');
    service.lease('p');
    assert.equal(service.lease('p'), first);
    assert.ok(Object.isFrozen(first) && Object.isFrozen(leased(first)));
  });

  it('leases and reports fast enough for the hot path (loose sanity bound)', () => {
    const keys = Array.from({ length: 8 }, (_, i) =>
      keyWith(`k${i}`, { rate_limit_rps: 1e6, quota_limit: 0 }),
    );
    for (const strategy of ['round-robin', 'random', 'weighted'] as const) {
      const { service, clock } = keysHarness(keysConfig({ p: providerWithKeys(keys) }, strategy));
      const iterations = 100_000;
      const started = performance.now();
      for (let i = 0; i < iterations; i++) {
        clock.advance(1);
        service.report(leased(service.lease('p')), { kind: 'success' });
      }
      const perCallUs = ((performance.now() - started) * 1000) / iterations;
      // Typically well under a microsecond; the bound only catches accidental per-call work.
      assert.ok(perCallUs < 20, `${strategy}: lease + report took ${perCallUs.toFixed(2)} µs`);
    }
  });
});
