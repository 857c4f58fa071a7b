import { hash, randomBytes } from 'node:crypto';

/** Every relay key starts with this, so people (and secret scanners) recognise it. */
export const RELAY_KEY_PREFIX = 'mr-';

/** `mr-` + 43 characters: the base64url of 32 random bytes (256 bits). */
export const RELAY_KEY_LENGTH = RELAY_KEY_PREFIX.length + 43;

/** Characters of the key kept in plain text to recognise it in lists (`mr-AbCdEf`). */
const SHOWN_CHARACTERS = 6;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface NewRelayKey {
  /** The key itself: shown to its owner once, never stored. */
  key: string;
  /** `mr-` and its first 6 characters. */
  prefix: string;
  /** SHA-256 of the key, hex: what the database keeps and the lookup uses. */
  hash: string;
}

export function generateRelayKey(): NewRelayKey {
  const key = RELAY_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, prefix: relayKeyPrefix(key), hash: relayKeyHash(key) };
}

export function relayKeyPrefix(key: string): string {
  return key.slice(0, RELAY_KEY_PREFIX.length + SHOWN_CHARACTERS);
}

export function relayKeyHash(key: string): string {
  return hash('sha256', key, 'hex');
}

/**
 * Whether a presented credential has a relay key's shape. Anything else is refused without a
 * database lookup (a client sending garbage costs nothing).
 */
export function looksLikeRelayKey(credential: string): boolean {
  return (
    credential.length === RELAY_KEY_LENGTH &&
    credential.startsWith(RELAY_KEY_PREFIX) &&
    BASE64URL.test(credential.slice(RELAY_KEY_PREFIX.length))
  );
}
