import { type ConfigIssue, issue } from './config-issue';
import { type RelayConfig } from './relay-config';

/** Warnings about values that refer to things the config does not define. */
export function crossCheck(config: RelayConfig): ConfigIssue[] {
  const warnings: ConfigIssue[] = [];
  for (const [glob, provider] of Object.entries(config.model_routing.provider_mapping)) {
    if (!(provider in config.providers)) {
      warnings.push(
        issue(
          'reference',
          ['model_routing', 'provider_mapping', glob],
          `provider '${provider}' is not defined under providers; this mapping never matches`,
        ),
      );
    }
  }
  return warnings;
}
