import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gitHubProfile, googleProfile } from './sso-profile';
import { accountUsername } from './sso-sign-in.service';

describe('SSO profiles', () => {
  it('GitHub: numeric id as subject, login, every /user/emails address with its verified flag, primary first', () => {
    const profile = gitHubProfile(
      {
        id: '583231',
        username: 'octocat',
        displayName: 'The Octocat',
        emails: [
          { value: 'old@example.com', primary: false, verified: false },
          { value: 'octo@example.com', primary: true, verified: true },
          { value: 'OCTO@example.com', primary: false, verified: false },
        ],
      },
      ['acme'],
    );
    assert.deepEqual(profile, {
      provider: 'github',
      subject: '583231',
      username: 'octocat',
      displayName: 'The Octocat',
      emails: [
        { address: 'octo@example.com', verified: true },
        { address: 'old@example.com', verified: false },
      ],
      orgs: ['acme'],
    });
  });

  it('GitHub: an address without a verified flag (the public /user e-mail) is not verified', () => {
    const profile = gitHubProfile({ id: '1', username: 'x', emails: [{ value: 'x@example.com' }] });
    assert.deepEqual(profile.emails, [{ address: 'x@example.com', verified: false }]);
    assert.equal(profile.displayName, 'x');
    assert.equal(profile.orgs, undefined);
  });

  it('GitHub: refuses a profile without a numeric id or a login', () => {
    assert.throws(() => gitHubProfile({ id: 'abc', username: 'x' }));
    assert.throws(() => gitHubProfile({ id: '1' }));
  });

  it('Google: sub, e-mail as user name, email_verified (boolean or string), hd', () => {
    assert.deepEqual(
      googleProfile({
        sub: '110',
        email: 'alice@acme.test',
        email_verified: true,
        name: 'Alice',
        hd: 'ACME.test',
      }),
      {
        provider: 'google',
        subject: '110',
        username: 'alice@acme.test',
        displayName: 'Alice',
        emails: [{ address: 'alice@acme.test', verified: true }],
        hostedDomain: 'acme.test',
      },
    );
    assert.equal(
      googleProfile({ sub: '1', email: 'a@b.c', email_verified: 'true' }).emails[0].verified,
      true,
    );
    assert.equal(googleProfile({ sub: '1', email: 'a@b.c' }).emails[0].verified, false);
    assert.deepEqual(googleProfile({ sub: '1' }).emails, []);
    assert.throws(() => googleProfile({ email: 'a@b.c' }));
  });

  it('new account user names: the GitHub login; the local part of a Google address', () => {
    assert.equal(accountUsername(gitHubProfile({ id: '1', username: 'Octo-Cat' })), 'Octo-Cat');
    assert.equal(accountUsername(googleProfile({ sub: '1', email: 'alice.b@acme.test' })), 'alice.b');
    assert.equal(accountUsername(googleProfile({ sub: '1234' })), '1234');
  });
});
