/**
 * The scan → lookup sequence, free of Svelte so it can be tested with a fake API.
 *
 * A scan asks main for the cached copy first (instant, works offline). When the answer came
 * from the cache, a second call asks Yahoo in the background and replaces the card when it
 * returns. Every step checks it still belongs to the newest scan: a slow answer for an older
 * serial must never overwrite the card the clerk is looking at.
 */
import type { DeskApi, LookupResult } from '../../../shared/contract.js';
import type { IpcResult } from '../../../shared/errors.js';

export type LookupApi = Pick<DeskApi, 'lookupVoucher'>;

export type LookupUpdate =
  | { phase: 'first'; result: IpcResult<LookupResult> }
  | { phase: 'refreshing' }
  | { phase: 'refreshed'; result: IpcResult<LookupResult> };

/** Hands out increasing tickets; only the newest one is current. */
export class LatestOnly {
  #latest = 0;

  next(): number {
    this.#latest += 1;
    return this.#latest;
  }

  isCurrent(ticket: number): boolean {
    return ticket === this.#latest;
  }

  /** Makes every outstanding ticket stale (e.g. the clerk cleared the screen). */
  invalidate(): void {
    this.#latest += 1;
  }
}

/** A cached answer is checked with Yahoo, unless the clerk chose to work offline. */
export function needsRemoteRefresh(result: IpcResult<LookupResult>, remoteAllowed = true): boolean {
  return remoteAllowed && result.ok && result.value.source === 'cache';
}

export async function lookupWithRefresh(
  api: LookupApi,
  serial: string,
  isCurrent: () => boolean,
  onUpdate: (update: LookupUpdate) => void,
  remoteAllowed: () => boolean = () => true,
): Promise<void> {
  const first = await api.lookupVoucher({ serial, prefer: 'cache' });
  if (!isCurrent()) return;
  onUpdate({ phase: 'first', result: first });
  if (!needsRemoteRefresh(first, remoteAllowed())) return;

  onUpdate({ phase: 'refreshing' });
  const fresh = await api.lookupVoucher({ serial, prefer: 'remote' });
  if (!isCurrent()) return;
  onUpdate({ phase: 'refreshed', result: fresh });
}

/**
 * Starts a timer that turns the loading indicator on only if the answer is slow, so a fast
 * cache hit never flashes a spinner. Returns a function that cancels it.
 */
export function showAfterDelay(
  delayMs: number,
  show: () => void,
  timers: { set: (fn: () => void, ms: number) => unknown; clear: (handle: unknown) => void } = {
    set: (fn, ms) => setTimeout(fn, ms),
    clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
): () => void {
  const handle = timers.set(show, delayMs);
  return () => timers.clear(handle);
}

export const LOADING_DELAY_MS = 150;
