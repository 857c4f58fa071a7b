import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Actor, grantBreach, passwordResetBreach, userChangeBreach } from './user-rules';

const superadmin: Actor = { userId: 'root', role: 'superadmin' };
const admin: Actor = { userId: 'adm', role: 'admin' };
const accessKeyAdmin: Actor = { userId: null, role: 'admin' };
const userTarget = { id: 'u1', role: 'user' as const, disabled: false };
const adminTarget = { id: 'a2', role: 'admin' as const, disabled: false };
const rootTarget = { id: 'root', role: 'superadmin' as const, disabled: false };

describe('userChangeBreach', () => {
  it('lets an admin manage user accounts but not grant admin', () => {
    assert.equal(userChangeBreach(admin, userTarget, { disabled: true, email: 'x@y.z' }, 1), null);
    assert.equal(userChangeBreach(accessKeyAdmin, userTarget, { displayName: 'X' }, 1), null);
    assert.equal(userChangeBreach(admin, userTarget, { role: 'admin' }, 1)?.code, 'superadmin_only');
    assert.equal(userChangeBreach(admin, userTarget, { role: 'superadmin' }, 1)?.code, 'superadmin_only');
  });

  it('keeps admins and superadmins to a superadmin', () => {
    assert.equal(userChangeBreach(admin, adminTarget, { disabled: true }, 1)?.code, 'superadmin_only');
    assert.equal(userChangeBreach(admin, adminTarget, { role: 'user' }, 1)?.code, 'superadmin_only');
    assert.equal(userChangeBreach(admin, rootTarget, { disabled: true }, 1)?.code, 'superadmin_only');
    assert.equal(userChangeBreach(superadmin, adminTarget, { role: 'user' }, 1), null);
    assert.equal(userChangeBreach(superadmin, userTarget, { role: 'admin' }, 1), null);
  });

  it('lets nobody demote or disable themselves, but edit their own name', () => {
    assert.equal(userChangeBreach(superadmin, rootTarget, { role: 'admin' }, 2)?.code, 'self_change');
    assert.equal(userChangeBreach(superadmin, rootTarget, { disabled: true }, 2)?.code, 'self_change');
    assert.equal(userChangeBreach(admin, { ...adminTarget, id: 'adm' }, { displayName: 'Me' }, 1), null);
    assert.equal(
      userChangeBreach(admin, { ...adminTarget, id: 'adm' }, { role: 'user' }, 1)?.code,
      'self_change',
    );
  });

  it('keeps one enabled superadmin', () => {
    const accessKeyRoot: Actor = { userId: null, role: 'superadmin' };
    assert.equal(userChangeBreach(accessKeyRoot, rootTarget, { role: 'admin' }, 1)?.status, 409);
    assert.equal(userChangeBreach(accessKeyRoot, rootTarget, { disabled: true }, 1)?.status, 409);
    assert.equal(userChangeBreach(accessKeyRoot, rootTarget, { role: 'admin' }, 2), null);
    // a disabled superadmin is not counted on: changing it cannot lose the last one
    assert.equal(
      userChangeBreach(accessKeyRoot, { ...rootTarget, disabled: true }, { role: 'user' }, 1),
      null,
    );
  });
});

describe('passwordResetBreach and grantBreach', () => {
  it('follow the same lines', () => {
    assert.equal(passwordResetBreach(admin, userTarget), null);
    assert.equal(passwordResetBreach(admin, adminTarget)?.code, 'superadmin_only');
    assert.equal(passwordResetBreach(superadmin, adminTarget), null);
    assert.equal(passwordResetBreach(superadmin, rootTarget)?.code, 'self_change');
    assert.equal(grantBreach(admin, 'user'), null);
    assert.equal(grantBreach(admin, 'admin')?.code, 'superadmin_only');
    assert.equal(grantBreach(superadmin, 'admin'), null);
  });
});
