/**
 * The sandbox's vouchers: deterministic for a seed, with every time relative to the sandbox's
 * clock, so "UNUSED and valid for a month" stays true whenever the demo runs.
 */
import { DateTime } from 'luxon';
import type { Voucher, VoucherStatus } from '../../../../shared/domain/voucher.js';
import { YAHOO_TIME_ZONE } from '../../yahoo/queryTime.js';
import { createPrng } from './prng.js';

/** A voucher as the sandbox keeps it: the normalised Voucher plus the creation time Yahoo filters and sorts on. */
export interface SandboxVoucher extends Voucher {
  /** ISO-8601 UTC. Not in Yahoo's voucher object; used by createdTimeStart/End and sort=createdTime. */
  createdTime: string;
}

/** Well-known serials for demos and tests. Stable across seeds and voucher counts. */
export const DEMO_SERIALS = Object.freeze({
  /** UNUSED, valid for months. */
  unusedA: '8801000001',
  unusedB: '8801000002',
  unusedC: '8801000003',
  /** Three UNUSED vouchers of one order (DEMO_ORDERS.group), for batch redemption. */
  group1: '8801000011',
  group2: '8801000012',
  group3: '8801000013',
  /** The seed document's example: voucherId 18446744073709551615 (2^64−1), UNUSED, valid into the future. */
  hugeId: '615089255',
  /** The seed document's test serial (orderId YM1505070079148), UNUSED. */
  seedExample: 'YTWPS00001ABCDE',
  used: '8801000004',
  refundPending: '8801000005',
  refunded: '8801000006',
  cancelled: '8801000007',
  /** UNUSED but its expireTime has passed. */
  expired: '8801000008',
});
export type DemoSerialName = keyof typeof DEMO_SERIALS;

/** Orders behind DEMO_SERIALS that tests and demos refer to. */
export const DEMO_ORDERS = Object.freeze({
  hugeId: 'YM2015050500005',
  seedExample: 'YM1505070079148',
  group: 'YM2501010000200',
});

/** Fixed order and order item ids of the seeded demo vouchers, kept out of the random pool. */
const DEMO_ORDER_IDS = Array.from({ length: 8 }, (_, i) => `YM25010100001${String(i + 1).padStart(2, '0')}`);
const DEMO_ORDER_ITEM_IDS = [
  'YS2015050500005',
  'YS1505070079148',
  ...Array.from({ length: 8 }, (_, i) => `YS25010100001${String(i + 1).padStart(2, '0')}`),
  ...[1, 2, 3].map((i) => `YS250101000020${i}`),
];

export const HUGE_VOUCHER_ID = '18446744073709551615';

export const DEFAULT_SEED = 20150505;
export const DEFAULT_VOUCHER_COUNT = 2400;

export interface SandboxProduct {
  productId: string;
  title: string;
  redemptionDesc: string;
  price: number;
  specs: readonly string[];
}

