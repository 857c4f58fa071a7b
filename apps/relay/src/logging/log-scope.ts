import type { FastifyRequest } from 'fastify';
import type { LogScope } from './store/request-log.store';

/**
 * Whose log entries the caller may see. Today every /api caller holds the access key and sees all;
 * with users and roles, a regular user's scope becomes their own user id.
 */
export function logScopeOf(request: FastifyRequest): LogScope {
  return { userId: request.principal?.kind === 'access_key' ? null : (request.principal?.id ?? '') };
}
