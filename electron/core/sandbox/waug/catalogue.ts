/**
 * The WAUG sandbox's goods: Taiwan activities that fulfil the Yahoo sandbox's products (mapped by
 * Yahoo productId, API-NOTES §3), Korean activities sold only on WAUG, and one non-refundable
 * add-on. Deterministic: ids are fixed; prices are by date (some weekdays closed = no price).
 */
import type { WaugFieldType, WaugInfoGroup } from '../../waug/constants.js';

export interface SandboxOrderInfoField {
  fieldId: string;
  fieldName: string;
  fieldExplain: string;
  fieldPlaceholder: string;
  /** Choices separated by WAUG_FIELD_OPTION_SEPARATOR, for radio/select/checkbox. */
  fieldOption: string;
  fieldType: WaugFieldType;
  required: boolean;
}

export interface SandboxOrderInfoGroup {
  groupCategory: WaugInfoGroup;
  fields: SandboxOrderInfoField[];
}

export interface SandboxOptionItem {
  goodsOptionItemId: string;
  goodsOptionItemName: string;
  /** Weekday unit price, integer in the goods' currency. Weekends add `weekendSurchargePercent`. */
  basePrice: number;
}

export interface SandboxOption {
  goodsOptionId: string;
  goodsOptionName: string;
  items: SandboxOptionItem[];
  timeslots: { goodsOptionTimeslotId: string; time: string }[];
}

export interface SandboxGoods {
  goodsId: string;
  goodsName: string;
  description: string;
  city: string;
  countryCode: 'TW' | 'KR';
  currency: 'TWD' | 'KRW';
  refundable: boolean;
  instantConfirmation: boolean;
  availableTime: string | null;
  notification: string | null;
  options: SandboxOption[];
  /** ISO weekdays (1 = Monday) without a price: not orderable on those days. */
  closedWeekdays: number[];
  weekendSurchargePercent: number;
  orderInfos: SandboxOrderInfoGroup[];
  /** Yahoo products this goods fulfils (API-NOTES §3 mapping). */
  yahooProductIds: string[];
  /** Sandbox clock ms of the last change (GOODS_UPDATE). */
  updatedAtMs: number;
}

const field = (
  fieldId: number,
  fieldType: WaugFieldType,
  fieldName: string,
  required = true,
  fieldOption = '',
  fieldExplain = '',
): SandboxOrderInfoField => ({
  fieldId: String(fieldId),
  fieldName,
  fieldExplain,
  fieldPlaceholder: '',
  fieldOption,
  fieldType,
  required,
});

/** [seed] The ORDER group of the seed example: passport name, mobile, email. */
const ORDER_CONTACT: SandboxOrderInfoGroup = {
  groupCategory: 'ORDER',
  fields: [
    field(4, 'engname', 'Name on the passport'),
    field(2, 'mobile', 'Mobile phone number'),
    field(8, 'email', 'email'),
    field(1, 'text_middle', 'Name in your language', false),
  ],
};

const INFO_KINDS = {
  ticket: [ORDER_CONTACT],
  food: [ORDER_CONTACT],
  tour: [
    ORDER_CONTACT,
    {
      groupCategory: 'GOODS',
      fields: [
        field(67, 'text', 'Hotel name', true, '', 'Please enter the hotel name'),
        field(68, 'time', 'Preferred pickup time', false),
        field(76, 'textarea', 'Special requests', false),
      ],
    },
    { groupCategory: 'EACH', fields: [field(5, 'engname', 'Traveller name'), field(9, 'birthdate', 'Date of birth')] },
  ],
  sim: [
    ORDER_CONTACT,
    {
      groupCategory: 'GOODS',
      fields: [
        field(70, 'text_short', 'Flight number'),
        field(71, 'date', 'Arrival date'),
        field(72, 'select', 'Pickup counter', true, 'Terminal 1|Terminal 2'),
      ],
    },
  ],
  show: [
    ORDER_CONTACT,
    { groupCategory: 'GOODS', fields: [field(73, 'radio', 'Seat area', true, 'Front|Middle|Back')] },
    { groupCategory: 'EACH', fields: [field(5, 'engname', 'Traveller name')] },
  ],
  hanbok: [
    ORDER_CONTACT,
    { groupCategory: 'GOODS', fields: [field(77, 'tel', 'Emergency contact number', false)] },
    {
      groupCategory: 'EACH',
      fields: [field(74, 'number', 'Height (cm)'), field(75, 'checkbox', 'Accessories', false, 'Hairpin|Bag|Shoes')],
    },
  ],
} satisfies Record<string, SandboxOrderInfoGroup[]>;
type InfoKind = keyof typeof INFO_KINDS;

