// Admin API for upstream providers and their keys (`/api/providers`). Provider settings live in
// config.yml: every change here is a structured edit of the editable file (data/config.yml),
// validated and applied by hot reload like a save in the config editor. Keys are never answered
// in full: `masked` is `sk-...abcd` (first 3 and last 4 characters; `********` when shorter than 12).

export type ProviderType = 'api' | 'anthropic' | 'web_reverse' | 'local';

/** Live state of one provider key in the key pool. */
export type ProviderKeyState =
  | 'available'
  | 'cooling'
  | 'backing_off'
  | 'auth_failed'
  | 'over_quota'
  | 'rate_limited'
  | 'expired'
  | 'disabled';

export interface ProviderKeyView {
  /** Position in the provider's `keys` list: the id used by the key routes. */
  index: number;
  label: string;
  masked: string;
  /** The value is a `${VAR}` reference: shown as written (e.g. `${OPENAI_KEY}`), not masked. */
  envReference: string | null;
  weight: number;
  enabled: boolean;
  quotaLimit: number | null;
  rateLimitRps: number | null;
  expiresAt: string | null;
  state: ProviderKeyState;
  /** Epoch ms when a cooling/backing-off key is expected back; null when not cooling. */
  cooldownUntil: number | null;
  consecutiveFailures: number;
  successCount: number;
}

/** Requests, errors and latency of one provider over the last 24 h (from the stats rollups). */
export interface ProviderStats24h {
  requests: number;
  errors: number;
  errorRate: number;
  latencyP50Ms: number | null;
  tokens: number;
  costUsd: number;
}

/** `healthy`: some key available and recent errors < 20 %; `degraded`: keys cooling or errors >= 20 %; `down`: no key can be leased; `disabled`. */
export type ProviderHealth = 'healthy' | 'degraded' | 'down' | 'disabled';

export interface ProviderView {
  name: string;
  enabled: boolean;
  providerType: ProviderType;
  /** Preset used for defaults (openai, openrouter, nvidia, deepseek, groq, anthropic) or null. */
  preset: string | null;
  baseUrl: string;
  timeout: number;
  firstTokenTimeout: number | null;
  rateLimitCooldown: number;
  testModel: string | null;
  modelsInclude: string[];
  modelsExclude: string[];
  costPerMInput: number | null;
  costPerMOutput: number | null;
  /** Header names only (values may be secrets). */
  headerNames: string[];
  keys: ProviderKeyView[];
  health: ProviderHealth;
  stats24h: ProviderStats24h;
}

/** `POST /api/providers` (all fields) and `PATCH /api/providers/:name` (any subset but `name`). */
export interface ProviderInput {
  name: string;
  enabled?: boolean;
  providerType?: ProviderType;
  baseUrl?: string;
  timeout?: number;
  firstTokenTimeout?: number | null;
  rateLimitCooldown?: number;
  testModel?: string | null;
  modelsInclude?: string[];
  modelsExclude?: string[];
  costPerMInput?: number | null;
  costPerMOutput?: number | null;
  /** Keys to start with (create only). */
  keys?: ProviderKeyInput[];
}

/** `POST /api/providers/:name/keys`, `PATCH /api/providers/:name/keys/:index` (any subset; `key` only to replace the secret). */
export interface ProviderKeyInput {
  key?: string;
  label?: string;
  weight?: number;
  enabled?: boolean;
  quotaLimit?: number | null;
  rateLimitRps?: number | null;
  expiresAt?: string | null;
}

/** `POST /api/providers/:name/keys/import`: text with one key per line (`key` or `key,label[,weight]`), CSV with a header row (key,label,weight,enabled), or a JSON array of ProviderKeyInput / strings. */
export interface ProviderKeyImport {
  text: string;
  format?: 'auto' | 'lines' | 'csv' | 'json';
}

export interface ProviderKeyImportResult {
  added: number;
  /** Keys already in the list (same value): not added twice. */
  duplicates: number;
  /** Lines or items that could not be read, with why (never the key itself). */
  rejected: Array<{ line: number; reason: string }>;
  provider: ProviderView;
}

/** `POST /api/providers/:name/test`: one small chat call through the provider (no routing, no fallback). */
export interface ProviderTestResult {
  ok: boolean;
  model: string;
  keyLabel: string | null;
  latencyMs: number;
  status: number | null;
  /** The answer's text (first 500 characters) when ok. */
  answer: string | null;
  /** Why it failed (never a secret). */
  error: string | null;
}

/** `GET /api/providers/:name/models`: the upstream's own model list (its /v1/models) and which of them the include list lets through. */
export interface ProviderModelsResult {
  models: Array<{ id: string; included: boolean }>;
  /** Set when the upstream could not be asked (then `models` is empty). */
  error: string | null;
}
