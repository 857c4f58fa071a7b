// PKCE (RFC 7636): checking a token request's code_verifier against the authorization's code_challenge.
import { createHash } from 'node:crypto';

export const PKCE_METHODS = ['S256', 'plain'] as const;

export function isPkceMethod(method: string): boolean {
  return (PKCE_METHODS as readonly string[]).includes(method);
}

/** Whether `verifier` answers the challenge; an authorization without a challenge needs no verifier. */
export function pkceSatisfied(
  challenge: string | undefined,
  method: string | undefined,
  verifier: string | undefined,
): boolean {
  if (challenge === undefined) return true;
  if (verifier === undefined) return false;
  if ((method ?? 'plain') === 'plain') return verifier === challenge;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}
