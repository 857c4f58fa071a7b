import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SharedStateStore } from '../../cluster/shared-state.store';
import { DatabaseRegistry } from '../../database/database-registry';
import { APP_DATA_DATABASE } from '../../database/database.tokens';
import { ManagedDataSource } from '../../database/managed-data-source';
import { APP_TABLES } from '../entities/app-table-names';
import { AppDataService } from '../app-data.service';
import type { Role } from '../roles';
import type { ActiveRelayKey } from './active-relay-key';
import { modelAllowlist } from './model-allowlist';
import { RelayKeyCache } from './relay-key-cache';
import { numberOrNull, placeholder } from './sql-dialect';

/** Where replicas tell each other that a key or a user changed: `k:<key id>`, `u:<user id>`, `h:<hash>`. */
export const RELAY_KEY_CHANNEL = 'monorelay:relay-keys';

/** `last_used_at` is written at most this often per key. */
const LAST_USED_RESOLUTION_MS = 60_000;
/** How often pending `last_used_at` marks are written. */
const LAST_USED_FLUSH_MS = 5_000;

interface KeyRow {
  id: string;
  user_id: string;
  name: string;
  expires_at: unknown;
  revoked_at: unknown;
  last_used_at: unknown;
  allowed_models: string | null;
  requests_per_minute: unknown;
  tokens_per_day: unknown;
  budget_usd_per_day: unknown;
  budget_usd_per_month: unknown;
  username: string;
  role: Role;
  disabled: unknown;
}

/**
 * Finds relay keys for `RelayAuthGuard` through a {@link RelayKeyCache} (one indexed query per
 * miss, 30 s TTL, bounded negative cache), applies changes made here at once and hears about
 * changes made by other replicas on the shared-state channel, and records `last_used_at` off the
 * request path (at most once a minute per key, written in batches).
 */
@Injectable()
export class RelayKeyLookup implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RelayKeys');
  readonly cache = new RelayKeyCache<ActiveRelayKey>((hash) => this.load(hash));
  /** Key id -> when its last use was marked (written or about to be). */
  private readonly marked = new Map<string, number>();
  /** Key id -> last use not yet written. */
  private pendingUses = new Map<string, number>();
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly sql: string;

  constructor(
    @Inject(APP_DATA_DATABASE) private readonly database: ManagedDataSource,
    private readonly shared: SharedStateStore,
    private readonly data: AppDataService,
    registry: DatabaseRegistry,
  ) {
    this.sql =
      `SELECT k.id, k.user_id, k.name, k.expires_at, k.revoked_at, k.last_used_at, k.allowed_models, ` +
      `k.requests_per_minute, k.tokens_per_day, k.budget_usd_per_day, k.budget_usd_per_month, ` +
      `u.username, u.role, u.disabled ` +
      `FROM ${APP_TABLES.relayKeys} k JOIN ${APP_TABLES.users} u ON u.id = k.user_id ` +
      `WHERE k.hash = ${placeholder(database.dialect, 1)}`;
    registry.beforeClose(() => this.writeLastUses());
  }

  onModuleInit(): void {
    this.unsubscribe = this.shared.subscribe(RELAY_KEY_CHANNEL, (message) => this.heard(message));
    this.timer = setInterval(() => void this.writeLastUses(), LAST_USED_FLUSH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The key with this SHA-256 (hex), or null. Synchronous when cached. */
  find(hash: string): ActiveRelayKey | null | Promise<ActiveRelayKey | null> {
    return this.cache.get(hash);
  }

  /** Notes a use of the key; `last_used_at` follows within seconds, at most once a minute. */
  used(key: ActiveRelayKey, now: number): void {
    const last = this.marked.get(key.id) ?? key.lastUsedAt ?? 0;
    if (now - last < LAST_USED_RESOLUTION_MS) return;
    this.marked.set(key.id, now);
    this.pendingUses.set(key.id, now);
  }

  /** A key was changed or revoked here: forget it here at once, and tell the other replicas. */
  keyChanged(id: string): void {
    this.cache.forgetKey(id);
    this.tell(`k:${id}`);
  }

  /** A user was disabled, re-enabled, changed role or deleted: their keys are looked up again. */
  userChanged(userId: string): void {
    this.cache.forgetUser(userId);
    this.tell(`u:${userId}`);
  }

  /** A key was created with this hash: drop any "unknown" memory of it. */
  keyCreated(hash: string): void {
    this.cache.forgetHash(hash);
    this.tell(`h:${hash}`);
  }

  private tell(message: string): void {
    this.shared.publish(RELAY_KEY_CHANNEL, message).catch((error: unknown) => {
      this.logger.warn(`could not tell other replicas about a relay key change: ${String(error)}`);
    });
  }

  private heard(message: string): void {
    const value = message.slice(2);
    if (message.startsWith('k:')) this.cache.forgetKey(value);
    else if (message.startsWith('u:')) this.cache.forgetUser(value);
    else if (message.startsWith('h:')) this.cache.forgetHash(value);
  }

  private async load(hash: string): Promise<ActiveRelayKey | null> {
    const rows = (await this.database.dataSource.query(this.sql, [hash])) as KeyRow[];
    const row = rows[0];
    return row ? activeKey(row) : null;
  }

  private async writeLastUses(): Promise<void> {
    const now = Date.now();
    for (const [id, at] of this.marked) if (now - at > 2 * LAST_USED_RESOLUTION_MS) this.marked.delete(id);
    if (this.pendingUses.size === 0 || !this.database.isReady()) return;
    const uses = this.pendingUses;
    this.pendingUses = new Map();
    const dialect = this.database.dialect;
    const sql =
      `UPDATE ${APP_TABLES.relayKeys} SET last_used_at = ${placeholder(dialect, 1)} ` +
      `WHERE id = ${placeholder(dialect, 2)}`;
    try {
      await this.data.write(async (manager) => {
        for (const [id, at] of uses) await manager.query(sql, [at, id]);
      });
    } catch (error) {
      this.logger.warn(`could not record relay key use: ${error instanceof Error ? error.message : error}`);
    }
  }
}

function activeKey(row: KeyRow): ActiveRelayKey {
  const allowedModels = row.allowed_models === null ? null : (JSON.parse(row.allowed_models) as string[]);
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    username: row.username,
    role: row.role,
    userDisabled: row.disabled === true || row.disabled === 1 || row.disabled === '1',
    expiresAt: numberOrNull(row.expires_at),
    revokedAt: numberOrNull(row.revoked_at),
    lastUsedAt: numberOrNull(row.last_used_at),
    allowedModels,
    modelAllowed: modelAllowlist(allowedModels),
    requestsPerMinute: numberOrNull(row.requests_per_minute),
    tokensPerDay: numberOrNull(row.tokens_per_day),
    budgetUsdPerDay: numberOrNull(row.budget_usd_per_day),
    budgetUsdPerMonth: numberOrNull(row.budget_usd_per_month),
    principal: {
      kind: 'relay_key',
      id: `user:${row.user_id}`,
      name: row.username,
      userId: row.user_id,
      role: row.role,
      relayKeyId: row.id,
    },
  };
}
