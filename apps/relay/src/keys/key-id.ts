import { createHash } from 'node:crypto';

/**
 * A key's stable id: its provider's name and the first 12 hex digits of the secret's sha256. It
 * survives reloads that keep the key, never reveals the secret, and differs across providers.
 */
export function keyIdFor(provider: string, secret: string): string {
  return `${provider}:${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;
}

/** Short fingerprint of a provider's config: tells whether a reload touched the provider. */
export function configFingerprint(providerConfig: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(providerConfig) ?? '')
    .digest('hex')
    .slice(0, 16);
}
