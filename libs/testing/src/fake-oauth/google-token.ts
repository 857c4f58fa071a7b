// POST /token (oauth2.googleapis.com/token): redeems a code for an access token and an id_token.
import type { ServerResponse } from 'node:http';
import { basicCredentials, sendJson } from './http';
import { idToken } from './google-claims';
import type { OAuthExchange } from './oauth-server';
import { pkceSatisfied } from './pkce';
import { randomBase64Url } from './secrets';
import { ACCESS_TOKEN_SECONDS, type GoogleState } from './google-state';

const NO_STORE = { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', pragma: 'no-cache' };

export function googleToken(state: GoogleState, { req, res, body }: OAuthExchange): void {
  const basic = basicCredentials(req.headers);
  const clientId = body.client_id ?? basic?.clientId;
  const clientSecret = body.client_secret ?? basic?.clientSecret;
  if (clientId === undefined) {
    fail(res, 400, 'invalid_request', 'Could not determine client ID from request.');
    return;
  }
  if (clientId !== state.clientId) {
    fail(res, 401, 'invalid_client', 'The OAuth client was not found.');
    return;
  }
  if (clientSecret !== state.clientSecret) {
    fail(res, 401, 'invalid_client', 'Unauthorized');
    return;
  }
  if (body.grant_type === undefined) {
    fail(res, 400, 'invalid_request', 'Required parameter is missing: grant_type');
    return;
  }
  if (body.grant_type !== 'authorization_code') {
    fail(res, 400, 'unsupported_grant_type', `Invalid grant_type: ${body.grant_type}`);
    return;
  }
  if (body.code === undefined) {
    fail(res, 400, 'invalid_request', 'Missing required parameter: code');
    return;
  }
  if (body.redirect_uri === undefined) {
    fail(res, 400, 'invalid_request', 'Missing parameter: redirect_uri');
    return;
  }
  const grant = state.codes.take(body.code);
  if (grant === undefined || grant.clientId !== clientId) {
    fail(res, 400, 'invalid_grant', 'Bad Request');
    return;
  }
  if (body.redirect_uri !== grant.redirectUri) {
    fail(res, 400, 'redirect_uri_mismatch', 'Bad Request');
    return;
  }
  if (grant.codeChallenge !== undefined && body.code_verifier === undefined) {
    fail(res, 400, 'invalid_grant', 'Missing code verifier.');
    return;
  }
  if (!pkceSatisfied(grant.codeChallenge, grant.codeChallengeMethod, body.code_verifier)) {
    fail(res, 400, 'invalid_grant', 'Bad Request');
    return;
  }

  const accessToken = `ya29.a0${randomBase64Url(160)}`;
  state.tokens.put(accessToken, { user: grant.user, scopes: grant.scopes }, ACCESS_TOKEN_SECONDS * 1000);
  const answer: Record<string, unknown> = {
    access_token: accessToken,
    expires_in: ACCESS_TOKEN_SECONDS,
    scope: grant.scopes.join(' '),
    token_type: 'Bearer',
  };
  if (grant.scopes.includes('openid')) {
    answer.id_token = idToken({ ...grant, clientId, accessToken });
  }
  sendJson(res, 200, answer, NO_STORE);
}

function fail(res: ServerResponse, status: number, error: string, description: string): void {
  sendJson(res, status, { error, error_description: description }, NO_STORE);
}
