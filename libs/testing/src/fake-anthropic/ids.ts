// Identifiers shaped like Anthropic's: `msg_01…`, `toolu_01…`, `req_011C…` (base58 tails), and thinking signatures.
import { createHash, randomBytes } from 'node:crypto';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += BASE58[byte % BASE58.length];
  return out;
}

export const messageId = (): string => `msg_01${base58(22)}`;
export const toolUseId = (): string => `toolu_01${base58(22)}`;
export const requestId = (): string => `req_011C${base58(20)}`;

/** A deterministic stand-in for the opaque signature that lets a client send thinking back. */
export function thinkingSignature(thinking: string): string {
  const digest = createHash('sha256').update(thinking).digest();
  return Buffer.concat([Buffer.from('fake-signature:'), digest]).toString('base64');
}
