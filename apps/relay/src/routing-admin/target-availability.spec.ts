import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KeyStateView } from '../keys/key-lease';
import { targetAvailability } from './target-availability';

const NOW = 1_000_000;

function key(label: string, state: KeyStateView['state'], cooldownUntil: number | null = null): KeyStateView {
  return {
    provider: 'p',
    keyId: `p:${label}`,
    label,
    enabled: state !== 'disabled',
    state,
    cooldownUntil,
    consecutiveFailures: 0,
    successCount: 0,
    quotaLimit: 0,
  };
}

const API = { enabled: true, provider_type: 'api' } as const;

describe('targetAvailability', () => {
  it('is usable when one key is available, and lists every key without secrets', () => {
    const result = targetAvailability(
      API,
      [key('a', 'cooling', NOW + 5000), key('b', 'available')],
      NOW,
      'chat',
    );
    assert.deepEqual(result, {
      usable: true,
      skipReason: null,
      keys: [
        { label: 'a', state: 'cooling', cooldownUntil: NOW + 5000 },
        { label: 'b', state: 'available', cooldownUntil: null },
      ],
    });
  });

  it('all keys cooling: says so with the soonest recovery, rounded up to seconds', () => {
    const result = targetAvailability(
      API,
      [key('a', 'cooling', NOW + 30_000), key('b', 'cooling', NOW + 26_200)],
      NOW,
      'chat',
    );
    assert.equal(result.usable, false);
    assert.equal(result.skipReason, 'all 2 keys cooling, first back in 27 s');
  });

  it('mixed states and a single key get their own wording', () => {
    const mixed = targetAvailability(
      API,
      [key('a', 'auth_failed'), key('b', 'backing_off', NOW + 2000)],
      NOW,
      'chat',
    );
    assert.equal(
      mixed.skipReason,
      'no key available (1 failing authentication, 1 backing off after errors), first back in 2 s',
    );
    const one = targetAvailability(API, [key('a', 'expired')], NOW, 'chat');
    assert.equal(one.skipReason, 'the only key expired');
  });

  it('a disabled or unknown provider is never usable', () => {
    assert.equal(
      targetAvailability({ ...API, enabled: false }, [key('a', 'available')], NOW, 'chat').skipReason,
      'provider disabled',
    );
    assert.equal(targetAvailability(undefined, [], NOW, 'chat').usable, false);
  });
});
