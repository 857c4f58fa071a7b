// What the fake Google knows: its OAuth client, users, outstanding codes and tokens, pending logins.
import { ExpiringStore } from './expiring-store';
import { LoginQueue } from './login-queue';
import type { AuthorizeRequest, FakeGoogleOptions, GoogleUserInput } from './types';

export interface GoogleGrant {
  user: GoogleUserInput;
  clientId: string;
  redirectUri: string;
  /** Granted scopes, spelled as Google answers them (see `googleScopes`). */
  scopes: string[];
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  nonce: string | undefined;
}

export interface GoogleToken {
  user: GoogleUserInput;
  scopes: string[];
}

export interface GoogleState {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly callbackUrl: string | undefined;
  readonly codeLifetimeMs: number;
  /** By `sub`. */
  readonly users: Map<string, GoogleUserInput>;
  readonly logins: LoginQueue<GoogleUserInput>;
  readonly codes: ExpiringStore<GoogleGrant>;
  readonly tokens: ExpiringStore<GoogleToken>;
  readonly authorizeRequests: AuthorizeRequest[];
}

/** Google's access tokens live an hour; it announces 3599 seconds. */
export const ACCESS_TOKEN_SECONDS = 3599;

export const PROFILE_SCOPE = 'https://www.googleapis.com/auth/userinfo.profile';
export const EMAIL_SCOPE = 'https://www.googleapis.com/auth/userinfo.email';

export function googleState(options: FakeGoogleOptions): GoogleState {
  const users = new Map<string, GoogleUserInput>();
  for (const user of options.users ?? []) users.set(user.sub, user);
  return {
    clientId: options.clientId ?? 'fake-google-client-id',
    clientSecret: options.clientSecret ?? 'fake-google-client-secret',
    callbackUrl: options.callbackUrl,
    codeLifetimeMs: options.codeLifetimeMs ?? 10 * 60 * 1000,
    users,
    logins: new LoginQueue('Google', users),
    codes: new ExpiringStore(),
    tokens: new ExpiringStore(),
    authorizeRequests: [],
  };
}

/**
 * The granted scopes as Google reports them: `profile` and `email` become their userinfo URLs, and
 * either brings `openid` along. A scope Google would not know is returned as `invalid`.
 */
export function googleScopes(scope: string): { scopes: string[] } | { invalid: string } {
  const scopes: string[] = [];
  for (const name of scope.split(/\s+/).filter((part) => part !== '')) {
    const granted = name === 'profile' ? PROFILE_SCOPE : name === 'email' ? EMAIL_SCOPE : name;
    if (granted !== 'openid' && !granted.startsWith('https://www.googleapis.com/auth/'))
      return { invalid: name };
    if (!scopes.includes(granted)) scopes.push(granted);
  }
  if ((scopes.includes(PROFILE_SCOPE) || scopes.includes(EMAIL_SCOPE)) && !scopes.includes('openid')) {
    scopes.push('openid');
  }
  return { scopes };
}
