/** The admin API's view of relay keys (`/api/keys`). Times are epoch milliseconds. */

export type RelayKeyStatus = 'active' | 'expired' | 'revoked';

export interface RelayKeyLimits {
  requestsPerMinute: number | null;
  tokensPerDay: number | null;
  budgetUsdPerDay: number | null;
  budgetUsdPerMonth: number | null;
}

/** Tokens (input + output) and cost counted against the key's limits, in UTC periods. */
export interface RelayKeyUsage {
  tokensToday: number;
  costUsdToday: number;
  tokensThisMonth: number;
  costUsdThisMonth: number;
}

export interface RelayKeySummary {
  id: string;
  name: string;
  /** `mr-` and the key's first 6 characters, to recognise it. */
  prefix: string;
  status: RelayKeyStatus;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
  /** Model globs the key may use; null: any model. */
  allowedModels: string[] | null;
  limits: RelayKeyLimits;
  usage: RelayKeyUsage;
  /** The owner (in the admins' list of every key). */
  owner?: { id: string; username: string };
}

/** The answer to creating a key: the key itself, shown this once. */
export interface CreatedRelayKey extends RelayKeySummary {
  key: string;
}
