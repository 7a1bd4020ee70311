/**
 * The WAUG catalog through the core against the WAUG sandbox over real HTTP (issue 6 item 1):
 * a full sync at WAUG's real rate limit stores all 28 goods with options, order infos, prices and
 * comments and drops goods WAUG no longer lists; the cache answers at once and offline with its
 * age; GOODS_UPDATE re-reads one goods (a 103 removes it); an interrupted sync keeps the goods it
 * read; one goods WAUG cannot answer for is counted and kept as cached while the others sync; a
 * malformed listing is a clear error that leaves the cache as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CatalogSyncSummary,
  GetGoodsPricesResult,
  GetGoodsResult,
  ListGoodsResult,
} from '../../shared/contract.js';
import { maskName } from '../../shared/domain/mask.js';
import { catalogRange } from '../../electron/core/catalog/service.js';
import { catalogOf } from '../../electron/core/db/catalog.js';
import type { Db } from '../../electron/core/db/open.js';
import type { MerchantServer } from '../../electron/core/serve/server.js';
import { startWaugSandbox, type WaugSandbox } from '../../electron/core/sandbox/waug/index.js';
import { createWaugClient } from '../../electron/core/waug/client.js';
import { toPhpDateTime } from '../../electron/core/waug/time.js';
import { startWaugCore, type WaugCore } from '../helpers/waugCore.js';
import { retiredGoodsWrite } from '../helpers/waugOrders.js';

const SANDBOX_GOODS = 28;
const TAIPEI_101 = '107278';

let waug: WaugSandbox;
let desk: WaugCore;
let db: Db;
const changed: (string | null)[] = [];

beforeAll(async () => {
  waug = await startWaugSandbox({ webhookScanEveryMs: 0 });
  desk = await startWaugCore(waug);
  desk.core.onCatalogChanged(({ goodsId }) => changed.push(goodsId));
  db = desk.openDb();
});

afterAll(async () => {
  await desk?.close();
  await waug?.close();
});

const list = (core: WaugCore, request: Record<string, unknown> = {}) =>
  core.call('listGoods', request) as Promise<ListGoodsResult>;
const detail = (core: WaugCore, goodsId: string, prefer: 'cache' | 'remote') =>
  core.call('getGoods', { goodsId, prefer }) as Promise<GetGoodsResult>;
const found = (result: GetGoodsResult) => {
  if (result.kind !== 'found') throw new Error('expected the goods to be found');
  return result;
};

describe('a full sync at WAUG’s rate limit', () => {
  it('stores all 28 goods with options, order infos, prices and comments, and drops goods WAUG no longer lists', async () => {
    // A goods from an earlier sync that WAUG does not list any more.
    catalogOf(db).save(retiredGoodsWrite('999999999'));

    const summary = (await desk.call('syncCatalog', {})) as CatalogSyncSummary;
    expect(summary).toMatchObject({ goods: SANDBOX_GOODS, removed: 1, error: null });
    // 28 goods × 4 calls + the listing and the token: past one 100-call window, never a 111.
    expect(summary.durationMs).toBeLessThan(40_000);
    expect(waug.requests.filter((r) => r.responseCode === '111')).toHaveLength(0);
    expect(changed).toContain(null);

    const cache = catalogOf(db);
    expect(cache.count()).toBe(SANDBOX_GOODS);
    expect(cache.get('999999999')).toBeNull();
    const range = catalogRange(Date.now());
    const groups = new Set<string>();
    let withComments = 0;
    for (const { goodsId } of cache.list(
      { query: '', refundableOnly: false, instantOnly: false, limit: 100 },
      range.startDate,
    )) {
      const goods = cache.get(goodsId)!;
      expect(goods.goods.options.length, goodsId).toBeGreaterThan(0);
      expect(
        goods.goods.options.every((o) => o.items.length > 0),
        goodsId,
      ).toBe(true);
      for (const g of goods.orderInfos) groups.add(g.groupCategory);
      if (goods.comments.items.length > 0) withComments += 1;
      const prices = cache.prices(goodsId, range);
      expect(prices.complete, goodsId).toBe(true);
      expect(prices.prices.length, goodsId).toBeGreaterThan(0);
    }
    expect([...groups].sort()).toEqual(['EACH', 'GOODS', 'ORDER']);
    expect(withComments).toBeGreaterThan(0);

    const listed = await list(desk);
    expect(listed.goods).toHaveLength(SANDBOX_GOODS);
    expect(listed).toMatchObject({ syncing: false, lastSyncError: null });
    expect(listed.syncedAt).not.toBeNull();
    expect(listed.goods.every((g) => g.fromPrice !== null)).toBe(true);
    expect(listed.cities.map((c) => c.city)).toEqual(expect.arrayContaining(['Taipei', 'Seoul']));
  }, 60_000);

  it('answers the list from the cache at once, with every filter', async () => {
    const started = performance.now();
    const runs = 50;
    for (let i = 0; i < runs; i += 1) await list(desk, { query: i % 2 ? 'tai' : '' });
    // Generous: a cache read through the dispatcher, not a WAUG call (~1 ms here).
    expect((performance.now() - started) / runs).toBeLessThan(50);

    const korea = await list(desk, { countryCode: 'KR' });
    expect(korea.goods.length).toBeGreaterThan(0);
    expect(korea.goods.every((g) => g.countryCode === 'KR' && g.currency === 'KRW')).toBe(true);
    const seoul = await list(desk, { city: 'Seoul', instantOnly: true });
    expect(seoul.goods.every((g) => g.city === 'Seoul' && g.instantConfirmation)).toBe(true);
    const refundable = await list(desk, { refundableOnly: true });
    expect(refundable.goods.length).toBeLessThan(SANDBOX_GOODS);
    expect(refundable.goods.every((g) => g.refundable)).toBe(true);
    const byName = await list(desk, { query: 'TAIPEI 101' });
    expect(byName.goods.map((g) => g.goodsId)).toEqual([TAIPEI_101]);
  });

  it('shows the detail from the cache with masked nicknames, and the same prices WAUG gives', async () => {
    const before = waug.requests.length;
    const cached = found(await detail(desk, TAIPEI_101, 'cache'));
    expect(waug.requests.length).toBe(before); // no call
    expect(cached.source).toBe('cache');
    expect(cached.goods.options.length).toBeGreaterThan(0);
    expect(cached.goods.orderInfos.length).toBeGreaterThan(0);
    const stored = catalogOf(db).get(TAIPEI_101)!.comments.items;
    expect(cached.goods.comments.items.map((c) => c.nicknameMasked)).toEqual(stored.map((c) => maskName(c.nickname)));

    const range = catalogRange(Date.now(), 13);
    const fromCache = (await desk.call('getGoodsPrices', { goodsId: TAIPEI_101, ...range })) as GetGoodsPricesResult;
    expect(fromCache.source).toBe('cache');
    const fromWaug = (await desk.call('getGoodsPrices', {
      goodsId: TAIPEI_101,
      ...range,
      prefer: 'remote',
    })) as GetGoodsPricesResult;
    expect(fromWaug.source).toBe('remote');
    expect(fromWaug.prices).toEqual(fromCache.prices);
    expect(fromWaug.syncedAt! > fromCache.syncedAt!).toBe(true);

    // Days beyond the synced 90 are read from WAUG and kept.
    const far = catalogRange(Date.now() + 120 * 86_400_000, 6);
    const farPrices = (await desk.call('getGoodsPrices', { goodsId: TAIPEI_101, ...far })) as GetGoodsPricesResult;
    expect(farPrices.source).toBe('remote');
    expect(catalogOf(db).prices(TAIPEI_101, far).complete).toBe(true);
  });
});

describe('offline', () => {
  it('browses the cache with its age while working offline; a sync fails clearly and keeps it', async () => {
    const before = await list(desk);
    await desk.call('setWorkOffline', { workOffline: true });
    try {
      const calls = waug.requests.length;
      const listed = await list(desk);
      expect(listed.goods).toEqual(before.goods);
      expect(listed.syncedAt).toBe(before.syncedAt);

      const goods = found(await detail(desk, TAIPEI_101, 'remote'));
      expect(goods.source).toBe('cache');
      expect(goods.goods.syncedAt).toBeTruthy();
      const prices = (await desk.call('getGoodsPrices', {
        goodsId: TAIPEI_101,
        ...catalogRange(Date.now(), 30),
        prefer: 'remote',
      })) as GetGoodsPricesResult;
      expect(prices.source).toBe('cache');
      expect(prices.syncedAt).not.toBeNull();
      expect(prices.prices.length).toBeGreaterThan(0);

      const summary = (await desk.call('syncCatalog', {})) as CatalogSyncSummary;
      expect(summary.goods).toBe(0);
      expect(summary.error?.code).toBe('network');
      const after = await list(desk);
      expect(after.goods).toHaveLength(SANDBOX_GOODS);
      expect(after.syncedAt).toBe(before.syncedAt);
      expect(after.lastSyncError).toContain('could not be reached');

      const missing = await desk.raw('getGoods', { goodsId: '123', prefer: 'cache' });
      expect(missing).toMatchObject({ ok: false, error: { code: 'network' } });
      expect(waug.requests.length).toBe(calls); // nothing was sent
    } finally {
      await desk.call('setWorkOffline', { workOffline: false });
    }
  });
});

describe('GOODS_UPDATE', () => {
  let server: MerchantServer;
  beforeAll(async () => {
    server = await desk.core.startMerchantServer({ port: 0, host: '127.0.0.1' });
    waug.setWebhookTarget(desk.core.waugWebhookUrl(server.url));
  });

  const deliver = async (goodsId: string, atMs: number) => {
    const answer = await fetch(desk.core.waugWebhookUrl(server.url), {
      method: 'POST',
      body: JSON.stringify({ goodsId: Number(goodsId), type: 'GOODS_UPDATE', updatedAt: toPhpDateTime(atMs) }),
    });
    return (await answer.json()) as unknown;
  };

  it('re-reads the modified goods: new option items and their prices, and catalogChanged', async () => {
    const oldItems = catalogOf(db)
      .get(TAIPEI_101)!
      .goods.options.flatMap((o) => o.items.map((i) => i.goodsOptionItemId));
    changed.length = 0;
    const { goodsOptionItemIds } = waug.modifyGoods(TAIPEI_101);
    await waug.flushWebhooks();
    expect(waug.webhooksSent.at(-1)).toMatchObject({ type: 'GOODS_UPDATE', status: 200 });
    expect(changed).toEqual([TAIPEI_101]);

    const cached = catalogOf(db).get(TAIPEI_101)!;
    const items = cached.goods.options.flatMap((o) => o.items.map((i) => i.goodsOptionItemId));
    expect(items.sort()).toEqual([...goodsOptionItemIds].sort());
    expect(items.some((id) => oldItems.includes(id))).toBe(false);
    const prices = catalogOf(db).prices(TAIPEI_101, catalogRange(Date.now()));
    expect(new Set(prices.prices.map((p) => p.goodsOptionItemId))).toEqual(new Set(goodsOptionItemIds));
  });

  it('shows a new price after the webhook, in the detail and the list', async () => {
    const item = catalogOf(db).get(TAIPEI_101)!.goods.options[0]!.items[0]!.goodsOptionItemId;
    waug.setPrice(TAIPEI_101, item, '1.5');
    expect(await deliver(TAIPEI_101, Date.now() + 1_000)).toEqual({ ok: true, result: 'applied' });
    const prices = catalogOf(db).prices(TAIPEI_101, catalogRange(Date.now()));
    const ofItem = prices.prices.filter((p) => p.goodsOptionItemId === item);
    expect(ofItem.length).toBeGreaterThan(0);
    expect(ofItem.every((p) => p.price === '1.5')).toBe(true);
    const listed = await list(desk, { query: 'taipei 101' });
    expect(listed.goods[0]!.fromPrice).toBe('1.5');
  });

  it('removes a goods WAUG answers 103 for', async () => {
    waug.setFaults({ responseCode: '103' });
    try {
      expect(await deliver(TAIPEI_101, Date.now() + 2_000)).toEqual({ ok: true, result: 'applied' });
    } finally {
      waug.setFaults({ responseCode: null });
    }
    expect(catalogOf(db).get(TAIPEI_101)).toBeNull();
    expect((await list(desk)).goods).toHaveLength(SANDBOX_GOODS - 1);
    // Still sold by WAUG: looking it up reads it back.
    expect(found(await detail(desk, TAIPEI_101, 'cache')).source).toBe('remote');
  });
});

describe('failures on the way (no rate limit, to go fast)', () => {
  let fast: WaugSandbox;
  let fastStopped = false;
  let fastDesk: WaugCore;
  /** Set by a test: runs before each getGoods the core sends. */
  let beforeGetGoods: ((goodsId: string) => void) | null = null;

  beforeAll(async () => {
    fast = await startWaugSandbox({ webhookScanEveryMs: 0, rateLimit: { limit: null, windowMs: 10_000 } });
    fastDesk = await startWaugCore(fast, {
      waugTimeoutMs: 3_000,
      core: {
        createWaugApi: (credentials) => {
          const client = createWaugClient({ ...credentials, timeoutMs: 3_000, rateLimit: { limit: null } });
          return new Proxy(client, {
            get(target, property, receiver) {
              const value: unknown = Reflect.get(target, property, receiver);
              if (typeof value !== 'function') return value;
              // Bound: the client keeps its state in private fields, which a proxy `this` cannot reach.
              const method = (value as (...args: unknown[]) => unknown).bind(target);
              if (property !== 'getGoods') return method;
              return (...args: unknown[]) => {
                beforeGetGoods?.(args[0] as string);
                return method(...args);
              };
            },
          });
        },
      },
    });
  });
  afterAll(async () => {
    await fastDesk?.close();
    if (!fastStopped) await fast?.close();
  });

  it('keeps the goods an interrupted sync read, and the next sync completes', async () => {
    let reads = 0;
    beforeGetGoods = () => {
      reads += 1;
      // WAUG refusing the desk's credentials stops the whole sync (not one goods' failure).
      if (reads === 11) fast.setFaults({ responseCode: '101', onlyEndpoint: 'getGoods' });
    };
    let summary: CatalogSyncSummary;
    try {
      summary = (await fastDesk.call('syncCatalog', {})) as CatalogSyncSummary;
    } finally {
      beforeGetGoods = null;
      fast.setFaults({ responseCode: null, onlyEndpoint: null });
    }
    expect(summary.error?.code).toBe('auth');
    expect(summary.error?.message).toContain(`stopped after ${summary.goods} goods`);
    expect(summary.goods).toBe(10);
    const listed = await list(fastDesk);
    expect(listed.goods).toHaveLength(10);
    expect(listed.syncedAt).toBeNull(); // never a whole sync yet
    expect(listed.lastSyncError).toBe(summary.error?.message);

    const again = (await fastDesk.call('syncCatalog', {})) as CatalogSyncSummary;
    expect(again).toMatchObject({ goods: SANDBOX_GOODS, error: null });
    const after = await list(fastDesk);
    expect(after).toMatchObject({ lastSyncError: null });
    expect(after.goods).toHaveLength(SANDBOX_GOODS);
  });

  it('answers one sync at a time: a second call joins the running one', async () => {
    const [a, b] = await Promise.all([fastDesk.call('syncCatalog', {}), fastDesk.call('syncCatalog', {})]);
    expect(b).toEqual(a);
  });

  it('goes on past goods WAUG cannot answer for (malformed, 5xx): counted, their cached copies kept', async () => {
    const SPOILED = TAIPEI_101;
    const FAILING = '110034';
    const cache = catalogOf(fastDesk.openDb());
    const cachedBefore = cache.get(SPOILED)!;
    const failingBefore = cache.get(FAILING)!;
    beforeGetGoods = (goodsId) =>
      fast.setFaults({
        malformedBody: goodsId === SPOILED ? 'wrong-shape' : null,
        status5xx: goodsId === FAILING,
        onlyEndpoint: goodsId === SPOILED || goodsId === FAILING ? 'getGoods' : null,
      });
    let summary: CatalogSyncSummary;
    try {
      summary = (await fastDesk.call('syncCatalog', {})) as CatalogSyncSummary;
    } finally {
      beforeGetGoods = null;
      fast.setFaults({ malformedBody: null, status5xx: false, onlyEndpoint: null });
    }
    expect(summary).toMatchObject({
      goods: SANDBOX_GOODS - 2,
      removed: 0,
      error: { code: 'upstream', message: expect.stringMatching(/^2 goods could not be read/) },
    });
    const listed = await list(fastDesk);
    expect(listed.goods).toHaveLength(SANDBOX_GOODS);
    expect(listed.lastSyncError).toBe(summary.error?.message);
    expect(cache.get(SPOILED)).toEqual(cachedBefore);
    expect(cache.get(FAILING)).toEqual(failingBefore);
    const log = fastDesk.logLines.join('\n');
    expect(log).toMatch(new RegExp(`"goodsId":"${SPOILED}".*waug malformed`));
    expect(log).toMatch(new RegExp(`"goodsId":"${FAILING}".*waug upstream http 500`));
  });

  it('stops on a malformed answer with a clear error, and leaves the cache as it was', async () => {
    const before = await list(fastDesk);
    const detailBefore = found(await detail(fastDesk, TAIPEI_101, 'cache')).goods;
    fast.setFaults({ malformedBody: 'wrong-shape' });
    try {
      const summary = (await fastDesk.call('syncCatalog', {})) as CatalogSyncSummary;
      expect(summary.error?.code).toBe('malformed');
      expect(summary.error?.message).toMatch(/cannot read.*stopped after 0 goods/);
      const goods = found(await detail(fastDesk, TAIPEI_101, 'remote'));
      expect(goods.source).toBe('cache');
      expect(goods.goods).toEqual(detailBefore);
    } finally {
      fast.setFaults({ malformedBody: null });
    }
    const after = await list(fastDesk);
    expect(after.goods).toEqual(before.goods);
    expect(after.syncedAt).toBe(before.syncedAt);
    expect(after.lastSyncError).toMatch(/cannot read/);
  });

  it('browses the cache when the sandbox is stopped', async () => {
    await fast.close();
    fastStopped = true;
    const goods = found(await detail(fastDesk, TAIPEI_101, 'remote'));
    expect(goods.source).toBe('cache');
    const listed = await list(fastDesk);
    expect(listed.goods).toHaveLength(SANDBOX_GOODS);
    const summary = (await fastDesk.call('syncCatalog', {})) as CatalogSyncSummary;
    expect(summary.error?.code).toBe('network');
  });
});

