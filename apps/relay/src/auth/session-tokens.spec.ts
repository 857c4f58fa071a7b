import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import {
  AccessTokenSigner,
  looksLikeJwt,
  newOpaqueToken,
  newRefreshToken,
  sessionIdOfRefreshToken,
  tokenHash,
} from './session-tokens';

describe('refresh tokens', () => {
  it('name their session and carry 256 random bits', () => {
    const sid = uuidv7();
    const token = newRefreshToken(sid);
    assert.equal(sessionIdOfRefreshToken(token), sid);
    assert.notEqual(newRefreshToken(sid), token);
    assert.equal(token.length, 36 + 1 + 43);
  });

  it('refuses anything else', () => {
    for (const bad of [
      '',
      'abc',
      `${uuidv7()}.short`,
      `not-a-session-id-xxxxxxxxxxxxxxxxxxxx.${'a'.repeat(43)}`,
    ])
      assert.equal(sessionIdOfRefreshToken(bad), null, bad);
  });

  it('are stored as SHA-256 hex', () => {
    assert.equal(tokenHash('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(newOpaqueToken().length, 43);
  });
});

describe('AccessTokenSigner', () => {
  let secret = 'secret-one';
  const signer = new AccessTokenSigner(() => secret);

  it('round-trips the claims', () => {
    const token = signer.sign({ sub: 'u1', sid: 's1', role: 'admin' }, 60);
    assert.ok(looksLikeJwt(token));
    const claims = signer.verify(token)!;
    assert.equal(claims.sub, 'u1');
    assert.equal(claims.sid, 's1');
    assert.equal(claims.role, 'admin');
    assert.equal(claims.exp - claims.iat, 60);
  });

  it('refuses a token signed with another secret, tampered, or of another algorithm', () => {
    const token = signer.sign({ sub: 'u1', sid: 's1', role: 'user' }, 60);
    secret = 'secret-two';
    assert.equal(signer.verify(token), null);
    secret = 'secret-one';
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'superadmin' }),
    ).toString('base64url');
    assert.equal(signer.verify(`${header}.${forged}.${signature}`), null);
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    assert.equal(signer.verify(`${none}.${payload}.`), null);
  });

  it('refuses an expired token unless asked to ignore expiry', () => {
    const expired = signer.sign({ sub: 'u1', sid: 's1', role: 'user' }, -10);
    assert.equal(signer.verify(expired), null);
    assert.equal(signer.verify(expired, { ignoreExpiration: true })?.sid, 's1');
  });

  it('tells JWTs from keys', () => {
    assert.equal(looksLikeJwt('mr-abcdef'), false);
    assert.equal(looksLikeJwt('sk-a.b.c'), false);
  });
});
