/**
 * Booking at the counter through the core, against the WAUG sandbox over real HTTP (issue 6 items
 * 2.5–2.8 and 3): a tour for three participants with EACH fields booked once and followed until
 * its voucher is issued; every error path — 104, 105 and 109 (found by the re-read, and answered
 * by WAUG itself), 106 (ours, forced, and WAUG's own pinned to a participant), an answer lost
 * after the create applied, an unconfirmed create settled later, working offline and WAUG hanging
 * (the draft kept as it was); ORDER_UPDATE webhooks reaching the draft's listeners.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookingDraft, BookingDraftSummary, BookingOutcome, DraftBody } from '../../shared/contract.js';
import { startWaugSandbox, type WaugSandbox } from '../../electron/core/sandbox/waug/index.js';
import type { MerchantServer } from '../../electron/core/serve/server.js';
import type { WaugOrderRequest } from '../../electron/core/waug/api.js';
import { createWaugClient } from '../../electron/core/waug/client.js';
import { startWaugCore, type WaugCore } from '../helpers/waugCore.js';

const CONTACT = { 'ORDER:4': 'HONG GILDONG', 'ORDER:2': '886912345678', 'ORDER:8': 'guest@example.com' };
const TRAVELLERS = ['WANG XIAOMING', 'LIN MEIHUA', 'CHEN JIAHAO'];
const BIRTHDAYS = ['1980-01-02', '1985-03-04', '2015-06-07'];

/** Test hooks around the real client: each fires once. */
const hooks = {
  beforeValidate: null as null | (() => void),
  loseNextCreateAnswer: false,
  /** After the next lost answer, WAUG hangs (the lookup by partner number times out). */
  hangAfterLostAnswer: false,
};
const creates: WaugOrderRequest[] = [];

let waug: WaugSandbox;
let desk: WaugCore;
let server: MerchantServer;
const draftEvents: BookingDraftSummary[] = [];
const orderEvents: string[] = [];

beforeAll(async () => {
  waug = await startWaugSandbox({
    demoOrders: false,
    webhookScanEveryMs: 0,
    progression: { inProgressAfterMs: 300, confirmedAfterMs: 1_000 },
    // Every booking re-reads its goods: these tests would spend most of their time pacing.
    rateLimit: { limit: null, windowMs: 10_000 },
  });
  desk = await startWaugCore(waug, {
    core: {
      counterBooking: { issuance: { firstMs: 150, maxMs: 500 } },
      createWaugApi: (credentials) => {
        const client = createWaugClient({ ...credentials, timeoutMs: 2_000, rateLimit: { limit: null } });
        const validate = client.validateOrder.bind(client);
        client.validateOrder = async (request, options) => {
          const hook = hooks.beforeValidate;
          hooks.beforeValidate = null;
          hook?.();
          return validate(request, options);
        };
        const create = client.createOrder.bind(client);
        client.createOrder = async (request, options) => {
          creates.push(request);
          if (!hooks.loseNextCreateAnswer) return create(request, options);
          hooks.loseNextCreateAnswer = false;
          waug.setFaults({ resetAfterApply: true });
          try {
            return await create(request, options);
          } finally {
            waug.setFaults({ resetAfterApply: false, hang: hooks.hangAfterLostAnswer });
            hooks.hangAfterLostAnswer = false;
          }
        };
        return client;
      },
    },
  });
  desk.core.onEvent('bookingDraftChanged', (summary) => draftEvents.push(summary));
  desk.core.onEvent('orderChanged', ({ orderNumber }) => orderEvents.push(orderNumber));
  server = await desk.core.startMerchantServer({ port: 0, host: '127.0.0.1' });
  waug.setWebhookTarget(desk.core.waugWebhookUrl(server.url));
});

afterAll(async () => {
  await desk?.close();
  await waug?.close();
});

