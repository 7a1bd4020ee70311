/**
 * The full sync's listing against a WAUG that answers fewer goods per page than asked (its page
 * size cap is lower than the desk's): every page is read until the listing holds as many goods
 * as WAUG counts, and only a whole listing removes the goods it lacks. When the count is never
 * reached (WAUG counts goods it does not list), nothing is removed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogSyncSummary } from '../../shared/contract.js';
import { LIST_PAGE_SIZE } from '../../electron/core/catalog/service.js';
import { catalogOf, type CatalogStore } from '../../electron/core/db/catalog.js';
import { startWaugSandbox, type WaugSandbox } from '../../electron/core/sandbox/waug/index.js';
import { createWaugClient } from '../../electron/core/waug/client.js';
import { startWaugCore, type WaugCore } from '../helpers/waugCore.js';
import { retiredGoodsWrite } from '../helpers/waugOrders.js';

const SANDBOX_GOODS = 28;
/** WAUG's own cap on a listing page, below the desk's LIST_PAGE_SIZE. */
const WAUG_PAGE_CAP = 10;
const RETIRED = '999999999';

let waug: WaugSandbox;
let desk: WaugCore;
let cache: CatalogStore;
/** Goods WAUG's count claims on top of what it lists. */
let overcount = 0;

beforeAll(async () => {
  waug = await startWaugSandbox({ webhookScanEveryMs: 0, rateLimit: { limit: null, windowMs: 10_000 } });
  desk = await startWaugCore(waug, {
    core: {
      createWaugApi: (credentials) => {
        const client = createWaugClient({ ...credentials, rateLimit: { limit: null } });
        const listGoods = client.listGoods.bind(client);
        client.listGoods = async (query, options) => {
          const page = await listGoods({ ...query, size: Math.min(query?.size ?? 20, WAUG_PAGE_CAP) }, options);
          return { ...page, count: page.count + overcount };
        };
        return client;
      },
    },
  });
  cache = catalogOf(desk.openDb());
});
afterAll(async () => {
  await desk?.close();
  await waug?.close();
});

/** A goods from an earlier sync that WAUG does not list any more. */
function cacheRetiredGoods(): void {
  cache.save(retiredGoodsWrite(RETIRED));
}

const listings = () => waug.requests.filter((r) => r.method === 'GET' && r.path === '/v1/goods').length;

describe('a full sync when WAUG pages by fewer goods than asked', () => {
  it('reads every page, stores every goods and removes only the goods WAUG no longer lists', async () => {
    expect(WAUG_PAGE_CAP).toBeLessThan(LIST_PAGE_SIZE);
    cacheRetiredGoods();
    const before = listings();
    const summary = (await desk.call('syncCatalog', {})) as CatalogSyncSummary;
    expect(summary).toMatchObject({ goods: SANDBOX_GOODS, removed: 1, error: null });
    expect(listings() - before).toBe(Math.ceil(SANDBOX_GOODS / WAUG_PAGE_CAP));
    expect(cache.count()).toBe(SANDBOX_GOODS);
    expect(cache.get(RETIRED)).toBeNull();
  }, 30_000);

  it('removes nothing when the listing falls short of WAUG’s count', async () => {
    cacheRetiredGoods();
    overcount = 2;
    try {
      const summary = (await desk.call('syncCatalog', {})) as CatalogSyncSummary;
      expect(summary).toMatchObject({ goods: SANDBOX_GOODS, removed: 0, error: null });
    } finally {
      overcount = 0;
    }
    expect(cache.get(RETIRED)).not.toBeNull();
    expect(cache.count()).toBe(SANDBOX_GOODS + 1);
  }, 30_000);
});
