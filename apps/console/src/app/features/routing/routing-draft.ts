import type { RoutingView } from '@monorelay/contracts';
import type { ConfigPatchOp } from '../../shared/config-patch';

/** One row of an ordered name -> value table (aliases, provider mapping, model overrides). */
export interface PairRow {
  key: string;
  value: string;
}

export type PairTable = 'aliases' | 'provider_mapping' | 'model_overrides';

/** The routing page's editable copy of the routing settings. */
export interface RoutingDraft {
  aliases: PairRow[];
  provider_mapping: PairRow[];
  model_overrides: PairRow[];
  complexity: { enabled: boolean; simple: string; moderate: string; complex: string };
  cascade: { enabled: boolean; models: string[]; max_retries: number };
}

export const PAIR_TABLES: readonly PairTable[] = ['aliases', 'provider_mapping', 'model_overrides'];

const rows = (record: Record<string, string>): PairRow[] =>
  Object.entries(record).map(([key, value]) => ({ key, value }));

export function draftOf(view: RoutingView): RoutingDraft {
  return {
    aliases: rows(view.aliases),
    provider_mapping: rows(view.providerMapping),
    model_overrides: rows(view.modelOverrides),
    complexity: {
      enabled: view.complexity.enabled,
      simple: view.complexity.simple ?? '',
      moderate: view.complexity.moderate ?? '',
      complex: view.complexity.complex ?? '',
    },
    cascade: {
      enabled: view.cascade.enabled,
      models: [...view.cascade.models],
      max_retries: view.cascade.maxRetries,
    },
  };
}

/** Rows left fully blank are dropped; the rest in order (order matters for globs). */
function recordOf(table: readonly PairRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of table) {
    const key = row.key.trim();
    if (key === '' && row.value.trim() === '') continue;
    out[key] = row.value.trim();
  }
  return out;
}

const sameEntries = (a: object, b: object) =>
  JSON.stringify(Object.entries(a)) === JSON.stringify(Object.entries(b));

/** Problems the page can see before asking the relay: a row without a name or value, a name twice. */
export function localProblems(draft: RoutingDraft): Map<string, 'required' | 'duplicate'> {
  const problems = new Map<string, 'required' | 'duplicate'>();
  for (const table of PAIR_TABLES) {
    const seen = new Set<string>();
    draft[table].forEach((row, index) => {
      const key = row.key.trim();
      const value = row.value.trim();
      if (key === '' && value === '') return;
      if (key === '') problems.set(`${table}.${index}.key`, 'required');
      else if (seen.has(key)) problems.set(`${table}.${index}.key`, 'duplicate');
      if (value === '') problems.set(`${table}.${index}.value`, 'required');
      seen.add(key);
    });
  }
  draft.cascade.models.forEach((model, index) => {
    if (model.trim() === '') problems.set(`cascade.${index}`, 'required');
  });
  return problems;
}

/**
 * The `PATCH /api/config` edits that turn `view` into `draft`: a changed table is written whole (its
 * order is its meaning), other settings key by key; nothing for what did not change.
 */
export function routingOps(view: RoutingView, draft: RoutingDraft): ConfigPatchOp[] {
  const ops: ConfigPatchOp[] = [];
  const base = ['model_routing'];
  const current: Record<PairTable, Record<string, string>> = {
    aliases: view.aliases,
    provider_mapping: view.providerMapping,
    model_overrides: view.modelOverrides,
  };
  for (const table of PAIR_TABLES) {
    const next = recordOf(draft[table]);
    if (!sameEntries(next, current[table])) ops.push({ path: [...base, table], value: next });
  }
  const complexity = draft.complexity;
  if (complexity.enabled !== view.complexity.enabled)
    ops.push({ path: [...base, 'complexity', 'enabled'], value: complexity.enabled });
  for (const tier of ['simple', 'moderate', 'complex'] as const) {
    const value = complexity[tier].trim();
    if (value !== (view.complexity[tier] ?? '')) ops.push({ path: [...base, 'complexity', tier], value });
  }
  const cascade = draft.cascade;
  if (cascade.enabled !== view.cascade.enabled)
    ops.push({ path: [...base, 'cascade', 'enabled'], value: cascade.enabled });
  const models = cascade.models.map((model) => model.trim());
  if (JSON.stringify(models) !== JSON.stringify(view.cascade.models))
    ops.push({ path: [...base, 'cascade', 'models'], value: models });
  if (cascade.max_retries !== view.cascade.maxRetries)
    ops.push({ path: [...base, 'cascade', 'max_retries'], value: cascade.max_retries });
  return ops;
}
