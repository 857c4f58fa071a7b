// POST /login/oauth/access_token: redeems a code. Like GitHub, errors are HTTP 200 with an `error`
// field, and the answer is JSON only when the client accepts it (form-encoded otherwise).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basicCredentials, sendForm, sendJson } from './http';
import type { OAuthExchange } from './oauth-server';
import { pkceSatisfied } from './pkce';
import { randomBase62 } from './secrets';
import type { GitHubState } from './github-state';

const TROUBLESHOOTING =
  'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/';

const ERRORS = {
  incorrect_client_credentials: [
    'The client_id and/or client_secret passed are incorrect.',
    'incorrect-client-credentials',
  ],
  redirect_uri_mismatch: [
    'The redirect_uri MUST match the registered callback URL for this application.',
    'redirect-uri-mismatch2',
  ],
  bad_verification_code: ['The code passed is incorrect or expired.', 'bad-verification-code'],
  unsupported_grant_type: ['The grant type is not supported.', 'unsupported-grant-type'],
} as const;

export function gitHubAccessToken(state: GitHubState, { req, res, query, body }: OAuthExchange): void {
  // GitHub takes the parameters from the query string as well as from the body.
  const fields = { ...query, ...body };
  const basic = basicCredentials(req.headers);
  const clientId = fields.client_id ?? basic?.clientId;
  const clientSecret = fields.client_secret ?? basic?.clientSecret;
  if (clientId !== state.clientId || clientSecret !== state.clientSecret) {
    fail(req, res, 'incorrect_client_credentials');
    return;
  }
  if (fields.grant_type !== undefined && fields.grant_type !== 'authorization_code') {
    fail(req, res, 'unsupported_grant_type');
    return;
  }
  const grant = fields.code === undefined ? undefined : state.codes.take(fields.code);
  if (grant === undefined || grant.clientId !== clientId) {
    fail(req, res, 'bad_verification_code');
    return;
  }
  if (fields.redirect_uri !== undefined && fields.redirect_uri !== grant.redirectUri) {
    fail(req, res, 'redirect_uri_mismatch');
    return;
  }
  if (!pkceSatisfied(grant.codeChallenge, grant.codeChallengeMethod, fields.code_verifier)) {
    fail(req, res, 'bad_verification_code');
    return;
  }
  const accessToken = `gho_${randomBase62(36)}`;
  state.tokens.put(accessToken, { user: grant.user, scopes: grant.scopes });
  reply(req, res, { access_token: accessToken, scope: grant.scopes.join(','), token_type: 'bearer' });
}

function fail(req: IncomingMessage, res: ServerResponse, error: keyof typeof ERRORS): void {
  const [description, anchor] = ERRORS[error];
  reply(req, res, { error, error_description: description, error_uri: `${TROUBLESHOOTING}#${anchor}` });
}

function reply(req: IncomingMessage, res: ServerResponse, fields: Record<string, string>): void {
  if ((req.headers.accept ?? '').includes('application/json')) sendJson(res, 200, fields);
  else sendForm(res, 200, fields);
}
