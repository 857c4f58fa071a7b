import type { RoutingView } from '@monorelay/contracts';
import type { RelayConfig } from '../config/relay-config';

/** The routing settings of a config snapshot as the console shows them. */
export function routingViewOf(config: RelayConfig, availableModels: string[]): RoutingView {
  const routing = config.model_routing;
  const tier = (model: string) => (model.trim() === '' ? null : model);
  return {
    aliases: { ...routing.aliases },
    providerMapping: { ...routing.provider_mapping },
    modelOverrides: { ...routing.model_overrides },
    complexity: {
      enabled: routing.complexity.enabled,
      simple: tier(routing.complexity.simple),
      moderate: tier(routing.complexity.moderate),
      complex: tier(routing.complexity.complex),
    },
    cascade: {
      enabled: routing.cascade.enabled,
      models: [...routing.cascade.models],
      maxRetries: routing.cascade.max_retries,
    },
    keyStrategy: config.key_selection.strategy,
    availableModels,
  };
}
