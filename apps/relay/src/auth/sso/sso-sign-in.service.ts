import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ConfigService } from '../../config/config.service';
import { ApiError } from '../api-error';
import { AppDataService, isUniqueViolation } from '../app-data.service';
import { UserEntity, UserIdentityEntity, UserInviteEntity } from '../entities';
import { InvitesService } from '../invites.service';
import { tokenHash } from '../session-tokens';
import { SessionsService } from '../sessions.service';
import { UsersService } from '../users.service';
import { emailDomain, type SsoProfile } from './sso-profile';
import {
  accountEmail,
  type InviteCheck,
  newAccountDecision,
  restrictionBreach,
  roleAtSignIn,
  type SsoErrorCode,
  type SsoRulesConfig,
} from './sso-rules';

/** What the login step asked for (from the sealed state). */
export interface SsoSignInIntent {
  /** An invite token from the login URL. */
  invite: string | null;
  /** Linking: the id of the signed-in user the identity is attached to. */
  link: string | null;
}

export type SsoSignInResult =
  | { ok: true; user: UserEntity; outcome: 'signed_in' | 'created' | 'linked' }
  | { ok: false; code: SsoErrorCode };

type Attempt = SsoSignInResult & { promoted?: boolean };

/**
 * Turns a provider profile into an account, by the provider's stable user id only:
 * - a known identity (provider, subject) signs its user in (refused when the user is disabled);
 *   its login name and e-mail are refreshed, and `sso.admin_usernames` promotes a `user` to `admin`;
 * - linking (a signed-in user started the flow) attaches the identity to that user, unless it
 *   already belongs to someone else (`identity_in_use`);
 * - an unknown identity gets a new account only under the sign-up rules of `newAccountDecision`
 *   (never before setup: `setup_required`); an e-mail address equal to an existing account's never
 *   links to it: the new account is separate (or refused).
 * The restrictions (`allowed_github_orgs`, `allowed_google_domains`) apply to all three.
 */
@Injectable()
export class SsoSignInService {
  private readonly logger = new Logger('SSO');

  constructor(
    private readonly config: ConfigService,
    private readonly data: AppDataService,
    private readonly users: UsersService,
    private readonly invites: InvitesService,
    private readonly sessions: SessionsService,
  ) {}

  async signIn(profile: SsoProfile, intent: SsoSignInIntent): Promise<SsoSignInResult> {
    const { sso, auth } = this.config.current;
    const rules: SsoRulesConfig = { sso, auth };
    const breach = restrictionBreach(profile, rules);
    let result: Attempt;
    if (breach) result = { ok: false, code: breach };
    else {
      try {
        result = await this.data.write((manager) => this.attempt(manager, profile, intent, rules));
      } catch (error) {
        // Another replica made this identity (or user name) between our read and our insert: once more.
        if (!isUniqueViolation(error)) throw error;
        result = await this.data.write((manager) => this.attempt(manager, profile, intent, rules));
      }
    }
    this.report(profile, result);
    if (result.ok && result.promoted) this.sessions.forgetUser(result.user.id);
    return result.ok ? { ok: true, user: result.user, outcome: result.outcome } : result;
  }

