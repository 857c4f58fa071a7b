import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { digest, presentedCredential, secretMatches } from './credential';

describe('presentedCredential', () => {
  it('reads Bearer (any case), then x-api-key, then x-access-key', () => {
    assert.equal(presentedCredential({ authorization: 'Bearer abc' }), 'abc');
    assert.equal(presentedCredential({ authorization: 'bearer  abc ' }), 'abc');
    assert.equal(presentedCredential({ 'x-api-key': 'k1' }), 'k1');
    assert.equal(presentedCredential({ 'x-access-key': 'k2' }), 'k2');
    assert.equal(presentedCredential({ authorization: 'Basic xyz' }), null);
    assert.equal(presentedCredential({}), null);
  });
});

describe('secretMatches', () => {
  it('compares through equal-length digests', () => {
    assert.equal(secretMatches('secret', digest('secret')), true);
    assert.equal(secretMatches('secret-but-longer', digest('secret')), false);
    assert.equal(secretMatches('', digest('secret')), false);
  });
});
