// GET /o/oauth2/v2/auth: the account chooser and consent screen, auto-approved (or denied) as the
// chosen user. Problems with the client or the redirect URI are shown as an error page, as Google does.
import { authorizeRequestOf } from './authorize-request';
import { redirect, sendPage, withQuery } from './http';
import type { OAuthExchange } from './oauth-server';
import { isPkceMethod } from './pkce';
import { randomBase64Url } from './secrets';
import { type GoogleState, googleScopes } from './google-state';

export function googleAuthorize(state: GoogleState, { res, query }: OAuthExchange): void {
  state.authorizeRequests.push(authorizeRequestOf(query));
  const page = (status: number, error: string, detail: string) =>
    sendPage(res, status, `Error ${status}: ${error}\n${detail} (fake Google)`);

  if (query.client_id === undefined || query.client_id !== state.clientId) {
    page(401, 'invalid_client', 'The OAuth client was not found.');
    return;
  }
  const redirectUri = query.redirect_uri;
  if (redirectUri === undefined) {
    page(400, 'invalid_request', 'Missing required parameter: redirect_uri');
    return;
  }
  if (state.callbackUrl !== undefined ? redirectUri !== state.callbackUrl : !URL.canParse(redirectUri)) {
    page(400, 'redirect_uri_mismatch', `redirect_uri=${redirectUri} is not a registered redirect URI.`);
    return;
  }
  if (query.response_type === undefined) {
    page(400, 'invalid_request', 'Required parameter is missing: response_type');
    return;
  }
  if (query.response_type !== 'code') {
    page(400, 'unsupported_response_type', `Invalid response_type: ${query.response_type}`);
    return;
  }
  if (query.scope === undefined || query.scope.trim() === '') {
    page(400, 'invalid_request', 'Missing required parameter: scope');
    return;
  }
  const granted = googleScopes(query.scope);
  if ('invalid' in granted) {
    page(400, 'invalid_scope', `Some requested scopes were invalid: {invalid=[${granted.invalid}]}`);
    return;
  }
  const method = query.code_challenge === undefined ? undefined : (query.code_challenge_method ?? 'plain');
  if (method !== undefined && !isPkceMethod(method)) {
    page(400, 'invalid_request', `Invalid code_challenge_method: ${method}`);
    return;
  }

  const login = state.logins.next();
  switch (login.kind) {
    case 'none':
      sendPage(res, 400, `fake Google: nobody to sign in: ${login.reason}`);
      return;
    case 'deny':
      redirect(res, withQuery(redirectUri, { error: 'access_denied', state: query.state }));
      return;
    case 'user': {
      const code = `4/0A${randomBase64Url(71)}`;
      state.codes.put(
        code,
        {
          user: login.user,
          clientId: state.clientId,
          redirectUri,
          scopes: granted.scopes,
          codeChallenge: query.code_challenge,
          codeChallengeMethod: method,
          nonce: query.nonce,
        },
        state.codeLifetimeMs,
      );
      redirect(
        res,
        withQuery(redirectUri, {
          state: query.state,
          code,
          scope: granted.scopes.join(' '),
          authuser: '0',
          hd: login.user.hd,
          prompt: 'consent',
        }),
      );
    }
  }
}
