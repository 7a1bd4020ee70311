/**
 * The WAUG sandbox's demo orders, deterministic for a seed and placed relative to the sandbox
 * clock. Orders are LINKED TO THE YAHOO SANDBOX'S VOUCHERS through partnerOrderNumber = Yahoo
 * orderItemId (API-NOTES §3): every DEMO_SERIALS voucher, plus every voucher of the Yahoo
 * products this merchant fulfils through WAUG (WAUG_FULFILLED_YAHOO_PRODUCTS, a few hundred).
 * A few WAUG-only orders (partial refunds, waiting payment) complete the status mix.
 */
import { DateTime } from 'luxon';
import type { VoucherStatus } from '../../../../shared/domain/voucher.js';
import type { WaugOrderGoodsStatus, WaugOrderStatus } from '../../waug/api.js';
import { WAUG_TIME_ZONE } from '../../waug/constants.js';
import { waugDayOf } from '../../waug/time.js';
import { createPrng, type Prng } from '../yahoo/prng.js';
import {
  DEFAULT_SEED as YAHOO_DEFAULT_SEED,
  DEFAULT_VOUCHER_COUNT,
  DEMO_SERIALS,
  seedVouchers,
} from '../yahoo/seed.js';
import { KOREAN_GOODS_IDS, NON_REFUNDABLE_ADDON_GOODS_ID, type SandboxGoods } from './catalogue.js';
import { progressingTimeline, type Progression, type SandboxOrder, type TimelineEntry } from './store.js';

/** What the WAUG seed needs of a Yahoo voucher. */
export interface LinkedVoucher {
  serialNumber: string;
  orderItemId: string | null;
  productId: string;
  specId: string;
  status: VoucherStatus;
  /** ISO-8601 UTC. */
  createdTime: string;
  statusAppliedTime: string | null;
}

export const DEFAULT_WAUG_SEED = 20190402;

/** Yahoo products fulfilled through WAUG for every voucher (DEMO_SERIALS are linked whatever their product). */
export const WAUG_FULFILLED_YAHOO_PRODUCTS = Object.freeze([
  'p093568055654', // 台北101觀景台
  'p100200300402', // 日月潭遊湖船票
  'p100200300404', // 六福村
  'p100200300409', // 貓空纜車
  'p100200300416', // 太魯閣一日遊
]);

export interface DemoWaugOrder {
  /** The Yahoo serial whose order item this order fulfils (null for WAUG-only orders). */
  serialNumber: string | null;
  partnerOrderNumber: string;
  orderNumber: string;
  /** The order status right after the sandbox starts. */
  orderStatus: WaugOrderStatus;
  /** Each goods' status right after start (a progressing goods moves on). */
  goodsStatuses: readonly WaugOrderGoodsStatus[];
  /** False when a refund request must be refused with 107. */
  refundable: boolean;
  note: string;
}

const demo = (
  serialNumber: string | null,
  partnerOrderNumber: string,
  orderNumber: string,
  orderStatus: WaugOrderStatus,
  goodsStatuses: WaugOrderGoodsStatus[],
  refundable: boolean,
  note: string,
): DemoWaugOrder =>
  Object.freeze({ serialNumber, partnerOrderNumber, orderNumber, orderStatus, goodsStatuses, refundable, note });

const C: WaugOrderGoodsStatus = 'STATUS_CONFIRMED';

