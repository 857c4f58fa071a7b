// The fake Google: the three hosts of its OAuth web flow (accounts.google.com, oauth2.googleapis.com,
// www.googleapis.com) served by one loopback server at their real paths.
import { sendPage } from './http';
import { googleAuthorize } from './google-authorize';
import { type GoogleState, googleState } from './google-state';
import { googleToken } from './google-token';
import { googleUserinfo } from './google-userinfo';
import { FakeProviderServer } from './fake-provider-server';
import { OAuthServer } from './oauth-server';
import type { FakeGoogle, FakeGoogleOptions, GoogleUserInput } from './types';

const AUTHORIZE_PATH = '/o/oauth2/v2/auth';
const TOKEN_PATH = '/token';
const USERINFO_PATH = '/oauth2/v3/userinfo';

/** Starts a fake Google on 127.0.0.1 (a free port unless `port` is given). */
export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
  const state = googleState(options);
  const server = await OAuthServer.start({
    name: 'Google',
    host: options.host,
    port: options.port,
    routes: {
      [`GET ${AUTHORIZE_PATH}`]: (exchange) => googleAuthorize(state, exchange),
      [`POST ${TOKEN_PATH}`]: (exchange) => googleToken(state, exchange),
      [`GET ${USERINFO_PATH}`]: (exchange) => googleUserinfo(state, exchange),
      [`POST ${USERINFO_PATH}`]: (exchange) => googleUserinfo(state, exchange),
    },
    notFound: ({ res }) => sendPage(res, 404, 'Error 404 (Not Found)'),
  });
  return new FakeGoogleServer(server, state);
}

class FakeGoogleServer extends FakeProviderServer<GoogleState> implements FakeGoogle {
  get authorizationURL(): string {
    return `${this.baseUrl}${AUTHORIZE_PATH}`;
  }

  get tokenURL(): string {
    return `${this.baseUrl}${TOKEN_PATH}`;
  }

  get userProfileURL(): string {
    return `${this.baseUrl}${USERINFO_PATH}`;
  }

  addUser(user: GoogleUserInput): void {
    this.state.users.set(user.sub, user);
  }
}
