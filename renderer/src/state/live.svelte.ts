/**
 * Pushes from main about things that changed outside this desk's own calls: a voucher (Yahoo
 * issued, cancelled or notified it), a WAUG order (a webhook, a booking), the WAUG catalog (a
 * sync, a GOODS_UPDATE) and a counter booking draft (created, issuance followed). They enter
 * through createSubscriber while the window shows `connected`, and are routed by the pure rules
 * in lib/live.ts to the views on screen that hold what changed.
 */
import { createSubscriber } from 'svelte/reactivity';
import type { DeskApi } from '../../../shared/contract.js';
import { ordersToRefresh, type VoucherChange } from '../lib/live.js';
import type { CounterState } from './counter.svelte.js';
import type { LinkedOrder } from './linkedOrder.svelte.js';
import type { OrderDetailState } from './orderDetail.svelte.js';
import type { OrdersState } from './orders.svelte.js';
import type { OutboxState } from './outbox.svelte.js';
import type { BookingState } from './booking.svelte.js';
import type { CatalogState } from './catalog.svelte.js';

export interface LiveTargets {
  counter: CounterState;
  linkedOrder: LinkedOrder;
  orderDetail: OrderDetailState;
  orders: OrdersState;
  outbox: OutboxState;
  catalog: CatalogState;
  booking: BookingState;
}

export class LiveUpdates {
  readonly #subscribe: () => void;
  readonly #targets: LiveTargets;

  constructor(api: DeskApi, targets: LiveTargets) {
    this.#targets = targets;
    this.#subscribe = createSubscriber(() => {
      const stopVouchers = api.on('voucherChanged', (change) => this.voucherChanged(change));
      const stopOrders = api.on('orderChanged', ({ orderNumber }) => this.orderChanged(orderNumber));
      const stopCatalog = api.on('catalogChanged', ({ goodsId }) => {
        targets.catalog.catalogChanged(goodsId);
        targets.booking.catalogChanged(goodsId);
      });
      const stopDrafts = api.on('bookingDraftChanged', (summary) => targets.booking.draftChanged(summary));
      return () => {
        stopVouchers();
        stopOrders();
        stopCatalog();
        stopDrafts();
      };
    });
  }

  /** Read by the window's shell, so the pushes are listened to for as long as the window is up. */
  get connected(): boolean {
    this.#subscribe();
    return true;
  }

  voucherChanged(change: VoucherChange): void {
    void this.#targets.counter.voucherChanged(change);
  }

  orderChanged(orderNumber: string): void {
    const { linkedOrder, orderDetail, orders, outbox } = this.#targets;
    const refresh = ordersToRefresh(orderNumber, {
      linked: { partnerOrderNumber: linkedOrder.partnerOrderNumber, orderNumber: linkedOrder.shownOrderNumber },
      detailOrderNumber: orderDetail.orderNumber,
      list: { visible: orders.visible, has: (number) => orders.has(number) },
      bookingsVisible: outbox.bookingsVisible,
    });
    if (refresh.linked) void linkedOrder.reread();
    if (refresh.detail) void orderDetail.reread(orderNumber);
    if (refresh.list) orders.rowChanged();
    if (refresh.bookings) outbox.bookingsChanged();
    // The order a counter booking just created, followed until its voucher is issued.
    this.#targets.booking.orderChanged(orderNumber);
  }
}
