import type { Role } from './roles';

/**
 * Who is calling. Attached to every authenticated request by the guards:
 * - `access_key`: the configured `server.access_key` (no user; on `/api` only when
 *   `auth.access_key_role` gives it a role);
 * - `relay_key`: a user's own relay key (`/v1` only);
 * - `session`: a console sign-in (access token cookie or Bearer access token; `/api` only).
 */
export interface Principal {
  kind: 'access_key' | 'relay_key' | 'session';
  /** Stable id for logs: `access_key`, `user:<id>`. */
  id: string;
  /** Display name (user name, or "access key"). */
  name: string;
  /** The user behind the call; null for the access key. */
  userId: string | null;
  /** The role on `/api`; null when the credential carries none (the access key by default). */
  role: Role | null;
  /** Set for `relay_key`. */
  relayKeyId?: string;
  /** Set for `session`. */
  sessionId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
