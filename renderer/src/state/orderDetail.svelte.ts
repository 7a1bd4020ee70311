/**
 * The order detail screen's data: the order (saved copy first, then WAUG when online), whether
 * a manager PIN exists, and the refund request. The manager's PIN passes straight through to
 * main and is never kept here.
 */
import type { DeskApi, GetOrderResult, OrderView } from '../../../shared/contract.js';
import type { IpcResult, WireError } from '../../../shared/errors.js';
import { cacheThenRemote, showCachedUpdate, showRefreshed } from '../lib/cacheThenRemote.js';
import { callSafely } from '../lib/call.js';
import { LatestOnly, LOADING_DELAY_MS, showAfterDelay } from '../lib/lookup.js';
import { isoNow } from '../lib/orders.js';
import type { FoundOrder } from './linkedOrder.svelte.js';

export interface OrderDetailHooks {
  /** False while WAUG is not set up or the clerk works offline. */
  remoteAllowed(): boolean;
  /** A refund changed the order: the counter panel and the orders list follow. */
  onOrderChanged(order: OrderView, fetchedAt: string): void;
}

export class OrderDetailState {
  orderNumber = $state<string | null>(null);
  result = $state.raw<IpcResult<GetOrderResult> | null>(null);
  loading = $state(false);
  refreshing = $state(false);
  refreshError = $state.raw<WireError | null>(null);
  /** null until the settings are read. */
  hasManagerPin = $state<boolean | null>(null);
  refunding = $state(false);
  /** The order as WAUG shows it right after this desk's refund request. */
  refunded = $state.raw<OrderView | null>(null);

  readonly found: FoundOrder | null = $derived(
    this.result?.ok === true && this.result.value.kind === 'found' ? this.result.value : null,
  );

  readonly #api: DeskApi;
  readonly #hooks: OrderDetailHooks;
  readonly #latest = new LatestOnly();

  constructor(api: DeskApi, hooks: OrderDetailHooks) {
    this.#api = api;
    this.#hooks = hooks;
  }

  /** Opens an order; a copy already on screen elsewhere (the counter panel) shows at once. */
  open(orderNumber: string, shown: FoundOrder | null = null): void {
    const ticket = this.#latest.next();
    this.orderNumber = orderNumber;
    this.result = shown !== null && shown.order.orderNumber === orderNumber ? { ok: true, value: shown } : null;
    this.loading = false;
    this.refreshing = false;
    this.refreshError = null;
    this.refunded = null;
    void this.#load(orderNumber, ticket, this.result !== null);
    void this.readPinState();
  }

  async readPinState(): Promise<void> {
    const settings = await callSafely(() => this.#api.getSettings({}));
    if (settings.ok) this.hasManagerPin = settings.value.hasManagerPin;
  }

  async #load(orderNumber: string, ticket: number, alreadyShown: boolean, evenIfLive = false): Promise<void> {
    const isCurrent = () => this.#latest.isCurrent(ticket);
    const cancelLoading = showAfterDelay(LOADING_DELAY_MS, () => {
      if (isCurrent() && this.result === null) this.loading = true;
    });
    const ask = (prefer: 'cache' | 'remote') => callSafely(() => this.#api.getOrder({ orderNumber, prefer }));
    try {
      if (alreadyShown) {
        // The panel's copy is on screen already: only WAUG can add anything.
        if (!this.#hooks.remoteAllowed() || (this.found?.source === 'remote' && !evenIfLive)) return;
        this.refreshing = true;
        const fresh = await ask('remote');
        if (!isCurrent()) return;
        showRefreshed(this, fresh);
        return;
      }
      await cacheThenRemote(
        ask,
        isCurrent,
        (update) => showCachedUpdate(this, update, cancelLoading),
        () => this.#hooks.remoteAllowed(),
      );
    } finally {
      cancelLoading();
      if (isCurrent()) {
        this.loading = false;
        this.refreshing = false;
      }
    }
  }

  /**
   * Main says this order changed (a WAUG webhook): the copy main just saved is the newest truth,
   * so it replaces what is shown and any load still running is dropped.
   */
  async reread(orderNumber: string): Promise<void> {
    if (this.orderNumber !== orderNumber || this.refunding) return;
    const result = await callSafely(() => this.#api.getOrder({ orderNumber, prefer: 'cache' }));
    if (this.orderNumber !== orderNumber || this.refunding) return;
    if (!result.ok || result.value.kind !== 'found') return;
    this.#latest.invalidate();
    this.loading = false;
    this.refreshing = false;
    this.refreshError = null;
    this.result = result;
  }

  /** Loads the order again from scratch (the Retry after a failed load). */
  reload(): void {
    if (this.orderNumber !== null) this.open(this.orderNumber);
  }

  /** Asks WAUG again while the order stays on screen (after a refused or unconfirmed refund). */
  refresh(): void {
    if (this.orderNumber === null) return;
    if (this.found === null) {
      this.reload();
      return;
    }
    void this.#load(this.orderNumber, this.#latest.next(), true, true);
  }

  /**
   * Asks WAUG for the refund. The PIN is only passed on; the caller clears its box. On success
   * the order shown is the one main re-read from WAUG afterwards.
   */
  async requestRefund(reason: string, managerPin: string): Promise<IpcResult<OrderView>> {
    const orderNumber = this.orderNumber;
    if (orderNumber === null || this.refunding) {
      return { ok: false, error: { code: 'busy', message: 'a refund request is already running' } };
    }
    this.refunding = true;
    const result = await callSafely(() => this.#api.requestRefund({ orderNumber, reason: reason.trim(), managerPin }));
    this.refunding = false;
    if (result.ok) {
      const fetchedAt = isoNow();
      // The refund answer is the newest truth: any load still in flight must not repaint over it.
      this.#latest.invalidate();
      this.loading = false;
      this.refreshing = false;
      this.refreshError = null;
      if (this.orderNumber === orderNumber) {
        this.result = { ok: true, value: { kind: 'found', order: result.value, source: 'remote', fetchedAt } };
        this.refunded = result.value;
      }
      this.#hooks.onOrderChanged(result.value, fetchedAt);
    } else if (result.error.code === 'forbidden') {
      // Maybe the PIN was cleared meanwhile: the explanation depends on it.
      void this.readPinState();
    }
    return result;
  }
}