interface GoodsRow {
  goodsId: number;
  name: string;
  city: string;
  country: 'TW' | 'KR';
  /** Option item names and weekday prices. */
  items: [string, number][];
  kind: InfoKind;
  refundable?: boolean;
  instant?: boolean;
  closed?: number[];
  timeslots?: string[];
  availableTime?: string;
  notification?: string;
  yahoo?: string[];
}

/** Goods ids follow the seed example's range (107278, 109329). */
const ROWS: GoodsRow[] = [
  {
    goodsId: 107278,
    name: '台北101觀景台門票 Taipei 101 Observatory Ticket',
    city: 'Taipei',
    country: 'TW',
    items: [
      ['全票 Adult', 600],
      ['優待票 Child', 540],
    ],
    kind: 'ticket',
    instant: true,
    availableTime: '10:00-21:00',
    yahoo: ['p093568055654'],
  },
  {
    goodsId: 107301,
    name: '國立故宮博物院門票 National Palace Museum Admission',
    city: 'Taipei',
    country: 'TW',
    items: [['一般門票 Admission', 350]],
    kind: 'ticket',
    closed: [1],
    availableTime: '09:00-17:00',
    yahoo: ['p100200300401'],
  },
  {
    goodsId: 107315,
    name: '日月潭遊湖船票 Sun Moon Lake Boat Pass',
    city: 'Nantou',
    country: 'TW',
    items: [['來回船票 Round trip', 300]],
    kind: 'ticket',
    instant: true,
    yahoo: ['p100200300402'],
  },
  {
    goodsId: 107322,
    name: '阿里山森林鐵路 祝山線 Alishan Forest Railway (Zhushan Line)',
    city: 'Chiayi',
    country: 'TW',
    items: [['單程 One way', 150]],
    kind: 'ticket',
    timeslots: ['04:30', '05:00', '05:30'],
    notification: '班次依日出時間調整 Departures follow the sunrise time.',
    yahoo: ['p100200300403'],
  },
  {
    goodsId: 107340,
    name: '六福村主題遊樂園 一日券 Leofoo Village Theme Park 1-Day Pass',
    city: 'Hsinchu',
    country: 'TW',
    items: [
      ['全票 Adult', 899],
      ['兒童票 Child', 799],
    ],
    kind: 'ticket',
    yahoo: ['p100200300404'],
  },
  {
    goodsId: 107366,
    name: '北投溫泉 湯屋90分鐘 Beitou Private Hot Spring (90 min, 2 pax)',
    city: 'Taipei',
    country: 'TW',
    items: [['雙人湯屋 Private room for 2', 1280]],
    kind: 'ticket',
    timeslots: ['10:00', '13:00', '16:00', '19:00'],
    yahoo: ['p100200300408'],
  },
  {
    goodsId: 107388,
    name: '貓空纜車 一日票 Maokong Gondola Day Pass',
    city: 'Taipei',
    country: 'TW',
    items: [['一日票 Day pass', 240]],
    kind: 'ticket',
    instant: true,
    closed: [1],
    yahoo: ['p100200300409'],
  },
  {
    goodsId: 107402,
    name: '花蓮太魯閣 一日遊 含午餐 Taroko Gorge Day Tour with Lunch',
    city: 'Hualien',
    country: 'TW',
    items: [
      ['成人 Adult', 1650],
      ['兒童 Child', 1450],
    ],
    kind: 'tour',
    availableTime: '08:00-17:30',
    notification: '颱風或落石封路時改期 Rescheduled when the road is closed.',
    yahoo: ['p100200300416'],
  },
  {
    goodsId: 107415,
    name: '鼎泰豐 小籠包套餐 Din Tai Fung Xiaolongbao Set',
    city: 'Taipei',
    country: 'TW',
    items: [['套餐 Set meal', 520]],
    kind: 'food',
    instant: true,
    yahoo: ['p100200300406'],
  },
  {
    goodsId: 109329,
    name: '台灣4G上網卡 機場取件（不可退款） Taiwan 4G SIM Card, Airport Pickup (non-refundable)',
    city: 'Taoyuan',
    country: 'TW',
    items: [
      ['5日吃到飽 5 days unlimited', 300],
      ['10日吃到飽 10 days unlimited', 500],
    ],
    kind: 'sim',
    refundable: false,
    instant: true,
    notification: 'SIM cards cannot be refunded once the order is placed.',
  },
  {
    goodsId: 110021,
    name: '樂天世界 一日券 Lotte World 1-Day Pass',
    city: 'Seoul',
    country: 'KR',
    items: [
      ['成人 Adult', 62000],
      ['青少年 Youth', 54000],
    ],
    kind: 'ticket',
    instant: true,
  },
  {
    goodsId: 110034,
    name: '愛寶樂園 一日券 Everland 1-Day Pass',
    city: 'Yongin',
    country: 'KR',
    items: [['成人 Adult', 68000]],
    kind: 'ticket',
  },
  {
    goodsId: 110057,
    name: '亂打秀 明洞劇場 NANTA Show, Myeongdong Theater',
    city: 'Seoul',
    country: 'KR',
    items: [
      ['S席 S seat', 60000],
      ['R席 R seat', 70000],
    ],
    kind: 'show',
    refundable: false,
    timeslots: ['17:00', '20:00'],
    closed: [1],
    notification: 'Non-refundable after booking.',
  },
  {
    goodsId: 110063,
    name: 'N首爾塔 展望台 N Seoul Tower Observatory',
    city: 'Seoul',
    country: 'KR',
    items: [['成人 Adult', 21000]],
    kind: 'ticket',
    instant: true,
  },
  {
    goodsId: 110078,
    name: 'DMZ 非武裝地帶 半日遊 DMZ Half-Day Tour',
    city: 'Paju',
    country: 'KR',
    items: [['成人 Adult', 55000]],
    kind: 'tour',
    closed: [1],
    notification: 'Bring your passport: it is checked at the JSA checkpoint.',
  },
  {
    goodsId: 110092,
    name: '景福宮 韓服體驗 Gyeongbokgung Hanbok Rental (4 h)',
    city: 'Seoul',
    country: 'KR',
    items: [
      ['傳統韓服 Traditional', 15000],
      ['高級韓服 Premium', 30000],
    ],
    kind: 'hanbok',
    timeslots: ['09:00', '11:00', '13:00', '15:00'],
  },
  {
    goodsId: 110105,
    name: '濟州牛島 電動自行車 Jeju Udo Island E-Bike Rental',
    city: 'Jeju',
    country: 'KR',
    items: [['2小時 2 hours', 20000]],
    kind: 'ticket',
  },
  // The rest of the Yahoo sandbox's products, so that every linked voucher finds its goods.
  ...(
    [
      [
        107431,
        '國立海洋生物博物館 門票 National Museum of Marine Biology & Aquarium',
        'Pingtung',
        450,
        'p100200300405',
      ],
      [107433, '饒河夜市 美食券 Raohe Night Market Food Voucher (NT$200)', 'Taipei', 200, 'p100200300407'],
      [107435, '九份 阿柑姨芋圓 Jiufen Grandma Lai Taro Balls', 'New Taipei', 80, 'p100200300410'],
      [107437, '野柳地質公園 門票 Yehliu Geopark Admission', 'New Taipei', 120, 'p100200300411'],
      [107439, '淡水 藍色公路船票 Tamsui Blue Highway Ferry', 'New Taipei', 280, 'p100200300412'],
      [107441, '義大遊樂世界 一日護照 E-DA Theme Park 1-Day Pass', 'Kaohsiung', 899, 'p100200300413'],
      [107443, '劍湖山世界 全票 Janfusun Fancyworld Admission', 'Yunlin', 799, 'p100200300414'],
      [107445, '春水堂 珍珠奶茶 Chun Shui Tang Bubble Milk Tea', 'Taichung', 90, 'p100200300415'],
      [107447, '台中國家歌劇院 建築導覽 National Taichung Theater Architecture Tour', 'Taichung', 250, 'p100200300417'],
      [107449, '高雄駁二 特展門票 Pier-2 Art Center Exhibition Ticket', 'Kaohsiung', 320, 'p100200300418'],
      [107451, '鬍鬚張 魯肉飯套餐 Formosa Chang Braised Pork Rice Set', 'Taipei', 150, 'p100200300419'],
    ] as const
  ).map(([goodsId, name, city, price, yahoo]): GoodsRow => ({
    goodsId,
    name,
    city,
    country: 'TW',
    items: [['單張 Single', price]],
    kind: 'ticket',
    instant: true,
    yahoo: [yahoo],
  })),
];

