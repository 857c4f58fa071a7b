import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SsoProfile } from './sso-profile';
import {
  accountEmail,
  isListedAdmin,
  newAccountDecision,
  restrictionBreach,
  roleAtSignIn,
  type SsoRulesConfig,
} from './sso-rules';

const gh = (extra: Partial<SsoProfile> = {}): SsoProfile => ({
  provider: 'github',
  subject: '1',
  username: 'octocat',
  displayName: 'Octo',
  emails: [{ address: 'octo@example.com', verified: true }],
  ...extra,
});

const google = (extra: Partial<SsoProfile> = {}): SsoProfile => ({
  provider: 'google',
  subject: '110',
  username: 'alice@acme.test',
  displayName: 'Alice',
  emails: [{ address: 'alice@acme.test', verified: true }],
  ...extra,
});

function rules(
  sso: Partial<SsoRulesConfig['sso']> = {},
  auth: Partial<SsoRulesConfig['auth']> = {},
): SsoRulesConfig {
  return {
    sso: { admin_usernames: [], allowed_github_orgs: [], allowed_google_domains: [], ...sso },
    auth: { open_signup: false, allowed_email_domains: [], ...auth },
  };
}

describe('SSO restrictions (every sign-in)', () => {
  it('passes everyone when nothing is restricted', () => {
    assert.equal(restrictionBreach(gh(), rules()), null);
    assert.equal(restrictionBreach(google({ emails: [] }), rules()), null);
  });

  it('allowed_github_orgs: members only, case-insensitive; no orgs read means not a member', () => {
    const config = rules({ allowed_github_orgs: ['Acme'] });
    assert.equal(restrictionBreach(gh({ orgs: ['other', 'ACME'] }), config), null);
    assert.equal(restrictionBreach(gh({ orgs: ['other'] }), config), 'org_required');
    assert.equal(restrictionBreach(gh({ orgs: undefined }), config), 'org_required');
    // Does not restrict Google.
    assert.equal(restrictionBreach(google(), config), null);
  });

  it('allowed_google_domains: a verified address or hd in the list; unverified addresses never count', () => {
    const config = rules({ allowed_google_domains: ['acme.test'] });
    assert.equal(restrictionBreach(google(), config), null);
    assert.equal(
      restrictionBreach(google({ emails: [{ address: 'alice@acme.test', verified: false }] }), config),
      'domain_required',
    );
    assert.equal(
      restrictionBreach(
        google({ emails: [{ address: 'a@gmail.com', verified: true }], hostedDomain: 'acme.test' }),
        config,
      ),
      null,
    );
    assert.equal(
      restrictionBreach(google({ emails: [{ address: 'a@ACME.TEST', verified: true }] }), config),
      null,
    );
    assert.equal(
      restrictionBreach(google({ emails: [{ address: 'a@sub.acme.test', verified: true }] }), config),
      'domain_required',
    );
    assert.equal(restrictionBreach(gh(), config), null, 'does not restrict GitHub');
  });

  it('ignores blank list entries', () => {
    assert.equal(restrictionBreach(gh(), rules({ allowed_github_orgs: [' '] })), null);
  });
});

describe('admin_usernames', () => {
  it('matches a GitHub login case-insensitively', () => {
    assert.ok(isListedAdmin(gh(), rules({ admin_usernames: ['OctoCat'] }).sso));
    assert.ok(!isListedAdmin(gh(), rules({ admin_usernames: ['octo'] }).sso));
  });

  it('matches a Google address only when Google verified it', () => {
    const sso = rules({ admin_usernames: ['alice@acme.test'] }).sso;
    assert.ok(isListedAdmin(google(), sso));
    assert.ok(!isListedAdmin(google({ emails: [{ address: 'alice@acme.test', verified: false }] }), sso));
  });

  it('promotes a user, never demotes, never touches a superadmin', () => {
    const listed = rules({ admin_usernames: ['octocat'] }).sso;
    assert.equal(roleAtSignIn('user', gh(), listed), 'admin');
    assert.equal(roleAtSignIn('admin', gh(), listed), 'admin');
    assert.equal(roleAtSignIn('superadmin', gh(), listed), 'superadmin');
    assert.equal(roleAtSignIn('admin', gh(), rules().sso), 'admin');
    assert.equal(roleAtSignIn('user', gh(), rules().sso), 'user');
  });
});