export const SANDBOX_PRODUCTS: readonly SandboxProduct[] = [
  {
    productId: 'p093568055654',
    title: '台北101觀景台 全票',
    redemptionDesc: '請於89樓售票口出示序號兌換入場券，限當日使用一次。',
    price: 600,
    specs: ['1', '2'],
  },
  {
    productId: 'p100200300401',
    title: '國立故宮博物院 一般門票',
    redemptionDesc: '憑序號至正館售票處換票，週一照常開放。',
    price: 350,
    specs: ['1'],
  },
  {
    productId: 'p100200300402',
    title: '日月潭遊湖船票 來回',
    redemptionDesc: '於水社碼頭服務台出示序號，兌換當日船票。',
    price: 300,
    specs: ['1', '2'],
  },
  {
    productId: 'p100200300403',
    title: '阿里山森林鐵路 祝山線單程',
    redemptionDesc: '開車前30分鐘至阿里山車站窗口兌換，座位依現場為準。',
    price: 150,
    specs: ['1'],
  },
  {
    productId: 'p100200300404',
    title: '六福村主題遊樂園 一日券',
    redemptionDesc: '園區大門售票口出示序號換票，颱風停園可延期。',
    price: 899,
    specs: ['1', '2', '3'],
  },
  {
    productId: 'p100200300405',
    title: '國立海洋生物博物館 全票',
    redemptionDesc: '墾丁海生館售票處兌換，含珊瑚王國館與世界水域館。',
    price: 450,
    specs: ['1'],
  },
  {
    productId: 'p100200300406',
    title: '鼎泰豐 小籠包套餐兌換券',
    redemptionDesc: '限信義店、101店使用，不得與其他優惠併用。',
    price: 520,
    specs: ['1'],
  },
  {
    productId: 'p100200300407',
    title: '饒河夜市 美食兌換券 200元',
    redemptionDesc: '於合作攤商出示序號折抵消費，不找零。',
    price: 200,
    specs: ['1'],
  },
  {
    productId: 'p100200300408',
    title: '北投溫泉 湯屋90分鐘 雙人',
    redemptionDesc: '請提前一日電話預約，入住時出示序號。',
    price: 1280,
    specs: ['1', '2'],
  },
  {
    productId: 'p100200300409',
    title: '貓空纜車 一日票',
    redemptionDesc: '動物園站售票口兌換，當日不限次數搭乘。',
    price: 240,
    specs: ['1'],
  },
  {
    productId: 'p100200300410',
    title: '九份老街 阿柑姨芋圓兌換券',
    redemptionDesc: '現場出示序號，可兌換芋圓綜合一碗。',
    price: 80,
    specs: ['1'],
  },
  {
    productId: 'p100200300411',
    title: '野柳地質公園 門票',
    redemptionDesc: '售票口出示序號換票，女王頭排隊請依現場指示。',
    price: 120,
    specs: ['1'],
  },
  {
    productId: 'p100200300412',
    title: '淡水漁人碼頭 藍色公路船票',
    redemptionDesc: '淡水碼頭售票亭兌換，航班依天候調整。',
    price: 280,
    specs: ['1', '2'],
  },
  {
    productId: 'p100200300413',
    title: '義大遊樂世界 一日護照',
    redemptionDesc: '大門票口兌換，含園區全部設施。',
    price: 899,
    specs: ['1', '2'],
  },
  {
    productId: 'p100200300414',
    title: '劍湖山世界 全票',
    redemptionDesc: '出示序號與身分證件換票，限本人使用。',
    price: 799,
    specs: ['1'],
  },
  {
    productId: 'p100200300415',
    title: '春水堂 珍珠奶茶兌換券',
    redemptionDesc: '全台門市適用，大杯需補差額。',
    price: 90,
    specs: ['1'],
  },
  {
    productId: 'p100200300416',
    title: '花蓮太魯閣 一日遊 含午餐',
    redemptionDesc: '出發前一日18:00前來電確認集合地點。',
    price: 1650,
    specs: ['1', '2'],
  },
  {
    productId: 'p100200300417',
    title: '台中國家歌劇院 建築導覽',
    redemptionDesc: '導覽開始前15分鐘至1樓服務台報到。',
    price: 250,
    specs: ['1'],
  },
  {
    productId: 'p100200300418',
    title: '高雄駁二 特展門票',
    redemptionDesc: '展場入口出示序號掃碼入場。',
    price: 320,
    specs: ['1'],
  },
  {
    productId: 'p100200300419',
    title: '鬍鬚張 魯肉飯套餐券',
    redemptionDesc: '全台門市內用外帶皆可，限兌換一份。',
    price: 150,
    specs: ['1'],
  },
];

const SURNAMES = [
  '陳',
  '林',
  '黃',
  '張',
  '李',
  '王',
  '吳',
  '劉',
  '蔡',
  '楊',
  '許',
  '鄭',
  '謝',
  '洪',
  '郭',
  '邱',
  '曾',
  '廖',
  '賴',
  '徐',
  '周',
  '葉',
  '蘇',
  '莊',
  '呂',
  '江',
  '何',
  '蕭',
  '羅',
  '高',
];
const GIVEN_NAMES = [
  '怡君',
  '雅婷',
  '志明',
  '家豪',
  '淑芬',
  '俊傑',
  '宜蓁',
  '冠宇',
  '佳穎',
  '承翰',
  '詩涵',
  '宗翰',
  '欣怡',
  '建宏',
  '美玲',
  '于慧',
  '柏宇',
  '思妤',
  '彥廷',
  '郁婷',
  '子晴',
  '品妍',
  '文雄',
  '秀英',
  '信宏',
];
const REFUND_TYPES = ['NOEXPIRES', 'EXPIRES'];
const REDEMPTION_TYPES = ['EXPIRES', 'NOEXPIRES'];
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const SYSTEM_EXECUTOR = 'system:VoucherOrderConsumerApp';

