// What Google says about a user: the OpenID userinfo JSON and the id_token, both cut to the granted scopes.
import { createHash } from 'node:crypto';
import { randomBase64Url } from './secrets';
import { ACCESS_TOKEN_SECONDS, EMAIL_SCOPE, PROFILE_SCOPE } from './google-state';
import type { GoogleUserInput } from './types';

export function userinfoJson(user: GoogleUserInput, scopes: readonly string[]): Record<string, unknown> {
  return withoutUndefined({
    sub: user.sub,
    ...profileClaims(user, scopes),
    ...emailClaims(user, scopes),
    hd: user.hd,
  });
}

/**
 * A well-formed RS256 JWT with Google's claims. The signature is random bytes: the fake publishes no
 * keys, so a client that verifies it must be told not to.
 */
export function idToken(options: {
  user: GoogleUserInput;
  scopes: readonly string[];
  clientId: string;
  accessToken: string;
  nonce: string | undefined;
}): string {
  const { user, scopes, clientId } = options;
  const issuedAt = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', kid: 'fake-google-signing-key', typ: 'JWT' };
  const payload = withoutUndefined({
    iss: 'https://accounts.google.com',
    azp: clientId,
    aud: clientId,
    sub: user.sub,
    hd: user.hd,
    ...emailClaims(user, scopes),
    at_hash: atHash(options.accessToken),
    nonce: options.nonce,
    ...profileClaims(user, scopes),
    iat: issuedAt,
    exp: issuedAt + ACCESS_TOKEN_SECONDS + 1,
  });
  return [base64UrlJson(header), base64UrlJson(payload), randomBase64Url(342)].join('.');
}

function profileClaims(user: GoogleUserInput, scopes: readonly string[]): Record<string, unknown> {
  if (!scopes.includes(PROFILE_SCOPE)) return {};
  return {
    name: user.name,
    given_name: user.given_name,
    family_name: user.family_name,
    picture: user.picture,
    locale: user.locale,
  };
}

function emailClaims(user: GoogleUserInput, scopes: readonly string[]): Record<string, unknown> {
  if (!scopes.includes(EMAIL_SCOPE) || user.email === undefined) return {};
  return { email: user.email, email_verified: user.email_verified ?? true };
}

/** OpenID Connect's at_hash: the left half of the access token's SHA-256, base64url. */
function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
}

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
