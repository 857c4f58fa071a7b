import type { SsoConfig } from '../../config/relay-config';
import type { SsoProvider } from '../entities/user-identity.entity';

export type { SsoProvider };

/** The providers this relay can sign in with, in button order. */
export const SSO_PROVIDERS: readonly { id: SsoProvider; name: string }[] = [
  { id: 'github', name: 'GitHub' },
  { id: 'google', name: 'Google' },
];

export function isSsoProvider(value: string): value is SsoProvider {
  return value === 'github' || value === 'google';
}

/**
 * A provider is on when `sso.enabled` and its OAuth app is configured (client id and secret), so
 * GitHub and Google can both be on at once. `sso.provider` (MonoRelay's single-provider key) only
 * picks the default button.
 */
export function isProviderConfigured(sso: SsoConfig, provider: SsoProvider): boolean {
  if (!sso.enabled) return false;
  return provider === 'github'
    ? sso.github_client_id.trim() !== '' && sso.github_client_secret.trim() !== ''
    : sso.google_client_id.trim() !== '' && sso.google_client_secret.trim() !== '';
}

export function configuredProviders(sso: SsoConfig): SsoProvider[] {
  return SSO_PROVIDERS.map((provider) => provider.id).filter((id) => isProviderConfigured(sso, id));
}

/** `sso.provider` when it is configured; else the first configured provider; null when none is. */
export function defaultProvider(sso: SsoConfig): SsoProvider | null {
  const configured = configuredProviders(sso);
  const wanted = sso.provider.trim().toLowerCase();
  return configured.find((id) => id === wanted) ?? configured[0] ?? null;
}

/** `https://github.com/` -> `https://github.com`. */
export function withoutTrailingSlash(url: string): string {
  return url.trim().replace(/\/+$/, '');
}