const DAY_S = 86_400;

function isoSeconds(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

function taipeiYyMmDd(unixSeconds: number): string {
  return DateTime.fromSeconds(unixSeconds, { zone: YAHOO_TIME_ZONE }).toFormat('yyMMdd');
}

class Uniques {
  readonly #seen = new Set<string>();
  constructor(initial: Iterable<string> = []) {
    for (const value of initial) this.#seen.add(value);
  }
  take(make: () => string): string {
    for (;;) {
      const value = make();
      if (!this.#seen.has(value)) {
        this.#seen.add(value);
        return value;
      }
    }
  }
}

interface Plan {
  serialNumber?: string;
  voucherId?: string;
  orderId?: string;
  orderItemId?: string;
  product?: SandboxProduct;
  status: VoucherStatus;
  expired?: boolean;
  buyer?: { name: string; phone: string };
}

/** Builds `count` vouchers (at least the fixed demo ones) for a sandbox whose clock reads nowMs. */
export function seedVouchers(
  nowMs: number,
  count: number = DEFAULT_VOUCHER_COUNT,
  seed: number = DEFAULT_SEED,
): SandboxVoucher[] {
  const rng = createPrng(seed);
  const now = Math.floor(nowMs / 1000);
  const serials = new Uniques(Object.values(DEMO_SERIALS));
  const voucherIds = new Uniques([HUGE_VOUCHER_ID]);
  const orderIds = new Uniques([...Object.values(DEMO_ORDERS), ...DEMO_ORDER_IDS]);
  const orderItemIds = new Uniques(DEMO_ORDER_ITEM_IDS);
  const out: SandboxVoucher[] = [];

  const make = (plan: Plan, createdAt: number): SandboxVoucher => {
    const product = plan.product ?? rng.pick(SANDBOX_PRODUCTS);
    const delivered = createdAt + rng.int(30, 1800);
    let expire: number;
    if (plan.status === 'UNUSED') {
      expire = plan.expired ? now - rng.int(1, 30) * DAY_S : now + rng.int(30, 365) * DAY_S;
    } else {
      expire = createdAt + rng.int(90, 365) * DAY_S;
    }
    let applied = delivered;
    let executedBy = SYSTEM_EXECUTOR;
    if (plan.status !== 'UNUSED') {
      const latest = Math.max(delivered + 60, Math.min(now - 60, expire));
      applied = rng.int(delivered + 60, latest);
      if (plan.status === 'USED')
        executedBy = `partner:${rng.pick(['247c4a4244eaf481d39ed035', 'store-front-desk', 'kiosk-02'])}`;
    }
    const buyer = plan.buyer ?? { name: rng.pick(SURNAMES) + rng.pick(GIVEN_NAMES), phone: `09${rng.digits(8)}` };
    const day = taipeiYyMmDd(createdAt);
    const orderId = plan.orderId ?? orderIds.take(() => `YM${day}${rng.digits(7)}`);
    return {
      voucherId: plan.voucherId ?? voucherIds.take(() => String(rng.int(1_000_000, 9_999_999)) + rng.digits(3)),
      productId: product.productId,
      specId: rng.pick(product.specs),
      price: String(product.price),
      serialNumber:
        plan.serialNumber ??
        serials.take(() =>
          rng.chance(0.7)
            ? `${rng.int(1, 9)}${rng.digits(11)}`
            : `YTW${rng.pick([...LETTERS])}${rng.pick([...LETTERS])}${rng.digits(5)}${Array.from({ length: 5 }, () => rng.pick([...LETTERS])).join('')}`,
        ),
      orderId,
      orderItemId: plan.orderItemId ?? orderItemIds.take(() => `YS${day}${rng.digits(7)}`),
      title: product.title,
      redemptionDesc: product.redemptionDesc,
      buyerDetails: buyer,
      executedBy,
      status: plan.status,
      refundType: rng.pick(REFUND_TYPES),
      redemptionType: rng.pick(REDEMPTION_TYPES),
      statusAppliedTime: isoSeconds(applied),
      deliveredTime: isoSeconds(delivered),
      expireTime: isoSeconds(expire),
      startTime: isoSeconds(createdAt),
      createdTime: isoSeconds(createdAt),
    };
  };
  const recent = (): number => now - rng.int(1, 60) * DAY_S - rng.int(0, DAY_S - 1);

  // The seed document's own examples first.
  const product0 = SANDBOX_PRODUCTS[0] as SandboxProduct;
  out.push(
    make(
      {
        serialNumber: DEMO_SERIALS.hugeId,
        voucherId: HUGE_VOUCHER_ID,
        orderId: 'YM2015050500005',
        orderItemId: 'YS2015050500005',
        product: { ...product0, price: 200, specs: ['1'] },
        status: 'UNUSED',
        buyer: { name: '楊于慧', phone: '0912063990' },
      },
      recent(),
    ),
    make(
      {
        serialNumber: DEMO_SERIALS.seedExample,
        orderId: 'YM1505070079148',
        orderItemId: 'YS1505070079148',
        status: 'UNUSED',
      },
      recent(),
    ),
  );
  const demo: [DemoSerialName, VoucherStatus, boolean][] = [
    ['unusedA', 'UNUSED', false],
    ['unusedB', 'UNUSED', false],
    ['unusedC', 'UNUSED', false],
    ['used', 'USED', false],
    ['refundPending', 'REFUNDPENDING', false],
    ['refunded', 'REFUNDED', false],
    ['cancelled', 'CANCELLED', false],
    ['expired', 'UNUSED', true],
  ];
  demo.forEach(([name, status, expired], index) => {
    const n = String(index + 1).padStart(2, '0');
    const createdAt = expired ? now - 200 * DAY_S : recent();
    out.push(
      make(
        {
          serialNumber: DEMO_SERIALS[name],
          orderId: `YM25010100001${n}`,
          orderItemId: `YS25010100001${n}`,
          status,
          expired,
        },
        createdAt,
      ),
    );
  });
  const groupCreated = recent();
  const groupProduct = SANDBOX_PRODUCTS[4] as SandboxProduct;
  const groupBuyer = { name: '陳怡君', phone: '0922333444' };
  (['group1', 'group2', 'group3'] as const).forEach((name, index) => {
    const plan: Plan = {
      serialNumber: DEMO_SERIALS[name],
      orderId: DEMO_ORDERS.group,
      orderItemId: `YS250101000020${index + 1}`,
      product: groupProduct,
      status: 'UNUSED',
      buyer: groupBuyer,
    };
    out.push(make(plan, groupCreated));
  });

  // Then random orders of 1–4 items until `count`, across every status.
  while (out.length < count) {
    const createdAt = now - rng.int(1, 240) * DAY_S - rng.int(0, DAY_S - 1);
    const day = taipeiYyMmDd(createdAt);
    const orderId = orderIds.take(() => `YM${day}${rng.digits(7)}`);
    const product = rng.pick(SANDBOX_PRODUCTS);
    const buyer = { name: rng.pick(SURNAMES) + rng.pick(GIVEN_NAMES), phone: `09${rng.digits(8)}` };
    const items = Math.min(rng.int(1, 4), count - out.length);
    for (let i = 0; i < items; i += 1) {
      const roll = rng.next();
      const status: VoucherStatus =
        roll < 0.5
          ? 'UNUSED'
          : roll < 0.75
            ? 'USED'
            : roll < 0.83
              ? 'REFUNDPENDING'
              : roll < 0.91
                ? 'REFUNDED'
                : 'CANCELLED';
      out.push(make({ orderId, product, status, buyer, expired: status === 'UNUSED' && rng.chance(0.12) }, createdAt));
    }
  }
  return out;
}
