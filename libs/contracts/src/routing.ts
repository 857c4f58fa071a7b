// Admin API for routing (`/api/routing`): the routing settings as configured, and the route
// simulator. Editing is a structured edit of config.yml (`PATCH /api/config`).

export interface RoutingView {
  aliases: Record<string, string>;
  /** Glob -> provider name. */
  providerMapping: Record<string, string>;
  /** Glob -> model name. */
  modelOverrides: Record<string, string>;
  complexity: {
    enabled: boolean;
    simple: string | null;
    moderate: string | null;
    complex: string | null;
  };
  cascade: { enabled: boolean; models: string[]; maxRetries: number };
  keyStrategy: 'round-robin' | 'random' | 'weighted';
  /** Every model a client can ask for now (`model@provider` and aliases). */
  availableModels: string[];
}

/** `POST /api/routing/simulate`: a model, or a whole request body (its model and prompt are used). */
export interface RouteSimulationInput {
  model?: string;
  /** A chat/messages/responses request body as a client would send it. */
  request?: Record<string, unknown>;
  endpoint?: 'chat' | 'messages' | 'responses' | 'completions' | 'embeddings';
}

export interface SimulatedKey {
  label: string;
  state: string;
  cooldownUntil: number | null;
}

export interface SimulatedTarget {
  provider: string;
  model: string;
  stage: 'requested' | 'cascade';
  why: string;
  /** Would be tried now: provider enabled and some key can be leased (or a local model). */
  usable: boolean;
  /** Why not, when not usable (all keys cooling until ..., provider disabled). */
  skipReason: string | null;
  keys: SimulatedKey[];
}

export interface RouteSimulation {
  requested: string;
  resolved: string;
  steps: string[];
  targets: SimulatedTarget[];
  /** Set when no target exists (unknown model): the message the client would get. */
  error: string | null;
  /** Complexity score and tier when complexity routing looked at the prompt. */
  complexity: { score: number; tier: 'simple' | 'moderate' | 'complex' } | null;
}
