// The REST API calls the sign-in needs: GET /user, /user/emails and /user/orgs (under /api/v3).
import type { ServerResponse } from 'node:http';
import { sendJson, sendPage, tokenFromAuthorization } from './http';
import { emailsJson, orgsJson, userJson } from './github-json';
import type { OAuthExchange, OAuthHandler } from './oauth-server';
import type { GitHubState, GitHubToken } from './github-state';

export const API_PREFIX = '/api/v3';

const DOCS = 'https://docs.github.com/rest';

/** The API routes, keyed as `OAuthServer` wants them. */
export function gitHubApiRoutes(state: GitHubState): Record<string, OAuthHandler> {
  const apiUrl = () => `${state.origin}${API_PREFIX}`;
  return {
    [`GET ${API_PREFIX}/user`]: authenticated(state, [], (token, res) =>
      sendJson(res, 200, userJson(token.user, state.origin, apiUrl()), apiHeaders(token, [])),
    ),
    [`GET ${API_PREFIX}/user/emails`]: authenticated(state, ['user', 'user:email'], (token, res) =>
      sendJson(res, 200, emailsJson(token.user), apiHeaders(token, ['user', 'user:email'])),
    ),
    [`GET ${API_PREFIX}/user/orgs`]: authenticated(
      state,
      ['user', 'read:org', 'write:org', 'admin:org'],
      (token, res) =>
        sendJson(
          res,
          200,
          orgsJson(token.user, state.origin, apiUrl()),
          apiHeaders(token, ['user', 'read:org']),
        ),
    ),
  };
}

export function apiNotFound({ res }: OAuthExchange): void {
  sendJson(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
}

/**
 * Checks the User-Agent (GitHub refuses requests without one), then the token (`token` or `Bearer`
 * scheme), then that the token holds one of `scopes` (any token when empty).
 */
function authenticated(
  state: GitHubState,
  scopes: readonly string[],
  answer: (token: GitHubToken, res: ServerResponse) => void,
): OAuthHandler {
  return ({ req, res, path }) => {
    if (!req.headers['user-agent']) {
      sendPage(
        res,
        403,
        'Request forbidden by administrative rules. Please make sure your request has a User-Agent header.',
      );
      return;
    }
    const accessToken = tokenFromAuthorization(req.headers, ['token', 'bearer']);
    const token = accessToken === undefined ? undefined : state.tokens.get(accessToken);
    if (token === undefined) {
      sendJson(res, 401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
      return;
    }
    if (scopes.length > 0 && !scopes.some((scope) => token.scopes.includes(scope))) {
      insufficientScope(res, path, token);
      return;
    }
    answer(token, res);
  };
}

/** GitHub answers /user/emails without scope as if it did not exist, and /user/orgs with a 403. */
function insufficientScope(res: ServerResponse, path: string, token: GitHubToken): void {
  if (path.endsWith('/orgs')) {
    sendJson(
      res,
      403,
      {
        message: 'You need at least read:org scope or user scope to list your organizations.',
        documentation_url: `${DOCS}/orgs/orgs#list-organizations-for-the-authenticated-user`,
        status: '403',
      },
      apiHeaders(token, ['user', 'read:org']),
    );
    return;
  }
  sendJson(
    res,
    404,
    {
      message: 'Not Found',
      documentation_url: `${DOCS}/users/emails#list-email-addresses-for-the-authenticated-user`,
      status: '404',
    },
    apiHeaders(token, ['user', 'user:email']),
  );
}

function apiHeaders(token: GitHubToken, accepted: readonly string[]): Record<string, string> {
  return {
    'x-oauth-scopes': token.scopes.join(', '),
    'x-accepted-oauth-scopes': accepted.join(', '),
    'x-github-media-type': 'github.v3; format=json',
  };
}
