// Admin API for the settings page (`GET /api/settings`): the effective values, defaults included.
// Secrets are never answered: `...SecretSet` says whether one is configured. Editing is a
// structured edit of config.yml (`PATCH /api/config`).

export interface SettingsView {
  server: {
    publicHost: string;
    corsOrigins: string[];
    logLevel: string;
    accessKeyEnabled: boolean;
  };
  sso: {
    enabled: boolean;
    githubClientId: string;
    githubClientSecretSet: boolean;
    googleClientId: string;
    googleClientSecretSet: boolean;
    adminUsernames: string[];
    ssoOnly: boolean;
    /** GitHub organisations whose members may sign in; empty = any. */
    allowedGithubOrgs: string[];
    /** Google e-mail domains that may sign in; empty = any. */
    allowedGoogleDomains: string[];
  };
  keySelection: { strategy: 'round-robin' | 'random' | 'weighted' };
  toolCalling: { autoDowngrade: boolean; unsupportedModels: string[] };
  logging: { enabled: boolean; maxAgeDays: number; contentPreviewLength: number };
  auth: {
    openSignup: boolean;
    /** New SSO accounts with a verified e-mail in one of these domains are allowed. */
    allowedEmailDomains: string[];
  };
}