/** Orders that tests and demos refer to. partnerOrderNumber = the Yahoo sandbox's orderItemId. */
export const DEMO_WAUG = Object.freeze({
  unusedA: demo(
    DEMO_SERIALS.unusedA,
    'YS2501010000101',
    'WG2501010000101',
    'STATUS_PAID',
    [C],
    true,
    'voucher issued; refundable',
  ),
  unusedB: demo(
    DEMO_SERIALS.unusedB,
    'YS2501010000102',
    'WG2501010000102',
    'STATUS_PAID',
    [C, C],
    false,
    'ticket plus a non-refundable SIM card: refund refused (107)',
  ),
  unusedC: demo(
    DEMO_SERIALS.unusedC,
    'YS2501010000103',
    'WG2501010000103',
    'STATUS_PAID',
    ['STATUS_PAID'],
    true,
    'ordered at sandbox start: PAID → IN_PROGRESS → CONFIRMED over the progression delays',
  ),
  used: demo(
    DEMO_SERIALS.used,
    'YS2501010000104',
    'WG2501010000104',
    'STATUS_PAID',
    [C],
    true,
    'voucher issued and used',
  ),
  refundPending: demo(
    DEMO_SERIALS.refundPending,
    'YS2501010000105',
    'WG2501010000105',
    'STATUS_REFUND_REQUESTED',
    ['STATUS_REFUND_REQUESTED'],
    true,
    'already in refund',
  ),
  refunded: demo(
    DEMO_SERIALS.refunded,
    'YS2501010000106',
    'WG2501010000106',
    'STATUS_REFUND_COMPLETED',
    ['STATUS_REFUND_COMPLETED'],
    true,
    'refund completed',
  ),
  cancelled: demo(
    DEMO_SERIALS.cancelled,
    'YS2501010000107',
    'WG2501010000107',
    'STATUS_REFUND_COMPLETED',
    ['STATUS_REFUND_COMPLETED'],
    true,
    'Yahoo serial cancelled; WAUG refund completed',
  ),
  expired: demo(
    DEMO_SERIALS.expired,
    'YS2501010000108',
    'WG2501010000108',
    'STATUS_PAID',
    [C],
    true,
    'voucher issued; Yahoo serial expired',
  ),
  hugeId: demo(
    DEMO_SERIALS.hugeId,
    'YS2015050500005',
    'WG2015050500005',
    'STATUS_PAID',
    [C],
    true,
    'orderGoodsId 9007199254740993 (2^53+1): parse losslessly',
  ),
  seedExample: demo(
    DEMO_SERIALS.seedExample,
    'YS1505070079148',
    'WG1505070079148',
    'STATUS_PAID',
    ['STATUS_IN_PROGRESS'],
    true,
    'voucher issuance stuck in progress',
  ),
  group1: demo(
    DEMO_SERIALS.group1,
    'YS2501010000201',
    'WG2501010000201',
    'STATUS_PAID',
    [C],
    true,
    'group order item 1',
  ),
  group2: demo(
    DEMO_SERIALS.group2,
    'YS2501010000202',
    'WG2501010000202',
    'STATUS_PAID',
    [C],
    true,
    'group order item 2',
  ),
  group3: demo(
    DEMO_SERIALS.group3,
    'YS2501010000203',
    'WG2501010000203',
    'STATUS_PAID',
    [C],
    true,
    'group order item 3',
  ),
  partialRefundRequested: demo(
    null,
    'VDK-000001',
    'WG2501019000001',
    'STATUS_PARTIAL_REFUND_REQUESTED',
    ['STATUS_REFUND_REQUESTED', C],
    true,
    'WAUG-only: one of two goods in refund',
  ),
  partialRefundCompleted: demo(
    null,
    'VDK-000002',
    'WG2501019000002',
    'STATUS_PARTIAL_REFUND_COMPLETED',
    ['STATUS_REFUND_COMPLETED', C],
    true,
    'WAUG-only: one of two goods refunded',
  ),
  waitingPayment: demo(
    null,
    'VDK-000003',
    'WG2501019000003',
    'STATUS_WAIT',
    ['STATUS_WAIT'],
    true,
    'WAUG-only: not paid',
  ),
  nanta: demo(
    null,
    'VDK-000004',
    'WG2501019000004',
    'STATUS_PAID',
    [C],
    false,
    'WAUG-only: non-refundable show ticket',
  ),
});
export type DemoWaugName = keyof typeof DEMO_WAUG;

/** The lossless-JSON trap of the hugeId demo order. */
export const HUGE_ORDER_GOODS_ID = '9007199254740993';

/** The Yahoo sandbox's vouchers for the default seed and count, as the WAUG seed reads them. */
export function defaultLinkedVouchers(
  nowMs: number,
  yahooSeed: number = YAHOO_DEFAULT_SEED,
  count: number = DEFAULT_VOUCHER_COUNT,
): LinkedVoucher[] {
  return seedVouchers(nowMs, count, yahooSeed);
}

