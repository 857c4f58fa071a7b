/**
 * The validated, defaults-filled configuration the rest of the relay reads.
 *
 * Keys keep MonoRelay's snake_case spelling so a MonoRelay `config.yml` maps onto this shape one to
 * one. A `RelayConfig` is an immutable snapshot: hot reload swaps the whole object, so a request
 * that took a snapshot at its start keeps a consistent view until it ends.
 */

export type ProviderType = 'api' | 'anthropic' | 'web_reverse' | 'local';
export type KeyStrategy = 'round-robin' | 'random' | 'weighted';

export interface ServerConfig {
  host: string;
  port: number;
  /** Master relay key. Empty in the file means "generate one under data/ on first start". */
  access_key: string;
  access_key_enabled: boolean;
  cors_origins: string[];
  public_host: string;
  log_level: string;
  turnstile_enabled: boolean;
  turnstile_site_key: string;
  turnstile_secret_key: string;
  jwt_secret: string;
}

export interface UsageWindowLimits {
  window_5h: number;
  window_1d: number;
  window_7d: number;
}

export interface ProviderKeyConfig {
  key: string;
  label: string;
  weight: number;
  enabled: boolean;
  /** Successful requests allowed on this key; 0 = unlimited. */
  quota_limit: number;
  /** Requests per second allowed on this key; 0 = unlimited. */
  rate_limit_rps: number;
  /** ISO 8601 instant after which the key is skipped; empty = never expires. */
  expires_at: string;
  metadata: Record<string, unknown>;
  usage_window_limits: UsageWindowLimits;
}

export interface RetryConfig {
  enabled: boolean;
  max_retries: number;
  retry_on_status: number[];
  retry_on_errors: string[];
  backoff_factor: number;
  backoff_max: number;
}

export interface IgnoreConfig {
  enabled: boolean;
  ignore_errors: string[];
}

export interface ModelParamsRule {
  model_pattern: string;
  params: Record<string, unknown>;
  system_prompt: string;
}

export interface ProviderConfig {
  enabled: boolean;
  provider_type: ProviderType;
  /** Empty means "the preset's base URL" when the provider name or host matches a preset. */
  base_url: string;
  keys: ProviderKeyConfig[];
  headers: Record<string, string>;
  /** Seconds: bounds the wait for response headers and, in a stream, for each next chunk. */
  timeout: number;
  /** Seconds: bounds the wait for the first content token of a stream; 0 = off. */
  first_token_timeout: number;
  /** Seconds a 429 without reset headers cools a key; also caps the 5xx/timeout back-off. */
  rate_limit_cooldown: number;
  models: { include: string[]; exclude: string[] };
  test_model: string;
  console_url: string;
  cost_per_m_input: number;
  cost_per_m_output: number;
  retry: RetryConfig;
  ignore: IgnoreConfig;
  /** Body params that always override the client's values. */
  params: Record<string, unknown>;
  /** Inserted as the first system message. */
  system_prompt: string;
  model_params: ModelParamsRule[];
  /** MonoRelay keys kept for compatibility; not interpreted by this relay yet. */
  cloaking: Record<string, string>;
  web_reverse: Record<string, unknown> | null;
  remote_models_cache: string[];
}

export interface PayloadTransformationRule {
  models: string[];
  /** Set only when the client did not send the param. Dotted keys create nested objects. */
  inject_params: Record<string, unknown>;
  /** Always set. Dotted keys create nested objects. */
  override_params: Record<string, unknown>;
}

export interface ModelRoutingConfig {
  enabled: boolean;
  mode: string;
  aliases: Record<string, string>;
  /** Ordered glob -> provider name; the first enabled match wins. */
  provider_mapping: Record<string, string>;
  /** Ordered glob -> replacement model name. */
  model_overrides: Record<string, string>;
  complexity: { enabled: boolean; simple: string; moderate: string; complex: string };
  cascade: { enabled: boolean; models: string[]; max_retries: number };
  payload_transformation: { enabled: boolean; rules: PayloadTransformationRule[] };
  global_params: {
    enabled: boolean;
    mode: 'default' | 'override';
    params: Record<string, unknown>;
    system_prompt: string;
  };
  model_params: ModelParamsRule[];
}

export interface LoggingConfig {
  enabled: boolean;
  db_path: string;
  max_age_days: number;
  content_preview_length: number;
}

export interface SyncConfig {
  enabled: boolean;
  gist_id: string;
  gist_id_stats: string;
}

export interface SsoConfig {
  enabled: boolean;
  provider: string;
  prismaauth_url: string;
  client_id: string;
  client_secret: string;
  scopes: string[];
  github_client_id: string;
  github_client_secret: string;
  google_client_id: string;
  google_client_secret: string;
  local_sso_enabled: boolean;
  local_sso_secret: string;
  sso_only: boolean;
  admin_usernames: string[];
  /** Ours: when set, SSO sign-in needs membership of one of these GitHub organisations. */
  allowed_github_orgs: string[];
  /** Ours: when set, Google sign-in needs a verified e-mail in one of these domains. */
  allowed_google_domains: string[];
  /** Ours: GitHub's web origin (`/login/oauth/*`); GitHub Enterprise: `https://HOST`. */
  github_base_url: string;
  /** Ours: GitHub's API (`/user`, `/user/emails`, `/user/orgs`); GitHub Enterprise: `https://HOST/api/v3`. */
  github_api_url: string;
  google_authorization_url: string;
  google_token_url: string;
  google_userinfo_url: string;
}

