/**
 * The order lookups' version of the scan sequence (lookup.ts): the copy saved on this desk
 * first, then WAUG in the background, every step checked against the newest request so a slow
 * answer for an older voucher or order never overwrites the one on screen.
 *
 * A 'cache' read that misses is answered by main from WAUG itself (source 'remote'), and a
 * failed one already tried WAUG, so only a saved copy (hit or miss) is checked again.
 */
import type { IpcResult, WireError } from '../../../shared/errors.js';

export type Prefer = 'cache' | 'remote';

export type CachedUpdate<T> =
  { phase: 'first'; result: IpcResult<T> } | { phase: 'refreshing' } | { phase: 'refreshed'; result: IpcResult<T> };

export function needsRemote<T extends { source: 'cache' | 'remote' }>(
  first: IpcResult<T>,
  remoteAllowed: boolean,
): boolean {
  return remoteAllowed && first.ok && first.value.source === 'cache';
}

export async function cacheThenRemote<T extends { source: 'cache' | 'remote' }>(
  ask: (prefer: Prefer) => Promise<IpcResult<T>>,
  isCurrent: () => boolean,
  onUpdate: (update: CachedUpdate<T>) => void,
  remoteAllowed: () => boolean,
): Promise<void> {
  const first = await ask('cache');
  if (!isCurrent()) return;
  onUpdate({ phase: 'first', result: first });
  if (!needsRemote(first, remoteAllowed())) return;
  onUpdate({ phase: 'refreshing' });
  const fresh = await ask('remote');
  if (!isCurrent()) return;
  onUpdate({ phase: 'refreshed', result: fresh });
}

/**
 * What to show after the background answer. A WAUG failure keeps the saved answer on screen
 * (hit or miss) with the failure as a note; only when there was nothing to keep is it the error.
 */
export function settle<T>(
  shown: IpcResult<T> | null,
  fresh: IpcResult<T>,
): { show: IpcResult<T>; refreshError: WireError | null } {
  if (fresh.ok) return { show: fresh, refreshError: null };
  if (shown !== null && shown.ok) return { show: shown, refreshError: fresh.error };
  return { show: fresh, refreshError: null };
}

/** The on-screen state a cache-then-remote read drives (an order panel, an order page). */
export interface CachedReadView<T> {
  result: IpcResult<T> | null;
  loading: boolean;
  refreshing: boolean;
  refreshError: WireError | null;
}

/**
 * Shows one step of a cache-then-remote read on `view`: the first answer ends the loading state
 * (and its delayed spinner), the background read marks it refreshing, and its answer is settled.
 */
export function showCachedUpdate<T>(view: CachedReadView<T>, update: CachedUpdate<T>, cancelLoading: () => void): void {
  switch (update.phase) {
    case 'first':
      cancelLoading();
      view.loading = false;
      view.result = update.result;
      break;
    case 'refreshing':
      view.refreshing = true;
      break;
    case 'refreshed':
      showRefreshed(view, update.result);
      break;
  }
}

/** Shows WAUG's background answer on `view` (see settle). */
export function showRefreshed<T>(view: CachedReadView<T>, fresh: IpcResult<T>): void {
  view.refreshing = false;
  const { show, refreshError } = settle(view.result, fresh);
  view.result = show;
  view.refreshError = refreshError;
}
