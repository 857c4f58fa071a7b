// GET /login/oauth/authorize: the consent step, auto-approved (or denied) as the chosen user.
import { authorizeRequestOf } from './authorize-request';
import { redirect, sendPage, withQuery } from './http';
import type { OAuthExchange } from './oauth-server';
import { isPkceMethod } from './pkce';
import { randomHex } from './secrets';
import { type GitHubState, gitHubScopes } from './github-state';

const TROUBLESHOOTING =
  'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/';

export function gitHubAuthorize(state: GitHubState, { res, query }: OAuthExchange): void {
  state.authorizeRequests.push(authorizeRequestOf(query));
  if (query.client_id === undefined || query.client_id !== state.clientId) {
    sendPage(res, 404, 'Not Found (fake GitHub: no OAuth app has this client_id)');
    return;
  }
  const registered = state.callbackUrl;
  const redirectUri = query.redirect_uri ?? registered;
  if (redirectUri === undefined || !URL.canParse(redirectUri)) {
    sendPage(
      res,
      400,
      'fake GitHub: redirect_uri is missing or not a URL, and no callback URL is registered',
    );
    return;
  }
  // Like GitHub, a mismatch is reported to the registered callback URL, not to the one asked for.
  if (registered !== undefined && !isUnderCallback(redirectUri, registered)) {
    redirect(
      res,
      withQuery(registered, {
        error: 'redirect_uri_mismatch',
        error_description: 'The redirect_uri MUST match the registered callback URL for this application.',
        error_uri: `${TROUBLESHOOTING}#redirect-uri-mismatch`,
        state: query.state,
      }),
    );
    return;
  }
  const method = query.code_challenge === undefined ? undefined : (query.code_challenge_method ?? 'plain');
  if (method !== undefined && !isPkceMethod(method)) {
    redirect(
      res,
      withQuery(redirectUri, {
        error: 'invalid_request',
        error_description: `Unsupported code_challenge_method: ${method}`,
        state: query.state,
      }),
    );
    return;
  }

  const login = state.logins.next();
  switch (login.kind) {
    case 'none':
      sendPage(res, 400, `fake GitHub: nobody to sign in: ${login.reason}`);
      return;
    case 'deny':
      redirect(
        res,
        withQuery(redirectUri, {
          error: 'access_denied',
          error_description: 'The user has denied your application access.',
          error_uri: `${TROUBLESHOOTING}#access-denied`,
          state: query.state,
        }),
      );
      return;
    case 'user': {
      const code = randomHex(20);
      state.codes.put(
        code,
        {
          user: login.user,
          clientId: state.clientId,
          redirectUri,
          scopes: gitHubScopes(query.scope),
          codeChallenge: query.code_challenge,
          codeChallengeMethod: method,
        },
        state.codeLifetimeMs,
      );
      redirect(res, withQuery(redirectUri, { code, state: query.state }));
    }
  }
}

/**
 * GitHub's rule: the redirect URL's scheme, host and port equal the callback URL's, and its path is
 * the callback's path or below it. (GitHub's leniency about loopback ports is not modelled.)
 */
function isUnderCallback(redirectUri: string, callbackUrl: string): boolean {
  const asked = new URL(redirectUri);
  const registered = new URL(callbackUrl);
  if (asked.origin !== registered.origin) return false;
  const base = registered.pathname.replace(/\/+$/, '');
  return asked.pathname === registered.pathname || asked.pathname.startsWith(`${base}/`);
}