type Target = 'confirmed' | 'stuck' | 'refund_requested' | 'refund_completed' | 'progressing' | 'wait';

const MINUTE = 60_000;
const DAY = 86_400_000;

function targetFor(status: VoucherStatus, rng: Prng): Target {
  switch (status) {
    case 'REFUNDPENDING':
      return 'refund_requested';
    case 'REFUNDED':
    case 'CANCELLED':
      return 'refund_completed';
    default:
      return rng.chance(0.03) ? 'stuck' : 'confirmed';
  }
}

/** A past timeline ending in `target`, every step at or before nowMs. */
function timeline(
  target: Target,
  startMs: number,
  nowMs: number,
  rng: Prng,
  appliedMs: number | null,
): TimelineEntry[] {
  const steps: TimelineEntry[] = [];
  const at = (status: WaugOrderGoodsStatus, ms: number): void => {
    const previous = steps[steps.length - 1]?.atMs ?? Number.NEGATIVE_INFINITY;
    steps.push({ status, atMs: Math.max(previous + 1000, Math.min(ms, nowMs - 1000)) });
  };
  if (target === 'wait') {
    at('STATUS_WAIT', startMs);
    return steps;
  }
  at('STATUS_PAID', startMs);
  at('STATUS_IN_PROGRESS', startMs + MINUTE);
  if (target === 'stuck') return steps;
  const confirmed = startMs + rng.int(2, 90) * MINUTE;
  at('STATUS_CONFIRMED', confirmed);
  if (target === 'confirmed') return steps;
  const requested = Math.max(confirmed + MINUTE, appliedMs ?? confirmed + rng.int(1, 5) * DAY);
  at('STATUS_REFUND_REQUESTED', requested);
  if (target === 'refund_requested') return steps;
  at('STATUS_REFUND_COMPLETED', requested + rng.int(1, 3) * DAY);
  return steps;
}

export interface SeedOptions {
  nowMs: number;
  seed: number;
  goods: readonly SandboxGoods[];
  linkedVouchers: readonly LinkedVoucher[];
  progression: Progression;
}

