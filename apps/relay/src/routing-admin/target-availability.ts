import type { SimulatedKey } from '@monorelay/contracts';
import type { ProviderConfig } from '../config/relay-config';
import type { KeyStateView } from '../keys/key-lease';
import type { RelayEndpoint } from '../routing/route-plan';
import { servesEndpoint } from '../routing/endpoint-support';

/** Words for a key state in a skip reason ("all 2 keys cooling"). */
const STATE_WORDS: Record<KeyStateView['state'], string> = {
  available: 'available',
  cooling: 'cooling',
  backing_off: 'backing off after errors',
  auth_failed: 'failing authentication',
  over_quota: 'over quota',
  rate_limited: 'at their rate limit',
  expired: 'expired',
  disabled: 'disabled',
};

export interface TargetAvailability {
  usable: boolean;
  skipReason: string | null;
  keys: SimulatedKey[];
}

/**
 * Whether a target would be tried now, from its provider's state and its keys' states: a lease needs
 * one `available` key (a keyless provider has one pseudo key, so it is usable unless resting).
 */
export function targetAvailability(
  provider: Pick<ProviderConfig, 'enabled' | 'provider_type'> | undefined,
  keys: readonly KeyStateView[],
  now: number,
  endpoint: RelayEndpoint,
): TargetAvailability {
  const simulated = keys.map((key) => ({
    label: key.label,
    state: key.state,
    cooldownUntil: key.cooldownUntil,
  }));
  if (!provider) return { usable: false, skipReason: 'provider is not configured', keys: simulated };
  if (!servesEndpoint(provider.provider_type, endpoint)) {
    const skipReason = `cannot serve ${endpoint} (its API is ${provider.provider_type})`;
    return { usable: false, skipReason, keys: simulated };
  }
  if (!provider.enabled) return { usable: false, skipReason: 'provider disabled', keys: simulated };
  if (keys.length === 0) return { usable: false, skipReason: 'no keys', keys: simulated };
  if (keys.some((key) => key.state === 'available'))
    return { usable: true, skipReason: null, keys: simulated };
  return { usable: false, skipReason: skipReason(keys, now), keys: simulated };
}

function skipReason(keys: readonly KeyStateView[], now: number): string {
  const counts = new Map<KeyStateView['state'], number>();
  for (const key of keys) counts.set(key.state, (counts.get(key.state) ?? 0) + 1);
  const backAt = keys
    .map((key) => key.cooldownUntil)
    .filter((until): until is number => until !== null && until > now);
  const back =
    backAt.length > 0
      ? `, first back in ${Math.max(1, Math.ceil((Math.min(...backAt) - now) / 1000))} s`
      : '';
  if (counts.size === 1) {
    const [state] = counts.keys();
    const subject = keys.length === 1 ? 'the only key' : `all ${keys.length} keys`;
    return `${subject} ${STATE_WORDS[state]}${back}`;
  }
  const parts = [...counts].map(([state, count]) => `${count} ${STATE_WORDS[state]}`);
  return `no key available (${parts.join(', ')})${back}`;
}