describe('WAUG stops answering', () => {
  it('answers the detail and prices from the cache after the timeout, and a sync stops clearly, keeping the cache', async () => {
    const silent = await startWaugSandbox({ webhookScanEveryMs: 0 });
    const hung = await startWaugCore(silent, { waugTimeoutMs: 400 });
    try {
      expect(found(await detail(hung, TAIPEI_101, 'remote')).source).toBe('remote');
      silent.setFaults({ hang: true });

      const goods = found(await detail(hung, TAIPEI_101, 'remote'));
      expect(goods.source).toBe('cache');
      const range = catalogRange(Date.now(), 30);
      const prices = (await hung.call('getGoodsPrices', {
        goodsId: TAIPEI_101,
        ...range,
        prefer: 'remote',
      })) as GetGoodsPricesResult;
      expect(prices.source).toBe('cache');
      expect(prices.prices.length).toBeGreaterThan(0);

      const summary = (await hung.call('syncCatalog', {})) as CatalogSyncSummary;
      expect(summary.goods).toBe(0);
      // The first calls time out; then the desk judges WAUG out of reach and stops asking.
      expect(['timeout', 'network']).toContain(summary.error?.code);
      expect((await list(hung)).goods.map((g) => g.goodsId)).toEqual([TAIPEI_101]);
    } finally {
      silent.setFaults({ hang: false });
      await hung.close();
      await silent.close();
    }
  });
});
