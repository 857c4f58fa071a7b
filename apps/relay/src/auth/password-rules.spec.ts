import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PASSWORD_MAX_LENGTH, passwordProblem, usernameProblem } from './password-rules';

describe('passwordProblem', () => {
  it('accepts a long enough password', () => {
    assert.equal(passwordProblem('correct horse battery', 'alice', 12), null);
  });

  it('enforces the minimum and maximum length, counting characters not bytes', () => {
    assert.match(passwordProblem('short', 'alice', 12)!, /at least 12 characters/);
    assert.equal(passwordProblem('ééééééééééé1', 'alice', 12), null);
    assert.match(passwordProblem('x'.repeat(PASSWORD_MAX_LENGTH) + 'y', 'alice', 12)!, /at most 256/);
  });

  it('refuses a password containing the user name, case-insensitively', () => {
    assert.match(passwordProblem('my-ALICE-password', 'Alice', 12)!, /user name/);
  });

  it('refuses one character repeated', () => {
    assert.match(passwordProblem('aaaaaaaaaaaaaaaa', 'bob', 12)!, /repeated/);
  });
});

describe('usernameProblem', () => {
  it('accepts letters, digits, dot, underscore and dash', () => {
    assert.equal(usernameProblem('octo.cat_2-x'), null);
    assert.equal(usernameProblem('ab'), null);
  });

  it('refuses too short, too long, spaces and a leading symbol', () => {
    for (const bad of ['a', 'x'.repeat(65), 'with space', '-dash', '', 'ünïcode'])
      assert.notEqual(usernameProblem(bad), null, bad);
  });
});