/** The non-refundable add-on used by some linked orders (and by DEMO_WAUG.unusedB). */
export const NON_REFUNDABLE_ADDON_GOODS_ID = '109329';
/** A refundable Korean goods and the non-refundable show, for WAUG-only orders and tests. */
export const KOREAN_GOODS_IDS = Object.freeze({
  lotteWorld: '110021',
  everland: '110034',
  nanta: '110057',
  nSeoulTower: '110063',
  dmz: '110078',
  hanbok: '110092',
  udo: '110105',
});

/** Builds a fresh catalogue (mutable copies) stamped with the sandbox clock. */
export function buildCatalogue(nowMs: number): SandboxGoods[] {
  return ROWS.map((row, index) => {
    const optionId = 28_900 + index * 10;
    const items = row.items.map(([name, price], i) => ({
      goodsOptionItemId: String(61_800 + index * 10 + i),
      goodsOptionItemName: name,
      basePrice: price,
    }));
    const timeslots = (row.timeslots ?? []).map((time, i) => ({
      goodsOptionTimeslotId: String(500 + index * 10 + i),
      time,
    }));
    const zh = row.name.split(' ')[0] ?? row.name;
    return {
      goodsId: String(row.goodsId),
      goodsName: row.name,
      description: `${zh}：由 WAUG 合作夥伴提供，請於使用日出示電子憑證。 Show the e-voucher on the day of use.`,
      city: row.city,
      countryCode: row.country,
      currency: row.country === 'TW' ? 'TWD' : 'KRW',
      refundable: row.refundable ?? true,
      instantConfirmation: row.instant ?? false,
      availableTime: row.availableTime ?? null,
      notification: row.notification ?? null,
      options: [
        {
          goodsOptionId: String(optionId),
          goodsOptionName: row.country === 'TW' ? '票種 Ticket type' : '選項 Option',
          items,
          timeslots,
        },
      ],
      closedWeekdays: row.closed ?? [],
      weekendSurchargePercent: row.country === 'KR' ? 10 : 0,
      orderInfos: structuredClone(INFO_KINDS[row.kind]),
      yahooProductIds: row.yahoo ?? [],
      updatedAtMs: nowMs - (index + 1) * 3_600_000,
    };
  });
}
