/**
 * Key selection over a provider's key list. `usable[i]` says whether key i may be leased now; each
 * function returns the chosen index, or -1 when none is usable. No allocation per call.
 */

/** The first usable key at or after the cursor, wrapping around: a steady A, B, C, A, B, C rotation. */
export function pickRoundRobin(usable: readonly boolean[], cursor: number): number {
  const count = usable.length;
  for (let step = 0; step < count; step++) {
    const index = (cursor + step) % count;
    if (usable[index]) return index;
  }
  return -1;
}

/** Uniform among usable keys. */
export function pickRandom(usable: readonly boolean[], random: () => number): number {
  let count = 0;
  for (const ok of usable) if (ok) count++;
  if (count === 0) return -1;
  return nthUsable(usable, Math.min(count - 1, Math.floor(random() * count)));
}

/**
 * Proportional to `weights[i]` among usable keys. A key with weight 0 (or less) is a standby: it is
 * picked only when no usable key has a positive weight, then uniformly among the standbys.
 */
export function pickWeighted(
  usable: readonly boolean[],
  weights: readonly number[],
  random: () => number,
): number {
  let total = 0;
  for (let index = 0; index < usable.length; index++)
    if (usable[index] && weights[index] > 0) total += weights[index];
  if (total === 0) return pickRandom(usable, random);
  let remaining = random() * total;
  let last = -1;
  for (let index = 0; index < usable.length; index++) {
    if (!usable[index] || !(weights[index] > 0)) continue;
    last = index;
    remaining -= weights[index];
    if (remaining < 0) return index;
  }
  return last; // floating-point leftovers land on the last positive-weight key
}

function nthUsable(usable: readonly boolean[], n: number): number {
  let seen = 0;
  for (let index = 0; index < usable.length; index++) {
    if (!usable[index]) continue;
    if (seen === n) return index;
    seen++;
  }
  return -1;
}
