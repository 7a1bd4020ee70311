/**
 * One booking call at a time (open a draft, validate, create). The call is marked busy before
 * anything awaits, the save of the draft it waits for included: a double click on "Confirm and
 * book" then finds the first click busy and does nothing, instead of slipping past a busy check
 * made before the save and getting main's 'busy' refusal while the first create is in flight.
 * Free of Svelte, so it is tested in Node; BookingCalls keeps `busy` reactive for the buttons.
 */
import type { IpcResult } from '../../../shared/errors.js';
import { callSafely } from './call.js';

export type BookingBusy = 'starting' | 'validating' | 'creating';

/** Where the running call is marked: BookingCalls' reactive field. */
export interface BusyMark {
  busy: BookingBusy | null;
}

export interface AloneOptions {
  /** Runs first, already busy (saving the draft so main checks what is on screen); false: no call. */
  before?: () => Promise<boolean>;
  /** Runs just before the call is sent (clearing the last failure). */
  sending?: () => void;
}

/**
 * Runs `call`, busy as `kind` from the first instant until it answered. Null when it did not run:
 * another call was running, or `before` said no.
 */
export async function runAlone<T>(
  mark: BusyMark,
  kind: BookingBusy,
  call: () => Promise<IpcResult<T>>,
  { before, sending }: AloneOptions = {},
): Promise<IpcResult<T> | null> {
  if (mark.busy !== null) return null;
  mark.busy = kind;
  try {
    if (before !== undefined && !(await before())) return null;
    sending?.();
    return await callSafely(call);
  } finally {
    mark.busy = null;
  }
}
