/**
 * What the rest of the core (the counter booking, the webhooks) needs from the WAUG catalog
 * cache (issue 6 item 1). The catalog service (catalog/service.ts) implements it.
 */
import type { WaugCallOptions, WaugDateRange, WaugGoods, WaugOrderInfoGroup, WaugPrice } from '../waug/api.js';

/** One goods as read from WAUG in one go: detail (with options), order-input groups and prices. */
export interface FreshGoods {
  goods: WaugGoods;
  orderInfos: WaugOrderInfoGroup[];
  /** The prices of `range` (a date missing here is not orderable). */
  prices: WaugPrice[];
  range: WaugDateRange;
  /** ISO-8601 UTC: when it was read. */
  syncedAt: string;
}

export interface CatalogReader {
  /**
   * Re-reads one goods from WAUG (detail, order infos, the prices of `range`), stores it in the
   * cache and answers it. Used on GOODS_UPDATE and before every order. Throws the WaugError of a
   * failed call (not_found for a goods WAUG no longer has: it is then removed from the cache).
   * `call` bounds the WAUG calls (a webhook answer waits for them).
   */
  refreshGoods(goodsId: string, range: WaugDateRange, call?: WaugCallOptions): Promise<FreshGoods>;
  /** The cached goods (detail + order infos) without calling WAUG; null when never read. */
  cachedGoods(goodsId: string): { goods: WaugGoods; orderInfos: WaugOrderInfoGroup[]; syncedAt: string } | null;
}