/** A new draft for `goodsId`, its first option's items × quantities, on the first priced day from `fromDays` ahead. */
async function draftOf(
  goodsId: string,
  lines: { item: number; quantity: number }[],
  values: Record<string, string>,
  fromDays = 5,
  target: Pick<WaugCore, 'call'> = desk,
): Promise<BookingDraft> {
  const detail = await target.call('getGoods', { goodsId, prefer: 'remote' });
  if (detail.kind !== 'found') throw new Error(`no goods ${goodsId}`);
  const option = detail.goods.options[0]!;
  const start = DateTime.now().setZone('Asia/Seoul').plus({ days: fromDays });
  const { prices } = await target.call('getGoodsPrices', {
    goodsId,
    startDate: start.toFormat('yyyy-MM-dd'),
    endDate: start.plus({ days: 13 }).toFormat('yyyy-MM-dd'),
    prefer: 'remote',
  });
  const firstItem = option.items[lines[0]!.item]!.goodsOptionItemId;
  const useDate = prices.find((p) => p.goodsOptionItemId === firstItem)!.date;
  const draft = await target.call('newBookingDraft', { goodsId });
  const body: DraftBody = {
    goods: [
      {
        goodsId,
        goodsName: draft.body.goods[0]!.goodsName,
        useDate,
        options: lines.map(({ item, quantity }) => {
          const itemId = option.items[item]!.goodsOptionItemId;
          return {
            goodsOptionId: option.goodsOptionId,
            goodsOptionItemId: itemId,
            goodsOptionTimeslotId: option.timeslots[0]?.goodsOptionTimeslotId ?? null,
            quantity,
            price: prices.find((p) => p.date === useDate && p.goodsOptionItemId === itemId)!.price,
          };
        }),
        additionalInput: '',
      },
    ],
    values,
    step: 'confirm',
    replacesOrderNumber: null,
  };
  return target.call('saveBookingDraft', { draftId: draft.draftId, body });
}

function expectKind<K extends BookingOutcome['kind']>(
  outcome: BookingOutcome,
  kind: K,
): Extract<BookingOutcome, { kind: K }> {
  expect(outcome.kind, JSON.stringify(outcome)).toBe(kind);
  return outcome as Extract<BookingOutcome, { kind: K }>;
}

const validations = () => waug.requests.filter((r) => r.path === '/v1/orders/validation').length;

