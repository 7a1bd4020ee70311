/**
 * The outbox view's data: the chosen tab, its rows (re-read when main's revision moves),
 * resolving a conflict, and the Bookings tab (WAUG orders booked for mapped Yahoo items) with
 * its own filter and the retry of a failed booking.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { BookingEntry, ConflictResolution, DeskApi, OutboxEntry } from '../../../shared/contract.js';
import type { IpcResult, WireError } from '../../../shared/errors.js';
import { arrangeBookings, replaceBooking, type BookingFilter } from '../lib/bookings.js';
import { callSafely } from '../lib/call.js';
import { LatestOnly } from '../lib/lookup.js';
import { arrangeOutbox, type OutboxFilter } from '../lib/outbox.js';

export const OUTBOX_LIMIT = 500;

export type OutboxTab = OutboxFilter | 'bookings';

export class OutboxState {
  tab = $state<OutboxTab>('open');
  rows = $state.raw<readonly OutboxEntry[]>([]);
  /** The Bookings tab's own filter and rows. */
  bookingFilter = $state<BookingFilter>('open');
  bookings = $state.raw<readonly BookingEntry[]>([]);
  /** Order items whose retry is on its way to main. */
  readonly retrying = new SvelteSet<string>();
  retryError = $state.raw<{ orderItemId: string; error: WireError } | null>(null);
  /** False until the first answer for the current tab, so an empty list is not claimed too early. */
  loaded = $state(false);
  loadError = $state.raw<WireError | null>(null);
  /** Only a view on screen is kept current; a hidden one reloads when it is shown. */
  #visible = false;

  readonly #api: DeskApi;
  readonly #latest = new LatestOnly();

  constructor(api: DeskApi) {
    this.#api = api;
  }

  /** The Bookings tab is on screen, so pushes about orders and bookings should re-read it. */
  get bookingsVisible(): boolean {
    return this.#visible && this.tab === 'bookings';
  }

  /** Called by the view when it mounts; the returned function when it goes away. */
  shown(): () => void {
    this.#visible = true;
    void this.refresh();
    return () => {
      this.#visible = false;
    };
  }

  showTab(tab: OutboxTab): void {
    if (tab === this.tab && this.loaded) return;
    this.tab = tab;
    this.rows = [];
    this.bookings = [];
    this.loaded = false;
    if (this.#visible) void this.refresh();
  }

  /** Opens the Bookings tab on a filter (the status strip's failed count opens 'failed'). */
  showBookings(filter: BookingFilter): void {
    if (this.tab === 'bookings' && this.bookingFilter === filter && this.loaded) return;
    this.bookingFilter = filter;
    this.tab = 'bookings';
    this.rows = [];
    this.bookings = [];
    this.loaded = false;
    if (this.#visible) void this.refresh();
  }

  /** main's outbox changed. */
  revisionChanged(): void {
    if (this.#visible) void this.refresh();
  }

  /** A booking moved on (counts in the status, or its WAUG order changed). */
  bookingsChanged(): void {
    if (this.bookingsVisible) void this.refresh();
  }

  async refresh(): Promise<void> {
    const ticket = this.#latest.next();
    const tab = this.tab;
    if (tab === 'bookings') {
      const filter = this.bookingFilter;
      const result = await callSafely(() => this.#api.listBookings({ filter, limit: OUTBOX_LIMIT }));
      if (!this.#latest.isCurrent(ticket)) return;
      if (result.ok) {
        this.bookings = arrangeBookings(result.value, filter);
        this.loadError = null;
      } else {
        this.loadError = result.error;
      }
      this.loaded = true;
      return;
    }
    const result = await callSafely(() => this.#api.listOutbox({ filter: tab, limit: OUTBOX_LIMIT }));
    if (!this.#latest.isCurrent(ticket)) return;
    if (result.ok) {
      this.rows = arrangeOutbox(result.value, tab);
      this.loadError = null;
    } else {
      this.loadError = result.error;
    }
    this.loaded = true;
  }

  async resolve(redemptionId: string, resolution: ConflictResolution, note: string): Promise<IpcResult<OutboxEntry>> {
    const result = await callSafely(() => this.#api.resolveConflict({ redemptionId, resolution, note }));
    if (result.ok && this.tab !== 'bookings') {
      // Shown at once, whether or not a revision push follows.
      const resolved = result.value;
      const tab = this.tab;
      this.rows = arrangeOutbox(
        this.rows.map((row) => (row.redemptionId === resolved.redemptionId ? resolved : row)),
        tab,
      );
      void this.refresh();
    }
    return result;
  }

  /** Queues a failed booking again; the row shows the answer at once. */
  async retryBooking(orderItemId: string): Promise<void> {
    if (this.retrying.has(orderItemId)) return;
    this.retrying.add(orderItemId);
    if (this.retryError?.orderItemId === orderItemId) this.retryError = null;
    const result = await callSafely(() => this.#api.retryBooking({ orderItemId }));
    this.retrying.delete(orderItemId);
    if (result.ok) {
      if (this.tab === 'bookings') this.bookings = replaceBooking(this.bookings, result.value, this.bookingFilter);
      void this.refresh();
    } else {
      this.retryError = { orderItemId, error: result.error };
    }
  }
}
