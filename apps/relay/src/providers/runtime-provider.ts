import type { Dispatcher } from 'undici';
import type { ProviderConfig } from '../config/relay-config';
import type { ProviderAdapter } from './provider-adapter';
import type { ProviderPreset } from './provider-presets';

/** A configured provider made ready to call: resolved base URL, preset quirks, pooled connections. */
export interface RuntimeProvider {
  readonly name: string;
  readonly config: ProviderConfig;
  readonly preset: ProviderPreset;
  /** e.g. `https://openrouter.ai` */
  readonly origin: string;
  /** Path prefix of the base URL without trailing slash, e.g. `/api/v1`. */
  readonly basePath: string;
  readonly dispatcher: Dispatcher;
  readonly adapter: ProviderAdapter;
}

/**
 * The request path under the provider's base URL. A base URL that already ends with the endpoint
 * path (`.../v1/chat/completions`) is used as is, as MonoRelay did.
 */
export function upstreamPath(provider: RuntimeProvider, path: string): string {
  return provider.basePath.endsWith(path) ? provider.basePath : provider.basePath + path;
}