describe('new accounts', () => {
  const none = { kind: 'none' } as const;

  it('is closed by default', () => {
    assert.deepEqual(newAccountDecision(gh(), rules(), none), { allowed: false, code: 'signup_closed' });
  });

  it('admin_usernames -> admin, leaving an invite unused', () => {
    const decision = newAccountDecision(gh(), rules({ admin_usernames: ['octocat'] }), {
      kind: 'valid',
      role: 'user',
    });
    assert.deepEqual(decision, { allowed: true, role: 'admin', useInvite: false, reason: 'admin_usernames' });
  });

  it('a valid invite -> its role, used up; an invalid one -> invite_invalid unless another rule allows', () => {
    assert.deepEqual(newAccountDecision(gh(), rules(), { kind: 'valid', role: 'admin' }), {
      allowed: true,
      role: 'admin',
      useInvite: true,
      reason: 'invite',
    });
    assert.deepEqual(newAccountDecision(gh(), rules(), { kind: 'invalid' }), {
      allowed: false,
      code: 'invite_invalid',
    });
    const open = newAccountDecision(gh(), rules({}, { open_signup: true }), { kind: 'invalid' });
    assert.ok(open.allowed && open.role === 'user' && !open.useInvite);
  });

  it('open_signup -> user', () => {
    const decision = newAccountDecision(gh(), rules({}, { open_signup: true }), none);
    assert.deepEqual(decision, { allowed: true, role: 'user', useInvite: false, reason: 'open_signup' });
  });

  it('Google domains: verified address or hd; never an unverified address', () => {
    const config = rules({ allowed_google_domains: ['acme.test'] });
    assert.ok(newAccountDecision(google(), config, none).allowed);
    assert.ok(newAccountDecision(google({ emails: [], hostedDomain: 'acme.test' }), config, none).allowed);
    const unverified = google({ emails: [{ address: 'alice@acme.test', verified: false }] });
    assert.equal(newAccountDecision(unverified, config, none).allowed, false);
  });

  it('GitHub organisations: a member of an allowed org', () => {
    const config = rules({ allowed_github_orgs: ['acme'] });
    assert.ok(newAccountDecision(gh({ orgs: ['acme'] }), config, none).allowed);
    assert.equal(newAccountDecision(gh({ orgs: ['else'] }), config, none).allowed, false);
  });

  it('auth.allowed_email_domains: a provider-verified address only, any provider', () => {
    const config = rules({}, { allowed_email_domains: ['example.com'] });
    assert.ok(newAccountDecision(gh(), config, none).allowed);
    assert.equal(
      newAccountDecision(gh({ emails: [{ address: 'octo@example.com', verified: false }] }), config, none)
        .allowed,
      false,
    );
    const googleConfig = rules({}, { allowed_email_domains: ['acme.test'] });
    assert.ok(newAccountDecision(google(), googleConfig, none).allowed);
    assert.equal(
      newAccountDecision(
        google({ emails: [{ address: 'alice@acme.test', verified: false }] }),
        googleConfig,
        none,
      ).allowed,
      false,
    );
    // The Workspace domain alone is not an e-mail address.
    assert.equal(
      newAccountDecision(google({ emails: [], hostedDomain: 'acme.test' }), googleConfig, none).allowed,
      false,
    );
  });

  it('an account e-mail is a verified address: the preferred one when verified, else the first', () => {
    const profile = gh({
      emails: [
        { address: 'unverified@x.test', verified: false },
        { address: 'first@x.test', verified: true },
        { address: 'second@x.test', verified: true },
      ],
    });
    assert.equal(accountEmail(profile), 'first@x.test');
    assert.equal(accountEmail(profile, 'SECOND@x.test'), 'second@x.test');
    assert.equal(accountEmail(profile, 'unverified@x.test'), 'first@x.test');
    assert.equal(accountEmail(gh({ emails: [{ address: 'a@x.test', verified: false }] })), null);
  });
});
