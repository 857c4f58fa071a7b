import type { ProviderHealth, ProviderKeyState, ProviderType, ProviderView } from '@monorelay/contracts';
import type { MessageKey } from '../../core/i18n/en';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export const PROVIDER_TYPES: ProviderType[] = ['api', 'anthropic', 'web_reverse', 'local'];

export const TYPE_LABELS: Record<ProviderType, MessageKey> = {
  api: 'providers.type.api',
  anthropic: 'providers.type.anthropic',
  web_reverse: 'providers.type.web_reverse',
  local: 'providers.type.local',
};

export const HEALTH_LABELS: Record<ProviderHealth, MessageKey> = {
  healthy: 'providers.health.healthy',
  degraded: 'providers.health.degraded',
  down: 'providers.health.down',
  disabled: 'providers.health.disabled',
};

export const KEY_STATE_LABELS: Record<ProviderKeyState, MessageKey> = {
  available: 'providers.keyState.available',
  cooling: 'providers.keyState.cooling',
  backing_off: 'providers.keyState.backing_off',
  auth_failed: 'providers.keyState.auth_failed',
  over_quota: 'providers.keyState.over_quota',
  rate_limited: 'providers.keyState.rate_limited',
  expired: 'providers.keyState.expired',
  disabled: 'providers.keyState.disabled',
};

/** Badge colour class (see `.badge` in styles.css): ok, run (waiting) or bad; '' for neutral. */
export function healthTone(health: ProviderHealth): string {
  return health === 'healthy' ? 'ok' : health === 'degraded' ? 'run' : health === 'down' ? 'bad' : '';
}

export function keyStateTone(state: ProviderKeyState): string {
  switch (state) {
    case 'available':
      return 'ok';
    case 'cooling':
    case 'backing_off':
    case 'rate_limited':
      return 'run';
    case 'disabled':
      return '';
    default:
      return 'bad';
  }
}

export function availableKeys(provider: ProviderView): number {
  return provider.keys.filter((key) => key.state === 'available').length;
}

/**
 * "back in 23 s" for a key cooling until `cooldownUntil` (epoch ms), seen at `now`; minutes and hours
 * for longer waits; "back any moment" once the time has passed but the relay has not said so yet.
 */
export function recoveryText(cooldownUntil: number, now: number, t: Translate): string {
  const seconds = Math.ceil((cooldownUntil - now) / 1000);
  if (seconds <= 0) return t('providers.key.backSoon');
  let time: string;
  if (seconds < 60) time = t('providers.duration.s', { s: seconds });
  else if (seconds < 3600)
    time = t('providers.duration.ms', { m: Math.floor(seconds / 60), s: seconds % 60 });
  else
    time = t('providers.duration.hm', {
      h: Math.floor(seconds / 3600),
      m: Math.floor((seconds % 3600) / 60),
    });
  return t('providers.key.backIn', { time });
}

/** A list typed one per line or comma-separated, trimmed, without blanks. */
export function parseList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
}
