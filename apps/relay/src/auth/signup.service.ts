import { Injectable } from '@nestjs/common';
import { ConfigService } from '../config/config.service';
import { forbidden } from './api-error';
import { AppDataService } from './app-data.service';
import type { UserEntity } from './entities';
import { InvitesService } from './invites.service';
import { UsersService } from './users.service';

export interface SignupInput {
  username: string;
  password: string;
  email?: string;
  displayName?: string;
  invite?: string;
}

/**
 * Local sign-up: with a valid invite (its role; an invite naming an e-mail only for that e-mail; the
 * invite is used up in the same transaction as the account is made), or by anyone when
 * `auth.open_signup` is on. Never before setup (the first account is the superadmin's), never with
 * `sso.sso_only`.
 */
@Injectable()
export class SignupService {
  constructor(
    private readonly config: ConfigService,
    private readonly data: AppDataService,
    private readonly users: UsersService,
    private readonly invites: InvitesService,
  ) {}

  async signUp(input: SignupInput): Promise<UserEntity> {
    const { auth, sso } = this.config.current;
    if (sso.sso_only)
      throw forbidden('Password accounts are turned off (sso.sso_only): sign in with SSO.', 'sso_only');
    if ((await this.users.count()) === 0)
      throw forbidden('The relay is not set up yet: the first account is made by setup.', 'setup_required');
    if (!input.invite && !auth.open_signup)
      throw forbidden('Sign-up is closed: ask an admin for an invite.', 'signup_closed');
    const user = await this.users.prepareLocalUser({
      username: input.username,
      password: input.password,
      email: input.email ?? null,
      displayName: input.displayName,
      role: 'user',
    });
    return this.data.write(async (manager) => {
      if (!input.invite) return this.users.insertUser(manager, user);
      const { invite, claim } = await this.invites.redeem(manager, input.invite, input.email ?? null);
      user.role = invite.role === 'admin' ? 'admin' : 'user';
      if (invite.email !== null) user.email = invite.email;
      await this.users.insertUser(manager, user);
      await claim(user.id);
      return user;
    });
  }
}
