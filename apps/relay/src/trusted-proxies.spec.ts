import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trustedProxyMatcher } from './trusted-proxies';

describe('trustedProxyMatcher', () => {
  it('trusts nobody by default, then listed addresses and subnets, IPv4-mapped included', () => {
    let list: string[] = [];
    const trusted = trustedProxyMatcher(() => list);
    assert.equal(trusted('127.0.0.1'), false);
    list = ['10.0.0.0/8', '127.0.0.1', '::1'];
    assert.equal(trusted('10.1.2.3'), true);
    assert.equal(trusted('::ffff:127.0.0.1'), true);
    assert.equal(trusted('::1'), true);
    assert.equal(trusted('192.168.1.1'), false);
  });
});
