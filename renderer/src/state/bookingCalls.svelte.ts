/**
 * The calls to main the booking screens wait on (open a draft, validate, create): while one
 * runs the draft cannot change and no other starts; a failure shows in the banner, whose
 * "Try again" repeats the call as it was.
 */
import type { IpcResult, WireError } from '../../../shared/errors.js';
import { callSafely } from '../lib/call.js';
import { isWaugUnreachable } from '../lib/bookingSteps.js';

export type BookingBusy = 'starting' | 'validating' | 'creating';

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

  /** Runs one call, busy as `kind` meanwhile; the caller decides what its failure means (failed()). */
  async run<T>(kind: BookingBusy, call: () => Promise<IpcResult<T>>): Promise<IpcResult<T>> {
    this.busy = kind;
    this.error = null;
    const result = await callSafely(call);
    this.busy = null;
    return result;
  }

  /** Shows the failure in the banner, with the call its "Try again" repeats. */
  failed(error: WireError, retry: () => Promise<void>): void {
    this.error = error;
    this.#retry = retry;
  }

  /** The banner's "Try again": the call that failed, as it was. */
  async retry(): Promise<void> {
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