/** Ours: console sign-in, sessions, sign-up, and what the access key may do on `/api`. */
export interface AuthConfig {
  /** The role the access key has on `/api`; '' = none (it is a `/v1` credential only). */
  access_key_role: '' | 'user' | 'admin' | 'superadmin';
  /** Signs session tokens; '' = generated once and kept in `<dataDir>/session_secret`. */
  session_secret: string;
  access_token_ttl_seconds: number;
  refresh_token_ttl_days: number;
  password_min_length: number;
  /** Anyone may create an account (local or SSO). */
  open_signup: boolean;
  /** New SSO accounts with a provider-verified e-mail in one of these domains are allowed. */
  allowed_email_domains: string[];
  invite_ttl_hours: number;
  login_attempts_per_account: number;
  login_attempts_per_ip: number;
  login_window_seconds: number;
}

/** Our addition: limits and behaviour of the relay's own HTTP surface. */
export interface RelaySettings {
  /** Largest JSON request body accepted (bytes); larger gets 413. */
  max_body_bytes: number;
  /** Largest multipart upload accepted (audio), in bytes. */
  max_upload_bytes: number;
  /** Seconds in-flight requests may take to finish after SIGTERM/SIGINT before the process exits. */
  shutdown_grace_seconds: number;
  /** Attempts (keys and targets together) one client request may make upstream. */
  max_attempts: number;
  /** Seconds between probes that try to bring keys back after upstream 401/403. */
  key_probe_interval_seconds: number;
  /** Proxy addresses/CIDRs whose X-Forwarded-For is believed. Empty = trust none. */
  trusted_proxies: string[];
}

/** Our addition: stores. Empty strings mean the embedded SQLite default under data/. */
export interface DatabaseConfig {
  url: string;
}

export interface RedisConfig {
  url: string;
}

/** Our addition: overrides of what provider presets assume about an upstream's API. */
export interface CompatConfig {
  /** Provider name -> serves the OpenAI Responses API (`POST /responses`); else translated to chat. */
  responses_api: Record<string, boolean>;
}

/** Our addition: how the request log is stored. */
export interface LogStoreConfig {
  /** Store the four bodies of each exchange (client/upstream request and response). */
  bodies: boolean;
  /** gzip bodies in the store. */
  compress_bodies: boolean;
  /** Each body is cut at this many bytes (and marked truncated). */
  max_body_bytes: number;
  /** The write-behind queue is flushed this often (ms)... */
  flush_interval_ms: number;
  /** ...or as soon as this many entries wait. */
  flush_batch_size: number;
  /** Entries beyond this many waiting are dropped (and counted). */
  queue_max_rows: number;
  /** Above this many waiting, new entries are queued without bodies (and counted). */
  queue_shed_bodies_above: number;
}

/** USD per 1M tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
}

export interface PricingConfig {
  /** Model glob -> price; wins over providers' cost_per_m_* and the built-in table. */
  models: Record<string, Partial<ModelPrice>>;
}

/** Sampling values a local model gets when the client omits them; null = not set. */
export interface SamplingDefaults {
  temperature: number | null;
  top_p: number | null;
  top_k: number | null;
  min_p: number | null;
  presence_penalty: number | null;
  repeat_penalty: number | null;
}

/** One local model (llama-server) the lifecycle starts on demand. */
export interface LocalModelConfig {
  /** Shell command; gets LLAMA_PORT (and ${PORT}, ${MODEL} macros). */
  cmd: string;
  /** Context window, advertised in /v1/models. */
  ctx_size: number;
  /** Fixed port; 0 = allocated from lifecycle.port_base. */
  port: number;
  /** Health URL; '' = http://HOST:PORT/health. */
  health_url: string;
  /** Start timeout override in seconds; 0 = lifecycle.start_timeout_ms. */
  timeout_sec: number;
  multimodal: boolean;
  thinking_levels: string[];
  /** Run (with LLAMA_PORT) before the process is signalled; '' = signals only. */
  stop_cmd: string;
  sampling: SamplingDefaults;
}

export type UnknownFieldPolicy = 'pass_through' | 'strip' | 'reject';

/** Ours: local llama.cpp model processes (the "Relay" gateway's lifecycle). */
export interface LifecycleConfig {
  enabled: boolean;
  models: Record<string, LocalModelConfig>;
  /** Address the model servers listen on and are called at. */
  host: string;
  port_base: number;
  /** Unload a model this long after its last request finished; 0 = never. */
  idle_shutdown_ms: number;
  start_timeout_ms: number;
  health_interval_ms: number;
  /** SIGTERM -> SIGKILL grace for the process group. */
  stop_timeout_ms: number;
  max_warm_models: number;
  switch_policy: 'eager';
  /** A request waiting for a switch longer than this stops the busy model taking new requests. */
  switch_max_wait_ms: number;
  serialize_requests: boolean;
  cancel_unwaited_loads: boolean;
  /** Not ready and the route has a later target: start loading, serve this request from the next one. */
  fallback_while_loading: boolean;
  keepalive_interval_ms: number;
  ring_buffer_bytes: number;
  session_restart: boolean;
  circuit_breaker: { threshold: number; window_ms: number; cooldown_ms: number };
  unknown_field_policy: UnknownFieldPolicy;
  warn_on_stripped_fields: boolean;
  /** Used when a client omits `model`; '' = the request is refused as before. */
  default_model: string;
  sampling: SamplingDefaults;
}

export interface RelayConfig {
  server: ServerConfig;
  providers: Record<string, ProviderConfig>;
  model_routing: ModelRoutingConfig;
  key_selection: { strategy: KeyStrategy };
  tool_calling: { auto_downgrade: boolean; unsupported_models: string[] };
  logging: LoggingConfig;
  sync: SyncConfig;
  sso: SsoConfig;
  relay: RelaySettings;
  database: DatabaseConfig;
  redis: RedisConfig;
  compat: CompatConfig;
  log_store: LogStoreConfig;
  pricing: PricingConfig;
  auth: AuthConfig;
  lifecycle: LifecycleConfig;
}