async function waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('booking at the counter against the WAUG sandbox', () => {
  it('books a tour for three participants with EACH fields, once, and follows its voucher until issued', async () => {
    const values: Record<string, string> = { ...CONTACT, 'GOODS:0:67': 'Silks Place Taroko' };
    TRAVELLERS.forEach((name, unit) => {
      values[`EACH:0:5:${unit}`] = name.toLowerCase(); // normalised to capitals on the way out
      values[`EACH:0:9:${unit}`] = BIRTHDAYS[unit]!;
    });
    const draft = await draftOf('107402', [{ item: 0, quantity: 3 }], values);
    expect(draft.partnerOrderNumber).toMatch(/^VDB\d{6}[2-9A-Y]{10}$/);

    const validated = expectKind(await desk.call('validateBooking', { draftId: draft.draftId }), 'orderable');
    expect(validated).toMatchObject({ totalPrice: '4950', currency: 'TWD' });

    const ordersBefore = waug.orderCount;
    const created = expectKind(
      await desk.call('createBooking', { draftId: draft.draftId, confirmedTotal: '4950' }),
      'created',
    );
    expect(waug.orderCount).toBe(ordersBefore + 1);
    expect(created.draft).toMatchObject({ state: 'created', orderNumber: created.order.orderNumber, lastError: null });
    expect(created.order).toMatchObject({ partnerOrderNumber: draft.partnerOrderNumber, totalPrice: '4950' });
    // Three values per EACH field, one per participant, as WAUG counts them.
    const sent = creates.at(-1)!;
    expect(sent.orderGoods[0]!.orderInfos).toEqual([
      { fieldId: '67', groupCategory: 'GOODS', values: ['Silks Place Taroko'] },
      { fieldId: '5', groupCategory: 'EACH', values: TRAVELLERS },
      { fieldId: '9', groupCategory: 'EACH', values: BIRTHDAYS },
    ]);
    expect(waug.getOrderByPartnerNumber(draft.partnerOrderNumber)?.orderNumber).toBe(created.order.orderNumber);
    // The Orders view and the voucher card read the cache.
    expect(
      await desk.call('getOrder', { partnerOrderNumber: draft.partnerOrderNumber, prefer: 'cache' }),
    ).toMatchObject({ kind: 'found', source: 'cache' });
    expect(orderEvents).toContain(created.order.orderNumber);

    // Asked again: the same order, nothing sent; and a booked draft cannot be edited.
    const createsBefore = creates.length;
    const again = expectKind(
      await desk.call('createBooking', { draftId: draft.draftId, confirmedTotal: '4950' }),
      'created',
    );
    expect(again.order.orderNumber).toBe(created.order.orderNumber);
    expect(creates.length).toBe(createsBefore);
    const edit = await desk.raw('saveBookingDraft', { draftId: draft.draftId, body: draft.body });
    expect(edit).toMatchObject({
      ok: false,
      error: { code: 'bad_input', message: expect.stringMatching(/is booked/) },
    });

    // Issuance followed: the sandbox confirms after a second; the draft's listeners hear of it.
    await waitFor(
      () => draftEvents.some((e) => e.draftId === draft.draftId && e.voucherState === 'issued'),
      'the voucher to be issued',
    );
    const open = await desk.call('listBookingDrafts', { filter: 'open', limit: 50 });
    expect(open.map((d) => d.draftId)).not.toContain(draft.draftId);
    const all = await desk.call('listBookingDrafts', { filter: 'all', limit: 50 });
    expect(all.find((d) => d.draftId === draft.draftId)).toMatchObject({
      state: 'created',
      voucherState: 'issued',
      units: 3,
      goodsCount: 1,
      goodsName: expect.stringContaining('Taroko'),
    });

    // An ORDER_UPDATE webhook (a refund requested at WAUG) reaches the draft's listeners too.
    const eventsBefore = draftEvents.filter((e) => e.draftId === draft.draftId).length;
    const goods = waug.getOrder(created.order.orderNumber)!.orderGoods[0]!;
    waug.setGoodsStatus(created.order.orderNumber, goods.orderGoodsId, 'STATUS_REFUND_REQUESTED');
    await waug.flushWebhooks();
    await waitFor(
      () => draftEvents.filter((e) => e.draftId === draft.draftId).length > eventsBefore,
      'bookingDraftChanged after the webhook',
    );

    // Nothing the clerk typed reached the log.
    const log = desk.logLines.join('\n');
    for (const value of [...TRAVELLERS, 'HONG GILDONG', '886912345678', 'guest@example.com', 'Silks Place'])
      expect(log).not.toContain(value);
  });

  it('104: a too-low balance is an answer with the total; nothing is booked until it is topped up', async () => {
    const balance = waug.balance;
    const draft = await draftOf('110105', [{ item: 0, quantity: 2 }], CONTACT);
    const total = String(Number(draft.body.goods[0]!.options[0]!.price) * 2);
    waug.setBalance('1000');
    try {
      const before = waug.orderCount;
      const refused = expectKind(
        await desk.call('validateBooking', { draftId: draft.draftId }),
        'insufficient_balance',
      );
      expect(refused).toMatchObject({ totalPrice: total, currency: 'KRW' });
      expect(refused.draft.lastError).toMatch(/balance is too low .*code 104/);
      expectKind(
        await desk.call('createBooking', { draftId: draft.draftId, confirmedTotal: total }),
        'insufficient_balance',
      );
      expect(waug.orderCount).toBe(before);
      expect((await desk.call('getBookingDraft', { draftId: draft.draftId })).state).toBe('editing');
    } finally {
      waug.setBalance(balance);
    }
    expectKind(await desk.call('createBooking', { draftId: draft.draftId, confirmedTotal: total }), 'created');
  });

  it('105 found by the re-read: the draft is re-mapped to the new items and booked only at the new total', async () => {
    const draft = await draftOf('110034', [{ item: 0, quantity: 2 }], CONTACT);
    const oldLine = draft.body.goods[0]!.options[0]!;
    const oldTotal = String(Number(oldLine.price) * 2);
    expectKind(await desk.call('validateBooking', { draftId: draft.draftId }), 'orderable');
    const { goodsOptionItemIds } = waug.modifyGoods('110034');

    const before = waug.orderCount;
    const changed = expectKind(await desk.call('validateBooking', { draftId: draft.draftId }), 'price_changed');
    const newPrice = String(Math.round(Number(oldLine.price) * 1.1));
    expect(changed).toMatchObject({
      reason: 'reread',
      currency: 'KRW',
      newTotal: String(Number(newPrice) * 2),
      changes: [
        {
          goodsIndex: 0,
          goodsOptionItemId: goodsOptionItemIds[0],
          itemName: expect.stringContaining('Adult'),
          quantity: 2,
          oldPrice: oldLine.price,
          newPrice,
        },
      ],
    });
    expect(changed.draft.body.goods[0]!.options[0]).toMatchObject({
      goodsOptionItemId: goodsOptionItemIds[0],
      price: newPrice,
    });
    // The total the clerk saw before is not booked; the new one is.
    expectKind(await desk.call('createBooking', { draftId: draft.draftId, confirmedTotal: oldTotal }), 'price_changed');
    expect(waug.orderCount).toBe(before);
    const created = expectKind(
      await desk.call('createBooking', { draftId: draft.draftId, confirmedTotal: changed.newTotal! }),
      'created',
    );
    expect(created.order.totalPrice).toBe(changed.newTotal);
  });

  it('105 answered by WAUG (changed between the re-read and the validation): re-read, re-mapped, shown', async () => {
    const draft = await draftOf('110092', [{ item: 1, quantity: 3 }], {
      ...CONTACT,
      'EACH:0:74:0': '160',
      'EACH:0:74:1': '172',
      'EACH:0:74:2': '181',
    });
    let newIds: string[] = [];
    hooks.beforeValidate = () => {
      newIds = waug.modifyGoods('110092').goodsOptionItemIds;
    };
    const changed = expectKind(await desk.call('validateBooking', { draftId: draft.draftId }), 'price_changed');
    expect(changed.reason).toBe('product_modified');
    expect(changed.changes).toHaveLength(1);
    expect(changed.changes[0]).toMatchObject({ goodsOptionItemId: newIds[1], quantity: 3 });
    expect(changed.draft.lastError).toMatch(/code 105/);
    expectKind(await desk.call('validateBooking', { draftId: draft.draftId }), 'orderable');
  });

  it('109 found by the re-read, and 109 answered by WAUG: the new price is shown, booked only once confirmed', async () => {
    const draft = await draftOf('110063', [{ item: 0, quantity: 1 }], CONTACT);
    const item = draft.body.goods[0]!.options[0]!;
    waug.setPrice('110063', item.goodsOptionItemId, '25000', draft.body.goods[0]!.useDate!);
    const reread = expectKind(await desk.call('validateBooking', { draftId: draft.draftId }), 'price_changed');
    expect(reread).toMatchObject({
      reason: 'reread',
      newTotal: '25000',
      changes: [{ oldPrice: item.price, newPrice: '25000' }],
    });

    const lotte = await draftOf('110021', [{ item: 0, quantity: 2 }], CONTACT);
    const line = lotte.body.goods[0]!.options[0]!;
    hooks.beforeValidate = () =>
      waug.setPrice('110021', line.goodsOptionItemId, '70000', lotte.body.goods[0]!.useDate!);
    const before = waug.orderCount;
    const mismatch = expectKind(await desk.call('validateBooking', { draftId: lotte.draftId }), 'price_changed');
    expect(mismatch).toMatchObject({
      reason: 'price_mismatch',
      newTotal: '140000',
      changes: [{ goodsOptionItemId: line.goodsOptionItemId, oldPrice: line.price, newPrice: '70000', quantity: 2 }],
    });
    expect(waug.orderCount).toBe(before);
    expectKind(await desk.call('createBooking', { draftId: lotte.draftId, confirmedTotal: '140000' }), 'created');
  });

  it('106: our own check answers before WAUG is asked; a forced 106 keeps WAUG’s words form-wide', async () => {
    const values: Record<string, string> = { ...CONTACT, 'GOODS:0:67': 'Lotte Hotel' };
    values['EACH:0:5:0'] = 'KIM MINJI';
    values['EACH:0:9:0'] = '1990-01-01';
    values['EACH:0:9:1'] = '1991-01-01'; // the second traveller's name is missing
    const draft = await draftOf('110078', [{ item: 0, quantity: 2 }], values);
    const asked = validations();
    const local = expectKind(await desk.call('validateBooking', { draftId: draft.draftId }), 'invalid_fields');
    expect(local.errors).toEqual([{ slotKey: 'EACH:0:5:1', problem: 'required', detail: null }]);
    expect(validations()).toBe(asked);

    const ticket = await draftOf('107340', [{ item: 1, quantity: 1 }], CONTACT);
    hooks.beforeValidate = () => waug.setFaults({ responseCode: '106' });
    try {
      const forced = expectKind(await desk.call('validateBooking', { draftId: ticket.draftId }), 'invalid_fields');
      expect(forced.errors).toEqual([{ slotKey: null, problem: 'waug', detail: 'Invalid order information' }]);
      expect(forced.draft.lastError).toMatch(/code 106/);
    } finally {
      waug.setFaults({ responseCode: null });
    }
  });

  it('books exactly once when the create applied but its answer was lost', async () => {
    const draft = await draftOf('107278', [{ item: 0, quantity: 2 }], CONTACT);
    const total = String(Number(draft.body.goods[0]!.options[0]!.price) * 2);
    const before = waug.orderCount;
    const sentBefore = creates.length;
    hooks.loseNextCreateAnswer = true;
    const created = expectKind(
      await desk.call('createBooking', { draftId: draft.draftId, confirmedTotal: total }),
      'created',
    );
    expect(waug.orderCount).toBe(before + 1);
    // Found by its partner number: not sent a second time.
    expect(creates.length - sentBefore).toBe(1);
    expect(created.order.orderNumber).toBe(waug.getOrderByPartnerNumber(draft.partnerOrderNumber)?.orderNumber);
  });

  it('answers unconfirmed when WAUG cannot be asked after a lost answer; asking again settles it, once', async () => {
    const draft = await draftOf('107315', [{ item: 0, quantity: 1 }], CONTACT);
    const total = draft.body.goods[0]!.options[0]!.price;
    const before = waug.orderCount;
    hooks.loseNextCreateAnswer = true;
    hooks.hangAfterLostAnswer = true;
    try {
      const unsure = expectKind(
        await desk.call('createBooking', { draftId: draft.draftId, confirmedTotal: total }),
        'unconfirmed',
      );
      expect(unsure.draft.state).toBe('unconfirmed');
      expect(unsure.message).toMatch(/never booked twice/);
      const frozen = await desk.raw('saveBookingDraft', { draftId: draft.draftId, body: draft.body });
      expect(frozen).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    } finally {
      waug.setFaults({ hang: false });
    }
    expect(waug.orderCount).toBe(before + 1); // the first create did apply
    const settled = expectKind(
      await desk.call('createBooking', { draftId: draft.draftId, confirmedTotal: total }),
      'created',
    );
    expect(settled.order.orderNumber).toBe(waug.getOrderByPartnerNumber(draft.partnerOrderNumber)?.orderNumber);
    expect(waug.orderCount).toBe(before + 1);
  });

  it('working offline or WAUG hanging: an error, and the draft kept exactly as it was', async () => {
    const draft = await draftOf('107301', [{ item: 0, quantity: 1 }], CONTACT);
    const total = draft.body.goods[0]!.options[0]!.price;
    await desk.call('setWorkOffline', { workOffline: true });
    try {
      const requests = waug.requests.length;
      const offline = await desk.raw('createBooking', { draftId: draft.draftId, confirmedTotal: total });
      expect(offline).toMatchObject({ ok: false, error: { code: 'network' } });
      expect(waug.requests.length).toBe(requests);
    } finally {
      await desk.call('setWorkOffline', { workOffline: false });
    }
    waug.setFaults({ hang: true });
    try {
      const hanging = await desk.raw('validateBooking', { draftId: draft.draftId });
      expect(hanging).toMatchObject({ ok: false, error: { code: 'timeout' } });
    } finally {
      waug.setFaults({ hang: false });
    }
    expect(await desk.call('getBookingDraft', { draftId: draft.draftId })).toEqual(draft);
    expectKind(await desk.call('createBooking', { draftId: draft.draftId, confirmedTotal: total }), 'created');
  });

  it('discards an editing draft: out of the open list, refused for validation', async () => {
    const draft = await draftOf('107388', [{ item: 0, quantity: 1 }], CONTACT);
    expect((await desk.call('listBookingDrafts', { filter: 'open', limit: 100 })).map((d) => d.draftId)).toContain(
      draft.draftId,
    );
    expect(await desk.call('discardBookingDraft', { draftId: draft.draftId })).toMatchObject({ state: 'discarded' });
    expect((await desk.call('listBookingDrafts', { filter: 'open', limit: 100 })).map((d) => d.draftId)).not.toContain(
      draft.draftId,
    );
    expect(await desk.raw('validateBooking', { draftId: draft.draftId })).toMatchObject({
      ok: false,
      error: { code: 'bad_input', message: expect.stringMatching(/discarded/) },
    });
  });
});

