import { PassportStrategy } from '@nestjs/passport';
import { Strategy as GoogleStrategy, type StrategyOptions } from 'passport-google-oauth20';
import type { SsoConfig } from '../../config/relay-config';
import type { OAuthStateStore } from './oauth-state.store';
import { ssoPassport } from './sso-passport';
import { googleProfile, type SsoProfile } from './sso-profile';

/** Everything the Google strategy is built from (one `sso` config block). */
export interface GoogleSettings {
  clientID: string;
  clientSecret: string;
  authorizationURL: string;
  tokenURL: string;
  userProfileURL: string;
  scope: string[];
}

export function googleSettings(sso: SsoConfig): GoogleSettings {
  return {
    clientID: sso.google_client_id.trim(),
    clientSecret: sso.google_client_secret.trim(),
    authorizationURL: sso.google_authorization_url.trim(),
    tokenURL: sso.google_token_url.trim(),
    userProfileURL: sso.google_userinfo_url.trim(),
    scope: ['openid', 'profile', 'email'],
  };
}

/**
 * Google sign-in (passport-google-oauth20): authorization code flow with PKCE (S256) and our
 * sealed-cookie state store. The profile is the OpenID userinfo (`sub`, `email`,
 * `email_verified`, `hd`), read with the access token over TLS from Google itself, so the
 * id_token's signature need not be checked.
 */
export class GoogleSsoStrategy extends PassportStrategy(GoogleStrategy, 'google') {
  constructor(settings: GoogleSettings, store: OAuthStateStore) {
    // `pkce` and a custom `store` are passport-oauth2 options its typings do not list.
    const options = {
      clientID: settings.clientID,
      clientSecret: settings.clientSecret,
      // Given per sign-in (it may follow the request's origin).
      callbackURL: '',
      authorizationURL: settings.authorizationURL,
      tokenURL: settings.tokenURL,
      userProfileURL: settings.userProfileURL,
      scope: settings.scope,
      pkce: true,
      store,
    };
    super(options as unknown as StrategyOptions);
  }

  getPassportInstance() {
    return ssoPassport;
  }

  validate(_accessToken: string, _refreshToken: string, profile: { _json?: unknown }): SsoProfile {
    const json = profile._json;
    if (!json || typeof json !== 'object') throw new Error('Google returned no userinfo');
    return googleProfile(json as Record<string, unknown>);
  }
}
