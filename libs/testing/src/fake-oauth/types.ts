// Public types of the fake OAuth providers (GitHub, Google).

/** One request as the fake received it. */
export interface OAuthRecordedRequest {
  /** 1, 2, 3… in arrival order. */
  id: number;
  method: string;
  /** Path without the query, e.g. `/login/oauth/access_token`. */
  path: string;
  /** The parsed query string (the first value of a repeated name). */
  query: Record<string, string>;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The parsed form (or JSON) body; undefined until read or without a body. */
  body: Record<string, string> | undefined;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
  /** The status sent, once the response has finished. */
  status: number | undefined;
}

/** An authorization request as the browser brought it, whatever the fake answered. */
export interface AuthorizeRequest {
  clientId: string | undefined;
  redirectUri: string | undefined;
  /** The raw `scope` parameter. */
  scope: string | undefined;
  state: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  /** Every query parameter. */
  query: Record<string, string>;
}

/** Who "signs in" at the next authorization request: a user, or a user who refuses consent. */
export type LoginChoice = string | { deny: true };

/** Options every fake provider takes. */
export interface FakeOAuthOptions {
  /** The registered OAuth app. Defaults: `fake-<provider>-client-id` / `fake-<provider>-client-secret`. */
  clientId?: string;
  clientSecret?: string;
  /** The registered callback URL; unset: any `redirect_uri` is accepted (and bound to its code). */
  callbackUrl?: string;
  /** How long an authorization code stays redeemable. Default 10 minutes. */
  codeLifetimeMs?: number;
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

/** What every running fake provider offers. */
export interface FakeOAuthProvider {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly baseUrl: string;
  readonly port: number;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Where the relay sends the browser (passport's `authorizationURL`). */
  readonly authorizationURL: string;
  /** Where the relay redeems the code (passport's `tokenURL`). */
  readonly tokenURL: string;
  /** Where the relay reads the profile (passport's `userProfileURL`). */
  readonly userProfileURL: string;
  readonly requests: readonly OAuthRecordedRequest[];
  readonly authorizeRequests: readonly AuthorizeRequest[];
  /**
   * Picks who signs in at the next authorization request (queued, first in first out), or
   * `{ deny: true }` to refuse consent. Without a choice the only registered user signs in.
   */
  nextLogin(choice: LoginChoice): void;
  /** Forgets recorded requests and pending logins; users, codes and tokens remain. */
  reset(): void;
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
}

/** An address as `GET /user/emails` lists it. */
export interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
  visibility: 'public' | 'private' | null;
}

export interface GitHubUserInput {
  id: number;
  login: string;
  name?: string | null;
  /** The public profile email (`email` of `GET /user`); null or unset when hidden. */
  email?: string | null;
  /** Default: the public `email` as the primary, verified address, or none. */
  emails?: GitHubEmail[];
  /** Organizations the user belongs to: logins, or logins with a fixed id. */
  orgs?: (string | { login: string; id?: number })[];
  avatarUrl?: string;
}

export interface FakeGitHubOptions extends FakeOAuthOptions {
  users?: GitHubUserInput[];
}

export interface FakeGitHub extends FakeOAuthProvider {
  /** The REST API root, GitHub Enterprise layout: `{baseUrl}/api/v3`. */
  readonly apiUrl: string;
  /** `GET {apiUrl}/user/emails` (needs the `user:email` or `user` scope). */
  readonly userEmailURL: string;
  /** `GET {apiUrl}/user/orgs` (needs the `read:org` or `user` scope). */
  readonly orgsURL: string;
  /** Registers (or replaces, by login) a user; `nextLogin` takes the login. */
  addUser(user: GitHubUserInput): void;
}

export interface GoogleUserInput {
  sub: string;
  email?: string;
  /** Default true when `email` is set. */
  email_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  picture?: string;
  locale?: string;
  /** The Google Workspace domain. */
  hd?: string;
}

export interface FakeGoogleOptions extends FakeOAuthOptions {
  users?: GoogleUserInput[];
}

export interface FakeGoogle extends FakeOAuthProvider {
  /** Registers (or replaces, by `sub`) a user; `nextLogin` takes the `sub`. */
  addUser(user: GoogleUserInput): void;
}
