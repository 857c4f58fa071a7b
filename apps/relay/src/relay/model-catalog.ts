import type { RelayConfig } from '../config/relay-config';

export interface ModelCard {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * What `GET /v1/models` lists: every concrete model of every enabled provider's include list as
 * `model@provider` (the id that pins the provider), then the aliases.
 */
export function modelCatalog(config: RelayConfig): ModelCard[] {
  const cards: ModelCard[] = [];
  const seen = new Set<string>();
  const add = (id: string, ownedBy: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    cards.push({ id, object: 'model', created: 0, owned_by: ownedBy });
  };
  for (const [name, provider] of Object.entries(config.providers)) {
    if (!provider.enabled) continue;
    for (const model of provider.models.include) if (!GLOB_CHARS.test(model)) add(`${model}@${name}`, name);
  }
  if (config.model_routing.enabled) {
    for (const alias of Object.keys(config.model_routing.aliases)) add(alias, 'monorelay-alias');
  }
  return cards;
}