/** Builds the demo orders. Deterministic for (nowMs, seed, goods, linkedVouchers). */
export function seedOrders(options: SeedOptions): SandboxOrder[] {
  const { nowMs, goods } = options;
  const rng = createPrng(options.seed);
  const goodsById = new Map(goods.map((g) => [g.goodsId, g]));
  const goodsForProduct = new Map<string, SandboxGoods>();
  for (const g of goods) for (const p of g.yahooProductIds) goodsForProduct.set(p, g);
  const fallback = goods.find((g) => g.countryCode === 'TW' && g.refundable) as SandboxGoods;
  const demoByPartner = new Map<string, [DemoWaugName, DemoWaugOrder]>(
    (Object.entries(DEMO_WAUG) as [DemoWaugName, DemoWaugOrder][]).map(([name, d]) => [
      d.partnerOrderNumber,
      [name, d],
    ]),
  );
  const fulfilled = new Set<string>(WAUG_FULFILLED_YAHOO_PRODUCTS);
  const orderNumbers = new Set<string>(Object.values(DEMO_WAUG).map((d) => d.orderNumber));
  let nextGoodsId = 3_100_000;
  const out: SandboxOrder[] = [];

  const line = (
    g: SandboxGoods,
    itemIndex: number,
    quantity: number,
    useDate: string,
    steps: TimelineEntry[],
    orderGoodsId?: string,
  ): SandboxOrder['orderGoods'][number] => {
    const option = g.options[0] as SandboxGoods['options'][number];
    const item = option.items[Math.min(itemIndex, option.items.length - 1)] as (typeof option.items)[number];
    const slot = option.timeslots[0];
    const id = orderGoodsId ?? String(nextGoodsId++);
    return {
      orderGoodsId: id,
      goodsId: g.goodsId,
      goodsName: g.goodsName,
      useDate,
      refundable: g.refundable,
      options: [
        {
          goodsOptionId: option.goodsOptionId,
          goodsOptionName: option.goodsOptionName,
          goodsOptionItemId: item.goodsOptionItemId,
          goodsOptionItemName: item.goodsOptionItemName,
          goodsOptionTimeslotId: slot?.goodsOptionTimeslotId ?? null,
          quantity,
          price: String(item.basePrice),
        },
      ],
      totalPrice: String(item.basePrice * quantity),
      timeline: steps,
      voucherNumber: `WV${id}`,
    };
  };
  const order = (
    orderNumber: string,
    partnerOrderNumber: string | null,
    orderedAtMs: number,
    lines: SandboxOrder['orderGoods'],
  ): SandboxOrder => ({
    orderNumber,
    partnerOrderNumber,
    orderedAtMs,
    currency: goodsById.get(lines[0]?.goodsId ?? '')?.currency ?? 'TWD',
    totalPrice: String(lines.reduce((sum, l) => sum + Number(l.totalPrice), 0)),
    orderGoods: lines,
    refundReasons: [],
  });
  const useDateAfter = (ms: number): string => waugDayOf(ms + rng.int(1, 20) * DAY);

  for (const voucher of options.linkedVouchers) {
    if (voucher.orderItemId === null) continue;
    const known = demoByPartner.get(voucher.orderItemId);
    if (known === undefined && !fulfilled.has(voucher.productId)) continue;
    const g = goodsForProduct.get(voucher.productId) ?? fallback;
    const createdMs = Date.parse(voucher.createdTime);
    const orderedAtMs = Math.min(createdMs + rng.int(1, 30) * MINUTE, nowMs - MINUTE);
    const appliedMs = voucher.statusAppliedTime === null ? null : Date.parse(voucher.statusAppliedTime);
    const itemIndex = Math.max(0, Number(voucher.specId) - 1);
    const useDate = useDateAfter(createdMs);

    if (known !== undefined) {
      const [name, d] = known;
      let target: Target = d.goodsStatuses[0] === 'STATUS_CONFIRMED' ? 'confirmed' : 'stuck';
      if (d.goodsStatuses[0] === 'STATUS_REFUND_REQUESTED') target = 'refund_requested';
      if (d.goodsStatuses[0] === 'STATUS_REFUND_COMPLETED') target = 'refund_completed';
      if (name === 'unusedC') {
        // Ordered "just now": the goods moves on as the sandbox clock runs.
        const start = nowMs;
        out.push(
          order(d.orderNumber, d.partnerOrderNumber, start, [
            line(g, itemIndex, 1, waugDayOf(nowMs + 7 * DAY), progressingTimeline(start, options.progression)),
          ]),
        );
        continue;
      }
      const steps = timeline(target, orderedAtMs, nowMs, rng, appliedMs);
      const lines = [line(g, itemIndex, 1, useDate, steps, name === 'hugeId' ? HUGE_ORDER_GOODS_ID : undefined)];
      if (name === 'unusedB') {
        const sim = goodsById.get(NON_REFUNDABLE_ADDON_GOODS_ID) as SandboxGoods;
        lines.push(line(sim, 0, 1, useDate, timeline('confirmed', orderedAtMs, nowMs, rng, null)));
      }
      out.push(order(d.orderNumber, d.partnerOrderNumber, orderedAtMs, lines));
      continue;
    }

    const target = targetFor(voucher.status, rng);
    const lines = [
      line(g, itemIndex, rng.chance(0.2) ? 2 : 1, useDate, timeline(target, orderedAtMs, nowMs, rng, appliedMs)),
    ];
    // Some travellers add a SIM card (non-refundable) to a ticket that was never refunded.
    if ((voucher.status === 'UNUSED' || voucher.status === 'USED') && rng.chance(0.1)) {
      const sim = goodsById.get(NON_REFUNDABLE_ADDON_GOODS_ID) as SandboxGoods;
      lines.push(line(sim, rng.int(0, 1), 1, useDate, timeline(target, orderedAtMs, nowMs, rng, null)));
    }
    const day = DateTime.fromMillis(orderedAtMs, { zone: WAUG_TIME_ZONE }).toFormat('yyMMdd');
    let orderNumber: string;
    do orderNumber = `WG${day}${rng.digits(7)}`;
    while (orderNumbers.has(orderNumber));
    orderNumbers.add(orderNumber);
    out.push(order(orderNumber, voucher.orderItemId, orderedAtMs, lines));
  }

  // WAUG-only orders (Korean goods) for the statuses Yahoo links never reach.
  const korean = (id: string): SandboxGoods => goodsById.get(id) as SandboxGoods;
  const ago = (days: number): number => nowMs - days * DAY - rng.int(0, 600) * MINUTE;
  const t1 = ago(20);
  out.push(
    order(DEMO_WAUG.partialRefundRequested.orderNumber, DEMO_WAUG.partialRefundRequested.partnerOrderNumber, t1, [
      line(
        korean(KOREAN_GOODS_IDS.lotteWorld),
        0,
        2,
        useDateAfter(t1),
        timeline('refund_requested', t1, nowMs, rng, null),
      ),
      line(korean(KOREAN_GOODS_IDS.nSeoulTower), 0, 2, useDateAfter(t1), timeline('confirmed', t1, nowMs, rng, null)),
    ]),
  );
  const t2 = ago(30);
  out.push(
    order(DEMO_WAUG.partialRefundCompleted.orderNumber, DEMO_WAUG.partialRefundCompleted.partnerOrderNumber, t2, [
      line(
        korean(KOREAN_GOODS_IDS.everland),
        0,
        1,
        useDateAfter(t2),
        timeline('refund_completed', t2, nowMs, rng, null),
      ),
      line(korean(KOREAN_GOODS_IDS.hanbok), 1, 1, useDateAfter(t2), timeline('confirmed', t2, nowMs, rng, null)),
    ]),
  );
  const t3 = ago(1);
  out.push(
    order(DEMO_WAUG.waitingPayment.orderNumber, DEMO_WAUG.waitingPayment.partnerOrderNumber, t3, [
      line(korean(KOREAN_GOODS_IDS.dmz), 0, 1, useDateAfter(t3), timeline('wait', t3, nowMs, rng, null)),
    ]),
  );
  const t4 = ago(5);
  out.push(
    order(DEMO_WAUG.nanta.orderNumber, DEMO_WAUG.nanta.partnerOrderNumber, t4, [
      line(korean(KOREAN_GOODS_IDS.nanta), 1, 2, useDateAfter(t4), timeline('confirmed', t4, nowMs, rng, null)),
    ]),
  );
  return out;
}

