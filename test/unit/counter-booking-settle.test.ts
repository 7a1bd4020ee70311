/**
 * Counter booking: settling a create whose answer was lost (recovery.ts, created.ts) and the last
 * check before sending (prepare.ts), against a hand-made WAUG and a hand-moved clock.
 *  - "not found" too soon after the send proves nothing: the draft is left as it was (a clerk's
 *    validate/create answers unconfirmed, the background tries again later); after the grace it
 *    is editable again;
 *  - an order under another partner number is never taken as the draft's;
 *  - an order that differs from the draft is the draft's all the same, with a warning to check it;
 *  - a total the desk cannot add up is an error, never a total of 0.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DraftBody } from '../../shared/contract.js';
import type { CatalogReader, FreshGoods } from '../../electron/core/catalog/types.js';
import { createBookingContext, type BookingContext } from '../../electron/core/counterBooking/context.js';
import { prepare } from '../../electron/core/counterBooking/prepare.js';
import {
  createRecovery,
  NOT_FOUND_SETTLES_AFTER_MS,
  reconcile,
  settleFirst,
} from '../../electron/core/counterBooking/recovery.js';
import { NO_ITEM_NAMES, type StoredDraft } from '../../electron/core/db/bookingDrafts.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import type { WaugReachability } from '../../electron/core/orders/reachability.js';
import type { WaugApi, WaugOrder } from '../../electron/core/waug/api.js';
import { manualClock } from '../helpers/clock.js';
import { createTestStore } from '../helpers/db.js';
import { deskError } from '../helpers/rejection.js';
import { makeGoods, makeOrder, makeWaugGoods } from '../helpers/waugOrders.js';

const PARTNER = 'VDB250601ABCDEFGHJK';
const GUEST = 'HONG GILDONG';

const body = (quantity = 2, price = '280'): DraftBody => ({
  goods: [
    {
      goodsId: '107439',
      goodsName: 'Tamsui Blue Highway Ferry',
      useDate: '2025-06-10',
      options: [{ goodsOptionId: '501', goodsOptionItemId: '9001', goodsOptionTimeslotId: null, quantity, price }],
      additionalInput: '',
    },
  ],
  values: { 'ORDER:4': GUEST },
  step: 'confirm',
  replacesOrderNumber: null,
});

/** WAUG's order for the draft: by default exactly what `body()` books. */
const orderOf = (overrides: Partial<WaugOrder> = {}, quantity = 2): WaugOrder =>
  makeOrder({ partnerOrderNumber: PARTNER, ...overrides }, [
    makeGoods({ options: [{ ...makeGoods().options[0]!, quantity }] }),
  ]);

const ferry = makeWaugGoods({
  goodsId: '107439',
  goodsName: 'Tamsui Blue Highway Ferry',
  city: 'Taipei',
  options: [
    {
      goodsOptionId: '501',
      goodsOptionName: 'Ticket',
      items: [{ goodsOptionItemId: '9001', goodsOptionItemName: 'Adult' }],
      timeslots: [],
    },
  ],
});

interface Harness {
  ctx: BookingContext;
  clock: ReturnType<typeof manualClock>;
  logLines: string[];
  /** What WAUG answers when asked for the partner number. */
  answer: { found: WaugOrder | null };
  /** The price WAUG gives for the ferry's adult ticket. */
  price: { now: string };
  /** Timers the test fires by hand. */
  pending: (() => void)[];
  insert(state: StoredDraft['state'], at: string, draftBody?: DraftBody): StoredDraft;
}

let store: ReturnType<typeof createTestStore> | null = null;
afterEach(() => store?.close());

function harness(): Harness {
  store = createTestStore();
  const testStore = store;
  const clock = manualClock('2025-06-01T02:00:00.000Z');
  const sink = createMemorySink();
  const answer = { found: null as WaugOrder | null };
  const price = { now: '280' };
  const pending: (() => void)[] = [];
  const waug = {
    getOrderByPartnerNumber: async () => answer.found,
    getOrder: async () => answer.found,
  } as unknown as WaugApi;
  const catalog: CatalogReader = {
    refreshGoods: async (_goodsId, range): Promise<FreshGoods> => ({
      goods: ferry,
      orderInfos: [],
      prices: [
        { date: '2025-06-10', goodsOptionId: '501', goodsOptionItemId: '9001', price: price.now, currency: 'TWD' },
      ],
      range,
      syncedAt: clock.now().toISOString(),
    }),
    cachedGoods: () => null,
  };
  const reachability = { offline: false, workOffline: false } as WaugReachability;
  const ctx = createBookingContext({
    store: () => testStore,
    waug: () => waug,
    reachability,
    catalog,
    locale: () => 'en',
    now: clock.now,
    log: createLogger({ sink, level: 'debug' }),
    onOrderChanged: () => {},
    onDraftChanged: () => {},
    timers: {
      setTimeout: (fn) => pending.push(fn),
      clearTimeout: () => {},
    },
  });
  return {
    ctx,
    clock,
    logLines: sink.lines,
    answer,
    price,
    pending,
    insert(state, at, draftBody = body()) {
      const d: StoredDraft = {
        draftId: `draft-${state}`,
        partnerOrderNumber: PARTNER,
        state,
        body: draftBody,
        itemNames: NO_ITEM_NAMES,
        orderNumber: null,
        lastError: null,
        createdAt: at,
        updatedAt: at,
      };
      ctx.drafts().insert(d);
      return d;
    },
  };
}

