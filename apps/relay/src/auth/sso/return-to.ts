/** The longest `returnTo` kept (it travels in the state cookie). */
export const RETURN_TO_MAX_LENGTH = 1024;

/**
 * `returnTo` when it is a path on this relay, else `/`: the open-redirect guard. Accepted: starts
 * with a single `/` (not `//`, which browsers read as another host), no backslash (some browsers
 * read `/\host` as `//host`), printable ASCII only, and it resolves to our own origin.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > RETURN_TO_MAX_LENGTH) return '/';
  if (!value.startsWith('/') || value.startsWith('//')) return '/';
  if (hasUnsafeCharacter(value)) return '/';
  const base = 'http://relay.invalid';
  try {
    const url = new URL(value, base);
    return url.origin === base ? value : '/';
  } catch {
    return '/';
  }
}

/** The console page an SSO failure lands on: `/#/login?error=<code>` (linking: `/#/account?error=<code>`). */
export function errorLocation(code: string, linking = false): string {
  return `${linking ? '/#/account' : '/#/login'}?error=${encodeURIComponent(code)}`;
}

/** A backslash, a space, a control character, or anything not ASCII (browsers send it %-encoded). */
function hasUnsafeCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x20 || code >= 0x7f || code === 0x5c) return true;
  }
  return false;
}
