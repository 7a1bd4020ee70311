/**
 * Counter booking drafts in SQLite (migration 0080): one partner number per draft, state changes
 * that only leave the states they name, the 'open' list joined with the order cache, the purge of
 * old editing, created and discarded drafts, and rows re-validated when read back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DraftBody } from '../../shared/contract.js';
import { WAUG_ORDER_GOODS_STATUSES } from '../../shared/domain/waug.js';
import { draftSummary } from '../../electron/core/counterBooking/draftView.js';
import { issuanceSettled } from '../../electron/core/counterBooking/issuance.js';
import { createBookingDraftStore, NO_ITEM_NAMES, type StoredDraft } from '../../electron/core/db/bookingDrafts.js';
import type { WaugOrder } from '../../electron/core/waug/api.js';
import { createTestStore } from '../helpers/db.js';

const body: DraftBody = {
  goods: [{ goodsId: '107402', goodsName: 'Tour', useDate: '2030-05-07', options: [], additionalInput: '' }],
  values: { 'ORDER:4': 'HONG GILDONG' },
  step: 'form',
  replacesOrderNumber: null,
};

const draft = (id: string, at: string, extra: Partial<StoredDraft> = {}): StoredDraft => ({
  draftId: id,
  partnerOrderNumber: `VDB-${id}`,
  state: 'editing',
  body,
  itemNames: NO_ITEM_NAMES,
  orderNumber: null,
  lastError: null,
  createdAt: at,
  updatedAt: at,
  ...extra,
});

function order(orderNumber: string, voucher: 'issued' | 'issuing', status = 'STATUS_IN_PROGRESS' as const): WaugOrder {
  return {
    orderNumber,
    partnerOrderNumber: null,
    orderStatus: 'STATUS_PAID',
    orderedAt: '2030-05-01T00:00:00.000Z',
    currency: 'TWD',
    totalPrice: '100',
    orderGoods: [
      {
        orderGoodsId: `${orderNumber}-1`,
        goodsId: '107402',
        goodsName: 'Tour',
        status: voucher === 'issued' ? 'STATUS_CONFIRMED' : status,
        useDate: '2030-05-07',
        options: [],
        refundable: true,
        totalPrice: '100',
        voucher: { state: voucher, voucherNumber: null, voucherUrl: null, issuedAt: null },
        updatedAt: '2030-05-01T00:00:00.000Z',
      },
    ],
  };
}

let store: ReturnType<typeof createTestStore> | null = null;
afterEach(() => store?.close());

describe('booking draft store', () => {
  it('keeps one draft per partner number and reads back what was written', () => {
    store = createTestStore();
    const drafts = createBookingDraftStore(store.db);
    drafts.insert(draft('a', '2030-05-01T00:00:00.000Z'));
    expect(drafts.get('a')).toEqual(draft('a', '2030-05-01T00:00:00.000Z'));
    expect(drafts.getByPartner('VDB-a')?.draftId).toBe('a');
    expect(() => drafts.insert({ ...draft('b', '2030-05-01T00:00:00.000Z'), partnerOrderNumber: 'VDB-a' })).toThrow(
      /UNIQUE/,
    );
    expect(drafts.get('missing')).toBeNull();
  });

  it('moves a draft only out of the states named, and never to created without an order number', () => {
    store = createTestStore();
    const drafts = createBookingDraftStore(store.db);
    drafts.insert(draft('a', '2030-05-01T00:00:00.000Z'));
    expect(
      drafts.update('a', ['submitting'], { state: 'created', orderNumber: 'WG1' }, '2030-05-01T00:01:00.000Z'),
    ).toBeNull();
    const sending = drafts.update('a', ['editing'], { state: 'submitting' }, '2030-05-01T00:02:00.000Z');
    expect(sending).toMatchObject({ state: 'submitting', updatedAt: '2030-05-01T00:02:00.000Z' });
    expect(() => drafts.update('a', ['submitting'], { state: 'created' }, '2030-05-01T00:03:00.000Z')).toThrow(/CHECK/);
    expect(
      drafts.update('a', ['submitting'], { state: 'created', orderNumber: 'WG1' }, '2030-05-01T00:04:00.000Z'),
    ).toMatchObject({ state: 'created', orderNumber: 'WG1' });
    expect(drafts.getByOrder('WG1')?.draftId).toBe('a');
  });

  it('lists open drafts: editing and sending ones, and created ones whose voucher has not come', () => {
    store = createTestStore();
    const drafts = createBookingDraftStore(store.db);
    drafts.insert(draft('editing', '2030-05-01T00:00:01.000Z'));
    drafts.insert(draft('unconfirmed', '2030-05-01T00:00:02.000Z', { state: 'unconfirmed' }));
    drafts.insert(draft('issuing', '2030-05-01T00:00:03.000Z', { state: 'created', orderNumber: 'WG-issuing' }));
    drafts.insert(draft('issued', '2030-05-01T00:00:04.000Z', { state: 'created', orderNumber: 'WG-issued' }));
    drafts.insert(draft('uncached', '2030-05-01T00:00:05.000Z', { state: 'created', orderNumber: 'WG-uncached' }));
    drafts.insert(draft('refunded', '2030-05-01T00:00:06.000Z', { state: 'created', orderNumber: 'WG-refunded' }));
    drafts.insert(draft('discarded', '2030-05-01T00:00:07.000Z', { state: 'discarded' }));
    store.orders.upsert(order('WG-issuing', 'issuing'), '2030-05-01T00:00:00.000Z');
    store.orders.upsert(order('WG-issued', 'issued'), '2030-05-01T00:00:00.000Z');
    const refunded = order('WG-refunded', 'issuing');
    refunded.orderGoods[0]!.status = 'STATUS_REFUND_REQUESTED';
    store.orders.upsert(refunded, '2030-05-01T00:00:00.000Z');

    expect(drafts.list('open', 50).map((d) => d.draftId)).toEqual(['uncached', 'issuing', 'unconfirmed', 'editing']);
    expect(drafts.list('all', 3).map((d) => d.draftId)).toEqual(['discarded', 'refunded', 'uncached']);
    expect(drafts.inStates(['unconfirmed', 'submitting']).map((d) => d.draftId)).toEqual(['unconfirmed']);
    expect(drafts.createdSince('2030-05-01T00:00:05.000Z').map((d) => d.draftId)).toEqual(['uncached', 'refunded']);
  });

  it('lists a created draft as open exactly while its issuance is not settled, for every goods status', () => {
    store = createTestStore();
    const drafts = createBookingDraftStore(store.db);
    for (const status of WAUG_ORDER_GOODS_STATUSES) {
      const orderNumber = `WG-${status}`;
      drafts.insert(draft(status, '2030-05-01T00:00:00.000Z', { state: 'created', orderNumber }));
      const waiting = order(orderNumber, 'issuing');
      waiting.orderGoods[0]!.status = status;
      store.orders.upsert(waiting, '2030-05-01T00:00:00.000Z');
    }
    const open = new Set(drafts.list('open', 50).map((d) => d.draftId));
    for (const status of WAUG_ORDER_GOODS_STATUSES) {
      const goods = store.orders.get(`WG-${status}`)!.goods;
      expect(open.has(status), status).toBe(!issuanceSettled(goods));
    }
    expect(open.has('STATUS_PAID')).toBe(true);
    expect(open.has('STATUS_CANCEL')).toBe(false);
  });

  it('purges editing, created and discarded drafts older than the cut-off, never one that may be booked', () => {
    store = createTestStore();
    const drafts = createBookingDraftStore(store.db);
    drafts.insert(draft('old-editing', '2030-01-01T00:00:00.000Z'));
    drafts.insert(draft('old-created', '2030-01-01T00:00:00.000Z', { state: 'created', orderNumber: 'WG1' }));
    drafts.insert(draft('old-discarded', '2030-01-01T00:00:00.000Z', { state: 'discarded' }));
    drafts.insert(draft('old-submitting', '2030-01-01T00:00:00.000Z', { state: 'submitting' }));
    drafts.insert(draft('old-unconfirmed', '2030-01-01T00:00:00.000Z', { state: 'unconfirmed' }));
    drafts.insert(draft('new-editing', '2030-03-01T00:00:00.000Z'));
    drafts.insert(draft('new-created', '2030-03-01T00:00:00.000Z', { state: 'created', orderNumber: 'WG2' }));
    expect(drafts.purge('2030-02-01T00:00:00.000Z')).toBe(3);
    expect(
      drafts
        .list('all', 10)
        .map((d) => d.draftId)
        .sort(),
    ).toEqual(['new-created', 'new-editing', 'old-submitting', 'old-unconfirmed']);
  });

  it('refuses a row whose body no longer parses instead of guessing', () => {
    store = createTestStore();
    const drafts = createBookingDraftStore(store.db);
    drafts.insert(draft('a', '2030-05-01T00:00:00.000Z'));
    store.db.prepare(`UPDATE booking_drafts SET body = '{"goods":[]}' WHERE draft_id = 'a'`).run();
    expect(() => drafts.get('a')).toThrow(/no longer parses/);
  });
});

describe('a draft in the drafts list', () => {
  it('says how many goods it holds, so the counter can tell a command-line bundle from its own', () => {
    const single = draftSummary(draft('d1', '2026-03-01T00:00:00.000Z'), () => null);
    expect(single).toMatchObject({ goodsCount: 1, units: 0, voucherState: null });
    const bundle = draftSummary(
      draft('d2', '2026-03-01T00:00:00.000Z', {
        body: { ...body, goods: [...body.goods, { ...body.goods[0]!, goodsId: '110092', goodsName: 'Hanbok' }] },
      }),
      () => null,
    );
    expect(bundle.goodsCount).toBe(2);
    expect(bundle.goodsName).toContain(' + Hanbok');
  });
});
