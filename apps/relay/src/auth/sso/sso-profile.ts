import type { SsoProvider } from './sso-providers';

export interface SsoEmail {
  address: string;
  /** The provider vouches that the user controls this address. */
  verified: boolean;
}

/** What a provider says about the user who signed in, the same shape for every provider. */
export interface SsoProfile {
  provider: SsoProvider;
  /** The provider's stable user id: GitHub's numeric id (as a string), Google's `sub`. */
  subject: string;
  /** GitHub login; Google e-mail address. */
  username: string;
  displayName: string;
  emails: SsoEmail[];
  /** GitHub: the user's organisation logins (read only when `sso.allowed_github_orgs` is set). */
  orgs?: string[];
  /** Google: the Workspace domain (`hd`). */
  hostedDomain?: string;
}

/** The addresses the provider verified, lower-cased. */
export function verifiedEmails(profile: SsoProfile): string[] {
  return profile.emails.filter((email) => email.verified).map((email) => email.address.trim().toLowerCase());
}

/** The domain of an address, lower-cased; '' when it has none. */
export function emailDomain(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0
    ? ''
    : address
        .slice(at + 1)
        .trim()
        .toLowerCase();
}

interface GitHubRawEmail {
  value?: unknown;
  primary?: unknown;
  verified?: unknown;
}

/**
 * passport-github2's profile (with `allRawEmails`, so every address of `/user/emails` with its
 * `verified` flag) as an {@link SsoProfile}. Only addresses from `/user/emails` marked verified
 * count as verified: the public profile e-mail of `/user` is never trusted on its own.
 */
export function gitHubProfile(
  profile: { id?: unknown; username?: unknown; displayName?: unknown; emails?: unknown },
  orgs?: string[],
): SsoProfile {
  const subject = String(profile.id ?? '');
  const username = typeof profile.username === 'string' ? profile.username : '';
  if (!/^\d+$/.test(subject) || username === '')
    throw new Error('GitHub returned a profile without id or login');
  const raw = Array.isArray(profile.emails) ? (profile.emails as GitHubRawEmail[]) : [];
  const emails = raw
    .filter((email) => typeof email.value === 'string' && email.value !== '')
    // The primary address first: it becomes the account's e-mail.
    .sort((a, b) => Number(b.primary === true) - Number(a.primary === true))
    .map((email) => ({ address: String(email.value), verified: email.verified === true }));
  return {
    provider: 'github',
    subject,
    username,
    displayName:
      typeof profile.displayName === 'string' && profile.displayName !== '' ? profile.displayName : username,
    emails: dedupe(emails),
    ...(orgs === undefined ? {} : { orgs }),
  };
}

/** Google's OpenID userinfo (`sub`, `email`, `email_verified`, `name`, `hd`) as an {@link SsoProfile}. */
export function googleProfile(json: Record<string, unknown>): SsoProfile {
  const subject = typeof json.sub === 'string' ? json.sub : '';
  if (subject === '') throw new Error('Google returned a profile without sub');
  const email = typeof json.email === 'string' ? json.email : '';
  // Older Google endpoints spell the flag as a string.
  const verified = json.email_verified === true || json.email_verified === 'true';
  const name = typeof json.name === 'string' ? json.name : '';
  const hd = typeof json.hd === 'string' && json.hd !== '' ? json.hd.toLowerCase() : undefined;
  return {
    provider: 'google',
    subject,
    username: email !== '' ? email : subject,
    displayName: name || email || subject,
    emails: email === '' ? [] : [{ address: email, verified }],
    ...(hd === undefined ? {} : { hostedDomain: hd }),
  };
}

function dedupe(emails: SsoEmail[]): SsoEmail[] {
  const seen = new Map<string, SsoEmail>();
  for (const email of emails) {
    const key = email.address.toLowerCase();
    const known = seen.get(key);
    if (!known) seen.set(key, email);
    else if (email.verified) known.verified = true;
  }
  return [...seen.values()];
}
