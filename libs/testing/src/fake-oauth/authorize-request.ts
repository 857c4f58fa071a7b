// The parts of an authorization request a test asserts on, read from its query.
import type { AuthorizeRequest } from './types';

export function authorizeRequestOf(query: Record<string, string>): AuthorizeRequest {
  return {
    clientId: query.client_id,
    redirectUri: query.redirect_uri,
    scope: query.scope,
    state: query.state,
    codeChallenge: query.code_challenge,
    codeChallengeMethod: query.code_challenge_method,
    query,
  };
}
