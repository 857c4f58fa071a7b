import type { RequestLogBodies, RequestLogEntry } from '@monorelay/contracts';

/** What the write-behind queue hands the store: the entry and, unless shed or off, its bodies. */
export interface LogRecord {
  entry: RequestLogEntry;
  bodies: RequestLogBodies | null;
}
