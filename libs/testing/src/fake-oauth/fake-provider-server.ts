// What the fake GitHub and the fake Google share: the loopback server, the OAuth app, what was asked.
import type { LoginQueue } from './login-queue';
import type { OAuthServer } from './oauth-server';
import type { AuthorizeRequest, LoginChoice, OAuthRecordedRequest } from './types';

/** The part of a provider's state every fake has. */
export interface ProviderState {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly logins: LoginQueue<unknown>;
  readonly authorizeRequests: AuthorizeRequest[];
}

export abstract class FakeProviderServer<S extends ProviderState> {
  constructor(
    protected readonly server: OAuthServer,
    protected readonly state: S,
  ) {}

  get baseUrl(): string {
    return this.server.origin;
  }

  get port(): number {
    return this.server.port;
  }

  get clientId(): string {
    return this.state.clientId;
  }

  get clientSecret(): string {
    return this.state.clientSecret;
  }

  get requests(): readonly OAuthRecordedRequest[] {
    return this.server.requests;
  }

  get authorizeRequests(): readonly AuthorizeRequest[] {
    return this.state.authorizeRequests;
  }

  nextLogin(choice: LoginChoice): void {
    this.state.logins.push(choice);
  }

  reset(): void {
    this.server.requests.length = 0;
    this.state.authorizeRequests.length = 0;
    this.state.logins.clear();
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
