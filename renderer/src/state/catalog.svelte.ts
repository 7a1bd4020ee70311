/**
 * The goods picker's data: the filters, the cached catalog that matches them (it answers from
 * SQLite, so it works offline), the goods the clerk is looking at, and the Sync button. Main
 * pushes catalogChanged after a sync or a GOODS_UPDATE; the list and the detail re-read then.
 */
import type {
  CatalogSyncSummary,
  DeskApi,
  GetGoodsResult,
  GoodsDetailView,
  ListGoodsResult,
} from '../../../shared/contract.js';
import type { WireError } from '../../../shared/errors.js';
import { callSafely } from '../lib/call.js';
import { LatestOnly } from '../lib/lookup.js';
import { listGoodsRequest, NO_FILTERS, withCountry, type CatalogFilters } from '../lib/bookingCatalog.js';
import { CachedRead } from './catalogRead.svelte.js';

export const CATALOG_SEARCH_DEBOUNCE_MS = 200;

export interface CatalogHooks {
  /** False while WAUG is not set up or the clerk works offline: only the saved catalog is used. */
  remoteAllowed(): boolean;
}

/** One goods' detail, cache first then WAUG. */
export class GoodsRead {
  goodsId = $state<string | null>(null);
  readonly read = new CachedRead<GetGoodsResult>(() => this.#remoteAllowed());
  readonly goods: GoodsDetailView | null = $derived(this.read.value?.kind === 'found' ? this.read.value.goods : null);

  readonly #api: DeskApi;
  readonly #remoteAllowed: () => boolean;

  constructor(api: DeskApi, remoteAllowed: () => boolean) {
    this.#api = api;
    this.#remoteAllowed = remoteAllowed;
  }

  /** Resolves once the first answer is shown. */
  open(goodsId: string): Promise<void> {
    const same = this.goodsId === goodsId && this.goods !== null;
    this.goodsId = goodsId;
    return this.read.read((prefer) => callSafely(() => this.#api.getGoods({ goodsId, prefer })), { keep: same });
  }

  /** The saved copy changed (a sync, a GOODS_UPDATE). */
  async reread(): Promise<void> {
    const goodsId = this.goodsId;
    if (goodsId === null) return;
    await this.read.reread((prefer) => callSafely(() => this.#api.getGoods({ goodsId, prefer })));
  }

  clear(): void {
    this.goodsId = null;
    this.read.clear();
  }
}

export class CatalogState {
  filters = $state<CatalogFilters>({ ...NO_FILTERS });
  result = $state.raw<ListGoodsResult | null>(null);
  error = $state.raw<WireError | null>(null);
  searching = $state(false);
  /** A sync started by this desk's button. */
  syncing = $state(false);
  synced = $state.raw<CatalogSyncSummary | null>(null);
  syncError = $state.raw<WireError | null>(null);
  readonly detail: GoodsRead;

  readonly #api: DeskApi;
  readonly #hooks: CatalogHooks;
  readonly #latest = new LatestOnly();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #visible = false;

  constructor(api: DeskApi, hooks: CatalogHooks) {
    this.#api = api;
    this.#hooks = hooks;
    this.detail = new GoodsRead(api, () => hooks.remoteAllowed());
  }

  get remoteAllowed(): boolean {
    return this.#hooks.remoteAllowed();
  }

  /** Called by the picker when it mounts; the returned function when it goes away. */
  shown(): () => void {
    this.#visible = true;
    void this.search();
    return () => {
      this.#visible = false;
      clearTimeout(this.#timer);
    };
  }

  /** The search box changed: search once the clerk pauses. */
  changed(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.search(), CATALOG_SEARCH_DEBOUNCE_MS);
  }

  setCountry(countryCode: string | null): void {
    this.filters = withCountry(this.filters, countryCode, this.result?.cities ?? []);
    void this.search();
  }

  setCity(city: string | null): void {
    this.filters = { ...this.filters, city };
    void this.search();
  }

  setFlag(flag: 'refundableOnly' | 'instantOnly', on: boolean): void {
    this.filters = { ...this.filters, [flag]: on };
    void this.search();
  }

  clearFilters(): void {
    this.filters = { ...NO_FILTERS };
    void this.search();
  }

  async search(): Promise<void> {
    clearTimeout(this.#timer);
    const ticket = this.#latest.next();
    this.searching = true;
    const result = await callSafely(() => this.#api.listGoods(listGoodsRequest(this.filters)));
    if (!this.#latest.isCurrent(ticket)) return;
    this.searching = false;
    if (result.ok) {
      this.result = result.value;
      this.error = null;
    } else {
      this.error = result.error;
    }
  }

  select(goodsId: string): Promise<void> {
    return this.detail.open(goodsId);
  }

  /** The Sync button: a full catalog sync in main; the list re-reads when it is done. */
  async sync(): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    this.syncError = null;
    this.synced = null;
    const result = await callSafely(() => this.#api.syncCatalog({}));
    this.syncing = false;
    if (result.ok) this.synced = result.value;
    else this.syncError = result.error;
    await this.search();
  }

  /** Main saved a new catalog (goodsId null) or re-read one goods. */
  catalogChanged(goodsId: string | null): void {
    if (this.#visible) this.changed();
    if (this.detail.goodsId !== null && (goodsId === null || goodsId === this.detail.goodsId))
      void this.detail.reread();
  }
}
