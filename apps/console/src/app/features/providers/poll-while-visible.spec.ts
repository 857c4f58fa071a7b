import type { DestroyRef } from '@angular/core';
import { pollWhileVisible } from './poll-while-visible';

describe('pollWhileVisible', () => {
  let visibility: DocumentVisibilityState;
  let destroyed: Array<() => void>;
  const destroyRef = {
    onDestroy: (callback: () => void) => destroyed.push(callback),
  } as unknown as DestroyRef;

  beforeEach(() => {
    vi.useFakeTimers();
    visibility = 'visible';
    destroyed = [];
    vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('refreshes on every tick while visible, skips hidden ticks, catches up when shown, stops on destroy', async () => {
    let calls = 0;
    pollWhileVisible(async () => calls++, 3000, destroyRef);
    await vi.advanceTimersByTimeAsync(6000);
    expect(calls).toBe(2);

    visibility = 'hidden';
    await vi.advanceTimersByTimeAsync(9000);
    expect(calls).toBe(2);

    visibility = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(3);

    for (const callback of destroyed) callback();
    await vi.advanceTimersByTimeAsync(9000);
    document.dispatchEvent(new Event('visibilitychange'));
    expect(calls).toBe(3);
  });

  it('does not start a refresh while the last one is still running', async () => {
    let started = 0;
    let finish: () => void = () => undefined;
    pollWhileVisible(
      () => {
        started++;
        return new Promise<void>((resolve) => (finish = resolve));
      },
      1000,
      destroyRef,
    );
    await vi.advanceTimersByTimeAsync(5000);
    expect(started).toBe(1);
    finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toBe(2);
  });
});