// ---- comments ----------------------------------------------------------------------------------

export interface SandboxComment {
  commentId: string;
  rating: number;
  content: string;
  nickname: string;
  createdAtMs: number;
}

const COMMENT_TEXTS = [
  '排隊很快，出示電子憑證就能入場。',
  '景色很美，推薦傍晚去。',
  '導遊很親切，行程安排得很好。',
  'Easy to redeem at the counter, no printing needed.',
  'Great value compared to buying at the gate.',
  '小孩很喜歡，下次還會再來。',
  'The voucher arrived within minutes.',
  '人有點多，但整體體驗不錯。',
  'Staff spoke English and Chinese. Smooth entry.',
  '當天下雨改期也很順利。',
];
const NICKNAMES = ['陳**', '林**', 'K***', 'Mi***', '黃**', 'J***', '張**', 'Yu***'];

/** Reviews of a goods: deterministic for the goods id, 3–40 of them, newest first. */
export function seedComments(goodsId: string, nowMs: number, seed: number): SandboxComment[] {
  const rng = createPrng((seed ^ Number(goodsId)) >>> 0);
  const count = rng.int(3, 40);
  const comments: SandboxComment[] = [];
  for (let i = 0; i < count; i += 1) {
    comments.push({
      commentId: String(Number(goodsId) * 1000 + i + 1),
      rating: rng.pick([3, 4, 4, 5, 5, 5]),
      content: rng.pick(COMMENT_TEXTS),
      nickname: rng.pick(NICKNAMES),
      createdAtMs: nowMs - rng.int(1, 400) * DAY,
    });
  }
  return comments.sort((a, b) => b.createdAtMs - a.createdAtMs);
}
