import type { DestroyRef } from '@angular/core';

/** How often provider state (health, key cooldowns, stats) is asked for again while a page shows it. */
export const PROVIDER_POLL_MS = 3000;

/**
 * Runs `refresh` every `everyMs` while the browser tab is visible, and at once when it becomes
 * visible again; stops when `destroyRef` is destroyed. A refresh still running is not started twice.
 */
export function pollWhileVisible(
  refresh: () => Promise<unknown>,
  everyMs: number,
  destroyRef: DestroyRef,
): void {
  let running = false;
  const run = (): void => {
    if (running || document.visibilityState === 'hidden') return;
    running = true;
    void refresh().finally(() => (running = false));
  };
  const timer = setInterval(run, everyMs);
  document.addEventListener('visibilitychange', run);
  destroyRef.onDestroy(() => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', run);
  });
}
