import type { SettingsView } from '@monorelay/contracts';
import type { MessageKey } from '../../core/i18n/en';
import type { ConfigPatchOp } from '../../shared/config-patch';

export type FieldKind = 'text' | 'bool' | 'number' | 'list' | 'secret' | 'select';

/** One setting of the page: where it lives in config.yml, and how it is read from the view. */
export interface SettingField {
  id: string;
  path: string[];
  kind: FieldKind;
  label: MessageKey;
  /** Choices of a select, with the message key of each label (null: shown as is). */
  options?: ReadonlyArray<{ value: string; label: MessageKey | null }>;
  /** The current value; for a secret, whether one is set. */
  read: (view: SettingsView) => string | number | boolean | string[];
}

export interface SettingSection {
  id: string;
  title: MessageKey;
  fields: SettingField[];
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].map((value) => ({
  value,
  label: null,
}));

export const SECTIONS: readonly SettingSection[] = [
  {
    id: 'server',
    title: 'settings.server.title',
    fields: [
      {
        id: 'publicHost',
        path: ['server', 'public_host'],
        kind: 'text',
        label: 'settings.server.publicHost',
        read: (v) => v.server.publicHost,
      },
      {
        id: 'corsOrigins',
        path: ['server', 'cors_origins'],
        kind: 'list',
        label: 'settings.server.corsOrigins',
        read: (v) => v.server.corsOrigins,
      },
      {
        id: 'logLevel',
        path: ['server', 'log_level'],
        kind: 'select',
        label: 'settings.server.logLevel',
        options: LOG_LEVELS,
        read: (v) => v.server.logLevel,
      },
      {
        id: 'accessKeyEnabled',
        path: ['server', 'access_key_enabled'],
        kind: 'bool',
        label: 'settings.server.accessKeyEnabled',
        read: (v) => v.server.accessKeyEnabled,
      },
    ],
  },
  {
    id: 'keys',
    title: 'settings.keys.title',
    fields: [
      {
        id: 'strategy',
        path: ['key_selection', 'strategy'],
        kind: 'select',
        label: 'settings.keys.strategy',
        options: [
          { value: 'round-robin', label: 'settings.strategy.round-robin' },
          { value: 'random', label: 'settings.strategy.random' },
          { value: 'weighted', label: 'settings.strategy.weighted' },
        ],
        read: (v) => v.keySelection.strategy,
      },
    ],
  },
  {
    id: 'sso',
    title: 'settings.sso.title',
    fields: [
      {
        id: 'ssoEnabled',
        path: ['sso', 'enabled'],
        kind: 'bool',
        label: 'settings.sso.enabled',
        read: (v) => v.sso.enabled,
      },
      {
        id: 'githubClientId',
        path: ['sso', 'github_client_id'],
        kind: 'text',
        label: 'settings.sso.githubClientId',
        read: (v) => v.sso.githubClientId,
      },
      {
        id: 'githubClientSecret',
        path: ['sso', 'github_client_secret'],
        kind: 'secret',
        label: 'settings.sso.githubClientSecret',
        read: (v) => v.sso.githubClientSecretSet,
      },
      {
        id: 'googleClientId',
        path: ['sso', 'google_client_id'],
        kind: 'text',
        label: 'settings.sso.googleClientId',
        read: (v) => v.sso.googleClientId,
      },
      {
        id: 'googleClientSecret',
        path: ['sso', 'google_client_secret'],
        kind: 'secret',
        label: 'settings.sso.googleClientSecret',
        read: (v) => v.sso.googleClientSecretSet,
      },
      {
        id: 'adminUsernames',
        path: ['sso', 'admin_usernames'],
        kind: 'list',
        label: 'settings.sso.adminUsernames',
        read: (v) => v.sso.adminUsernames,
      },
      {
        id: 'ssoOnly',
        path: ['sso', 'sso_only'],
        kind: 'bool',
        label: 'settings.sso.ssoOnly',
        read: (v) => v.sso.ssoOnly,
      },
      {
        id: 'allowedGithubOrgs',
        path: ['sso', 'allowed_github_orgs'],
        kind: 'list',
        label: 'settings.sso.allowedGithubOrgs',
        read: (v) => v.sso.allowedGithubOrgs,
      },
      {
        id: 'allowedGoogleDomains',
        path: ['sso', 'allowed_google_domains'],
        kind: 'list',
        label: 'settings.sso.allowedGoogleDomains',
        read: (v) => v.sso.allowedGoogleDomains,
      },
    ],
  },
  {
    id: 'auth',
    title: 'settings.auth.title',
    fields: [
      {
        id: 'openSignup',
        path: ['auth', 'open_signup'],
        kind: 'bool',
        label: 'settings.auth.openSignup',
        read: (v) => v.auth.openSignup,
      },
      {
        id: 'allowedEmailDomains',
        path: ['auth', 'allowed_email_domains'],
        kind: 'list',
        label: 'settings.auth.allowedEmailDomains',
        read: (v) => v.auth.allowedEmailDomains,
      },
    ],
  },
  {
    id: 'tools',
    title: 'settings.tools.title',
    fields: [
      {
        id: 'autoDowngrade',
        path: ['tool_calling', 'auto_downgrade'],
        kind: 'bool',
        label: 'settings.tools.autoDowngrade',
        read: (v) => v.toolCalling.autoDowngrade,
      },
      {
        id: 'unsupportedModels',
        path: ['tool_calling', 'unsupported_models'],
        kind: 'list',
        label: 'settings.tools.unsupportedModels',
        read: (v) => v.toolCalling.unsupportedModels,
      },
    ],
  },
  {
    id: 'logging',
    title: 'settings.logging.title',
    fields: [
      {
        id: 'loggingEnabled',
        path: ['logging', 'enabled'],
        kind: 'bool',
        label: 'settings.logging.enabled',
        read: (v) => v.logging.enabled,
      },
      {
        id: 'maxAgeDays',
        path: ['logging', 'max_age_days'],
        kind: 'number',
        label: 'settings.logging.maxAgeDays',
        read: (v) => v.logging.maxAgeDays,
      },
      {
        id: 'previewLength',
        path: ['logging', 'content_preview_length'],
        kind: 'number',
        label: 'settings.logging.previewLength',
        read: (v) => v.logging.contentPreviewLength,
      },
    ],
  },
];

