/**
 * The Orders view's data: the filters, the orders saved on this desk that match them (up to
 * 10,000, replaced whole on every answer), the list's scroll position and keyboard cursor (kept
 * while an order is open, so Back returns to the same row), and pulling a date range from WAUG.
 */
import type { DeskApi, SearchOrdersResult, Response } from '../../../shared/contract.js';
import type { WaugOrderStatus } from '../../../shared/domain/waug.js';
import type { WireError } from '../../../shared/errors.js';
import { callSafely } from '../lib/call.js';
import { LatestOnly } from '../lib/lookup.js';
import { buildSearchRequest, defaultRange, rangeProblem, toggleStatus } from '../lib/orders.js';

export const ORDERS_SEARCH_DEBOUNCE_MS = 200;

export type PullSummary = Response<'syncOrders'> & { from: string; to: string };

export class OrdersState {
  number = $state('');
  from = $state('');
  to = $state('');
  statuses = $state.raw<readonly WaugOrderStatus[]>([]);

  result = $state.raw<SearchOrdersResult | null>(null);
  error = $state.raw<WireError | null>(null);
  searching = $state(false);

  /** The list's cursor and scroll position. */
  activeIndex = $state(-1);
  scrollTop = $state(0);

  pulling = $state(false);
  pulled = $state.raw<PullSummary | null>(null);
  pullError = $state.raw<WireError | null>(null);

  readonly rangeProblem = $derived(rangeProblem(this.from, this.to));

  readonly #api: DeskApi;
  readonly #latest = new LatestOnly();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pushTimer: ReturnType<typeof setTimeout> | undefined;
  #visible = false;

  constructor(api: DeskApi, now?: Date) {
    this.#api = api;
    const range = defaultRange(now);
    this.from = range.from;
    this.to = range.to;
  }

  /** Called by the view when it mounts; the returned function when it goes away. */
  shown(): () => void {
    this.#visible = true;
    void this.search({ keepPosition: true });
    return () => {
      this.#visible = false;
      clearTimeout(this.#timer);
    };
  }

  /** A filter changed: search once the clerk pauses. */
  changed(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.search(), ORDERS_SEARCH_DEBOUNCE_MS);
  }

  toggleStatus(status: WaugOrderStatus): void {
    this.statuses = toggleStatus(this.statuses, status);
    void this.search();
  }

  clearFilters(): void {
    this.number = '';
    this.statuses = [];
    const range = defaultRange();
    this.from = range.from;
    this.to = range.to;
    void this.search();
  }

  get visible(): boolean {
    return this.#visible;
  }

  /** The list on screen has a row for this order. */
  has(orderNumber: string): boolean {
    return this.result?.orders.some((order) => order.orderNumber === orderNumber) ?? false;
  }

  /** A pushed change to one of the rows: re-read once the burst of pushes settles. */
  rowChanged(): void {
    if (!this.#visible || this.#pushTimer !== undefined) return;
    this.#pushTimer = setTimeout(() => {
      this.#pushTimer = undefined;
      if (this.#visible) void this.search({ keepPosition: true });
    }, ORDERS_SEARCH_DEBOUNCE_MS);
  }

  /** Something changed orders in the cache (a refund, a pull): re-read the list if it is showing. */
  ordersChanged(): void {
    if (this.#visible) void this.search({ keepPosition: true });
  }

  async search(options: { keepPosition?: boolean } = {}): Promise<void> {
    clearTimeout(this.#timer);
    const ticket = this.#latest.next();
    const request = buildSearchRequest({
      number: this.number,
      from: this.from,
      to: this.to,
      statuses: this.statuses,
    });
    this.searching = true;
    const result = await callSafely(() => this.#api.searchOrders(request));
    if (!this.#latest.isCurrent(ticket)) return;
    this.searching = false;
    if (result.ok) {
      this.result = result.value;
      this.error = null;
      if (!options.keepPosition) {
        this.activeIndex = result.value.orders.length > 0 ? 0 : -1;
        this.scrollTop = 0;
      } else if (this.activeIndex >= result.value.orders.length) {
        this.activeIndex = result.value.orders.length - 1;
      }
    } else {
      this.error = result.error;
    }
  }

  async pull(): Promise<void> {
    if (this.pulling || this.rangeProblem !== null) return;
    const from = this.from;
    const to = this.to;
    this.pulling = true;
    this.pullError = null;
    this.pulled = null;
    const result = await callSafely(() => this.#api.syncOrders({ from, to }));
    this.pulling = false;
    if (result.ok) this.pulled = { ...result.value, from, to };
    else this.pullError = result.error;
    // Whatever arrived before a failure is saved too.
    await this.search({ keepPosition: true });
  }
}
