import { Injectable } from '@nestjs/common';
import type { Strategy } from 'passport';
import { ConfigService } from '../../config/config.service';
import { GitHubSsoStrategy, gitHubSettings } from './github.strategy';
import { GoogleSsoStrategy, googleSettings } from './google.strategy';
import { OAuthStateStore } from './oauth-state.store';
import { isProviderConfigured, type SsoProvider } from './sso-providers';

/**
 * The passport strategies, built from the configuration in force: the configuration is
 * hot-reloaded, so each sign-in step asks for the strategy of the current `sso` block, and a
 * changed block (new client secret, URLs, allowed organisations) builds (and registers) a new one.
 * A flow started before a change still finishes: its state lives in the browser's cookie.
 */
@Injectable()
export class SsoStrategies {
  private readonly built = new Map<SsoProvider, { fingerprint: string; strategy: Strategy }>();

  constructor(
    private readonly config: ConfigService,
    private readonly store: OAuthStateStore,
  ) {}

  /** The strategy of `provider`; null when SSO is off or the provider is not configured. */
  get(provider: SsoProvider): Strategy | null {
    const sso = this.config.current.sso;
    if (!isProviderConfigured(sso, provider)) return null;
    const settings = provider === 'github' ? gitHubSettings(sso) : googleSettings(sso);
    const fingerprint = JSON.stringify(settings);
    const known = this.built.get(provider);
    if (known?.fingerprint === fingerprint) return known.strategy;
    const strategy =
      provider === 'github'
        ? new GitHubSsoStrategy(gitHubSettings(sso), this.store)
        : new GoogleSsoStrategy(googleSettings(sso), this.store);
    this.built.set(provider, { fingerprint, strategy: strategy as unknown as Strategy });
    return strategy as unknown as Strategy;
  }
}
