/**
 * Counter booking: a draft held against the goods as just re-read from WAUG (reprice.ts) and
 * WAUG's 106 pinned back onto the form (fieldErrors.ts). A product change (new ids) is re-mapped
 * by the names the clerk saw; a new price or no price is a PriceChange and the draft takes it, even
 * between prices of more decimals than the desk counts.
 */
import { describe, expect, it } from 'vitest';
import type { DraftBody } from '../../shared/contract.js';
import { bookingFormSlots } from '../../shared/domain/bookingForm.js';
import { localFieldErrors, waugFieldErrors } from '../../electron/core/counterBooking/fieldErrors.js';
import { namesOf, repriceDraft, type FreshLine } from '../../electron/core/counterBooking/reprice.js';
import { NO_ITEM_NAMES } from '../../electron/core/db/bookingDrafts.js';
import type { WaugGoods, WaugPrice } from '../../electron/core/waug/api.js';
import { makeWaugGoods } from '../helpers/waugOrders.js';

const DAY = '2030-05-07';

function goods(itemIds: [string, string], slotIds: [string, string] = ['570', '571']): WaugGoods {
  return makeWaugGoods({
    goodsId: '110092',
    goodsName: 'Hanbok Rental',
    city: 'Seoul',
    countryCode: 'KR',
    currency: 'KRW',
    options: [
      {
        goodsOptionId: '29050',
        goodsOptionName: 'Option',
        items: [
          { goodsOptionItemId: itemIds[0], goodsOptionItemName: 'Traditional' },
          { goodsOptionItemId: itemIds[1], goodsOptionItemName: 'Premium' },
        ],
        timeslots: [
          { goodsOptionTimeslotId: slotIds[0], time: '09:00' },
          { goodsOptionTimeslotId: slotIds[1], time: '11:00' },
        ],
      },
    ],
  });
}

const price = (itemId: string, amount: string, date = DAY): WaugPrice => ({
  date,
  goodsOptionId: '29050',
  goodsOptionItemId: itemId,
  price: amount,
  currency: 'KRW',
});

function body(): DraftBody {
  return {
    goods: [
      {
        goodsId: '110092',
        goodsName: 'Hanbok Rental',
        useDate: DAY,
        options: [
          {
            goodsOptionId: '29050',
            goodsOptionItemId: '61960',
            goodsOptionTimeslotId: '571',
            quantity: 3,
            price: '15000',
          },
          {
            goodsOptionId: '29050',
            goodsOptionItemId: '61961',
            goodsOptionTimeslotId: '571',
            quantity: 1,
            price: '30000',
          },
        ],
        additionalInput: '',
      },
    ],
    values: { 'ORDER:4': 'HONG GILDONG' },
    step: 'confirm',
    replacesOrderNumber: null,
  };
}

const before = goods(['61960', '61961']);
const known = namesOf([before], NO_ITEM_NAMES);

describe('repriceDraft', () => {
  it('changes nothing when ids and prices still hold', () => {
    const fresh: FreshLine = { goods: before, prices: [price('61960', '15000'), price('61961', '30000.00')] };
    const result = repriceDraft(body(), known, [fresh]);
    expect(result.changes).toEqual([]);
    expect(result.touched).toBe(false);
    expect(result.newTotal).toBe('75000');
  });

  it('reports a new price (old → new) and the draft takes it', () => {
    const fresh: FreshLine = { goods: before, prices: [price('61960', '16500'), price('61961', '30000')] };
    const result = repriceDraft(body(), known, [fresh]);
    expect(result.changes).toEqual([
      {
        goodsIndex: 0,
        goodsOptionId: '29050',
        goodsOptionItemId: '61960',
        itemName: 'Traditional',
        quantity: 3,
        oldPrice: '15000',
        newPrice: '16500',
      },
    ]);
    expect(result.body.goods[0]!.options[0]!.price).toBe('16500');
    expect(result.newTotal).toBe('79500');
    expect(result.touched).toBe(true);
  });

  it('re-maps items and timeslots WAUG replaced, by the names the clerk saw, with their new prices', () => {
    const after = goods(['161960', '161961'], ['670', '671']);
    const fresh: FreshLine = { goods: after, prices: [price('161960', '16500'), price('161961', '33000')] };
    const result = repriceDraft(body(), known, [fresh]);
    expect(result.body.goods[0]!.options).toEqual([
      {
        goodsOptionId: '29050',
        goodsOptionItemId: '161960',
        goodsOptionTimeslotId: '671',
        quantity: 3,
        price: '16500',
      },
      {
        goodsOptionId: '29050',
        goodsOptionItemId: '161961',
        goodsOptionTimeslotId: '671',
        quantity: 1,
        price: '33000',
      },
    ]);
    expect(result.changes.map((c) => [c.goodsOptionItemId, c.itemName, c.oldPrice, c.newPrice])).toEqual([
      ['161960', 'Traditional', '15000', '16500'],
      ['161961', 'Premium', '30000', '33000'],
    ]);
    expect(result.newTotal).toBe('82500');
    // The new ids are remembered by name for the next re-map.
    expect(result.itemNames.items['110092:161961']).toEqual({ optionName: 'Option', itemName: 'Premium' });
  });

  it('compares prices it cannot count (3+ decimals) as text: a change is shown, trailing zeros are not one', () => {
    const withMills = (first: string): DraftBody => {
      const b = body();
      b.goods[0]!.options[0]!.price = first;
      return b;
    };
    const changed = repriceDraft(withMills('15000.125'), known, [
      { goods: before, prices: [price('61960', '15000.126'), price('61961', '30000')] },
    ]);
    expect(changed.changes).toMatchObject([
      { goodsOptionItemId: '61960', oldPrice: '15000.125', newPrice: '15000.126' },
    ]);
    expect(changed.body.goods[0]!.options[0]!.price).toBe('15000.126');

    const same = repriceDraft(withMills('15000.1250'), known, [
      { goods: before, prices: [price('61960', '15000.125'), price('61961', '30000')] },
    ]);
    expect(same.changes).toEqual([]);
    const countable = repriceDraft(withMills('15000.100'), known, [
      { goods: before, prices: [price('61960', '15000.1'), price('61961', '30000')] },
    ]);
    expect(countable.changes).toEqual([]);
  });

  it('answers no price (and no total) for an item it cannot find or a day without a price', () => {
    const gone = goods(['161960', '161961']);
    const noNames = repriceDraft(body(), NO_ITEM_NAMES, [{ goods: gone, prices: [] }]);
    expect(noNames.changes.map((c) => c.newPrice)).toEqual([null, null]);
    expect(noNames.changes[0]!.itemName).toBe('61960'); // nothing better known
    expect(noNames.newTotal).toBeNull();
    expect(noNames.body.goods[0]!.options[0]!.goodsOptionItemId).toBe('61960');

    const closed = repriceDraft(body(), known, [{ goods: before, prices: [price('61960', '15000', '2030-05-08')] }]);
    expect(closed.changes.map((c) => c.newPrice)).toEqual([null, null]);
    expect(closed.newTotal).toBeNull();
  });
});

