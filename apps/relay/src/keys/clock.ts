/** Wall-clock time in epoch milliseconds; an injection token so specs can move time by hand. */
export abstract class Clock {
  abstract now(): number;
}

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}
