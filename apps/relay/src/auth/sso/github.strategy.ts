import { PassportStrategy } from '@nestjs/passport';
import { Strategy as GitHubStrategy, type StrategyOptions } from 'passport-github2';
import type { SsoConfig } from '../../config/relay-config';
import type { OAuthStateStore } from './oauth-state.store';
import { SSO_USER_AGENT, ssoPassport } from './sso-passport';
import { gitHubProfile, type SsoProfile } from './sso-profile';
import { withoutTrailingSlash } from './sso-providers';

/** Everything the GitHub strategy is built from (one `sso` config block). */
export interface GitHubSettings {
  clientID: string;
  clientSecret: string;
  authorizationURL: string;
  tokenURL: string;
  userProfileURL: string;
  userEmailURL: string;
  orgsURL: string;
  scope: string[];
  /** Read the organisations (only when `sso.allowed_github_orgs` is set: it needs `read:org`). */
  readOrgs: boolean;
}

/**
 * github.com, or GitHub Enterprise: `github_base_url` is the web origin (`/login/oauth/*`),
 * `github_api_url` the REST root (`/user`, `/user/emails`, `/user/orgs`).
 */
export function gitHubSettings(sso: SsoConfig): GitHubSettings {
  const web = withoutTrailingSlash(sso.github_base_url);
  const api = withoutTrailingSlash(sso.github_api_url);
  const readOrgs = sso.allowed_github_orgs.some((org) => org.trim() !== '');
  return {
    clientID: sso.github_client_id.trim(),
    clientSecret: sso.github_client_secret.trim(),
    authorizationURL: `${web}/login/oauth/authorize`,
    tokenURL: `${web}/login/oauth/access_token`,
    userProfileURL: `${api}/user`,
    userEmailURL: `${api}/user/emails`,
    orgsURL: `${api}/user/orgs`,
    scope: readOrgs ? ['read:user', 'user:email', 'read:org'] : ['read:user', 'user:email'],
    readOrgs,
  };
}

const ORG_PAGES = 10;
const API_TIMEOUT_MS = 10_000;

/**
 * GitHub sign-in (passport-github2): authorization code flow with PKCE (S256) and our sealed-cookie
 * state store; the profile comes from `/user` and every address of `/user/emails` with its
 * `verified` flag, plus `/user/orgs` when organisations are restricted.
 */
export class GitHubSsoStrategy extends PassportStrategy(GitHubStrategy, 'github') {
  private readonly settings: GitHubSettings;

  constructor(settings: GitHubSettings, store: OAuthStateStore) {
    // `pkce` and a custom `store` are passport-oauth2 options its typings do not list.
    const options = {
      clientID: settings.clientID,
      clientSecret: settings.clientSecret,
      // Given per sign-in (it may follow the request's origin).
      callbackURL: '',
      authorizationURL: settings.authorizationURL,
      tokenURL: settings.tokenURL,
      userProfileURL: settings.userProfileURL,
      userEmailURL: settings.userEmailURL,
      scope: settings.scope,
      userAgent: SSO_USER_AGENT,
      allRawEmails: true,
      pkce: true,
      store,
    };
    super(options as unknown as StrategyOptions);
    this.settings = settings;
  }

  getPassportInstance() {
    return ssoPassport;
  }

  async validate(
    accessToken: string,
    _refreshToken: string,
    profile: Record<string, unknown>,
  ): Promise<SsoProfile> {
    const orgs = this.settings.readOrgs ? await this.organisations(accessToken) : undefined;
    return gitHubProfile(profile, orgs);
  }

  /** The logins of the user's organisations (`GET /user/orgs`, every page). */
  private async organisations(accessToken: string): Promise<string[]> {
    const logins: string[] = [];
    let url: string | null = `${this.settings.orgsURL}?per_page=100`;
    for (let page = 0; url && page < ORG_PAGES; page++) {
      const response: Response = await fetch(url, {
        headers: {
          authorization: `Bearer ${accessToken}`,
          accept: 'application/vnd.github+json',
          'user-agent': SSO_USER_AGENT,
        },
        signal: AbortSignal.timeout(API_TIMEOUT_MS),
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`GitHub answered ${response.status} to GET /user/orgs`);
      }
      const body = (await response.json()) as unknown;
      if (!Array.isArray(body))
        throw new Error('GitHub answered GET /user/orgs with something other than a list');
      for (const org of body as { login?: unknown }[])
        if (typeof org.login === 'string') logins.push(org.login);
      url = nextPage(response.headers.get('link'));
    }
    return logins;
  }
}

/** The `rel="next"` URL of a `Link` header. */
function nextPage(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return match[1];
  }
  return null;
}
