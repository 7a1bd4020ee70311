/**
 * `npx tsx bench/catalog.bench.ts`: the WAUG catalog cache.
 *  1. A full sync of the sandbox's 28 goods through the core, at WAUG's real rate limit
 *     (100 requests / 10 s, paced by the client), over loopback HTTP.
 *  2. listGoods from that cache through the dispatcher (what the renderer's IPC call runs), with
 *     and without a query.
 *  2b. A clerk's WAUG order lookup while a full sync saturates its share of the rate limit (the
 *     sync runs in the pacer's background lane, so the lookup does not queue behind it).
 *  3. The same list from a large synthetic cache (2 000 goods × 91 days × 3 items ≈ 546 000
 *     prices), straight from the store, to show how fromPrice scales.
 * Prints, never asserts.
 */
import { join } from 'node:path';
import { catalogRange } from '../electron/core/catalog/service.js';
import { catalogOf, daysOf } from '../electron/core/db/catalog.js';
import { openDeskStore } from '../electron/core/db/store.js';
import { startWaugSandbox } from '../electron/core/sandbox/waug/index.js';
import { DEMO_WAUG } from '../electron/core/sandbox/waug/seed.js';
import type { WaugPrice } from '../electron/core/waug/api.js';
import { tempDir } from '../test/helpers/tempDir.js';
import { startWaugCore } from '../test/helpers/waugCore.js';

function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return `p50 ${at(50).toFixed(2)} ms, p95 ${at(95).toFixed(2)} ms, max ${at(100).toFixed(2)} ms`;
}

async function time(runs: number, run: () => unknown): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples;
}

// 1 and 2: the sandbox through the core.
const waug = await startWaugSandbox({ webhookScanEveryMs: 0 });
const desk = await startWaugCore(waug);
try {
  const summary = (await desk.call('syncCatalog', {})) as { goods: number; durationMs: number };
  const calls = waug.requests.length;
  console.log(`full sync: ${summary.goods} goods, ${calls} WAUG requests, ${summary.durationMs} ms`);
  await time(20, () => desk.call('listGoods', {})); // warm-up
  console.log(`listGoods (28 goods, all):       ${percentiles(await time(500, () => desk.call('listGoods', {})))}`);
  console.log(
    `listGoods (28 goods, query+flag): ${percentiles(
      await time(500, () => desk.call('listGoods', { query: 'tai', refundableOnly: true })),
    )}`,
  );
  // 2b: another full sync; once it has used its share of the window, the clerk looks up an order.
  const before = waug.requests.length;
  const sync = desk.call('syncCatalog', {});
  while (waug.requests.length - before < 60) await new Promise((resolve) => setTimeout(resolve, 5));
  const lookups = await time(10, () =>
    desk.call('getOrder', { orderNumber: DEMO_WAUG.unusedA.orderNumber, prefer: 'remote' }),
  );
  console.log(`getOrder (remote) during a full sync: ${percentiles(lookups)}`);
  await sync;
} finally {
  await desk.close();
  await waug.close();
}

// 3: a large synthetic cache.
const dir = tempDir('voucher-desk-catalog-bench-');
const store = openDeskStore(join(dir.path, 'bench.sqlite'));
try {
  const catalog = catalogOf(store.db);
  const range = catalogRange(Date.now());
  const days = daysOf(range);
  const started = performance.now();
  for (let g = 0; g < 2000; g += 1) {
    const goodsId = String(200_000 + g);
    const prices: WaugPrice[] = days.flatMap((date, d) =>
      ['1', '2', '3'].map((item) => ({
        date,
        goodsOptionId: '1',
        goodsOptionItemId: item,
        price: String(100 + ((g * 7 + d * 3 + Number(item)) % 900)),
        currency: 'TWD',
      })),
    );
    catalog.save({
      goods: {
        goodsId,
        goodsName: `Goods ${g} Tour`,
        city: `City ${g % 40}`,
        countryCode: g % 2 ? 'TW' : 'KR',
        currency: 'TWD',
        refundable: g % 3 !== 0,
        updatedAt: null,
        description: null,
        availableTime: null,
        notification: null,
        instantConfirmation: g % 2 === 0,
        options: [
          {
            goodsOptionId: '1',
            goodsOptionName: 'Ticket',
            items: ['1', '2', '3'].map((id) => ({ goodsOptionItemId: id, goodsOptionItemName: `Item ${id}` })),
            timeslots: [],
          },
        ],
      },
      orderInfos: [],
      prices,
      range,
      comments: null,
      syncedAt: new Date().toISOString(),
    });
  }
  console.log(
    `synthetic cache: 2000 goods, ${2000 * days.length * 3} prices written in ${Math.round(performance.now() - started)} ms`,
  );
  const filter = { query: '', refundableOnly: false, instantOnly: false, limit: 500 };
  await time(5, () => catalog.list(filter, range.startDate));
  console.log(
    `list (2000 goods, first 500):    ${percentiles(await time(50, () => catalog.list(filter, range.startDate)))}`,
  );
  console.log(
    `list (2000 goods, query 'goods 1'): ${percentiles(
      await time(50, () => catalog.list({ ...filter, query: 'goods 1' }, range.startDate)),
    )}`,
  );
} finally {
  store.close();
  dir.remove();
}
