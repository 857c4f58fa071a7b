import type { AuthConfig, SsoConfig } from '../../config/relay-config';
import type { Role } from '../roles';
import { emailDomain, type SsoProfile, verifiedEmails } from './sso-profile';

/**
 * Why an SSO sign-in ended without a session: the `error` of the console redirect
 * (`/#/login?error=<code>`). Never the provider's own text.
 */
export type SsoErrorCode =
  /** The user refused consent at the provider. */
  | 'access_denied'
  /** The account (or the account linking) is disabled. */
  | 'account_disabled'
  /** `sso.allowed_google_domains` is set and the Google account has no verified address in them. */
  | 'domain_required'
  /** Linking: this GitHub/Google account already belongs to another user. */
  | 'identity_in_use'
  /** The callback carried no code or a malformed one. */
  | 'invalid_request'
  /** The state is missing, forged, from another browser, already used, or for another provider. */
  | 'invalid_state'
  /** The invite of the login URL cannot be used (used, expired, for another e-mail). */
  | 'invite_invalid'
  /** `sso.allowed_github_orgs` is set and the GitHub user is in none of them. */
  | 'org_required'
  /** The provider failed (token exchange, profile) or answered an error. */
  | 'provider_error'
  /** Nothing matched the sign-up rules. */
  | 'signup_closed'
  /** No account exists yet: the first one (the superadmin) is made by setup, never by SSO. */
  | 'setup_required'
  /** The sign-in took longer than the state's lifetime (10 minutes). */
  | 'state_expired'
  /** Something on our side failed (database). */
  | 'server_error';

export interface SsoRulesConfig {
  sso: Pick<SsoConfig, 'admin_usernames' | 'allowed_github_orgs' | 'allowed_google_domains'>;
  auth: Pick<AuthConfig, 'open_signup' | 'allowed_email_domains'>;
}

const lower = (values: readonly string[]) =>
  values.map((value) => value.trim().toLowerCase()).filter(Boolean);

/** The Google account's verified e-mail domains and its Workspace domain (`hd`). */
function googleDomains(profile: SsoProfile): string[] {
  const domains = verifiedEmails(profile).map(emailDomain);
  if (profile.hostedDomain) domains.push(profile.hostedDomain.toLowerCase());
  return domains;
}

/** GitHub: the user is in one of `sso.allowed_github_orgs` (case-insensitive). */
export function isInAllowedOrg(profile: SsoProfile, sso: SsoRulesConfig['sso']): boolean {
  const allowed = lower(sso.allowed_github_orgs);
  return (
    profile.provider === 'github' && (profile.orgs ?? []).some((org) => allowed.includes(org.toLowerCase()))
  );
}

/** Google: a verified address's domain, or the Workspace domain, is in `sso.allowed_google_domains`. */
export function isInAllowedGoogleDomain(profile: SsoProfile, sso: SsoRulesConfig['sso']): boolean {
  const allowed = lower(sso.allowed_google_domains);
  return profile.provider === 'google' && googleDomains(profile).some((domain) => allowed.includes(domain));
}

/**
 * The restrictions every SSO use must pass (sign-in of existing accounts, sign-up, linking):
 * with `sso.allowed_github_orgs` set, GitHub users must belong to one of those organisations; with
 * `sso.allowed_google_domains` set, Google users need a verified address (or Workspace domain) in
 * one of them. Null when the profile passes.
 */
export function restrictionBreach(profile: SsoProfile, config: SsoRulesConfig): SsoErrorCode | null {
  const { sso } = config;
  if (
    profile.provider === 'github' &&
    lower(sso.allowed_github_orgs).length > 0 &&
    !isInAllowedOrg(profile, sso)
  )
    return 'org_required';
  if (
    profile.provider === 'google' &&
    lower(sso.allowed_google_domains).length > 0 &&
    !isInAllowedGoogleDomain(profile, sso)
  )
    return 'domain_required';
  return null;
}

/**
 * The profile is named in `sso.admin_usernames` (case-insensitive): by its GitHub login, or by a
 * Google address Google verified (an unverified address never counts).
 */
export function isListedAdmin(profile: SsoProfile, sso: SsoRulesConfig['sso']): boolean {
  const admins = lower(sso.admin_usernames);
  if (admins.length === 0) return false;
  if (profile.provider === 'github') return admins.includes(profile.username.toLowerCase());
  return verifiedEmails(profile).some((address) => admins.includes(address));
}

/**
 * The role an existing account gets at an SSO sign-in: `sso.admin_usernames` promotes a `user` to
 * `admin`; nobody is ever demoted, and a superadmin is never touched.
 */
export function roleAtSignIn(current: Role, profile: SsoProfile, sso: SsoRulesConfig['sso']): Role {
  return current === 'user' && isListedAdmin(profile, sso) ? 'admin' : current;
}

/** The invite of the login URL, as checked against the database. */
export type InviteCheck = { kind: 'none' } | { kind: 'valid'; role: Role } | { kind: 'invalid' };

export type NewAccountDecision =
  | { allowed: true; role: Role; useInvite: boolean; reason: string }
  | { allowed: false; code: 'signup_closed' | 'invite_invalid' };

/**
 * Whether an SSO profile with no account (and no account linking it) may get a new account, and
 * with which role. The first rule that matches wins:
 * 1. named in `sso.admin_usernames` -> `admin` (an invite, if any, is left unused);
 * 2. a valid invite from the login URL -> the invite's role (the invite is used up);
 * 3. `auth.open_signup` -> `user`;
 * 4. Google, a verified address's domain or `hd` in `sso.allowed_google_domains` -> `user`;
 * 5. GitHub, a member of one of `sso.allowed_github_orgs` -> `user`;
 * 6. a provider-verified address whose domain is in `auth.allowed_email_domains` -> `user`.
 * Otherwise refused: `invite_invalid` when an invite was given and is not usable, else
 * `signup_closed`. An e-mail address never links to, or reveals, an existing account.
 * (The caller refuses before this when no account exists at all: `setup_required`.)
 */
export function newAccountDecision(
  profile: SsoProfile,
  config: SsoRulesConfig,
  invite: InviteCheck,
): NewAccountDecision {
  const { sso, auth } = config;
  if (isListedAdmin(profile, sso))
    return { allowed: true, role: 'admin', useInvite: false, reason: 'admin_usernames' };
  if (invite.kind === 'valid') return { allowed: true, role: invite.role, useInvite: true, reason: 'invite' };
  const user = (reason: string): NewAccountDecision => ({
    allowed: true,
    role: 'user',
    useInvite: false,
    reason,
  });
  if (auth.open_signup) return user('open_signup');
  if (isInAllowedGoogleDomain(profile, sso)) return user('allowed_google_domains');
  if (isInAllowedOrg(profile, sso)) return user('allowed_github_orgs');
  const emailDomains = lower(auth.allowed_email_domains);
  if (verifiedEmails(profile).some((address) => emailDomains.includes(emailDomain(address))))
    return user('allowed_email_domains');
  return { allowed: false, code: invite.kind === 'invalid' ? 'invite_invalid' : 'signup_closed' };
}

/** The address a new account gets: `preferred` when the provider verified it, else the first verified one. */
export function accountEmail(profile: SsoProfile, preferred: string | null = null): string | null {
  const verified = profile.emails.filter((email) => email.verified);
  const match =
    preferred && verified.find((email) => email.address.toLowerCase() === preferred.toLowerCase());
  return (match || verified[0])?.address ?? null;
}
