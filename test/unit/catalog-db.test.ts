/**
 * The WAUG catalog cache (migration 0070, db/catalog.ts): a goods written whole and read back,
 * the list's filters, fromPrice counted from today on (numerically, as decimal text), the read
 * marks of price days, removal of goods WAUG no longer lists (with all they own), and comment
 * nicknames masked in the view.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { toGoodsDetailView } from '../../electron/core/catalog/view.js';
import { catalogOf, daysOf, type CatalogFilter, type GoodsWrite } from '../../electron/core/db/catalog.js';
import type { WaugGoods, WaugOrderInfoGroup, WaugPrice } from '../../electron/core/waug/api.js';
import { createTestDb } from '../helpers/db.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function setup() {
  const test = createTestDb();
  cleanups.push(() => test.close());
  return { db: test.db, catalog: catalogOf(test.db) };
}

function goods(overrides: Partial<WaugGoods> = {}): WaugGoods {
  return {
    goodsId: '107278',
    goodsName: 'Taipei 101 Observatory',
    city: 'Taipei',
    countryCode: 'TW',
    currency: 'TWD',
    refundable: true,
    updatedAt: '2025-05-30T01:00:00.000Z',
    description: 'Floor 89',
    availableTime: '09:00-22:00',
    notification: null,
    instantConfirmation: true,
    options: [
      {
        goodsOptionId: '1',
        goodsOptionName: 'Ticket',
        items: [
          { goodsOptionItemId: '11', goodsOptionItemName: 'Adult' },
          { goodsOptionItemId: '12', goodsOptionItemName: 'Child' },
        ],
        timeslots: [{ goodsOptionTimeslotId: '5', time: '10:00' }],
      },
    ],
    ...overrides,
  };
}

const INFOS: WaugOrderInfoGroup[] = [
  {
    groupCategory: 'ORDER',
    fields: [
      {
        fieldId: 'f1',
        fieldName: 'Email',
        fieldExplain: null,
        fieldPlaceholder: 'a@b.c',
        fieldType: 'email',
        choices: [],
        required: true,
      },
    ],
  },
  {
    groupCategory: 'EACH',
    fields: [
      {
        fieldId: 'f2',
        fieldName: 'Passport name',
        fieldExplain: 'As on the passport',
        fieldPlaceholder: null,
        fieldType: 'engname',
        choices: [],
        required: true,
      },
    ],
  },
];

const price = (date: string, item: string, amount: string): WaugPrice => ({
  date,
  goodsOptionId: '1',
  goodsOptionItemId: item,
  price: amount,
  currency: 'TWD',
});

function write(overrides: Partial<GoodsWrite> = {}): GoodsWrite {
  return {
    goods: goods(),
    orderInfos: INFOS,
    prices: [price('2025-06-01', '11', '540'), price('2025-06-01', '12', '270'), price('2025-06-02', '11', '600')],
    range: { startDate: '2025-06-01', endDate: '2025-06-03' },
    comments: {
      count: 42,
      items: [
        { commentId: '9', rating: 5, content: 'Great view', nickname: '王小明', createdAt: '2025-05-01T00:00:00.000Z' },
      ],
    },
    syncedAt: '2025-06-01T02:00:00.000Z',
    ...overrides,
  };
}

const ALL: CatalogFilter = { query: '', refundableOnly: false, instantOnly: false, limit: 500 };

describe('a goods written whole', () => {
  it('reads back detail, options, order infos in order, comments and the read time', () => {
    const { catalog } = setup();
    catalog.save(write());
    const cached = catalog.get('107278')!;
    expect(cached.goods).toEqual(goods());
    expect(cached.orderInfos).toEqual(INFOS);
    expect(cached.comments.count).toBe(42);
    expect(cached.comments.items[0]).toMatchObject({ content: 'Great view', nickname: '王小明' });
    expect(cached.syncedAt).toBe('2025-06-01T02:00:00.000Z');
    expect(catalog.get('1')).toBeNull();
  });

  it('replaces order infos and prices on a re-read, and keeps the comments when they were not read', () => {
    const { catalog } = setup();
    catalog.save(write());
    catalog.save(
      write({
        goods: goods({ goodsName: 'Taipei 101 (renamed)' }),
        orderInfos: [INFOS[1]!],
        prices: [price('2025-06-01', '11', '999')],
        range: { startDate: '2025-06-01', endDate: '2025-06-01' },
        comments: null,
        syncedAt: '2025-06-01T05:00:00.000Z',
      }),
    );
    const cached = catalog.get('107278')!;
    expect(cached.goods.goodsName).toBe('Taipei 101 (renamed)');
    expect(cached.orderInfos.map((g) => g.groupCategory)).toEqual(['EACH']);
    expect(cached.comments.items).toHaveLength(1);
    // 06-01 was read again: only the new price; 06-02 was not: its old price stays.
    const prices = catalog.prices('107278', { startDate: '2025-06-01', endDate: '2025-06-02' });
    expect(prices.prices.map((p) => [p.date, p.goodsOptionItemId, p.price])).toEqual([
      ['2025-06-01', '11', '999'],
      ['2025-06-02', '11', '600'],
    ]);
    expect(prices.syncedAt).toBe('2025-06-01T02:00:00.000Z'); // the oldest read of the range
  });
});

describe('price days', () => {
  it('tells a read day without a price (not orderable) from a day never read', () => {
    const { catalog } = setup();
    catalog.save(write());
    const read = catalog.prices('107278', { startDate: '2025-06-03', endDate: '2025-06-03' });
    expect(read).toEqual({ prices: [], complete: true, syncedAt: '2025-06-01T02:00:00.000Z' });
    const partly = catalog.prices('107278', { startDate: '2025-06-02', endDate: '2025-06-04' });
    expect(partly.complete).toBe(false);
    expect(partly.prices).toHaveLength(1);
    expect(catalog.prices('107278', { startDate: '2025-07-01', endDate: '2025-07-02' })).toEqual({
      prices: [],
      complete: false,
      syncedAt: null,
    });
  });

  it('stores prices of a cached goods only, and prunes days gone by', () => {
    const { catalog } = setup();
    expect(catalog.savePrices('1', { startDate: '2025-06-01', endDate: '2025-06-01' }, [], 'x')).toBe(false);
    catalog.save(write());
    const later = { startDate: '2025-06-04', endDate: '2025-06-05' };
    expect(catalog.savePrices('107278', later, [price('2025-06-05', '12', '300')], '2025-06-01T03:00:00.000Z')).toBe(
      true,
    );
    expect(catalog.prices('107278', later)).toMatchObject({ complete: true, prices: [{ price: '300' }] });
    expect(catalog.prunePricesBefore('2025-06-02')).toBe(2);
    expect(catalog.prices('107278', { startDate: '2025-06-01', endDate: '2025-06-01' }).syncedAt).toBeNull();
  });

  it('counts days across month ends', () => {
    expect(daysOf({ startDate: '2024-02-28', endDate: '2024-03-01' })).toEqual([
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
  });
});

describe('the list', () => {
  function seeded() {
    const s = setup();
    s.catalog.save(write());
    s.catalog.save(
      write({
        goods: goods({
          goodsId: '110021',
          goodsName: 'Lotte World 1-Day Pass',
          city: 'Seoul',
          countryCode: 'KR',
          currency: 'KRW',
          refundable: false,
          instantConfirmation: true,
        }),
        // 999.5 < 1000 as numbers, not as text.
        prices: [
          price('2025-05-31', '11', '10'),
          price('2025-06-01', '11', '1000'),
          price('2025-06-02', '12', '999.5'),
        ],
        range: { startDate: '2025-05-31', endDate: '2025-06-02' },
      }),
    );
    s.catalog.save(
      write({
        goods: goods({
          goodsId: '107402',
          goodsName: 'ÉCOLE Taroko Day Trip',
          city: 'Hualien',
          refundable: true,
          instantConfirmation: false,
        }),
        prices: [],
      }),
    );
    return s;
  }
  const ids = (rows: { goodsId: string }[]) => rows.map((r) => r.goodsId);

  it('lists by name with the lowest price from today on, and null without one', () => {
    const { catalog } = seeded();
    const rows = catalog.list(ALL, '2025-06-01');
    expect(ids(rows)).toEqual(['110021', '107278', '107402']);
    expect(rows.map((r) => r.fromPrice)).toEqual(['999.5', '270', null]);
    // Tomorrow, the 270 of today is gone.
    expect(catalog.list(ALL, '2025-06-02').find((r) => r.goodsId === '107278')!.fromPrice).toBe('600');
  });

  it('filters by query on name or city (any case, accents too), country, city, refundable and instant', () => {
    const { catalog } = seeded();
    const list = (filter: Partial<CatalogFilter>) => ids(catalog.list({ ...ALL, ...filter }, '2025-06-01'));
    expect(list({ query: 'TAIPEI' })).toEqual(['107278']);
    expect(list({ query: 'seoul' })).toEqual(['110021']);
    expect(list({ query: 'école' })).toEqual(['107402']);
    expect(list({ query: '  lotte ' })).toEqual(['110021']);
    expect(list({ query: 'nowhere' })).toEqual([]);
    expect(list({ countryCode: 'KR' })).toEqual(['110021']);
    expect(list({ city: 'hualien' })).toEqual(['107402']);
    expect(list({ refundableOnly: true })).toEqual(['107278', '107402']);
    expect(list({ instantOnly: true })).toEqual(['110021', '107278']);
    expect(list({ refundableOnly: true, instantOnly: true })).toEqual(['107278']);
    expect(list({ limit: 1 })).toEqual(['110021']);
  });

  it('answers every city with its country for the filter chips', () => {
    const { catalog } = seeded();
    expect(catalog.cities()).toEqual([
      { city: 'Seoul', countryCode: 'KR' },
      { city: 'Hualien', countryCode: 'TW' },
      { city: 'Taipei', countryCode: 'TW' },
    ]);
  });
});

describe('goods WAUG no longer lists', () => {
  it('go with everything they own', () => {
    const { db, catalog } = setup();
    catalog.save(write());
    catalog.save(write({ goods: goods({ goodsId: '110021' }) }));
    expect(catalog.keepOnly(['110021'])).toBe(1);
    expect(catalog.get('107278')).toBeNull();
    for (const table of ['catalog_order_infos', 'catalog_prices', 'catalog_price_days', 'catalog_comments']) {
      const left = db.prepare(`SELECT count(*) FROM ${table} WHERE goods_id = '107278'`).pluck().get();
      expect(left, table).toBe(0);
    }
    expect(catalog.count()).toBe(1);
    expect(catalog.remove('110021')).toBe(true);
    expect(catalog.remove('110021')).toBe(false);
  });
});

describe('the sync state', () => {
  it('keeps the last full sync while a later failure is recorded, and clears the failure on success', () => {
    const { catalog } = setup();
    expect(catalog.syncState()).toEqual({ lastFullSyncAt: null, lastAttemptAt: null, lastError: null });
    catalog.recordSyncAttempt('2025-06-01T01:00:00.000Z');
    catalog.recordFullSync('2025-06-01T01:00:10.000Z');
    catalog.recordSyncAttempt('2025-06-02T01:00:00.000Z');
    catalog.recordSyncError('WAUG could not be reached.');
    expect(catalog.syncState()).toEqual({
      lastFullSyncAt: '2025-06-01T01:00:10.000Z',
      lastAttemptAt: '2025-06-02T01:00:00.000Z',
      lastError: 'WAUG could not be reached.',
    });
    catalog.recordFullSync('2025-06-02T01:00:10.000Z');
    expect(catalog.syncState().lastError).toBeNull();
  });
});

describe('the detail view', () => {
  it('masks comment nicknames; the stored one never leaves', () => {
    const { catalog } = setup();
    catalog.save(write());
    const view = toGoodsDetailView(catalog.get('107278')!, catalog.fromPrice('107278', '2025-06-01'));
    expect(view.comments.items[0]!.nicknameMasked).toBe('王*明');
    expect(JSON.stringify(view)).not.toContain('王小明');
    expect(view.fromPrice).toBe('270');
    expect(view.options[0]!.timeslots).toEqual([{ goodsOptionTimeslotId: '5', time: '10:00' }]);
  });
});
