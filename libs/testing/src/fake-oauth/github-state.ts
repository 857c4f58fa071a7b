// What the fake GitHub knows: its OAuth app, users, outstanding codes and tokens, pending logins.
import { ExpiringStore } from './expiring-store';
import { LoginQueue } from './login-queue';
import type { AuthorizeRequest, FakeGitHubOptions, GitHubUserInput } from './types';

export interface GitHubGrant {
  user: GitHubUserInput;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
}

export interface GitHubToken {
  user: GitHubUserInput;
  scopes: string[];
}

export interface GitHubState {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly callbackUrl: string | undefined;
  readonly codeLifetimeMs: number;
  /** By lower-case login: GitHub logins are case-insensitive. */
  readonly users: Map<string, GitHubUserInput>;
  readonly logins: LoginQueue<GitHubUserInput>;
  readonly codes: ExpiringStore<GitHubGrant>;
  readonly tokens: ExpiringStore<GitHubToken>;
  readonly authorizeRequests: AuthorizeRequest[];
  /** The web origin (`http://127.0.0.1:PORT`), known once listening. */
  origin: string;
}

export const TEN_MINUTES_MS = 10 * 60 * 1000;

export function gitHubState(options: FakeGitHubOptions): GitHubState {
  const users = new Map<string, GitHubUserInput>();
  for (const user of options.users ?? []) users.set(user.login.toLowerCase(), user);
  return {
    clientId: options.clientId ?? 'fake-github-client-id',
    clientSecret: options.clientSecret ?? 'fake-github-client-secret',
    callbackUrl: options.callbackUrl,
    codeLifetimeMs: options.codeLifetimeMs ?? TEN_MINUTES_MS,
    users,
    logins: new LoginQueue('GitHub', users, (login) => login.toLowerCase()),
    codes: new ExpiringStore(),
    tokens: new ExpiringStore(),
    authorizeRequests: [],
    origin: '',
  };
}

/** GitHub takes scopes separated by commas (passport-github2's choice) or spaces. */
export function gitHubScopes(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(/[\s,]+/).filter((name) => name !== ''))];
}
