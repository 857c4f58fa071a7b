import type {
  IgnoreConfig,
  LifecycleConfig,
  LocalModelConfig,
  SamplingDefaults,
  ProviderConfig,
  ProviderKeyConfig,
  RelayConfig,
  RetryConfig,
} from './relay-config';

/** Defaults are MonoRelay's, except where its default was a bug (noted in config.example.yml). */
export function defaultRetryConfig(): RetryConfig {
  return {
    enabled: false,
    max_retries: 3,
    retry_on_status: [429, 500, 502, 503, 504],
    retry_on_errors: ['rate_limit_error', 'timeout_error', 'upstream_error', 'service_unavailable'],
    backoff_factor: 1.5,
    backoff_max: 60,
  };
}

export function defaultIgnoreConfig(): IgnoreConfig {
  return { enabled: false, ignore_errors: ['content_filter', 'content_moderation', 'policy_violation'] };
}

export function defaultProviderKeyConfig(): ProviderKeyConfig {
  return {
    key: '',
    label: 'default',
    weight: 1,
    enabled: true,
    quota_limit: 0,
    rate_limit_rps: 0,
    expires_at: '',
    metadata: {},
    usage_window_limits: { window_5h: 0, window_1d: 0, window_7d: 0 },
  };
}

export function defaultProviderConfig(): ProviderConfig {
  return {
    enabled: true,
    provider_type: 'api',
    base_url: '',
    keys: [],
    headers: {},
    timeout: 120,
    first_token_timeout: 0,
    rate_limit_cooldown: 60,
    models: { include: [], exclude: [] },
    test_model: '',
    console_url: '',
    cost_per_m_input: 0,
    cost_per_m_output: 0,
    retry: defaultRetryConfig(),
    ignore: defaultIgnoreConfig(),
    params: {},
    system_prompt: '',
    model_params: [],
    cloaking: {},
    web_reverse: null,
    remote_models_cache: [],
  };
}

export function defaultSampling(): SamplingDefaults {
  return {
    temperature: null,
    top_p: null,
    top_k: null,
    min_p: null,
    presence_penalty: null,
    repeat_penalty: null,
  };
}

export function defaultLocalModelConfig(): LocalModelConfig {
  return {
    cmd: '',
    ctx_size: 4096,
    port: 0,
    health_url: '',
    timeout_sec: 0,
    multimodal: false,
    thinking_levels: [],
    stop_cmd: '',
    sampling: defaultSampling(),
  };
}

/** Relay's documented defaults (idle 1 h, start 120 s, 2 warm models, breaker 3 in 5 min, 2 min off). */
export function defaultLifecycleConfig(): LifecycleConfig {
  return {
    enabled: false,
    models: {},
    host: '127.0.0.1',
    port_base: 8081,
    idle_shutdown_ms: 3_600_000,
    start_timeout_ms: 120_000,
    health_interval_ms: 250,
    stop_timeout_ms: 10_000,
    max_warm_models: 2,
    switch_policy: 'eager',
    switch_max_wait_ms: 30_000,
    serialize_requests: false,
    cancel_unwaited_loads: true,
    fallback_while_loading: false,
    keepalive_interval_ms: 3000,
    ring_buffer_bytes: 65_536,
    session_restart: true,
    circuit_breaker: { threshold: 3, window_ms: 300_000, cooldown_ms: 120_000 },
    unknown_field_policy: 'pass_through',
    warn_on_stripped_fields: true,
    default_model: '',
    sampling: defaultSampling(),
  };
}

export function defaultRelayConfig(): RelayConfig {
  return {
    server: {
      host: '0.0.0.0',
      port: 8787,
      access_key: '',
      access_key_enabled: true,
      cors_origins: ['*'],
      public_host: '',
      log_level: 'info',
      turnstile_enabled: false,
      turnstile_site_key: '',
      turnstile_secret_key: '',
      jwt_secret: '',
    },
    providers: {},
    model_routing: {
      enabled: true,
      mode: 'passthrough',
      aliases: {},
      provider_mapping: {},
      model_overrides: {},
      complexity: { enabled: false, simple: 'gpt-4o-mini', moderate: 'gpt-4o', complex: 'claude-sonnet-4' },
      cascade: { enabled: false, models: [], max_retries: 2 },
      payload_transformation: { enabled: false, rules: [] },
      global_params: { enabled: false, mode: 'default', params: {}, system_prompt: '' },
      model_params: [],
    },
    key_selection: { strategy: 'round-robin' },
    tool_calling: { auto_downgrade: true, unsupported_models: [] },
    logging: { enabled: true, db_path: './data/requests.db', max_age_days: 30, content_preview_length: 200 },
    sync: { enabled: false, gist_id: '', gist_id_stats: '' },
    sso: {
      enabled: false,
      provider: 'github',
      prismaauth_url: 'http://localhost:8080',
      client_id: '',
      client_secret: '',
      scopes: ['openid', 'profile', 'email'],
      github_client_id: '',
      github_client_secret: '',
      google_client_id: '',
      google_client_secret: '',
      local_sso_enabled: false,
      local_sso_secret: '',
      sso_only: false,
      admin_usernames: [],
      allowed_github_orgs: [],
      allowed_google_domains: [],
      github_base_url: 'https://github.com',
      github_api_url: 'https://api.github.com',
      google_authorization_url: 'https://accounts.google.com/o/oauth2/v2/auth',
      google_token_url: 'https://oauth2.googleapis.com/token',
      google_userinfo_url: 'https://openidconnect.googleapis.com/v1/userinfo',
    },
    relay: {
      max_body_bytes: 10 * 1024 * 1024,
      max_upload_bytes: 25 * 1024 * 1024,
      shutdown_grace_seconds: 30,
      max_attempts: 8,
      key_probe_interval_seconds: 60,
      trusted_proxies: [],
    },
    database: { url: '' },
    redis: { url: '' },
    compat: { responses_api: {} },
    log_store: {
      bodies: true,
      compress_bodies: true,
      max_body_bytes: 256 * 1024,
      flush_interval_ms: 200,
      flush_batch_size: 500,
      queue_max_rows: 50_000,
      queue_shed_bodies_above: 10_000,
    },
    pricing: { models: {} },
    auth: {
      access_key_role: '',
      session_secret: '',
      access_token_ttl_seconds: 900,
      refresh_token_ttl_days: 30,
      password_min_length: 12,
      open_signup: false,
      allowed_email_domains: [],
      invite_ttl_hours: 72,
      login_attempts_per_account: 5,
      login_attempts_per_ip: 20,
      login_window_seconds: 900,
    },
    lifecycle: defaultLifecycleConfig(),
  };
}
