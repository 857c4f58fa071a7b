// The relay's `sso` config block that points at running fake providers.
import type { FakeGitHub, FakeGoogle } from './types';

export interface FakeSsoConfig {
  enabled: boolean;
  provider: 'github' | 'google';
  github_client_id: string;
  github_client_secret: string;
  github_base_url: string;
  github_api_url: string;
  google_client_id: string;
  google_client_secret: string;
  google_authorization_url: string;
  google_token_url: string;
  google_userinfo_url: string;
}

/** `sso:` for a relay signing in through these fakes (GitHub the default provider), plus `extra`. */
export function ssoConfigFor<Extra extends object = object>(
  github: FakeGitHub,
  google: FakeGoogle,
  extra?: Extra,
): FakeSsoConfig & Extra {
  return {
    enabled: true,
    provider: 'github',
    github_client_id: github.clientId,
    github_client_secret: github.clientSecret,
    github_base_url: github.baseUrl,
    github_api_url: github.apiUrl,
    google_client_id: google.clientId,
    google_client_secret: google.clientSecret,
    google_authorization_url: google.authorizationURL,
    google_token_url: google.tokenURL,
    google_userinfo_url: google.userProfileURL,
    ...(extra as Extra),
  };
}
