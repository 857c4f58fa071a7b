import { randomInt } from 'node:crypto';

const TIME_WIDTH = 9; // base36 epoch milliseconds fit in 9 characters until the year 5188
const SEQUENCE_WIDTH = 10; // 36^10 > 3.6e15 events
const SEQUENCE = /^[0-9a-z]+$/;

/**
 * Event ids of one live log hub: `<start time base36><3 random chars>-<sequence base36>`, fixed
 * width, so ids sort as strings in publication order and ids of an earlier process (or of another
 * replica) sort before and are recognised as not ours.
 */
export class LiveEventIds {
  private readonly prefix: string;

  constructor(startedAt = Date.now(), instance = randomInt(36 ** 3)) {
    const time = Math.max(0, Math.floor(startedAt)).toString(36).padStart(TIME_WIDTH, '0');
    this.prefix = `${time}${instance.toString(36).padStart(3, '0').slice(-3)}-`;
  }

  format(sequence: number): string {
    return this.prefix + sequence.toString(36).padStart(SEQUENCE_WIDTH, '0');
  }

  /** The sequence number of one of our ids; null for anything else (malformed, foreign, stale). */
  parse(id: string): number | null {
    if (!id.startsWith(this.prefix)) return null;
    const sequence = id.slice(this.prefix.length);
    if (sequence.length !== SEQUENCE_WIDTH || !SEQUENCE.test(sequence)) return null;
    const value = parseInt(sequence, 36);
    return Number.isSafeInteger(value) ? value : null;
  }
}
