import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorLocation, safeReturnTo } from './return-to';

describe('returnTo (open-redirect guard)', () => {
  it('keeps paths on this relay', () => {
    for (const path of ['/', '/#/logs', '/#/keys?tab=mine', '/console/x?y=1#z', '/a%20b'])
      assert.equal(safeReturnTo(path), path);
  });

  it('replaces everything else with /', () => {
    const bad = [
      undefined,
      '',
      ['/a', '/b'],
      'https://evil.example/',
      '//evil.example',
      '///evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      'evil.example',
      '/\r\nSet-Cookie: x=y',
      '/\tx',
      '/ x',
      '/caf\u00e9',
      `/${'a'.repeat(2000)}`,
    ];
    for (const value of bad) assert.equal(safeReturnTo(value), '/', JSON.stringify(value));
  });

  it('builds the console error locations', () => {
    assert.equal(errorLocation('signup_closed'), '/#/login?error=signup_closed');
    assert.equal(errorLocation('identity_in_use', true), '/#/account?error=identity_in_use');
  });
});
