import type { GlobTest } from '../../routing/glob-matcher';
import type { Principal } from '../principal';
import type { Role } from '../roles';

/**
 * A relay key as the `/v1` path sees it: the key row, its owner's role and state, its model globs
 * compiled, and the principal every request made with it carries (built once per load).
 */
export interface ActiveRelayKey {
  id: string;
  userId: string;
  name: string;
  username: string;
  role: Role;
  userDisabled: boolean;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
  allowedModels: readonly string[] | null;
  /** null: any model. */
  modelAllowed: GlobTest | null;
  requestsPerMinute: number | null;
  tokensPerDay: number | null;
  budgetUsdPerDay: number | null;
  budgetUsdPerMonth: number | null;
  principal: Principal;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `RelayAuthGuard` when the caller used a relay key (its limits apply). */
    relayKey?: ActiveRelayKey;
  }
}