  private async attempt(
    manager: EntityManager,
    profile: SsoProfile,
    intent: SsoSignInIntent,
    rules: SsoRulesConfig,
  ): Promise<Attempt> {
    const now = Date.now();
    // (Identities go with their user: the foreign key cascades.)
    const identity = await manager.findOneBy(UserIdentityEntity, {
      provider: profile.provider,
      subject: profile.subject,
    });

    if (intent.link !== null) {
      const user = await manager.findOneBy(UserEntity, { id: intent.link });
      if (!user || user.disabled) return { ok: false, code: 'account_disabled' };
      if (identity && identity.userId !== user.id) return { ok: false, code: 'identity_in_use' };
      if (identity) await this.refreshIdentity(manager, identity, profile, now);
      else await this.insertIdentity(manager, user.id, profile, now);
      return { ok: true, user, outcome: 'linked' };
    }

    if (identity) {
      let owner = await manager.findOneBy(UserEntity, { id: identity.userId });
      if (!owner || owner.disabled) return { ok: false, code: 'account_disabled' };
      await this.refreshIdentity(manager, identity, profile, now);
      const role = roleAtSignIn(owner.role, profile, rules.sso);
      const promoted = role !== owner.role;
      if (promoted) {
        await manager.update(UserEntity, { id: owner.id }, { role });
        owner = Object.assign(owner, { role });
      }
      return { ok: true, user: owner, outcome: 'signed_in', promoted };
    }

    // A new account. Setup makes the first one (the superadmin), never SSO.
    if ((await manager.count(UserEntity)) === 0) return { ok: false, code: 'setup_required' };
    let invite: InviteCheck = { kind: 'none' };
    let redemption: Awaited<ReturnType<InvitesService['redeem']>> | null = null;
    if (intent.invite !== null) {
      // The invite may name an e-mail: offer the provider-verified address that matches it.
      const pending = await manager.findOneBy(UserInviteEntity, { tokenHash: tokenHash(intent.invite) });
      try {
        redemption = await this.invites.redeem(
          manager,
          intent.invite,
          accountEmail(profile, pending?.email ?? null),
        );
        invite = { kind: 'valid', role: redemption.invite.role === 'admin' ? 'admin' : 'user' };
      } catch (error) {
        if (!(error instanceof ApiError) || error.getStatus() !== 403) throw error;
        invite = { kind: 'invalid' };
      }
    }
    const decision = newAccountDecision(profile, rules, invite);
    if (!decision.allowed) return { ok: false, code: decision.code };
    const user = await this.users.createUser(
      {
        username: accountUsername(profile),
        displayName: profile.displayName,
        email: accountEmail(profile, redemption?.invite.email ?? null),
        role: decision.role,
        passwordHash: null,
      },
      manager,
    );
    if (decision.useInvite && redemption) await redemption.claim(user.id);
    await this.insertIdentity(manager, user.id, profile, now);
    this.logger.log(
      `new account ${user.username} (${decision.role}) from ${profile.provider} user ${profile.username}: ${decision.reason}`,
    );
    return { ok: true, user, outcome: 'created' };
  }

  private async insertIdentity(manager: EntityManager, userId: string, profile: SsoProfile, now: number) {
    const identity = new UserIdentityEntity();
    identity.id = uuidv7();
    identity.userId = userId;
    identity.provider = profile.provider;
    identity.subject = profile.subject;
    identity.username = profile.username;
    identity.email = accountEmail(profile);
    identity.createdAt = now;
    identity.lastLoginAt = now;
    await manager.insert(UserIdentityEntity, identity);
  }

  private async refreshIdentity(
    manager: EntityManager,
    identity: UserIdentityEntity,
    profile: SsoProfile,
    now: number,
  ): Promise<void> {
    await manager.update(
      UserIdentityEntity,
      { id: identity.id },
      { username: profile.username, email: accountEmail(profile), lastLoginAt: now },
    );
  }

  private report(profile: SsoProfile, result: Attempt): void {
    const who = `${profile.provider} user ${profile.username} (${profile.subject})`;
    if (!result.ok) this.logger.log(`SSO sign-in of ${who} refused: ${result.code}`);
    else if (result.outcome === 'linked') this.logger.log(`${who} linked to ${result.user.username}`);
    else if (result.promoted) this.logger.log(`${result.user.username} made admin (sso.admin_usernames)`);
  }
}

/**
 * The user name a new account starts from (made valid and unique by `UsersService.createUser`):
 * the GitHub login; for Google, the part of the address before the `@` (its domain is in the
 * account's e-mail).
 */
export function accountUsername(profile: SsoProfile): string {
  if (profile.provider !== 'google') return profile.username;
  const at = profile.username.lastIndexOf('@');
  return at > 0 && emailDomain(profile.username) !== '' ? profile.username.slice(0, at) : profile.username;
}