describe('WAUG’s own 106 pinned to a participant', () => {
  let skewed: WaugSandbox;
  let skewedDesk: WaugCore;
  beforeAll(async () => {
    // WAUG's clock three days behind the desk's: "yesterday" is not yet a past birth date there.
    skewed = await startWaugSandbox({
      demoOrders: false,
      webhookScanEveryMs: 0,
      now: () => Date.now() - 3 * 86_400_000,
    });
    skewedDesk = await startWaugCore(skewed);
  });
  afterAll(async () => {
    await skewedDesk?.close();
    await skewed?.close();
  });

  it('answers invalid_fields on the second traveller’s birth date, with WAUG’s words', async () => {
    const yesterday = DateTime.now().setZone('Asia/Seoul').minus({ days: 1 }).toFormat('yyyy-MM-dd');
    const values: Record<string, string> = { ...CONTACT, 'GOODS:0:67': 'Grand Hyatt' };
    ['KIM MINJI', 'PARK JISUNG'].forEach((name, unit) => (values[`EACH:0:5:${unit}`] = name));
    values['EACH:0:9:0'] = '1990-01-01';
    values['EACH:0:9:1'] = yesterday;
    const draft = await draftOf('107402', [{ item: 1, quantity: 2 }], values, 5, skewedDesk);
    const refused = expectKind(await skewedDesk.call('validateBooking', { draftId: draft.draftId }), 'invalid_fields');
    expect(refused.errors).toEqual([
      {
        slotKey: 'EACH:0:9:1',
        problem: 'waug',
        detail: expect.stringMatching(/EACH field 9 unit 2: a birth date must be in the past/),
      },
    ]);
    // WAUG's words may echo a value: they stay out of the log.
    expect(skewedDesk.logLines.join('\n')).not.toContain('birth date must be in the past');
  });
});
