import type { FastifyRequest } from 'fastify';
import type { Actor } from './user-rules';

/** The caller of an admin route as an {@link Actor} (the guard has set a principal with a role). */
export function actorOf(request: FastifyRequest): Actor & { name: string } {
  const principal = request.principal!;
  return { userId: principal.userId, role: principal.role!, name: principal.name };
}
