import type { RelayKeyLimits, RelayKeySummary } from '@monorelay/contracts';

/** The key editor's form values. */
export interface KeyEditDraft {
  name: string;
  /** yyyy-mm-dd (UTC), '' = never expires. */
  expires: string;
  /** Comma-separated globs, '' = any model. */
  models: string;
  limits: Record<keyof RelayKeyLimits, number | null>;
}

/** `PATCH /api/keys/:id`: only the fields given change; null clears one. */
export type KeyUpdate = Partial<{
  name: string;
  expiresAt: string | null;
  allowedModels: string[] | null;
}> &
  Partial<Record<keyof RelayKeyLimits, number | null>>;

export function keyEditDraftOf(key: RelayKeySummary): KeyEditDraft {
  return {
    name: key.name,
    expires: key.expiresAt === null ? '' : new Date(key.expiresAt).toISOString().slice(0, 10),
    models: (key.allowedModels ?? []).join(', '),
    limits: { ...key.limits },
  };
}

const globs = (text: string) =>
  text
    .split(',')
    .map((glob) => glob.trim())
    .filter(Boolean);

/** The changes from `key` to `draft`, as a `PATCH /api/keys/:id` body (empty when nothing changed). */
export function keyUpdate(key: RelayKeySummary, draft: KeyEditDraft): KeyUpdate {
  const before = keyEditDraftOf(key);
  const update: KeyUpdate = {};
  if (draft.name.trim() !== key.name) update.name = draft.name.trim();
  if (draft.expires !== before.expires)
    update.expiresAt = draft.expires ? new Date(`${draft.expires}T23:59:59Z`).toISOString() : null;
  const models = globs(draft.models);
  if (JSON.stringify(models) !== JSON.stringify(key.allowedModels ?? []))
    update.allowedModels = models.length > 0 ? models : null;
  for (const name of Object.keys(draft.limits) as Array<keyof RelayKeyLimits>) {
    const value = typeof draft.limits[name] === 'number' ? draft.limits[name] : null;
    if (value !== key.limits[name]) update[name] = value;
  }
  return update;
}
