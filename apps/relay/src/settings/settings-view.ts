import type { SettingsView } from '@monorelay/contracts';
import type { RelayConfig } from '../config/relay-config';

/** The settings page's values of a config snapshot; secrets only as "set" flags. */
export function settingsViewOf(config: RelayConfig): SettingsView {
  const { server, sso, logging, auth } = config;
  return {
    server: {
      publicHost: server.public_host,
      corsOrigins: [...server.cors_origins],
      logLevel: server.log_level,
      accessKeyEnabled: server.access_key_enabled,
    },
    sso: {
      enabled: sso.enabled,
      githubClientId: sso.github_client_id,
      githubClientSecretSet: sso.github_client_secret !== '',
      googleClientId: sso.google_client_id,
      googleClientSecretSet: sso.google_client_secret !== '',
      adminUsernames: [...sso.admin_usernames],
      ssoOnly: sso.sso_only,
      allowedGithubOrgs: [...sso.allowed_github_orgs],
      allowedGoogleDomains: [...sso.allowed_google_domains],
    },
    keySelection: { strategy: config.key_selection.strategy },
    toolCalling: {
      autoDowngrade: config.tool_calling.auto_downgrade,
      unsupportedModels: [...config.tool_calling.unsupported_models],
    },
    logging: {
      enabled: logging.enabled,
      maxAgeDays: logging.max_age_days,
      contentPreviewLength: logging.content_preview_length,
    },
    auth: { openSignup: auth.open_signup, allowedEmailDomains: [...auth.allowed_email_domains] },
  };
}
