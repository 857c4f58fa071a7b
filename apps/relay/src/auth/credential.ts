import { hash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The credential a client presented: `Authorization: Bearer <key>`, else `x-api-key` (Anthropic
 * SDKs), else `x-access-key` (MonoRelay).
 */
export function presentedCredential(headers: IncomingHttpHeaders): string | null {
  const authorization = headers.authorization;
  if (authorization && authorization.length > 7 && authorization.slice(0, 7).toLowerCase() === 'bearer ') {
    return authorization.slice(7).trim();
  }
  const apiKey = headers['x-api-key'] ?? headers['x-access-key'];
  if (typeof apiKey === 'string' && apiKey.length > 0) return apiKey.trim();
  return null;
}

export function digest(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}

/** Constant-time comparison: both sides are hashed to equal length first. */
export function secretMatches(presented: string, expectedDigest: Buffer): boolean {
  return timingSafeEqual(digest(presented), expectedDigest);
}