describe('WAUG 106 on the form', () => {
  const slots = bookingFormSlots([
    {
      quantity: 3,
      orderInfos: [
        {
          groupCategory: 'ORDER',
          fields: [
            {
              fieldId: '4',
              fieldName: 'Name',
              fieldExplain: null,
              fieldPlaceholder: null,
              fieldType: 'engname',
              choices: [],
              required: true,
            },
          ],
        },
        {
          groupCategory: 'GOODS',
          fields: [
            {
              fieldId: '67',
              fieldName: 'Hotel',
              fieldExplain: null,
              fieldPlaceholder: null,
              fieldType: 'text',
              choices: [],
              required: true,
            },
          ],
        },
        {
          groupCategory: 'EACH',
          fields: [
            {
              fieldId: '74',
              fieldName: 'Height',
              fieldExplain: null,
              fieldPlaceholder: null,
              fieldType: 'number',
              choices: [],
              required: true,
            },
          ],
        },
      ],
    },
  ]);

  it('pins ORDER, GOODS and EACH (by unit, counted from 1) onto their slots', () => {
    expect(waugFieldErrors('invalid order information: orderInfos: ORDER field 4 is required', slots)).toEqual([
      {
        slotKey: 'ORDER:4',
        problem: 'required',
        detail: 'invalid order information: orderInfos: ORDER field 4 is required',
      },
    ]);
    expect(
      waugFieldErrors('invalid order information: orderGoods[0]: GOODS field 67: expected text', slots),
    ).toMatchObject([{ slotKey: 'GOODS:0:67', problem: 'waug' }]);
    expect(
      waugFieldErrors('invalid order information: orderGoods[0]: EACH field 74 unit 3: expected a number', slots),
    ).toMatchObject([
      { slotKey: 'EACH:0:74:2', problem: 'waug', detail: expect.stringContaining('expected a number') },
    ]);
    expect(waugFieldErrors('orderGoods[0]: EACH field 74 needs 3 value(s), got 2', slots)).toMatchObject([
      { slotKey: 'EACH:0:74:0' },
    ]);
  });

  it('keeps WAUG’s words form-wide when it names no input of this form', () => {
    expect(waugFieldErrors('invalid order information', slots)).toEqual([
      { slotKey: null, problem: 'waug', detail: 'invalid order information' },
    ]);
    expect(waugFieldErrors('orderGoods[1]: GOODS field 67 is required', slots)).toMatchObject([{ slotKey: null }]);
    expect(waugFieldErrors('', slots)[0]!.detail).toMatch(/code 106/);
  });

  it('words the local checker’s problems in the form’s order', () => {
    expect(localFieldErrors(slots, { 'EACH:0:74:1': 'number', 'ORDER:4': 'required' })).toEqual([
      { slotKey: 'ORDER:4', problem: 'required', detail: null },
      { slotKey: 'EACH:0:74:1', problem: 'number', detail: null },
    ]);
  });
});
