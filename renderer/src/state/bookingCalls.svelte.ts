/**
 * The calls to main the booking screens wait on (open a draft, validate, create): while one
 * runs, the draft save before it included, the draft cannot change and no other starts
 * (lib/bookingCalls.ts); a failure shows in the banner, whose "Try again" repeats the call as it was.
 */
import type { IpcResult, WireError } from '../../../shared/errors.js';
import { runAlone, type BookingBusy } from '../lib/bookingCalls.js';
import { isWaugUnreachable } from '../lib/bookingSteps.js';

export class BookingCalls {
  busy = $state<BookingBusy | null>(null);
  error = $state.raw<WireError | null>(null);
  /** Nothing reaches WAUG: it is not set up, the clerk works offline, or the last call did not get there. */
  readonly waugUnreachable: boolean;

  #retry: (() => Promise<void>) | null = null;

  /** remoteAllowed: false while WAUG is not set up or the clerk works offline. */
  constructor(remoteAllowed: () => boolean) {
    this.waugUnreachable = $derived(!remoteAllowed() || (this.error !== null && isWaugUnreachable(this.error.code)));
  }

  /**
   * Runs one call, busy as `kind` from this instant (`before` included, typically saving the
   * draft); null when it did not run: another call runs, or `before` said no. The caller decides
   * what a failure means (failed()).
   */
  run<T>(
    kind: BookingBusy,
    call: () => Promise<IpcResult<T>>,
    before?: () => Promise<boolean>,
  ): Promise<IpcResult<T> | null> {
    return runAlone(this, kind, call, { before, sending: () => (this.error = null) });
  }

  /** Shows the failure in the banner, with the call its "Try again" repeats. */
  failed(error: WireError, retry: () => Promise<void>): void {
    this.error = error;
    this.#retry = retry;
  }

  /** The banner's "Try again": the call that failed, as it was (kept while another call runs). */
  async retry(): Promise<void> {
    if (this.busy !== null) return;
    const again = this.#retry;
    this.#retry = null;
    this.error = null;
    if (again !== null) await again();
  }

  clear(): void {
    this.error = null;
    this.#retry = null;
  }
}
