/**
 * The WAUG sandbox sending webhooks (API-NOTES §2 "Webhooks") to a configured merchant URL:
 *  - ORDER_UPDATE whenever an ordered goods' status changes: the clock's progression
 *    (PAID → IN_PROGRESS → CONFIRMED), a refund request or completion, a status set by hand;
 *  - GOODS_UPDATE when a goods is modified.
 * A goods' first status (the one the create answer already carried) is not sent. Webhooks go
 * out one at a time, in order; one the merchant does not take with a 2xx is sent again on the
 * next scan. `updatedAt` is a PHP DateTime in `timeZone` (Asia/Seoul, as WAUG does, by default).
 */
import { LosslessNumber, stringifyLosslessJson } from '../../http/json.js';
import { WAUG_TIME_ZONE } from '../../waug/constants.js';
import { toPhpDateTime } from '../../waug/time.js';
import { statusAt, type SandboxOrder } from './store.js';

export interface SentWebhook {
  type: 'ORDER_UPDATE' | 'GOODS_UPDATE';
  body: string;
  /** The merchant's HTTP status; 0 when unreachable. */
  status: number;
}

export interface WebhookSenderOptions {
  now: () => number;
  orders: () => Iterable<SandboxOrder>;
  /** How often the clock's progress is scanned while a target is set. Default 1 000 ms; 0 = only on flush. */
  scanEveryMs?: number;
  timeZone?: string;
}

export class WaugWebhookSender {
  #url: string | null = null;
  readonly #notified = new Map<string, string>(); // orderGoodsId → `${status}@${atMs}` last sent (or seen)
  readonly #queue: { type: SentWebhook['type']; body: string }[] = [];
  readonly sent: SentWebhook[] = [];
  #timer: ReturnType<typeof setInterval> | null = null;
  #sending: Promise<void> | null = null;
  #closed = false;

  constructor(readonly options: WebhookSenderOptions) {}

  get target(): string | null {
    return this.#url;
  }

  /** Sets (or clears) the merchant URL; goods statuses as they are now count as already told. */
  setTarget(url: string | null): void {
    this.#url = url;
    this.#queue.length = 0;
    this.#notified.clear();
    this.#scan(true);
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    const every = this.options.scanEveryMs ?? 1_000;
    if (url !== null && every > 0 && !this.#closed) {
      this.#timer = setInterval(() => void this.flush(), every);
      this.#timer.unref();
    }
  }

  goodsUpdated(goodsId: string): void {
    if (this.#url === null) return;
    this.#queue.push({
      type: 'GOODS_UPDATE',
      body: stringifyLosslessJson({
        goodsId: new LosslessNumber(goodsId),
        type: 'GOODS_UPDATE',
        updatedAt: toPhpDateTime(this.options.now(), this.options.timeZone ?? WAUG_TIME_ZONE),
      }),
    });
  }

  /** Queues an ORDER_UPDATE for every goods whose status changed since the last scan. */
  #scan(silent: boolean): void {
    if (this.#url === null) return;
    const now = this.options.now();
    for (const order of this.options.orders()) {
      for (const goods of order.orderGoods) {
        const current = statusAt(goods, now);
        const key = `${current.status}@${current.atMs}`;
        const last = this.#notified.get(goods.orderGoodsId);
        if (last === key) continue;
        this.#notified.set(goods.orderGoodsId, key);
        // A goods seen for the first time in its first status: the create answer told it.
        if (silent || (last === undefined && current === goods.timeline[0])) continue;
        this.#queue.push({
          type: 'ORDER_UPDATE',
          body: stringifyLosslessJson({
            orderNumber: order.orderNumber,
            orderGoodsId: new LosslessNumber(goods.orderGoodsId),
            type: 'ORDER_UPDATE',
            orderStatus: current.status,
            updatedAt: toPhpDateTime(current.atMs, this.options.timeZone ?? WAUG_TIME_ZONE),
          }),
        });
      }
    }
  }

  /** Scans, then sends everything queued (in order); resolves when done or the merchant refused one. */
  async flush(): Promise<number> {
    while (this.#sending) await this.#sending;
    if (this.#url === null || this.#closed) return 0;
    this.#scan(false);
    let delivered = 0;
    let finish: () => void = () => {};
    this.#sending = new Promise((resolve) => (finish = resolve));
    try {
      while (this.#queue.length > 0 && this.#url !== null && !this.#closed) {
        const next = this.#queue[0]!;
        let status = 0;
        try {
          const response = await fetch(this.#url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json; charset=utf-8' },
            body: next.body,
            signal: AbortSignal.timeout(10_000),
          });
          await response.arrayBuffer();
          status = response.status;
        } catch {
          status = 0;
        }
        this.sent.push({ ...next, status });
        if (this.sent.length > 10_000) this.sent.splice(0, this.sent.length - 10_000);
        if (status < 200 || status >= 300) break; // again on the next scan
        this.#queue.shift();
        delivered += 1;
      }
    } finally {
      this.#sending = null;
      finish();
    }
    return delivered;
  }

  close(): void {
    this.#closed = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }
}
