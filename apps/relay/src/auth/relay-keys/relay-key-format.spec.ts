import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { generateRelayKey, looksLikeRelayKey, RELAY_KEY_LENGTH, relayKeyHash } from './relay-key-format';

describe('relay key format', () => {
  it('is mr- and 43 base64url characters (32 random bytes); stores the sha256 hex and a 9-character prefix', () => {
    const { key, prefix, hash } = generateRelayKey();
    assert.match(key, /^mr-[A-Za-z0-9_-]{43}$/);
    assert.equal(key.length, RELAY_KEY_LENGTH);
    assert.equal(Buffer.from(key.slice(3), 'base64url').length, 32);
    assert.equal(prefix, key.slice(0, 9));
    assert.equal(hash, createHash('sha256').update(key).digest('hex'));
    assert.equal(relayKeyHash(key), hash);
  });

  it('never repeats', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateRelayKey().key));
    assert.equal(keys.size, 1000);
  });

  it('recognises the shape without a lookup', () => {
    assert.equal(looksLikeRelayKey(generateRelayKey().key), true);
    assert.equal(looksLikeRelayKey('mr-short'), false);
    assert.equal(looksLikeRelayKey('sk-' + 'a'.repeat(43)), false);
    assert.equal(looksLikeRelayKey('mr-' + 'a'.repeat(42) + '!'), false);
    assert.equal(looksLikeRelayKey('mr-' + 'a'.repeat(44)), false);
  });
});
