import { Injectable } from '@nestjs/common';
import type { CreatedInvite, InviteView } from '@monorelay/contracts';
import { type EntityManager, IsNull } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ConfigService } from '../config/config.service';
import { ApiError, forbidden, notFound } from './api-error';
import { AppDataService } from './app-data.service';
import { UserInviteEntity } from './entities';
import { newOpaqueToken, tokenHash } from './session-tokens';
import { type Actor, grantBreach } from './user-rules';

/** One-time sign-up links made by admins. The token is shown once; only its SHA-256 is stored. */
@Injectable()
export class InvitesService {
  constructor(
    private readonly config: ConfigService,
    private readonly data: AppDataService,
  ) {}

  async create(
    actor: Actor & { name: string },
    input: { role?: 'user' | 'admin'; email?: string | null },
    origin: string,
  ): Promise<CreatedInvite> {
    const role = input.role ?? 'user';
    const breach = grantBreach(actor, role);
    if (breach) throw new ApiError(breach.status, breach.message, breach.code);
    const token = newOpaqueToken();
    const now = Date.now();
    const invite = new UserInviteEntity();
    invite.id = uuidv7();
    invite.tokenHash = tokenHash(token);
    invite.role = role;
    invite.email = input.email?.trim() || null;
    invite.createdBy = actor.userId ?? actor.name;
    invite.createdAt = now;
    invite.expiresAt = now + this.config.current.auth.invite_ttl_hours * 3_600_000;
    invite.usedAt = null;
    invite.usedBy = null;
    await this.data.write((manager) => manager.insert(UserInviteEntity, invite));
    return {
      ...toInviteView(invite, now),
      token,
      url: `${origin}/#/signup?invite=${encodeURIComponent(token)}`,
    };
  }

  async list(): Promise<InviteView[]> {
    const now = Date.now();
    const invites = await this.data.invites.find({ order: { createdAt: 'DESC' } });
    return invites.map((invite) => toInviteView(invite, now));
  }

  async remove(id: string): Promise<void> {
    const result = await this.data.write((manager) => manager.delete(UserInviteEntity, { id }));
    if (!result.affected) throw notFound(`No invite ${id}.`, 'invite_not_found');
  }

  /**
   * Inside a sign-up's transaction: checks the token (unused, unexpired, for this e-mail when it
   * names one) and marks it used by `userId`. Throws 403 when it cannot be used.
   */
  async redeem(
    manager: EntityManager,
    token: string,
    email: string | null,
  ): Promise<{ invite: UserInviteEntity; claim: (userId: string) => Promise<void> }> {
    const invite = await manager.findOneBy(UserInviteEntity, { tokenHash: tokenHash(token) });
    const now = Date.now();
    if (!invite || invite.usedAt !== null || invite.expiresAt <= now)
      throw forbidden('This invite is not valid: it may have been used or have expired.', 'invalid_invite');
    if (invite.email !== null && invite.email.toLowerCase() !== (email ?? '').trim().toLowerCase())
      throw forbidden('This invite is for another e-mail address.', 'invite_email_mismatch');
    return {
      invite,
      claim: async (userId) => {
        const result = await manager.update(
          UserInviteEntity,
          { id: invite.id, usedAt: IsNull() },
          { usedAt: now, usedBy: userId },
        );
        if (result.affected !== 1)
          throw forbidden(
            'This invite is not valid: it may have been used or have expired.',
            'invalid_invite',
          );
      },
    };
  }
}

export function toInviteView(invite: UserInviteEntity, now: number): InviteView {
  return {
    id: invite.id,
    role: invite.role === 'admin' ? 'admin' : 'user',
    email: invite.email,
    createdBy: invite.createdBy,
    createdAt: invite.createdAt,
    expiresAt: invite.expiresAt,
    usedAt: invite.usedAt,
    usedBy: invite.usedBy,
    state: invite.usedAt !== null ? 'used' : invite.expiresAt <= now ? 'expired' : 'pending',
  };
}
