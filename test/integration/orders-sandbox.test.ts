/**
 * WAUG orders through the whole core against the real WAUG sandbox over HTTP: lookups remote and
 * from the cache, offline answers with their age, pulls by date range, cache search, refunds as a
 * manager (accepted, refused locally, refused by WAUG with 107, wrong PINs and the lockout), and
 * the demo, where the WAUG sandbox is linked to the Yahoo one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GetOrderResult } from '../../shared/contract.js';
import { createCore } from '../../electron/core/app.js';
import { createMemoryOnlyCipher } from '../../electron/core/config/secrets.js';
import { createConfSettingsStore } from '../../electron/core/config/settings.js';
import { startDemoSandboxes } from '../../electron/core/demo.js';
import { dispatch } from '../../electron/core/dispatch.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import { DEMO_WAUG, startWaugSandbox, type WaugSandbox } from '../../electron/core/sandbox/waug/index.js';
import { DEMO_SERIALS, startYahooSandbox } from '../../electron/core/sandbox/yahoo/index.js';
import { createWaugClient } from '../../electron/core/waug/client.js';
import { waugDayOf } from '../../electron/core/waug/time.js';
import { tempDir } from '../helpers/tempDir.js';
import { startWaugCore, type WaugCore } from '../helpers/waugCore.js';

const DAY = 86_400_000;
const PIN = '482913';
let offsetMs = 0;
const sandboxNow = () => Date.now() + offsetMs;
let sandbox: WaugSandbox;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  sandbox = await startWaugSandbox({ now: sandboxNow });
});
afterAll(async () => {
  await sandbox.close();
});
afterEach(async () => {
  sandbox.setFaults({ hang: false, status5xx: false, latencyMs: 0, responseCode: null });
  while (cleanups.length) await cleanups.pop()!();
});

async function desk(options: Parameters<typeof startWaugCore>[1] = {}): Promise<WaugCore> {
  const d = await startWaugCore(sandbox, options);
  cleanups.push(() => d.close());
  return d;
}

const found = (result: GetOrderResult) => {
  if (result.kind !== 'found') throw new Error('expected an order');
  return result;
};
const waugRequests = (method: string, pathPart: string) =>
  sandbox.requests.filter((r) => r.method === method && r.path.includes(pathPart)).length;

describe('getOrder', () => {
  it('asks WAUG, caches the order, then answers the same order from the cache with its age', async () => {
    const d = await desk();
    expect((await d.call('getAppStatus', {})).waugMode).toBe('live');
    const before = waugRequests('GET', DEMO_WAUG.unusedA.orderNumber);
    const remote = found(await d.call('getOrder', { orderNumber: DEMO_WAUG.unusedA.orderNumber }));
    expect(remote.source).toBe('remote');
    expect(remote.order).toMatchObject({
      orderNumber: DEMO_WAUG.unusedA.orderNumber,
      partnerOrderNumber: DEMO_WAUG.unusedA.partnerOrderNumber,
      orderStatus: 'STATUS_PAID',
      refundable: true,
    });
    expect(remote.order.goods[0]).toMatchObject({ status: 'STATUS_CONFIRMED', voucher: { state: 'issued' } });
    expect(remote.order.goods[0]?.history.map((h) => h.status)).toEqual(['STATUS_CONFIRMED']);
    expect(waugRequests('GET', DEMO_WAUG.unusedA.orderNumber)).toBe(before + 1);

    const cached = found(await d.call('getOrder', { orderNumber: DEMO_WAUG.unusedA.orderNumber, prefer: 'cache' }));
    expect(cached.source).toBe('cache');
    expect(cached.fetchedAt).toBe(remote.fetchedAt);
    expect(cached.order).toEqual(remote.order);
    expect(waugRequests('GET', DEMO_WAUG.unusedA.orderNumber)).toBe(before + 1);
  });

  it('finds an order by partner number (the Yahoo orderItemId), lossless ids included', async () => {
    const d = await desk();
    const b = found(await d.call('getOrder', { partnerOrderNumber: DEMO_WAUG.unusedB.partnerOrderNumber }));
    expect(b.order.orderNumber).toBe(DEMO_WAUG.unusedB.orderNumber);
    expect(b.order.goods).toHaveLength(2);
    expect(b.order.refundable).toBe(false);
    expect(b.order.goods.map((g) => g.refundable)).toEqual([true, false]);
    const huge = found(await d.call('getOrder', { partnerOrderNumber: DEMO_WAUG.hugeId.partnerOrderNumber }));
    expect(huge.order.goods[0]?.orderGoodsId).toBe('9007199254740993');
    // Now cached: the partner number answers from the cache too.
    const again = found(
      await d.call('getOrder', { partnerOrderNumber: DEMO_WAUG.unusedB.partnerOrderNumber, prefer: 'cache' }),
    );
    expect(again.source).toBe('cache');
    expect(await d.call('getOrder', { orderNumber: 'WG0000000000000' })).toEqual({
      kind: 'not_found',
      source: 'remote',
    });
  });

  it('appends every new status to the timeline as the goods progress', async () => {
    const progressing = await startWaugSandbox({
      now: sandboxNow,
      progression: { inProgressAfterMs: 5_000, confirmedAfterMs: 15_000 },
    });
    cleanups.push(() => progressing.close());
    const p = await startWaugCore(progressing);
    cleanups.push(() => p.close());
    const n = DEMO_WAUG.unusedC.orderNumber;
    expect(found(await p.call('getOrder', { orderNumber: n })).order.goods[0]?.status).toBe('STATUS_PAID');
    offsetMs += 6_000;
    expect(found(await p.call('getOrder', { orderNumber: n })).order.goods[0]?.status).toBe('STATUS_IN_PROGRESS');
    offsetMs += 10_000;
    const done = found(await p.call('getOrder', { orderNumber: n }));
    expect(done.order.goods[0]).toMatchObject({ status: 'STATUS_CONFIRMED', voucher: { state: 'issued' } });
    expect(done.order.goods[0]?.history.map((h) => h.status)).toEqual([
      'STATUS_PAID',
      'STATUS_IN_PROGRESS',
      'STATUS_CONFIRMED',
    ]);
    // Re-reading the same status adds nothing.
    await p.call('getOrder', { orderNumber: n });
    expect(found(await p.call('getOrder', { orderNumber: n, prefer: 'cache' })).order.goods[0]?.history).toHaveLength(
      3,
    );
  });

  it('offline: answers cached orders from the cache at once with their age, and says an uncached one cannot be shown', async () => {
    const d = await desk();
    const first = found(await d.call('getOrder', { orderNumber: DEMO_WAUG.used.orderNumber }));
    await d.call('setWorkOffline', { workOffline: true });
    const before = sandbox.requests.length;
    const offline = found(await d.call('getOrder', { orderNumber: DEMO_WAUG.used.orderNumber }));
    expect(offline).toMatchObject({ source: 'cache', fetchedAt: first.fetchedAt });
    const miss = await d.raw('getOrder', { orderNumber: DEMO_WAUG.expired.orderNumber });
    expect(miss).toMatchObject({ ok: false, error: { code: 'network' } });
    if (!miss.ok) expect(miss.error.message).toMatch(/Working offline.*not in this desk’s cache/);
    const refund = await d.raw('syncOrders', { from: '2025-01-01', to: '2025-01-02' });
    expect(refund).toMatchObject({ ok: false, error: { code: 'network' } });
    expect(sandbox.requests.length).toBe(before); // nothing was sent
  });

  it('WAUG unreachable: falls back to the cache, and once judged offline answers without waiting', async () => {
    const d = await desk({ waugTimeoutMs: 400, core: { waugReachability: { retryMs: 60_000 } } });
    found(await d.call('getOrder', { orderNumber: DEMO_WAUG.group1.orderNumber }));
    sandbox.setFaults({ hang: true });
    for (let i = 0; i < 2; i += 1) {
      const fallback = found(await d.call('getOrder', { orderNumber: DEMO_WAUG.group1.orderNumber }));
      expect(fallback.source).toBe('cache');
    }
    const started = performance.now();
    const quick = found(await d.call('getOrder', { orderNumber: DEMO_WAUG.group1.orderNumber }));
    expect(quick.source).toBe('cache');
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('syncOrders and searchOrders', () => {
  it('pulls a range in 7-day calls, as many orders as WAUG has for it, and searches them in the cache', async () => {
    const d = await desk();
    const now = sandboxNow();
    const from = waugDayOf(now - 44 * DAY);
    const to = waugDayOf(now);
    const direct = createWaugClient({
      baseUrl: sandbox.baseUrl,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
    });
    const expected = await direct.listOrders({ startDate: from, endDate: to });
    direct.close();
    expect(expected.length).toBeGreaterThan(50);

    const calls = waugRequests('GET', '/v1/orders');
    const result = await d.call('syncOrders', { from, to });
    expect(result.pulled).toBe(expected.length);
    expect(waugRequests('GET', '/v1/orders') - calls).toBe(7); // 45 days in 7-day chunks

    const all = await d.call('searchOrders', { from, to });
    expect(all.orders).toHaveLength(expected.length);
    expect(all.truncated).toBe(false);
    expect(all.lastPulledAt).not.toBeNull();
    const times = all.orders.map((o) => o.orderedAt ?? '');
    expect([...times].sort().reverse()).toEqual(times); // newest first

    const byPrefix = await d.call('searchOrders', { number: 'WG25010100001' });
    expect(byPrefix.orders.map((o) => o.orderNumber).sort()).toEqual(
      Object.values(DEMO_WAUG)
        .map((x) => x.orderNumber)
        .filter((n) => n.startsWith('WG25010100001'))
        .filter((n) => expected.some((o) => o.orderNumber === n))
        .sort(),
    );
    const byPartner = await d.call('searchOrders', { number: DEMO_WAUG.unusedA.partnerOrderNumber });
    expect(byPartner.orders.map((o) => o.orderNumber)).toEqual([DEMO_WAUG.unusedA.orderNumber]);

    const refunds = await d.call('searchOrders', {
      statuses: ['STATUS_REFUND_REQUESTED', 'STATUS_PARTIAL_REFUND_REQUESTED'],
    });
    expect(refunds.orders.length).toBe(
      expected.filter(
        (o) => o.orderStatus === 'STATUS_REFUND_REQUESTED' || o.orderStatus === 'STATUS_PARTIAL_REFUND_REQUESTED',
      ).length,
    );
    expect(refunds.orders.map((o) => o.orderNumber)).toContain(DEMO_WAUG.partialRefundRequested.orderNumber);

    const today = await d.call('searchOrders', { from: to, to });
    expect(today.orders.length).toBe(expected.filter((o) => waugDayOf(Date.parse(o.orderedAt)) === to).length);

    const backwards = await d.raw('syncOrders', { from: to, to: from });
    expect(backwards).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });
});

describe('requestRefund', () => {
  async function managerDesk(options: Parameters<typeof startWaugCore>[1] = {}) {
    const d = await desk(options);
    await d.call('updateSettings', { managerPin: { next: PIN } });
    return d;
  }

  it('is refused when no manager PIN is set', async () => {
    const d = await desk();
    const result = await d.raw('requestRefund', {
      orderNumber: DEMO_WAUG.group2.orderNumber,
      reason: 'x',
      managerPin: '1234',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    if (!result.ok) expect(result.error.message).toMatch(/Settings/);
  });

  it('accepted: WAUG moves the order to refund requested, and the order is re-read and cached', async () => {
    const d = await managerDesk();
    const n = DEMO_WAUG.unusedA.orderNumber;
    const refundsBefore = waugRequests('POST', `/v2/orders/${n}/refund-request`);
    const readsBefore = waugRequests('GET', `/v1/orders/${n}`);
    const after = await d.call('requestRefund', {
      orderNumber: n,
      reason: 'Customer cannot travel',
      managerPin: PIN,
    });
    expect(after).toMatchObject({ orderNumber: n, orderStatus: 'STATUS_REFUND_REQUESTED', refundable: false });
    expect(after.goods[0]?.status).toBe('STATUS_REFUND_REQUESTED');
    expect(after.goods[0]?.history.map((h) => h.status)).toEqual(['STATUS_CONFIRMED', 'STATUS_REFUND_REQUESTED']);
    expect(waugRequests('POST', `/v2/orders/${n}/refund-request`)).toBe(refundsBefore + 1);
    expect(waugRequests('GET', `/v1/orders/${n}`)).toBeGreaterThanOrEqual(readsBefore + 2); // before and after
    const cached = found(await d.call('getOrder', { orderNumber: n, prefer: 'cache' }));
    expect(cached.order.orderStatus).toBe('STATUS_REFUND_REQUESTED');

    // Asking again is refused here, without calling WAUG.
    const again = await d.raw('requestRefund', { orderNumber: n, reason: 'again', managerPin: PIN });
    expect(again).toMatchObject({ ok: false, error: { code: 'refused' } });
    if (!again.ok) expect(again.error.message).toMatch(/already in refund/);
    expect(waugRequests('POST', `/v2/orders/${n}/refund-request`)).toBe(refundsBefore + 1);

    const audit = d
      .openDb()
      .prepare(`SELECT operator, order_number, outcome, detail FROM order_refund_audit ORDER BY seq`)
      .all() as { outcome: string; detail: string | null }[];
    expect(audit.map((a) => a.outcome)).toEqual(['requested', 'refused_local']);
    expect(JSON.stringify(audit)).not.toContain('Customer cannot travel');
  });

  it('with a non-refundable goods is refused locally; with a stale cache WAUG’s 107 is mapped to refused', async () => {
    const d = await managerDesk();
    const n = DEMO_WAUG.unusedB.orderNumber;
    const posts = () => waugRequests('POST', `/v2/orders/${n}/refund-request`);
    const before = posts();
    const local = await d.raw('requestRefund', { orderNumber: n, reason: 'x', managerPin: PIN });
    expect(local).toMatchObject({ ok: false, error: { code: 'refused' } });
    if (!local.ok) expect(local.error.message).toMatch(/non-refundable.*Nothing was sent to WAUG/);
    expect(posts()).toBe(before);

    // The cache goes stale: it now claims every goods is refundable.
    const db = d.openDb();
    expect(db.prepare(`UPDATE order_goods SET refundable = 1 WHERE order_number = ?`).run(n).changes).toBe(2);
    expect(found(await d.call('getOrder', { orderNumber: n, prefer: 'cache' })).order.refundable).toBe(true);
    const upstream = await d.raw('requestRefund', { orderNumber: n, reason: 'x', managerPin: PIN });
    expect(upstream).toMatchObject({ ok: false, error: { code: 'refused' } });
    if (!upstream.ok) expect(upstream.error.message).toMatch(/WAUG refused.*code 107/);
    expect(posts()).toBe(before + 1);
    // The refusal re-read the order: the cache tells the truth again.
    expect(found(await d.call('getOrder', { orderNumber: n, prefer: 'cache' })).order.refundable).toBe(false);
    const outcomes = db.prepare(`SELECT outcome FROM order_refund_audit WHERE order_number = ?`).pluck().all(n);
    expect(outcomes).toEqual(['refused_local', 'refused_upstream']);
  });

  it('re-reads a cached order older than a few minutes before judging, and maps 106 to refused', async () => {
    let clockMs = Date.now();
    const d = await managerDesk({ core: { now: () => new Date(clockMs) } });
    const b = DEMO_WAUG.unusedB.orderNumber;
    found(await d.call('getOrder', { orderNumber: b }));
    const db = d.openDb();
    db.prepare(`UPDATE order_goods SET refundable = 1 WHERE order_number = ?`).run(b);
    clockMs += 6 * 60_000; // the cached answer is now too old to judge a refund on
    const posts = waugRequests('POST', `/v2/orders/${b}/refund-request`);
    const refused = await d.raw('requestRefund', { orderNumber: b, reason: 'x', managerPin: PIN });
    expect(refused).toMatchObject({ ok: false, error: { code: 'refused' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/Nothing was sent to WAUG/);
    expect(waugRequests('POST', `/v2/orders/${b}/refund-request`)).toBe(posts);

    // A refunded order the cache still shows as paid: WAUG answers 106, mapped to refused.
    const r = DEMO_WAUG.refunded.orderNumber;
    found(await d.call('getOrder', { orderNumber: r }));
    db.prepare(`UPDATE orders SET order_status = 'STATUS_PAID' WHERE order_number = ?`).run(r);
    db.prepare(`UPDATE order_goods SET status = 'STATUS_CONFIRMED' WHERE order_number = ?`).run(r);
    const stale = await d.raw('requestRefund', { orderNumber: r, reason: 'x', managerPin: PIN });
    expect(stale).toMatchObject({ ok: false, error: { code: 'refused' } });
    if (!stale.ok)
      expect(stale.error.message).toMatch(/not in a refundable state \(STATUS_REFUND_COMPLETED\) \(code 106\)/);
  });

  it('a wrong PIN is forbidden; five in a row lock refunds out, the right PIN included', async () => {
    const d = await managerDesk();
    const n = DEMO_WAUG.group3.orderNumber;
    const before = waugRequests('POST', `/v2/orders/${n}/refund-request`);
    for (let i = 1; i <= 4; i += 1) {
      const wrong = await d.raw('requestRefund', { orderNumber: n, reason: 'x', managerPin: '000000' });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      if (!wrong.ok) expect(wrong.error.message).toMatch(/Wrong manager PIN/);
    }
    const fifth = await d.raw('requestRefund', { orderNumber: n, reason: 'x', managerPin: '000000' });
    expect(fifth).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    if (!fifth.ok) expect(fifth.error.message).toMatch(/Too many wrong manager PINs/);
    const locked = await d.raw('requestRefund', { orderNumber: n, reason: 'x', managerPin: PIN });
    expect(locked).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(waugRequests('POST', `/v2/orders/${n}/refund-request`)).toBe(before);
    const outcomes = d.openDb().prepare(`SELECT outcome FROM order_refund_audit WHERE order_number = ?`).pluck().all(n);
    expect(outcomes).toEqual(['wrong_pin', 'wrong_pin', 'wrong_pin', 'wrong_pin', 'locked_out', 'locked_out']);
  });
});

describe('with Yahoo', () => {
  it('a demo-mode core finds the WAUG order behind DEMO_SERIALS.unusedA, and its sync pulls orders too', async () => {
    const dir = tempDir('voucher-desk-demo-');
    const sink = createMemorySink();
    const log = createLogger({ sink });
    const core = await createCore({
      dataDir: dir.path,
      settingsStore: createConfSettingsStore(dir.path),
      secretCipher: createMemoryOnlyCipher(),
      env: {},
      log,
      version: 'test',
      backgroundSync: false,
      startDemoSandbox: () => startDemoSandboxes(),
    });
    cleanups.push(() => dir.remove());
    cleanups.push(() => core.close());
    expect(await core.handlers.getAppStatus({})).toMatchObject({ mode: 'demo', waugMode: 'demo' });
    const voucher = await core.handlers.lookupVoucher({ serial: DEMO_SERIALS.unusedA, prefer: 'remote' });
    if (voucher.kind !== 'found') throw new Error('demo voucher not found');
    expect(voucher.voucher.orderItemId).toBe(DEMO_WAUG.unusedA.partnerOrderNumber);
    const order = found(
      await core.handlers.getOrder({ partnerOrderNumber: voucher.voucher.orderItemId!, prefer: 'remote' }),
    );
    expect(order.order.orderNumber).toBe(DEMO_WAUG.unusedA.orderNumber);

    const summary = await core.handlers.syncNow({});
    expect(summary.error).toBeNull();
    const listed = await dispatch(core.handlers, 'searchOrders', {}, log);
    expect(listed.ok && (listed.value as { orders: unknown[] }).orders.length).toBeGreaterThan(50);
  });

  it('a failing WAUG never fails the Yahoo sync', async () => {
    const yahoo = await startYahooSandbox({ voucherCount: 200 });
    cleanups.push(() => yahoo.close());
    const d = await desk({ yahoo });
    sandbox.setFaults({ status5xx: true });
    const summary = await d.call('syncNow', {});
    expect(summary.error).toBeNull();
    expect(summary.pulled).toBeGreaterThan(0);
    expect(d.logLines.join('\n')).toContain('the WAUG orders pull failed');
    expect((await d.call('searchOrders', {})).lastPulledAt).toBeNull();
  });
});
