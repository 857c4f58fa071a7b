// Who signs in at the next authorization request: queued choices, else the only registered user.
import type { LoginChoice } from './types';

export type LoginOutcome<U> = { kind: 'user'; user: U } | { kind: 'deny' } | { kind: 'none'; reason: string };

export class LoginQueue<U> {
  private readonly choices: LoginChoice[] = [];

  constructor(
    private readonly provider: string,
    private readonly users: ReadonlyMap<string, U>,
    private readonly keyOf: (id: string) => string = (id) => id,
  ) {}

  /** Throws for an unknown user, so a typo fails at the call, not at a later redirect. */
  push(choice: LoginChoice): void {
    if (typeof choice === 'string' && !this.users.has(this.keyOf(choice))) {
      throw new Error(
        `fake ${this.provider}: nextLogin('${choice}') names no registered user (addUser first)`,
      );
    }
    this.choices.push(choice);
  }

  /** Takes the next choice. */
  next(): LoginOutcome<U> {
    const choice = this.choices.shift();
    if (choice === undefined) return this.onlyUser();
    if (typeof choice !== 'string') return { kind: 'deny' };
    const user = this.users.get(this.keyOf(choice));
    if (user === undefined) return { kind: 'none', reason: `the user '${choice}' is no longer registered` };
    return { kind: 'user', user };
  }

  clear(): void {
    this.choices.length = 0;
  }

  private onlyUser(): LoginOutcome<U> {
    if (this.users.size === 1) return { kind: 'user', user: this.users.values().next().value! };
    const reason =
      this.users.size === 0
        ? 'no user is registered: call addUser() first'
        : `${this.users.size} users are registered: call nextLogin(...) before the authorization request`;
    return { kind: 'none', reason };
  }
}
