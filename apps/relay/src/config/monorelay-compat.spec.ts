import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIssue } from './config-issue';
import { parseRelayConfigText } from './parse-relay-config';

/**
 * A config.yml as MonoRelay users have them: its config.yml.example plus the keys its admin API and
 * console write (secrets, retry/ignore, params, SSO, sync, cloaking, the models cache).
 */
const MONORELAY_CONFIG = `
server:
  host: "0.0.0.0"
  port: 8787
  access_key: "prisma-relay-change-me"
  access_key_enabled: true
  log_level: "INFO"
  cors_origins:
    - "*"
  public_host: ""  # 公网 IP 或域名
  turnstile_enabled: false
  turnstile_site_key: ""
  turnstile_secret_key: ""
  jwt_secret: ""

providers:
  openrouter:
    enabled: true
    base_url: "https://openrouter.ai/api/v1"
    keys:
      - key: "sk-or-v1-your-openrouter-key"
        label: "main"
        weight: 1
      - key: "sk-or-v1-your-backup-key"
        label: "backup"
        weight: 1
        enabled: true
        quota_limit: 1000
        quota_used: 12
        rate_limit_rps: 0.5
        expires_at: "2026-12-31T00:00:00"
        metadata:
          owner: "me"
        usage_window_limits:
          window_5h: 1000
          window_1d: 5000
          window_7d: 20000
    headers:
      HTTP-Referer: "https://github.com/Excurs1ons/MonoRelay"
      X-Title: "MonoRelay"
    cloaking:
      user_agent: "Mozilla/5.0"
      referer: ""
      origin: ""
      accept: ""
      accept_language: "en-US,en;q=0.9"
      tls_fingerprint_profile: "chrome-120"
    rate_limit_cooldown: 60
    timeout: 120
    models:
      include: []
      exclude: []
    remote_models_cache:
      - "openai/gpt-4o"
      - id: "anthropic/claude-sonnet-4"
    test_model: "openai/gpt-4o-mini"
    console_url: "https://openrouter.ai/keys"
    cost_per_m_input: 2.5
    cost_per_m_output: 10.0
    retry:
      enabled: true
      max_retries: 3
      retry_on_status: [429, 500, 502, 503, 504]
      retry_on_errors: ["rate_limit_error", "timeout_error"]
      backoff_factor: 1.5
      backoff_max: 60
    ignore:
      enabled: false
      ignore_errors: ["content_filter"]
    params:
      temperature: 0.7
    system_prompt: "Be brief."
    model_params:
      - model_pattern: "gpt-4o*"
        params: {top_p: 0.9}
        system_prompt: ""

  nvidia:
    enabled: true
    base_url: "https://integrate.api.nvidia.com/v1"
    keys:
      - key: "nvapi-your-nvidia-key"
        label: "main"
        weight: 1
    rate_limit_cooldown: 30
    timeout: 120
    models:
      include: []
      exclude: []

  anthropic:
    enabled: false
    provider_type: "anthropic"
    base_url: "https://api.anthropic.com"
    keys:
      - key: "sk-ant-your-anthropic-key"
        label: "main"
        weight: 1
    rate_limit_cooldown: 60
    timeout: 120

  chatgpt_web:
    enabled: false
    provider_type: "web_reverse"
    keys:
      - key: "your-chatgpt-access-token"
        label: "main"
        weight: 1
    rate_limit_cooldown: 120
    timeout: 120
    web_reverse:
      pow_difficulty: "00003a"
      conversation_only: false
      enable_limit: true
      history_disabled: true
      proxy_url: ""
      turnstile_solver_url: ""
      ark0se_token_url: ""
      chatgpt_base_url: "https://chatgpt.com"
      model_mapping:
        "gpt-3.5-turbo": "text-davinci-002-render-sha"
        "gpt-4o": "gpt-4o"
        "gpt-4o-mini": "gpt-4o-mini"

model_routing:
  enabled: true
  mode: "passthrough"

  aliases:
    "fast": "openai/gpt-4o-mini"
    "balanced": "openai/gpt-4o"
    "smart": "anthropic/claude-sonnet-4-20250514"
    "nvidia-fast": "meta/llama-4-maverick-17b-128e-instruct"
    "nvidia-smart": "nvidia/llama-3.1-nemotron-ultra-253b-v1"

  provider_mapping:
    "gpt-*": "openrouter"
    "o1*": "openrouter"
    "o3*": "openrouter"
    "claude-*": "openrouter"
    "gemini-*": "openrouter"
    "llama-*": "nvidia"
    "mistral-*": "openrouter"
    "deepseek-*": "openrouter"
    "meta/*": "nvidia"
    "nvidia/*": "nvidia"

  model_overrides: {}

  complexity:
    enabled: false
    simple: "openai/gpt-4o-mini"
    moderate: "openai/gpt-4o"
    complex: "anthropic/claude-sonnet-4-20250514"

  cascade:
    enabled: false
    models:
      - "openai/gpt-4o-mini"
      - "openai/gpt-4o"
      - "anthropic/claude-sonnet-4-20250514"
    max_retries: 2

  payload_transformation:
    enabled: false
    rules:
      - models: ["claude-*"]
        override_params:
          thinking:
            type: "enabled"
            budget_tokens: 1024

  global_params:
    enabled: false
    mode: "default"
    params: {}
    system_prompt: ""

  model_params: []

key_selection:
  strategy: "round-robin"

tool_calling:
  auto_downgrade: true
  unsupported_models:
    - "meta/llama-4-maverick-*"
    - "meta/llama-3.1-*"

logging:
  enabled: true
  db_path: "./data/requests.db"
  max_age_days: 30
  content_preview_length: 200

sync:
  enabled: false
  gist_id: ""
  gist_id_stats: ""

sso:
  enabled: true
  provider: "github"
  prismaauth_url: "http://localhost:8080"
  client_id: ""
  client_secret: ""
  scopes: ["openid", "profile", "email"]
  github_client_id: "your-github-client-id"
  github_client_secret: "your-github-client-secret"
  google_client_id: ""
  google_client_secret: ""
  local_sso_enabled: false
  local_sso_secret: ""
  sso_only: false
  admin_usernames: ["octocat"]
`;