export const FIELDS: readonly SettingField[] = SECTIONS.flatMap((section) => section.fields);

/** Form values by field id: lists as comma-separated text, secrets as the new value ('' = keep). */
export type SettingsDraft = Record<string, string | number | boolean | null>;

export function draftOf(view: SettingsView): SettingsDraft {
  const draft: SettingsDraft = {};
  for (const field of FIELDS) {
    const value = field.read(view);
    draft[field.id] = field.kind === 'secret' ? '' : Array.isArray(value) ? value.join(', ') : value;
  }
  return draft;
}

export function listOf(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** The `PATCH /api/config` edits for the fields that changed; an empty secret is left as it is. */
export function settingsOps(view: SettingsView, draft: SettingsDraft): ConfigPatchOp[] {
  const ops: ConfigPatchOp[] = [];
  for (const field of FIELDS) {
    const value = draft[field.id];
    const current = field.read(view);
    switch (field.kind) {
      case 'secret':
        if (typeof value === 'string' && value !== '') ops.push({ path: field.path, value });
        break;
      case 'list': {
        const next = listOf(String(value ?? ''));
        if (JSON.stringify(next) !== JSON.stringify(current)) ops.push({ path: field.path, value: next });
        break;
      }
      case 'text':
        if (String(value ?? '').trim() !== current)
          ops.push({ path: field.path, value: String(value ?? '').trim() });
        break;
      default:
        if (value !== current) ops.push({ path: field.path, value });
    }
  }
  return ops;
}
