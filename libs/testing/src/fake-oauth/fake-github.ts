// The fake GitHub: OAuth web flow under /login/oauth, REST API under /api/v3 (GitHub Enterprise layout).
import { sendPage } from './http';
import { API_PREFIX, apiNotFound, gitHubApiRoutes } from './github-api';
import { gitHubAuthorize } from './github-authorize';
import { type GitHubState, gitHubState } from './github-state';
import { gitHubAccessToken } from './github-token';
import { FakeProviderServer } from './fake-provider-server';
import { OAuthServer } from './oauth-server';
import type { FakeGitHub, FakeGitHubOptions, GitHubUserInput } from './types';

/** Starts a fake GitHub on 127.0.0.1 (a free port unless `port` is given). */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const state = gitHubState(options);
  const server = await OAuthServer.start({
    name: 'GitHub',
    host: options.host,
    port: options.port,
    routes: {
      'GET /login/oauth/authorize': (exchange) => gitHubAuthorize(state, exchange),
      'POST /login/oauth/access_token': (exchange) => gitHubAccessToken(state, exchange),
      ...gitHubApiRoutes(state),
    },
    notFound: (exchange) => {
      if (exchange.path.startsWith(`${API_PREFIX}/`)) apiNotFound(exchange);
      else sendPage(exchange.res, 404, 'Not Found');
    },
  });
  state.origin = server.origin;
  return new FakeGitHubServer(server, state);
}

class FakeGitHubServer extends FakeProviderServer<GitHubState> implements FakeGitHub {
  get authorizationURL(): string {
    return `${this.baseUrl}/login/oauth/authorize`;
  }

  get tokenURL(): string {
    return `${this.baseUrl}/login/oauth/access_token`;
  }

  get apiUrl(): string {
    return `${this.baseUrl}${API_PREFIX}`;
  }

  get userProfileURL(): string {
    return `${this.apiUrl}/user`;
  }

  get userEmailURL(): string {
    return `${this.apiUrl}/user/emails`;
  }

  get orgsURL(): string {
    return `${this.apiUrl}/user/orgs`;
  }

  addUser(user: GitHubUserInput): void {
    this.state.users.set(user.login.toLowerCase(), user);
  }
}
