/**
 * The WAUG order behind the voucher on the counter (API-NOTES §3): found by partnerOrderNumber =
 * the voucher's orderItemId, from the copy saved on this desk first and then from WAUG in the
 * background. It never holds up the card: the counter shows the voucher first and asks for the
 * order after. A newer scan makes every answer for the older one stale.
 */
import type { DeskApi, GetOrderResult, OrderView } from '../../../shared/contract.js';
import type { IpcResult, WireError } from '../../../shared/errors.js';
import { cacheThenRemote, showCachedUpdate } from '../lib/cacheThenRemote.js';
import { callSafely } from '../lib/call.js';
import { LatestOnly, LOADING_DELAY_MS, showAfterDelay } from '../lib/lookup.js';

export type FoundOrder = Extract<GetOrderResult, { kind: 'found' }>;

export interface LinkedOrderHooks {
  /** False while WAUG is not set up: the counter then shows no order panel at all. */
  enabled(): boolean;
  /** False while the clerk works offline: only the saved copy is shown. */
  remoteAllowed(): boolean;
}

export class LinkedOrder {
  /** The voucher's orderItemId this panel follows, or null when there is none (or WAUG is off). */
  partnerOrderNumber = $state<string | null>(null);
  result = $state.raw<IpcResult<GetOrderResult> | null>(null);
  /** True only once the first answer is slow. */
  loading = $state(false);
  refreshing = $state(false);
  refreshError = $state.raw<WireError | null>(null);

  readonly found: FoundOrder | null = $derived(
    this.result?.ok === true && this.result.value.kind === 'found' ? this.result.value : null,
  );

  readonly #api: DeskApi;
  readonly #hooks: LinkedOrderHooks;
  readonly #latest = new LatestOnly();
  /** The current number's lookup has not finished: following it again must not restart it. */
  #inFlight = false;

  constructor(api: DeskApi, hooks: LinkedOrderHooks) {
    this.#api = api;
    this.#hooks = hooks;
  }

  /** The counter shows a voucher (or none). Following the number already followed changes nothing. */
  follow(partnerOrderNumber: string | null): void {
    const wanted = partnerOrderNumber !== null && this.#hooks.enabled() ? partnerOrderNumber : null;
    if (wanted === this.partnerOrderNumber && (wanted === null || this.result !== null || this.#inFlight)) return;
    const ticket = this.#latest.next();
    this.partnerOrderNumber = wanted;
    this.result = null;
    this.loading = false;
    this.refreshing = false;
    this.refreshError = null;
    if (wanted !== null) void this.#lookup(wanted, ticket);
  }

  /** The same order changed elsewhere (a refund from the detail view): show the new state. */
  orderChanged(order: OrderView, fetchedAt: string): void {
    const found = this.found;
    if (found === null || found.order.orderNumber !== order.orderNumber) return;
    this.result = { ok: true, value: { kind: 'found', order, source: 'remote', fetchedAt } };
  }

  /** The order number the panel shows, when it found one. */
  get shownOrderNumber(): string | null {
    return this.found?.order.orderNumber ?? null;
  }

  /**
   * Main says an order changed (a WAUG webhook, a booking): re-read the copy main just saved.
   * A lookup still running will bring the news itself.
   */
  async reread(): Promise<void> {
    const partnerOrderNumber = this.partnerOrderNumber;
    if (partnerOrderNumber === null || this.#inFlight) return;
    const result = await callSafely(() => this.#api.getOrder({ partnerOrderNumber, prefer: 'cache' }));
    if (this.partnerOrderNumber !== partnerOrderNumber || this.#inFlight) return;
    if (!result.ok || result.value.kind !== 'found') return;
    this.result = result;
    this.refreshError = null;
  }

  async #lookup(partnerOrderNumber: string, ticket: number): Promise<void> {
    const isCurrent = () => this.#latest.isCurrent(ticket);
    const cancelLoading = showAfterDelay(LOADING_DELAY_MS, () => {
      if (isCurrent()) this.loading = true;
    });
    this.#inFlight = true;
    try {
      await cacheThenRemote(
        (prefer) => callSafely(() => this.#api.getOrder({ partnerOrderNumber, prefer })),
        isCurrent,
        (update) => showCachedUpdate(this, update, cancelLoading),
        () => this.#hooks.remoteAllowed(),
      );
    } finally {
      cancelLoading();
      if (isCurrent()) {
        this.#inFlight = false;
        this.loading = false;
        this.refreshing = false;
      }
    }
  }
}
