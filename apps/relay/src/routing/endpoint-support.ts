import type { ProviderType } from '../config/relay-config';
import type { RelayEndpoint } from './route-plan';

/** What an Anthropic-API provider can answer: Messages natively, chat and Responses translated. */
const ANTHROPIC_ENDPOINTS: ReadonlySet<RelayEndpoint> = new Set(['chat', 'messages', 'responses']);

/**
 * Whether a provider of this API can serve a relay endpoint at all. The relay skips a target that
 * cannot (an `unsupported` attempt), and the route simulator says so instead of calling it usable.
 */
export function servesEndpoint(providerType: ProviderType, endpoint: RelayEndpoint): boolean {
  return providerType !== 'anthropic' || ANTHROPIC_ENDPOINTS.has(endpoint);
}
