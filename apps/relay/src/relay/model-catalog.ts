import type { RelayConfig } from '../config/relay-config';

export interface ModelCard {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  /** Local models (lifecycle): context window and capabilities, as the "Relay" gateway lists them. */
  ctx_size?: number;
  multimodal?: boolean;
  thinking_levels?: string[];
  local?: true;
}

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * What `GET /v1/models` lists: every concrete model of every enabled provider's include list as
 * `model@provider` (the id that pins the provider), then the aliases. Local models (lifecycle) come
 * first under their own names, with ctx_size and capability flags.
 */
export function modelCatalog(config: RelayConfig): ModelCard[] {
  const cards: ModelCard[] = [];
  const seen = new Set<string>();
  const add = (id: string, ownedBy: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    cards.push({ id, object: 'model', created: 0, owned_by: ownedBy });
  };
  const { lifecycle } = config;
  for (const [name, provider] of Object.entries(config.providers)) {
    if (!provider.enabled || provider.provider_type !== 'local' || !lifecycle.enabled) continue;
    for (const model of provider.models.include) {
      const local = lifecycle.models[model];
      if (!local || seen.has(model)) continue;
      seen.add(model);
      cards.push({
        id: model,
        object: 'model',
        created: 0,
        owned_by: name,
        ctx_size: local.ctx_size,
        multimodal: local.multimodal,
        thinking_levels: [...local.thinking_levels],
        local: true,
      });
    }
  }
  for (const [name, provider] of Object.entries(config.providers)) {
    if (!provider.enabled) continue;
    for (const model of provider.models.include) if (!GLOB_CHARS.test(model)) add(`${model}@${name}`, name);
  }
  if (config.model_routing.enabled) {
    for (const alias of Object.keys(config.model_routing.aliases)) add(alias, 'monorelay-alias');
  }
  return cards;
}
