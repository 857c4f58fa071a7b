import type { AttemptOutcome } from '@monorelay/contracts';
import type { IncomingHttpHeaders } from 'node:http';
import type { UnavailableReason } from '../keys/key-lease';
import type { ErrorShape } from './relay-endpoints';

/** Why one upstream attempt did not produce an answer for the client. */
export interface AttemptFailure {
  outcome: Exclude<AttemptOutcome, 'success' | 'client_closed'>;
  /** Upstream HTTP status when one arrived. */
  status: number | null;
  /** Human-readable detail for the log and the client error message. */
  detail: string;
  /** Milliseconds until the provider said a key is back (429) or the soonest key recovery. */
  retryAfterMs: number | null;
  /** Upstream's error body and headers, for failures returned to the client as they are. */
  body?: Buffer;
  headers?: IncomingHttpHeaders;
  /** The error body's shape (the upstream's API), when `body` came from upstream. */
  bodyShape?: ErrorShape;
  /** Set for `no_key`. */
  keyReason?: UnavailableReason;
  /** For `unsupported`: the request field that could not be carried to the target. */
  param?: string;
}

export const failure = (
  outcome: AttemptFailure['outcome'],
  detail: string,
  extra: Partial<AttemptFailure> = {},
): AttemptFailure => ({ outcome, detail, status: null, retryAfterMs: null, ...extra });
