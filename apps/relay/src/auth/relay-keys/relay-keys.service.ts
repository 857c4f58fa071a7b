import { Injectable } from '@nestjs/common';
import type { CreatedRelayKey, RelayKeyStatus, RelayKeySummary } from '@monorelay/contracts';
import { In, IsNull } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { badRequest, conflict, notFound } from '../api-error';
import { AppDataService } from '../app-data.service';
import { RelayKeyEntity, UserEntity } from '../entities';
import { RelayKeyCounters } from './relay-key-counters';
import { generateRelayKey } from './relay-key-format';
import { RelayKeyLookup } from './relay-key-lookup.service';

/** Active (not revoked) keys one user may hold. */
export const MAX_ACTIVE_KEYS_PER_USER = 100;

/** What a key may do; in an update, `undefined` leaves a field as it is and null clears it. */
export interface RelayKeySettings {
  expiresAt?: number | null;
  allowedModels?: string[] | null;
  requestsPerMinute?: number | null;
  tokensPerDay?: number | null;
  budgetUsdPerDay?: number | null;
  budgetUsdPerMonth?: number | null;
}

export interface NewRelayKeyInput extends RelayKeySettings {
  name: string;
}

export interface RelayKeyChange extends RelayKeySettings {
  name?: string;
}

/** Who asks: a user (their own keys), or an admin (may list and revoke anyone's). */
export interface RelayKeyActor {
  userId: string | null;
  isAdmin: boolean;
}

const SETTINGS = [
  'expiresAt',
  'allowedModels',
  'requestsPerMinute',
  'tokensPerDay',
  'budgetUsdPerDay',
  'budgetUsdPerMonth',
] as const;

/**
 * Users' relay keys: create (the key is returned once; only its SHA-256 and prefix are stored),
 * list, change, revoke. Every change reaches the `/v1` lookup at once (here) and within moments on
 * other replicas (the shared-state channel), or at worst after the lookup's 30 s TTL.
 */
@Injectable()
export class RelayKeysService {
  constructor(
    private readonly data: AppDataService,
    private readonly lookup: RelayKeyLookup,
    private readonly counters: RelayKeyCounters,
  ) {}

  private get keys() {
    return this.data.dataSource.getRepository(RelayKeyEntity);
  }

  async create(userId: string, input: NewRelayKeyInput, now = Date.now()): Promise<CreatedRelayKey> {
    checkSettings(input, now);
    const name = checkName(input.name);
    const generated = generateRelayKey();
    const entity = await this.data.write(async (manager) => {
      const owner = await manager.findOneBy(UserEntity, { id: userId });
      if (!owner) throw notFound(`No user ${userId}.`, 'user_not_found');
      const active = await manager.countBy(RelayKeyEntity, { userId, revokedAt: IsNull() });
      if (active >= MAX_ACTIVE_KEYS_PER_USER) {
        throw conflict(
          `A user may hold at most ${MAX_ACTIVE_KEYS_PER_USER} active relay keys; revoke one first.`,
          'too_many_keys',
        );
      }
      const row = manager.create(RelayKeyEntity, {
        id: uuidv7(),
        userId,
        name,
        prefix: generated.prefix,
        hash: generated.hash,
        createdAt: now,
        expiresAt: input.expiresAt ?? null,
        revokedAt: null,
        lastUsedAt: null,
        allowedModels: input.allowedModels ?? null,
        requestsPerMinute: input.requestsPerMinute ?? null,
        tokensPerDay: input.tokensPerDay ?? null,
        budgetUsdPerDay: input.budgetUsdPerDay ?? null,
        budgetUsdPerMonth: input.budgetUsdPerMonth ?? null,
      });
      await manager.insert(RelayKeyEntity, row);
      return row;
    });
    this.lookup.keyCreated(generated.hash);
    return { key: generated.key, ...(await this.summary(entity, now)) };
  }

  /** The user's keys, newest first (revoked ones too, marked so). */
  async listOwn(userId: string, now = Date.now()): Promise<RelayKeySummary[]> {
    const rows = await this.keys.find({ where: { userId }, order: { createdAt: 'DESC' } });
    return Promise.all(rows.map((row) => this.summary(row, now)));
  }

