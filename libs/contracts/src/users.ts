/** Users, sign-in and invites as the admin API (`/api/auth`, `/api/users`, `/api/setup`) returns them. */

export type UserRole = 'superadmin' | 'admin' | 'user';

/** An SSO account linked to a user. */
export interface LinkedIdentity {
  provider: 'github' | 'google';
  /** The provider's login name at the last sign-in. */
  username: string;
}

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  role: UserRole;
  disabled: boolean;
  /** The account can sign in with a password. */
  hasPassword: boolean;
  identities: LinkedIdentity[];
  /** Epoch ms. */
  createdAt: number;
  lastLoginAt: number | null;
}

/** `GET /api/auth/me`: the signed-in user, or the access key when `auth.access_key_role` lets it in. */
export interface MeView extends Omit<UserView, 'id'> {
  id: string | null;
  kind: 'user' | 'access_key';
}

/** Answer of sign-in, sign-up, setup, refresh and password change; the tokens are also set as cookies. */
export interface SessionView {
  user: UserView;
  /** The access token, for `Authorization: Bearer` (scripts); the console uses the cookie. */
  accessToken: string;
  /** Seconds the access token is valid. */
  expiresIn: number;
}

export interface SetupStatus {
  /** No account exists yet: the first one is made with `POST /api/setup` (and the access key). */
  needsSetup: boolean;
}

export interface InviteView {
  id: string;
  role: 'user' | 'admin';
  email: string | null;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  usedBy: string | null;
  state: 'pending' | 'used' | 'expired';
}

/** `POST /api/users/invites`: the token is shown this once. */
export interface CreatedInvite extends InviteView {
  token: string;
  /** The sign-up link to send: `<public host or request origin>/#/signup?invite=<token>`. */
  url: string;
}
