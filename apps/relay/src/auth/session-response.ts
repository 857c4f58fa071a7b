import type { SessionView } from '@monorelay/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RelayConfig } from '../config/relay-config';
import { setSessionCookies } from './auth-cookies';
import type { IssuedSession } from './sessions.service';
import type { UsersService } from './users.service';

/** Answers a sign-in (login, sign-up, setup, refresh, password change): cookies and the body. */
export async function signedIn(
  users: UsersService,
  config: RelayConfig,
  issued: IssuedSession,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<SessionView> {
  setSessionCookies(reply, request, config, issued);
  return {
    user: await users.view(issued.user),
    accessToken: issued.accessToken,
    expiresIn: issued.accessTtl,
  };
}