  /** Every key, newest first, with its owner (admins). */
  async listAll(now = Date.now()): Promise<RelayKeySummary[]> {
    const rows = await this.keys.find({ order: { createdAt: 'DESC' } });
    const owners = new Map<string, string>();
    const userIds = [...new Set(rows.map((row) => row.userId))];
    if (userIds.length > 0) {
      const users = await this.data.dataSource.getRepository(UserEntity).find({
        where: { id: In(userIds) },
        select: { id: true, username: true },
      });
      for (const user of users) owners.set(user.id, user.username);
    }
    return Promise.all(
      rows.map(async (row) => ({
        ...(await this.summary(row, now)),
        owner: { id: row.userId, username: owners.get(row.userId) ?? '' },
      })),
    );
  }

  /** Changes one of the user's own keys; a revoked key cannot change. */
  async update(
    userId: string,
    id: string,
    change: RelayKeyChange,
    now = Date.now(),
  ): Promise<RelayKeySummary> {
    checkSettings(change, now);
    const name = change.name === undefined ? undefined : checkName(change.name);
    const updated = await this.data.write(async (manager) => {
      const row = await manager.findOneBy(RelayKeyEntity, { id, userId });
      if (!row) throw keyNotFound(id);
      if (row.revokedAt !== null)
        throw conflict('This relay key is revoked; create a new one.', 'key_revoked');
      const patch: Partial<RelayKeyEntity> = {};
      if (name !== undefined) patch.name = name;
      for (const field of SETTINGS) {
        if (change[field] !== undefined) (patch as Record<string, unknown>)[field] = change[field];
      }
      if (Object.keys(patch).length > 0) await manager.update(RelayKeyEntity, { id }, patch);
      return Object.assign(row, patch);
    });
    this.lookup.keyChanged(id);
    return this.summary(updated, now);
  }

  /** Revokes a key of the actor's own, or (admins) anyone's. Revoking twice changes nothing. */
  async revoke(actor: RelayKeyActor, id: string, now = Date.now()): Promise<RelayKeySummary> {
    const revoked = await this.data.write(async (manager) => {
      const row = await manager.findOneBy(RelayKeyEntity, { id });
      if (!row || (!actor.isAdmin && row.userId !== actor.userId)) throw keyNotFound(id);
      if (row.revokedAt === null) {
        row.revokedAt = now;
        await manager.update(RelayKeyEntity, { id }, { revokedAt: now });
      }
      return row;
    });
    this.lookup.keyChanged(id);
    return this.summary(revoked, now);
  }

  private async summary(row: RelayKeyEntity, now: number): Promise<RelayKeySummary> {
    const usage = await this.counters.usage(row.id, now);
    return {
      id: row.id,
      name: row.name,
      prefix: row.prefix,
      status: statusOf(row, now),
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      revokedAt: row.revokedAt,
      lastUsedAt: row.lastUsedAt,
      allowedModels: row.allowedModels,
      limits: {
        requestsPerMinute: row.requestsPerMinute,
        tokensPerDay: row.tokensPerDay,
        budgetUsdPerDay: row.budgetUsdPerDay,
        budgetUsdPerMonth: row.budgetUsdPerMonth,
      },
      usage: { ...usage },
    };
  }
}

function statusOf(row: RelayKeyEntity, now: number): RelayKeyStatus {
  if (row.revokedAt !== null) return 'revoked';
  if (row.expiresAt !== null && row.expiresAt <= now) return 'expired';
  return 'active';
}

function keyNotFound(id: string) {
  return notFound(`No relay key ${id}.`, 'key_not_found');
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) throw badRequest('name must be 1-100 characters.');
  return trimmed;
}

/** The DTOs check these too; the service checks again for callers that skip them. */
function checkSettings(settings: RelayKeySettings, now: number): void {
  const { expiresAt, allowedModels } = settings;
  if (expiresAt !== undefined && expiresAt !== null && !(Number.isFinite(expiresAt) && expiresAt > now)) {
    throw badRequest('expiresAt must be a time in the future.');
  }
  if (allowedModels !== undefined && allowedModels !== null) {
    if (
      allowedModels.length === 0 ||
      allowedModels.some((glob) => typeof glob !== 'string' || glob.trim() === '')
    )
      throw badRequest('allowedModels must be non-empty globs (or null for any model).');
  }
  for (const field of [
    'requestsPerMinute',
    'tokensPerDay',
    'budgetUsdPerDay',
    'budgetUsdPerMonth',
  ] as const) {
    const value = settings[field];
    if (value !== undefined && value !== null && !(Number.isFinite(value) && value > 0))
      throw badRequest(`${field} must be a positive number.`);
  }
}
