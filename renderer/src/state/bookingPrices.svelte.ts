/**
 * The calendar's prices: one month of one goods at a time (cache first, then WAUG), the lowest
 * price per day, and the unit prices of the picked day for the options step.
 */
import type { DeskApi, GetGoodsPricesResult } from '../../../shared/contract.js';
import { callSafely } from '../lib/call.js';
import { lowestPrices, priceRange, type Month } from '../lib/bookingCalendar.js';
import { CachedRead } from './catalogRead.svelte.js';

export class MonthPrices {
  goodsId = $state<string | null>(null);
  month = $state<Month>('');
  readonly read = new CachedRead<GetGoodsPricesResult>(() => this.#remoteAllowed());
  /** Every price row of the month shown (empty while loading or for a month already past). */
  readonly rows = $derived(this.read.value?.prices ?? []);
  readonly lowest = $derived(lowestPrices(this.rows));
  /** The month's first answer arrived (a month in the past needs none). */
  loaded = $state(false);

  readonly #api: DeskApi;
  readonly #remoteAllowed: () => boolean;

  constructor(api: DeskApi, remoteAllowed: () => boolean) {
    this.#api = api;
    this.#remoteAllowed = remoteAllowed;
  }

  /** Shows one month; resolves once its first answer is on screen. */
  async show(goodsId: string, month: Month, today: string): Promise<void> {
    const same = this.goodsId === goodsId && this.month === month;
    this.goodsId = goodsId;
    this.month = month;
    const range = priceRange(month, today);
    if (range === null) {
      this.read.clear();
      this.loaded = true;
      return;
    }
    if (!same) this.loaded = false;
    await this.read.read((prefer) => callSafely(() => this.#api.getGoodsPrices({ goodsId, ...range, prefer })), {
      keep: same,
    });
    if (this.goodsId === goodsId && this.month === month) this.loaded = true;
  }

  /** The saved prices of this goods changed (a sync, a GOODS_UPDATE, a re-read before an order). */
  async reread(today: string): Promise<void> {
    const goodsId = this.goodsId;
    const range = priceRange(this.month, today);
    if (goodsId === null || range === null) return;
    await this.read.reread((prefer) => callSafely(() => this.#api.getGoodsPrices({ goodsId, ...range, prefer })));
  }

  clear(): void {
    this.goodsId = null;
    this.month = '';
    this.loaded = false;
    this.read.clear();
  }
}
