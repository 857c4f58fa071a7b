import type { RelayConfig } from '../config/relay-config';

const REDACTED = '[REDACTED]';

/** Credentials that look like credentials, whoever they belong to. */
const CREDENTIAL_PATTERNS = [
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{12,}/g,
  /\bsk-(?:ant-|proj-|or-v1-)?[A-Za-z0-9_-]{16,}/g,
  /\b(?:AIza)[A-Za-z0-9_-]{30,}/g,
  /\b(?:gsk|nvapi|xai)[-_][A-Za-z0-9_-]{16,}/g,
  /("(?:api[_-]?key|access[_-]?key|authorization|x-api-key|password|secret|token)"\s*:\s*")[^"]{6,}(")/gi,
];

/**
 * Something every credential pattern needs (a superset: case-insensitive). Most bodies have none,
 * and one scan for it is cheaper than the five patterns' scans.
 */
const CREDENTIAL_HINT =
  /Bearer|sk-|AIza|(?:gsk|nvapi|xai)[-_]|"(?:api[_-]?key|access[_-]?key|authorization|x-api-key|password|secret|token)"/i;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const compiled = new WeakMap<RelayConfig, RegExp | null>();

/** The configured secrets (access key, provider keys, OAuth secrets) as one pattern, per config snapshot. */
function knownSecrets(config: RelayConfig): RegExp | null {
  let pattern = compiled.get(config);
  if (pattern === undefined) {
    const secrets = [
      config.server.access_key,
      config.server.jwt_secret,
      config.sso.client_secret,
      config.sso.github_client_secret,
      config.sso.google_client_secret,
      ...Object.values(config.providers).flatMap((provider) => provider.keys.map((key) => key.key)),
    ].filter((secret) => secret && secret.length >= 6);
    pattern = secrets.length > 0 ? new RegExp(secrets.map(escape).join('|'), 'g') : null;
    compiled.set(config, pattern);
  }
  return pattern;
}

/**
 * Removes secrets from text before it is stored: every configured secret verbatim, and anything
 * shaped like a bearer token, a provider API key or a credential-named JSON field.
 */
export function redactSecrets(text: string, config: RelayConfig): string {
  let result = text;
  const known = knownSecrets(config);
  if (known) result = result.replace(known, REDACTED);
  if (!CREDENTIAL_HINT.test(result)) return result;
  for (const pattern of CREDENTIAL_PATTERNS) {
    result = result.replace(pattern, (match: string, prefix?: string, suffix?: string) =>
      typeof prefix === 'string' && typeof suffix === 'string'
        ? `${prefix}${REDACTED}${suffix}`
        : typeof prefix === 'string' && match.startsWith(prefix)
          ? `${prefix}${REDACTED}`
          : REDACTED,
    );
  }
  return result;
}