describe('a MonoRelay config.yml', () => {
  const result = parseRelayConfigText(MONORELAY_CONFIG, { file: 'config.yml' });

  it('loads unchanged: no errors, no unknown keys', () => {
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors.map(formatIssue), null, 2));
    assert.deepEqual(result.warnings.map(formatIssue), []);
  });

  it('keeps its values', () => {
    assert.ok(result.ok);
    const { server, providers, model_routing, sso, tool_calling } = result.config;
    assert.equal(server.access_key, 'prisma-relay-change-me');
    assert.equal(server.log_level, 'info');
    assert.deepEqual(Object.keys(providers), ['openrouter', 'nvidia', 'anthropic', 'chatgpt_web']);

    const [main, backup] = providers.openrouter.keys;
    assert.deepEqual([main.key, main.label, main.weight], ['sk-or-v1-your-openrouter-key', 'main', 1]);
    assert.equal(backup.quota_limit, 1000);
    assert.equal(backup.rate_limit_rps, 0.5);
    assert.equal(backup.expires_at, '2026-12-31T00:00:00');
    assert.deepEqual(backup.usage_window_limits, { window_5h: 1000, window_1d: 5000, window_7d: 20000 });
    assert.deepEqual(backup.metadata, { owner: 'me' });
    assert.equal(providers.openrouter.headers['X-Title'], 'MonoRelay');
    assert.equal(providers.openrouter.cloaking.tls_fingerprint_profile, 'chrome-120');
    assert.deepEqual(providers.openrouter.remote_models_cache, [
      'openai/gpt-4o',
      'anthropic/claude-sonnet-4',
    ]);
    assert.equal(providers.openrouter.retry.enabled, true);
    assert.deepEqual(providers.openrouter.params, { temperature: 0.7 });
    assert.deepEqual(providers.openrouter.model_params, [
      { model_pattern: 'gpt-4o*', params: { top_p: 0.9 }, system_prompt: '' },
    ]);

    assert.equal(providers.anthropic.provider_type, 'anthropic');
    assert.equal(providers.chatgpt_web.provider_type, 'web_reverse');
    assert.equal(providers.chatgpt_web.web_reverse?.pow_difficulty, '00003a');
    assert.equal(providers.nvidia.web_reverse, null);

    assert.equal(model_routing.aliases.smart, 'anthropic/claude-sonnet-4-20250514');
    assert.deepEqual(Object.keys(model_routing.provider_mapping).slice(0, 3), ['gpt-*', 'o1*', 'o3*']);
    assert.equal(model_routing.cascade.models.length, 3);
    assert.deepEqual(model_routing.payload_transformation.rules[0].override_params, {
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
    assert.deepEqual(tool_calling.unsupported_models, ['meta/llama-4-maverick-*', 'meta/llama-3.1-*']);
    assert.deepEqual(sso.admin_usernames, ['octocat']);
    assert.equal(sso.github_client_id, 'your-github-client-id');
  });
});
