/**
 * When a queued redemption is tried again: exponential backoff with full jitter (a random delay
 * between 0 and base·2^(n−1), capped), so desks that lost the connection together do not all
 * come back at the same instant.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffPolicy> = Object.freeze({ baseMs: 2_000, capMs: 5 * 60_000 });

/** The delay before try number `tries + 1`, given `tries` tries so far; `random` returns [0, 1). */
export function backoffDelayMs(tries: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (tries <= 0) return 0;
  // 2^(tries−1) overflows nothing before the cap applies: stop doubling at 30.
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(tries - 1, 30));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}
