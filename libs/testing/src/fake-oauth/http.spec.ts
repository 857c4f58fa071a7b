import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { basicCredentials, parseQuery, tokenFromAuthorization, withQuery } from './http';

describe('fake OAuth http helpers', () => {
  it('withQuery appends to the URL, keeping its own query and dropping undefined values', () => {
    assert.equal(withQuery('http://h/cb', { code: 'a/b', state: undefined }), 'http://h/cb?code=a%2Fb');
    assert.equal(withQuery('http://h/cb?x=%20y', { code: 'c' }), 'http://h/cb?x=%20y&code=c');
    assert.equal(withQuery('http://h/cb?', { code: 'c' }), 'http://h/cb?code=c');
    assert.equal(withQuery('http://h/cb#frag', { code: 'c' }), 'http://h/cb?code=c');
  });

  it('parseQuery keeps the first of repeated names', () => {
    assert.deepEqual(parseQuery('?a=1&b=x+y&a=2'), { a: '1', b: 'x y' });
  });

  it('reads bearer-like tokens by scheme, case-insensitively', () => {
    assert.equal(tokenFromAuthorization({ authorization: 'Bearer abc' }, ['bearer']), 'abc');
    assert.equal(tokenFromAuthorization({ authorization: 'token abc' }, ['token', 'bearer']), 'abc');
    assert.equal(tokenFromAuthorization({ authorization: 'token abc' }, ['bearer']), undefined);
    assert.equal(tokenFromAuthorization({}, ['bearer']), undefined);
  });

  it('reads client_secret_basic credentials, form-decoding both halves', () => {
    const header = `Basic ${Buffer.from('my%3Aid:s+e%25cret').toString('base64')}`;
    assert.deepEqual(basicCredentials({ authorization: header }), {
      clientId: 'my:id',
      clientSecret: 's e%cret',
    });
    assert.equal(basicCredentials({ authorization: 'Basic bm9jb2xvbg==' }), undefined);
  });
});
