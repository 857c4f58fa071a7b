import { NEVER } from 'rxjs';
import { defaultProviderConfig, defaultRelayConfig } from '../config/config-defaults';
import type { ConfigSource } from '../config/config-source';
import type { ProviderConfig, RelayConfig } from '../config/relay-config';

/** A provider config for specs: `include`/`exclude` fill `models`, the rest overrides the defaults. */
export function providerWith(
  options: Partial<Omit<ProviderConfig, 'models'>> & { include?: string[]; exclude?: string[] } = {},
): ProviderConfig {
  const { include = [], exclude = [], ...rest } = options;
  return { ...defaultProviderConfig(), ...rest, models: { include, exclude } };
}

/** A default config with `providers` (in the given order) and edits applied. */
export function configWith(
  providers: Record<string, ProviderConfig>,
  edit: (config: RelayConfig) => void = () => {},
): RelayConfig {
  const config = defaultRelayConfig();
  config.providers = providers;
  edit(config);
  return config;
}

/** A ConfigSource that never changes. */
export function staticConfigSource(config: RelayConfig): ConfigSource {
  return { current: config, changes$: NEVER };
}
