/**
 * One read of something WAUG owns (a goods, a month of prices, the booked order) as the
 * booking screens show it: the copy saved on this desk first, then WAUG in the background when
 * the desk may reach it (lib/cacheThenRemote.ts). A newer read makes every answer of an older
 * one stale, so a slow answer for the goods the clerk left never replaces the one on screen.
 */
import type { IpcResult, WireError } from '../../../shared/errors.js';
import { cacheThenRemote, showCachedUpdate, type CachedReadView, type Prefer } from '../lib/cacheThenRemote.js';
import { LatestOnly, LOADING_DELAY_MS, showAfterDelay } from '../lib/lookup.js';

export type Ask<T> = (prefer: Prefer) => Promise<IpcResult<T>>;

export class CachedRead<T extends { source: 'cache' | 'remote' }> implements CachedReadView<T> {
  result = $state.raw<IpcResult<T> | null>(null);
  /** True only once the first answer is slow, so a fast cache hit never flashes a spinner. */
  loading = $state(false);
  refreshing = $state(false);
  refreshError = $state.raw<WireError | null>(null);

  readonly value: T | null = $derived(this.result?.ok === true ? this.result.value : null);

  readonly #latest = new LatestOnly();
  readonly #remoteAllowed: () => boolean;

  constructor(remoteAllowed: () => boolean) {
    this.#remoteAllowed = remoteAllowed;
  }

  /**
   * Reads cache first, then WAUG. Resolves once the first answer is on screen; WAUG's answer
   * follows in the background. `keep` leaves the current answer up meanwhile (same subject).
   */
  read(ask: Ask<T>, options: { keep?: boolean } = {}): Promise<void> {
    const ticket = this.#latest.next();
    const isCurrent = () => this.#latest.isCurrent(ticket);
    if (options.keep !== true) this.result = null;
    this.refreshing = false;
    this.refreshError = null;
    const cancelLoading = showAfterDelay(LOADING_DELAY_MS, () => {
      if (isCurrent() && this.result === null) this.loading = true;
    });
    return new Promise<void>((firstShown) => {
      void cacheThenRemote(
        ask,
        isCurrent,
        (update) => {
          showCachedUpdate(this, update, cancelLoading);
          if (update.phase === 'first') firstShown();
        },
        this.#remoteAllowed,
      ).finally(() => {
        cancelLoading();
        if (isCurrent()) {
          this.loading = false;
          this.refreshing = false;
        }
        firstShown();
      });
    });
  }

  /** A push said the saved copy changed: it replaces what is shown, and any read running is dropped. */
  async reread(ask: Ask<T>): Promise<void> {
    const ticket = this.#latest.next();
    const result = await ask('cache');
    if (!this.#latest.isCurrent(ticket)) return;
    this.loading = false;
    this.refreshing = false;
    if (result.ok) this.result = result;
  }

  /** Shows an answer the caller already holds (e.g. the order a create just returned). */
  show(value: T): void {
    this.#latest.invalidate();
    this.loading = false;
    this.refreshing = false;
    this.refreshError = null;
    this.result = { ok: true, value };
  }

  clear(): void {
    this.#latest.invalidate();
    this.result = null;
    this.loading = false;
    this.refreshing = false;
    this.refreshError = null;
  }
}
