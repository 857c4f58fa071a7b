import { type DestroyRef, type Signal, signal } from '@angular/core';

/** `Date.now()` as a signal that ticks every second until `destroyRef` is destroyed (for countdowns). */
export function secondClock(destroyRef: DestroyRef): Signal<number> {
  const now = signal(Date.now());
  const timer = setInterval(() => now.set(Date.now()), 1000);
  destroyRef.onDestroy(() => clearInterval(timer));
  return now.asReadonly();
}
