/**
 * The real WAUG client against the real WAUG sandbox, over HTTP on 127.0.0.1 (port 0).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_WAUG,
  HUGE_ORDER_GOODS_ID,
  KOREAN_GOODS_IDS,
  NO_WAUG_FAULTS,
  startWaugSandbox,
  type WaugSandbox,
  type WaugSandboxOptions,
} from '../../electron/core/sandbox/waug/index.js';
import { WaugError } from '../../electron/core/waug/api.js';
import { createWaugClient, type WaugClient, type WaugClientConfig } from '../../electron/core/waug/client.js';
import { WAUG_RESPONSE_CODES, type WaugFailureCode } from '../../electron/core/waug/constants.js';
import { fakeClock } from '../fixtures/waug/clock.js';
import { planOrder } from '../fixtures/waug/orders.js';
import { rejectionOf } from '../helpers/rejection.js';

let sandbox: WaugSandbox;
let client: WaugClient;
const cleanups: (() => Promise<void> | void)[] = [];
let partnerCounter = 0;

function clientFor(target: WaugSandbox, overrides: Partial<WaugClientConfig> = {}): WaugClient {
  const made = createWaugClient({
    baseUrl: target.baseUrl,
    clientId: target.clientId,
    clientSecret: target.clientSecret,
    ...overrides,
  });
  cleanups.push(() => made.close());
  return made;
}

async function extraSandbox(options: WaugSandboxOptions): Promise<WaugSandbox> {
  const made = await startWaugSandbox({ demoOrders: false, ...options });
  cleanups.push(() => made.close());
  return made;
}

const waugError = (promise: Promise<unknown>) => rejectionOf(promise, WaugError);

const nextPartner = (): string => `VD-IT-${String(++partnerCounter).padStart(5, '0')}`;

beforeAll(async () => {
  sandbox = await startWaugSandbox();
  client = clientFor(sandbox);
});

afterEach(() => {
  sandbox.setFaults(NO_WAUG_FAULTS);
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await sandbox.close();
});

describe('orders', () => {
  it('finds the order behind a Yahoo voucher by partner number and by order number, ids intact', async () => {
    const byPartner = await client.getOrderByPartnerNumber(DEMO_WAUG.hugeId.partnerOrderNumber);
    expect(byPartner?.orderNumber).toBe(DEMO_WAUG.hugeId.orderNumber);
    expect(byPartner?.orderGoods[0]?.orderGoodsId).toBe(HUGE_ORDER_GOODS_ID);
    expect(byPartner?.orderGoods[0]?.voucher.state).toBe('issued');
    expect(byPartner?.orderedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const byNumber = await client.getOrder(DEMO_WAUG.hugeId.orderNumber);
    expect(byNumber).toEqual(byPartner);
  });

  it('answers null for an unknown order (103 arrives with HTTP 200)', async () => {
    const before = sandbox.requests.length;
    expect(await client.getOrderByPartnerNumber('YS0000000000000')).toBeNull();
    expect(await client.getOrder('WG0000000000000')).toBeNull();
    expect(sandbox.requests.slice(before).map((r) => [r.status, r.responseCode])).toEqual([
      [200, '103'],
      [200, '103'],
    ]);
  });

  it('lists orders by Asia/Seoul date range', async () => {
    const all = await client.listOrders({ startDate: '2000-01-01', endDate: '2099-12-31' });
    expect(all.length).toBe(sandbox.orderCount);
    const target = all[Math.floor(all.length / 2)];
    if (target === undefined) throw new Error('no orders');
    const day = new Date(Date.parse(target.orderedAt) + 9 * 3_600_000).toISOString().slice(0, 10); // Seoul is +09:00
    const oneDay = await client.listOrders({ startDate: day, endDate: day });
    expect(oneDay.map((o) => o.orderNumber)).toContain(target.orderNumber);
    for (const order of oneDay) {
      expect(new Date(Date.parse(order.orderedAt) + 9 * 3_600_000).toISOString().slice(0, 10)).toBe(day);
    }
    expect(oneDay.length).toBeLessThan(all.length);
  });
});

describe('goods', () => {
  it('lists goods and reads one with options, refundable, availableTime and notification', async () => {
    const page = await client.listGoods({ page: 1, size: 5 });
    expect(page.items).toHaveLength(5);
    expect(page.count).toBeGreaterThan(20);
    const nanta = await client.getGoods(KOREAN_GOODS_IDS.nanta);
    expect(nanta).toMatchObject({ goodsId: '110057', currency: 'KRW', refundable: false });
    expect(nanta.notification).toMatch(/Non-refundable/);
    expect(nanta.options[0]?.items.length).toBe(2);
    expect(nanta.options[0]?.timeslots.map((t) => t.time)).toEqual(['17:00', '20:00']);
    expect((await waugError(client.getGoods('999999'))).kind).toBe('not_found');
  });

  it('has no price on a closed weekday (not orderable) and a weekend surcharge', async () => {
    const start = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    const end = new Date(Date.now() + 27 * 86_400_000).toISOString().slice(0, 10);
    const prices = await client.getGoodsPrices(KOREAN_GOODS_IDS.nanta, { startDate: start, endDate: end });
    const weekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();
    const days = new Set(prices.map((p) => p.date));
    expect(days.size).toBe(12); // 14 days minus two Mondays
    expect([...days].some((d) => weekday(d) === 1)).toBe(false);
    const s = prices.filter((p) => p.goodsOptionItemId === prices[0]?.goodsOptionItemId);
    expect(new Set(s.map((p) => p.price))).toEqual(new Set(['60000', '66000']));
  });

  it('reads order-input groups (ORDER, GOODS, EACH) with their field types and choices', async () => {
    const groups = await client.getGoodsOrderInfos(KOREAN_GOODS_IDS.hanbok);
    expect(groups.map((g) => g.groupCategory)).toEqual(['ORDER', 'GOODS', 'EACH']);
    const each = groups[2]?.fields ?? [];
    expect(each.map((f) => [f.fieldType, f.required])).toEqual([
      ['number', true],
      ['checkbox', false],
    ]);
    expect(each[1]?.choices).toEqual(['Hairpin', 'Bag', 'Shoes']);
  });

  it('pages comments (size ≤ 100)', async () => {
    const first = await client.getGoodsComments('107278', { page: 1, size: 100 });
    expect(first.count).toBeGreaterThanOrEqual(3);
    expect(first.items.length).toBe(Math.min(100, first.count));
    expect(first.items[0]?.rating).toBeGreaterThanOrEqual(3);
    await expect(client.getGoodsComments('107278', { size: 101 })).rejects.toThrow(RangeError);
  });
});

describe('ordering', () => {
  it('validates, then creates; the same partnerOrderNumber never creates a second order', async () => {
    const partner = nextPartner();
    const plan = await planOrder(client, KOREAN_GOODS_IDS.hanbok, partner, { quantity: 2 });
    const validation = await client.validateOrder(plan.request);
    expect(validation.totalPrice).toBe(String(Number(plan.price.price) * 2));
    const balanceBefore = Number(sandbox.balance);
    const ordersBefore = sandbox.orderCount;

    const created = await client.createOrder(plan.request);
    expect(created.partnerOrderNumber).toBe(partner);
    expect(created.orderStatus).toBe('STATUS_PAID');
    expect(created.orderGoods[0]?.status).toBe('STATUS_PAID');
    expect(created.orderGoods[0]?.voucher.state).toBe('not_issued');

    const again = await client.createOrder(plan.request);
    expect(again.orderNumber).toBe(created.orderNumber);
    expect(sandbox.orderCount).toBe(ordersBefore + 1);
    expect(Number(sandbox.balance)).toBe(balanceBefore - Number(validation.totalPrice));
    expect((await client.getOrderByPartnerNumber(partner))?.orderNumber).toBe(created.orderNumber);
  });

  it('106: a missing required field, or EACH values that do not match the quantity', async () => {
    const plan = await planOrder(client, KOREAN_GOODS_IDS.hanbok, nextPartner(), { quantity: 2 });
    const missing = structuredClone(plan.request);
    missing.orderInfos = missing.orderInfos.filter((i) => i.fieldId !== '8');
    expect((await waugError(client.createOrder(missing))).kind).toBe('invalid_order');
    const short = structuredClone(plan.request);
    const each = short.orderGoods[0]?.orderInfos.find((i) => i.groupCategory === 'EACH');
    if (each) each.values = each.values.slice(0, 1);
    const error = await waugError(client.validateOrder(short));
    expect(error.kind).toBe('invalid_order');
    expect(error.message).toContain(WAUG_RESPONSE_CODES['106'].message);
  });

  it('109 after a price change and 105 after a product change, never an order at the new price', async () => {
    const goodsId = KOREAN_GOODS_IDS.udo;
    const plan = await planOrder(client, goodsId, nextPartner());
    sandbox.setPrice(goodsId, plan.price.goodsOptionItemId, '25000', plan.price.date);
    const ordersBefore = sandbox.orderCount;
    const mismatch = await waugError(client.createOrder(plan.request));
    expect(mismatch.kind).toBe('price_mismatch');
    expect(mismatch.details.mayHaveApplied).toBe(false);

    sandbox.modifyGoods(goodsId);
    const stale = { ...plan.request, partnerOrderNumber: nextPartner() };
    expect((await waugError(client.validateOrder(stale))).kind).toBe('product_modified');
    expect(sandbox.orderCount).toBe(ordersBefore);
  });

  it('104 when the prepaid balance is too low', async () => {
    const plan = await planOrder(client, KOREAN_GOODS_IDS.lotteWorld, nextPartner());
    const balance = sandbox.balance;
    sandbox.setBalance('1000');
    try {
      const error = await waugError(client.createOrder(plan.request));
      expect(error.kind).toBe('insufficient_balance');
      expect(error.message).toContain('balance is too low');
    } finally {
      sandbox.setBalance(balance);
    }
  });
});

describe('refunds', () => {
  it('refuses with 107 when any goods is non-refundable, and changes nothing', async () => {
    const error = await waugError(client.requestRefund(DEMO_WAUG.unusedB.orderNumber, 'customer asked'));
    expect(error.kind).toBe('non_refundable');
    expect(error.message).toBe(`WAUG requestRefund: ${WAUG_RESPONSE_CODES['107'].message} (code 107)`);
    expect(sandbox.getOrder(DEMO_WAUG.unusedB.orderNumber)?.orderStatus).toBe('STATUS_PAID');
  });

  it('accepts a refundable order; the order then reads refund-requested, goods included', async () => {
    const answered = await client.requestRefund(DEMO_WAUG.unusedA.orderNumber, 'Customer cancelled the trip');
    expect(answered.orderStatus).toBe('STATUS_REFUND_REQUESTED');
    const reread = await client.getOrder(DEMO_WAUG.unusedA.orderNumber);
    expect(reread?.orderStatus).toBe('STATUS_REFUND_REQUESTED');
    expect(reread?.orderGoods.map((g) => g.status)).toEqual(['STATUS_REFUND_REQUESTED']);
    expect(reread?.orderGoods[0]?.voucher.state).toBe('issued'); // it was issued before the refund
    // Asking again is harmless.
    expect((await client.requestRefund(DEMO_WAUG.unusedA.orderNumber)).orderStatus).toBe('STATUS_REFUND_REQUESTED');
  });

  it('refuses a refund for an order already refunded (106)', async () => {
    expect((await waugError(client.requestRefund(DEMO_WAUG.refunded.orderNumber))).kind).toBe('invalid_order');
  });
});

describe('each responseCode end to end', () => {
  const codes = (Object.keys(WAUG_RESPONSE_CODES) as WaugFailureCode[]).filter((c) => c !== '101' && c !== '111');
  it.each(codes)('code %s reaches the caller as its kind and message', async (code) => {
    sandbox.setFaults({ responseCode: code });
    // getGoods: unlike the order lookups, it does not turn 103 into null.
    const error = await waugError(client.getGoods('107278'));
    expect(error.kind).toBe(WAUG_RESPONSE_CODES[code].kind);
    expect(error.message).toBe(`WAUG getGoods: ${WAUG_RESPONSE_CODES[code].message} (code ${code})`);
    expect(error.details.responseCode).toBe(code);
  });

  it('108 on a create may have applied it; on a read it may not', async () => {
    const plan = await planOrder(client, KOREAN_GOODS_IDS.nSeoulTower, nextPartner());
    sandbox.setFaults({ responseCode: '108' });
    expect((await waugError(client.createOrder(plan.request))).details.mayHaveApplied).toBe(true);
    expect((await waugError(client.getOrder('WG1'))).details.mayHaveApplied).toBe(false);
  });

  it('111 after the retries are used up reaches the caller as rate_limited', async () => {
    const fast = clientFor(sandbox, { rateLimit: { windowMs: 100 }, maxRateLimitRetries: 1 });
    await fast.getOrder(DEMO_WAUG.used.orderNumber); // token first
    sandbox.setFaults({ responseCode: '111' });
    const error = await waugError(fast.getOrder(DEMO_WAUG.used.orderNumber));
    expect(error.kind).toBe('rate_limited');
    expect(error.message).toContain(WAUG_RESPONSE_CODES['111'].message);
    expect(fast.stats.rateLimited).toBe(2);
  });
});

describe('tokens', () => {
  it('concurrent callers share one token request', async () => {
    const fresh = clientFor(sandbox);
    const issued = sandbox.tokensIssued;
    const orders = await Promise.all(Array.from({ length: 20 }, () => fresh.getOrder(DEMO_WAUG.used.orderNumber)));
    expect(orders.every((o) => o?.orderNumber === DEMO_WAUG.used.orderNumber)).toBe(true);
    expect(sandbox.tokensIssued).toBe(issued + 1);
    expect(fresh.stats.tokenRequests).toBe(1);
  });

  it('recovers from 101 (the token was revoked): one new token, one retry, no error', async () => {
    const fresh = clientFor(sandbox);
    await fresh.getOrder(DEMO_WAUG.used.orderNumber);
    const issued = sandbox.tokensIssued;
    sandbox.revokeTokens();
    expect((await fresh.getOrder(DEMO_WAUG.used.orderNumber))?.orderNumber).toBe(DEMO_WAUG.used.orderNumber);
    expect(fresh.stats.authRefused).toBe(1);
    expect(sandbox.tokensIssued).toBe(issued + 1);
  });

  it('a persistent 101 is a clear authentication error after exactly one fresh token', async () => {
    const fresh = clientFor(sandbox);
    await fresh.getOrder(DEMO_WAUG.used.orderNumber);
    sandbox.setFaults({ responseCode: '101' });
    const before = sandbox.requests.length;
    const error = await waugError(fresh.getOrder(DEMO_WAUG.used.orderNumber));
    expect(error.kind).toBe('invalid_authentication');
    expect(error.message).toMatch(/refused our authentication even with a fresh token.*client id and client secret/);
    expect(sandbox.requests.slice(before).map((r) => r.path)).toEqual([
      `/v1/orders/${DEMO_WAUG.used.orderNumber}`,
      '/v1/token',
      `/v1/orders/${DEMO_WAUG.used.orderNumber}`,
    ]);
  });

  it('a wrong client secret is a clear authentication error', async () => {
    const wrong = clientFor(sandbox, { clientSecret: 'not-the-secret' });
    const error = await waugError(wrong.getOrder(DEMO_WAUG.used.orderNumber));
    expect(error.kind).toBe('invalid_authentication');
    expect(error.message).toMatch(/client id and client secret/);
    expect(error.message).not.toContain('not-the-secret');
  });

  it('refreshes a token before it expires, on a shared fake clock (no 101 ever)', async () => {
    const clock = fakeClock();
    const short = await extraSandbox({ now: clock.now, tokenTtlSeconds: 60, demoOrders: true });
    const fresh = clientFor(short, { clock });
    for (let i = 0; i < 10; i += 1) {
      expect(await fresh.getOrder(DEMO_WAUG.used.orderNumber)).not.toBeNull();
      clock.advance(10_000);
    }
    expect(short.tokensIssued).toBe(2); // at 0 s, and at 60 s (before the 60 s expiry … refresh margin 6 s)
    expect(fresh.stats.authRefused).toBe(0);
  });

  it('a token that expires mid-run at WAUG (its clock ran ahead) is refreshed transparently', async () => {
    const clock = fakeClock();
    const ahead = await extraSandbox({ now: clock.now, tokenTtlSeconds: 3_600, demoOrders: true });
    const fresh = clientFor(ahead); // the client's own clock does not move
    const results: (string | undefined)[] = [];
    for (let i = 0; i < 6; i += 1) {
      if (i === 3) clock.advance(3_600_000); // the token dies at WAUG between two calls
      results.push((await fresh.getOrder(DEMO_WAUG.used.orderNumber))?.orderNumber);
    }
    expect(results).toEqual(Array.from({ length: 6 }, () => DEMO_WAUG.used.orderNumber));
    expect(ahead.tokensIssued).toBe(2);
    expect(fresh.stats.authRefused).toBe(1);
  });
});

describe('faults', () => {
  it('times out on a hang', async () => {
    const quick = clientFor(sandbox, { timeoutMs: 300 });
    await quick.getOrder(DEMO_WAUG.used.orderNumber);
    sandbox.setFaults({ hang: true });
    const started = performance.now();
    const error = await waugError(quick.getOrder(DEMO_WAUG.used.orderNumber));
    const ms = performance.now() - started;
    expect(error.kind).toBe('timeout');
    expect(ms).toBeGreaterThanOrEqual(280);
    expect(ms).toBeLessThan(2_000);
  });

  it('a reset on a read is a network error', async () => {
    sandbox.setFaults({ resetAfterApply: true });
    const error = await waugError(client.getOrder(DEMO_WAUG.used.orderNumber));
    expect(error.kind).toBe('network');
    expect(error.details.mayHaveApplied).toBe(false);
  });

  it('a reset after a create was applied: mayHaveApplied, and the retry by partner number finds the one order', async () => {
    const partner = nextPartner();
    const plan = await planOrder(client, KOREAN_GOODS_IDS.everland, partner);
    const before = sandbox.orderCount;
    sandbox.setFaults({ resetAfterApply: true });
    const error = await waugError(client.createOrder(plan.request));
    expect(error.kind).toBe('network');
    expect(error.details.mayHaveApplied).toBe(true);
    sandbox.setFaults(NO_WAUG_FAULTS);
    const found = await client.getOrderByPartnerNumber(partner);
    const retried = await client.createOrder(plan.request);
    expect(retried.orderNumber).toBe(found?.orderNumber);
    expect(sandbox.orderCount).toBe(before + 1);
  });

  it.each([
    ['not-json', 'malformed'],
    ['wrong-shape', 'malformed'],
    ['bad-data', 'malformed'],
    ['truncated', 'malformed'],
    ['oversized', 'too_large'],
  ] as const)('malformed body %s → %s', async (kind, expected) => {
    sandbox.setFaults({ malformedBody: kind });
    const error = await waugError(client.getOrder(DEMO_WAUG.used.orderNumber));
    expect(error.kind).toBe(expected);
  });

  it('an HTTP 500 or 503 without an envelope is upstream', async () => {
    sandbox.setFaults({ status5xx: true });
    expect((await waugError(client.getOrder(DEMO_WAUG.used.orderNumber))).details).toMatchObject({ httpStatus: 500 });
    sandbox.setFaults({ status5xx: false, errorRate: 1 });
    const error = await waugError(client.getOrder(DEMO_WAUG.used.orderNumber));
    expect(error.kind).toBe('upstream');
    expect(error.details.httpStatus).toBe(503);
  });

  it('is slower, not broken, with latency', async () => {
    sandbox.setFaults({ latencyMs: 150 });
    const started = performance.now();
    expect(await client.getOrder(DEMO_WAUG.used.orderNumber)).not.toBeNull();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('goods status over sandbox time', () => {
  it('moves a new order PAID → IN_PROGRESS → CONFIRMED, and issues the voucher at CONFIRMED', async () => {
    const clock = fakeClock();
    const timed = await extraSandbox({
      now: clock.now,
      progression: { inProgressAfterMs: 3_000, confirmedAfterMs: 8_000 },
    });
    const api = clientFor(timed);
    const plan = await planOrder(api, KOREAN_GOODS_IDS.dmz, nextPartner(), { nowMs: clock.now() });
    const order = await api.createOrder(plan.request);
    const seen: [string | undefined, string | undefined, string | undefined][] = [];
    for (const step of [0, 2_999, 1, 4_999, 1]) {
      clock.advance(step);
      const now = await api.getOrder(order.orderNumber);
      const goods = now?.orderGoods[0];
      seen.push([goods?.status, goods?.voucher.state, goods?.updatedAt]);
    }
    expect(seen.map(([status]) => status)).toEqual([
      'STATUS_PAID',
      'STATUS_PAID',
      'STATUS_IN_PROGRESS',
      'STATUS_IN_PROGRESS',
      'STATUS_CONFIRMED',
    ]);
    expect(seen.map(([, voucher]) => voucher)).toEqual(['not_issued', 'not_issued', 'issuing', 'issuing', 'issued']);
    expect(Date.parse(seen[4]?.[2] ?? '') - Date.parse(seen[0]?.[2] ?? '')).toBe(8_000);
    expect((await api.getOrder(order.orderNumber))?.orderStatus).toBe('STATUS_PAID');
  });

  it('moves the seeded progressing demo order (unusedC) on too', async () => {
    const clock = fakeClock();
    const timed = await extraSandbox({
      now: clock.now,
      demoOrders: true,
      progression: { inProgressAfterMs: 1_000, confirmedAfterMs: 2_000 },
    });
    const api = clientFor(timed);
    const statuses: (string | undefined)[] = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push((await api.getOrderByPartnerNumber(DEMO_WAUG.unusedC.partnerOrderNumber))?.orderGoods[0]?.status);
      clock.advance(1_000);
    }
    expect(statuses).toEqual(['STATUS_PAID', 'STATUS_IN_PROGRESS', 'STATUS_CONFIRMED']);
  });
});