/** Lets the background work started by a fired timer run to its end. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('a create whose answer was lost, not found at WAUG', () => {
  it('proves nothing within the grace: the draft stays as it was, the clerk is told to try again later', async () => {
    const h = harness();
    const sent = h.insert('submitting', h.clock.now().toISOString());
    h.clock.advance(NOT_FOUND_SETTLES_AFTER_MS - 1_000);

    const error = await deskError(settleFirst(h.ctx, sent));
    expect(error.code).toBe('unconfirmed');
    expect(error.message).toMatch(/no order for this booking yet.*a slow create may still finish/);
    expect(error.message).toMatch(/try again in a few minutes: nothing will be booked twice/i);
    expect(h.ctx.drafts().get(sent.draftId)).toEqual(sent);
  });

  it('makes the draft editable again once the grace has passed', async () => {
    const h = harness();
    const sent = h.insert('unconfirmed', h.clock.now().toISOString());
    h.clock.advance(NOT_FOUND_SETTLES_AFTER_MS);

    expect(await reconcile(h.ctx, sent)).toBeNull();
    expect(h.ctx.drafts().get(sent.draftId)).toMatchObject({
      state: 'editing',
      lastError: expect.stringMatching(/nothing was booked/),
    });
  });

  it('in the background: leaves a draft another process is sending alone, and settles it after the grace', async () => {
    const h = harness();
    const sent = h.insert('submitting', h.clock.now().toISOString());
    h.clock.advance(30_000);
    const recovery = createRecovery(h.ctx);
    recovery.start();
    try {
      h.pending.shift()!();
      await settle();
      expect(h.ctx.drafts().get(sent.draftId)).toEqual(sent);
      // Not settled: tried again later.
      expect(h.pending).toHaveLength(1);

      h.clock.advance(NOT_FOUND_SETTLES_AFTER_MS);
      h.pending.shift()!();
      await settle();
      expect(h.ctx.drafts().get(sent.draftId)?.state).toBe('editing');
      expect(h.pending).toHaveLength(0);
    } finally {
      recovery.stop();
    }
  });
});

describe('an order found under the draft’s partner number', () => {
  it('refuses an order under another partner number: not created, not cached', async () => {
    const h = harness();
    const sent = h.insert('submitting', h.clock.now().toISOString());
    h.answer.found = orderOf({ partnerOrderNumber: 'VDB250601ZZZZZZZZZZ' });

    const error = await deskError(reconcile(h.ctx, sent));
    expect(error.code).toBe('upstream');
    expect(error.message).toMatch(/another partner number/);
    expect(h.ctx.drafts().get(sent.draftId)).toMatchObject({ state: 'unconfirmed', orderNumber: null });
    expect(h.ctx.store().orders.get(h.answer.found.orderNumber)).toBeNull();
    expect(h.logLines.join('\n')).toMatch(/another partner number/);
    expect(h.logLines.join('\n')).not.toContain(GUEST);
  });

  it('takes the order as booked when it is what the draft holds', async () => {
    const h = harness();
    const sent = h.insert('submitting', h.clock.now().toISOString());
    h.answer.found = orderOf();

    const created = await reconcile(h.ctx, sent);
    expect(created?.draft).toMatchObject({
      state: 'created',
      orderNumber: h.answer.found.orderNumber,
      lastError: null,
    });
  });

  it('marks an order that differs from the draft as booked all the same, and asks the clerk to check it', async () => {
    const h = harness();
    // The draft asks for 3 tickets; WAUG holds the earlier version of it, for 2.
    const sent = h.insert('unconfirmed', h.clock.now().toISOString(), body(3));
    h.answer.found = orderOf();

    const created = await reconcile(h.ctx, sent);
    expect(created?.draft).toMatchObject({
      state: 'created',
      orderNumber: h.answer.found.orderNumber,
      lastError: expect.stringMatching(/earlier version of this booking.*check the order/),
    });
    expect(created?.order.orderNumber).toBe(h.answer.found.orderNumber);
    const log = h.logLines.join('\n');
    expect(log).toMatch(/differs from the counter booking/);
    expect(log).toContain(sent.draftId);
    expect(log).not.toContain(GUEST);
  });
});

describe('the last check before sending', () => {
  it('refuses a total it cannot add up (prices of 3 decimals) instead of claiming 0', async () => {
    const h = harness();
    h.price.now = '280.125';
    const d = h.insert('editing', h.clock.now().toISOString(), body(2, '280.125'));

    const error = await deskError(prepare(h.ctx, d));
    expect(error.code).toBe('upstream');
    expect(error.message).toMatch(/cannot add up.*nothing was booked/);
  });
});
