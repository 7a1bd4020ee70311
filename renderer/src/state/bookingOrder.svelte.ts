/**
 * The order a booking created, followed until its activity voucher is issued: shown at once
 * from the create's answer, then re-read from the desk's copy whenever main says the order or
 * the draft changed (main follows issuance with WAUG), and from WAUG on "Check now".
 */
import type { DeskApi, GetOrderResult, OrderView } from '../../../shared/contract.js';
import { callSafely } from '../lib/call.js';
import { isoNow } from '../lib/orders.js';
import { CachedRead } from './catalogRead.svelte.js';
import type { FoundOrder } from './linkedOrder.svelte.js';

export class FollowedOrder {
  orderNumber = $state<string | null>(null);
  readonly read = new CachedRead<GetOrderResult>(() => this.#remoteAllowed());
  readonly found: FoundOrder | null = $derived(this.read.value?.kind === 'found' ? this.read.value : null);

  readonly #api: DeskApi;
  readonly #remoteAllowed: () => boolean;

  constructor(api: DeskApi, remoteAllowed: () => boolean) {
    this.#api = api;
    this.#remoteAllowed = remoteAllowed;
  }

  #ask(orderNumber: string) {
    return (prefer: 'cache' | 'remote') => callSafely(() => this.#api.getOrder({ orderNumber, prefer }));
  }

  /** The order WAUG just returned from create. */
  show(order: OrderView): void {
    this.orderNumber = order.orderNumber;
    this.read.show({ kind: 'found', order, source: 'remote', fetchedAt: isoNow() });
  }

  /** A resumed created draft: the saved copy first, then WAUG. */
  follow(orderNumber: string): void {
    if (this.orderNumber === orderNumber && this.found !== null) return;
    this.orderNumber = orderNumber;
    void this.read.read(this.#ask(orderNumber));
  }

  /** Main saved a newer copy of this order. */
  changed(orderNumber: string): void {
    if (this.orderNumber === orderNumber) void this.read.reread(this.#ask(orderNumber));
  }

  /** "Check now": ask WAUG while the order stays on screen. */
  refresh(): void {
    const orderNumber = this.orderNumber;
    if (orderNumber === null || !this.#remoteAllowed()) return;
    // Asked of WAUG straight away: its answer (source 'remote') needs no second read.
    void this.read.read(() => this.#ask(orderNumber)('remote'), { keep: true });
  }

  clear(): void {
    this.orderNumber = null;
    this.read.clear();
  }
}
