// GET (or POST) /oauth2/v3/userinfo: the OpenID userinfo of the token's user.
import { sendJson, tokenFromAuthorization } from './http';
import { userinfoJson } from './google-claims';
import type { OAuthExchange } from './oauth-server';
import type { GoogleState } from './google-state';

export function googleUserinfo(state: GoogleState, { req, res, query }: OAuthExchange): void {
  // Google also takes the token as an `access_token` query parameter.
  const accessToken = tokenFromAuthorization(req.headers, ['bearer']) ?? query.access_token;
  const token = accessToken === undefined ? undefined : state.tokens.get(accessToken);
  if (token === undefined) {
    sendJson(
      res,
      401,
      { error: 'invalid_request', error_description: 'Invalid Credentials' },
      { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
    );
    return;
  }
  sendJson(res, 200, userinfoJson(token.user, token.scopes));
}
