/** The open drafts on the booking start screen, next to "New booking". */
import type { BookingDraftSummary, DeskApi } from '../../../shared/contract.js';
import type { WireError } from '../../../shared/errors.js';
import { callSafely } from '../lib/call.js';

const DRAFTS_REREAD_MS = 200;

export class OpenDrafts {
  list = $state.raw<BookingDraftSummary[]>([]);
  error = $state.raw<WireError | null>(null);
  loaded = $state(false);

  readonly #api: DeskApi;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by each load: an older list does not replace a newer one. */
  #loads = 0;

  constructor(api: DeskApi) {
    this.#api = api;
  }

  async load(): Promise<void> {
    const load = ++this.#loads;
    const result = await callSafely(() => this.#api.listBookingDrafts({ filter: 'open' }));
    if (load !== this.#loads) return;
    this.loaded = true;
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    this.list = result.value;
    this.error = null;
  }

  /** Main says a draft changed: the list is read again shortly, once for a burst of pushes. */
  changed(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.load(), DRAFTS_REREAD_MS);
  }
}
