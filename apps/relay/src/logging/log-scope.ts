import type { FastifyRequest } from 'fastify';
import { roleAtLeast } from '../auth/roles';
import type { LogScope } from './store/request-log.store';

/** Whose log entries the caller may see: admins (and the access key, when it has a role) all; a user their own. */
export function logScopeOf(request: FastifyRequest): LogScope {
  const principal = request.principal;
  if (principal && roleAtLeast(principal.role, 'admin')) return { userId: null };
  return { userId: principal?.userId ?? '' };
}
