/**
 * Counter booking, pure parts: the order request built from a draft (ORDER once, GOODS per goods,
 * EACH one value per unit, timeslot '0' for an option without timeslots), what is still missing
 * before a draft can be sent, the desk's partner numbers, and a booking file turned into a draft.
 */
import { describe, expect, it } from 'vitest';
import type { DraftBody } from '../../shared/contract.js';
import { DeskError } from '../../shared/errors.js';
import { draftBodyFromRequest } from '../../electron/core/counterBooking/orderFile.js';
import { newPartnerOrderNumber, partnerNumberProblem } from '../../electron/core/counterBooking/partnerNumber.js';
import {
  buildOrderRequest,
  draftSlots,
  draftTotal,
  incompleteReason,
  type LineGoods,
} from '../../electron/core/counterBooking/request.js';
import type { WaugOrderRequest } from '../../electron/core/waug/api.js';
import { makeWaugGoods } from '../helpers/waugOrders.js';

const field = (fieldId: string, fieldType: 'engname' | 'birthdate' | 'text' | 'mobile', required = true) => ({
  fieldId,
  fieldName: `field ${fieldId}`,
  fieldExplain: null,
  fieldPlaceholder: null,
  fieldType,
  choices: [],
  required,
});

/** A line of the tour's 'Ticket type' option (28970), as a draft (timeslot null) or a request ('0') holds it. */
const ticket = <T extends string | null>(
  goodsOptionItemId: string,
  goodsOptionTimeslotId: T,
  quantity: number,
  price: string,
) => ({
  goodsOptionId: '28970',
  goodsOptionItemId,
  goodsOptionTimeslotId,
  quantity,
  price,
});

/** A tour like the sandbox's: ORDER contact, a GOODS hotel, EACH name and birth date; one option with timeslots, one without. */
const TOUR: LineGoods = {
  goods: makeWaugGoods({
    goodsId: '107402',
    goodsName: 'Taroko Gorge Day Tour',
    city: 'Hualien',
    options: [
      {
        goodsOptionId: '28970',
        goodsOptionName: 'Ticket type',
        items: [
          { goodsOptionItemId: '61870', goodsOptionItemName: 'Adult' },
          { goodsOptionItemId: '61871', goodsOptionItemName: 'Child' },
        ],
        timeslots: [],
      },
      {
        goodsOptionId: '28971',
        goodsOptionName: 'Pickup',
        items: [{ goodsOptionItemId: '61880', goodsOptionItemName: 'Hotel pickup' }],
        timeslots: [
          { goodsOptionTimeslotId: '570', time: '08:00' },
          { goodsOptionTimeslotId: '571', time: '09:00' },
        ],
      },
    ],
  }),
  orderInfos: [
    { groupCategory: 'ORDER', fields: [field('4', 'engname'), field('2', 'mobile'), field('1', 'text', false)] },
    { groupCategory: 'GOODS', fields: [field('67', 'text'), field('76', 'text', false)] },
    { groupCategory: 'EACH', fields: [field('5', 'engname'), field('9', 'birthdate')] },
  ],
};

function tourBody(values: Record<string, string> = {}): DraftBody {
  return {
    goods: [
      {
        goodsId: '107402',
        goodsName: 'Taroko Gorge Day Tour',
        useDate: '2030-05-07',
        options: [ticket('61870', null, 2, '1650'), ticket('61871', null, 1, '1450.5')],
        additionalInput: '',
      },
    ],
    values,
    step: 'confirm',
    replacesOrderNumber: null,
  };
}

const FILLED = {
  'ORDER:4': 'hong gildong',
  'ORDER:2': '+886 912-345-678',
  'GOODS:0:67': 'Silks Place',
  'EACH:0:5:0': 'HONG GILDONG',
  'EACH:0:5:1': 'KIM MINJI',
  'EACH:0:5:2': 'LEE JIWOO',
  'EACH:0:9:0': '1980-01-02',
  'EACH:0:9:1': '1985-03-04',
  'EACH:0:9:2': '2015-06-07',
};

describe('buildOrderRequest', () => {
  it('sends ORDER once, GOODS once, EACH with one value per unit, normalised, and timeslot 0 without timeslots', () => {
    const body = tourBody(FILLED);
    const slots = draftSlots(body, [TOUR]);
    expect(slots.filter((s) => s.group === 'EACH')).toHaveLength(6); // 2 fields × 3 units
    const request = buildOrderRequest({ partnerOrderNumber: 'VDB260101ABCDEFGHJK', locale: 'en', body, slots });
    expect(request).toEqual({
      partnerOrderNumber: 'VDB260101ABCDEFGHJK',
      locale: 'en',
      orderInfos: [
        { fieldId: '4', groupCategory: 'ORDER', values: ['HONG GILDONG'] },
        { fieldId: '2', groupCategory: 'ORDER', values: ['886912345678'] },
      ],
      orderGoods: [
        {
          goodsId: '107402',
          useDate: '2030-05-07',
          orderOptions: [ticket('61870', '0', 2, '1650'), ticket('61871', '0', 1, '1450.5')],
          orderInfos: [
            { fieldId: '67', groupCategory: 'GOODS', values: ['Silks Place'] },
            { fieldId: '5', groupCategory: 'EACH', values: ['HONG GILDONG', 'KIM MINJI', 'LEE JIWOO'] },
            { fieldId: '9', groupCategory: 'EACH', values: ['1980-01-02', '1985-03-04', '2015-06-07'] },
          ],
        },
      ],
    });
    expect(draftTotal(body)).toBe('4750.5');
  });

  it('keeps a picked timeslot and the additional input', () => {
    const body = tourBody(FILLED);
    body.goods[0]!.options = [
      { goodsOptionId: '28971', goodsOptionItemId: '61880', goodsOptionTimeslotId: '571', quantity: 1, price: '200' },
    ];
    body.goods[0]!.additionalInput = 'Vegetarian lunch';
    const request = buildOrderRequest({
      partnerOrderNumber: 'P1',
      locale: 'zh-TW',
      body,
      slots: draftSlots(body, [TOUR]),
    });
    expect(request.orderGoods[0]).toMatchObject({
      additionalInput: 'Vegetarian lunch',
      orderOptions: [{ goodsOptionTimeslotId: '571', quantity: 1 }],
    });
  });
});

describe('incompleteReason', () => {
  it('asks for a date, then an option, then a timeslot the option needs, then a timeslot still offered', () => {
    const body = tourBody();
    expect(incompleteReason(body)).toBeNull();
    expect(incompleteReason({ ...body, goods: [{ ...body.goods[0]!, useDate: null }] })).toMatch(/date of use/);
    expect(incompleteReason({ ...body, goods: [{ ...body.goods[0]!, options: [] }] })).toMatch(/at least one option/);
    const needsSlot: DraftBody = {
      ...body,
      goods: [
        {
          ...body.goods[0]!,
          options: [
            {
              goodsOptionId: '28971',
              goodsOptionItemId: '61880',
              goodsOptionTimeslotId: null,
              quantity: 1,
              price: '1',
            },
          ],
        },
      ],
    };
    expect(incompleteReason(needsSlot)).toBeNull(); // without the goods, the options cannot be judged
    expect(incompleteReason(needsSlot, [TOUR])).toMatch(/Pick a time for Pickup/);
    needsSlot.goods[0]!.options[0]!.goodsOptionTimeslotId = '999';
    expect(incompleteReason(needsSlot, [TOUR])).toMatch(/no longer offered/);
  });
});

describe('partner numbers', () => {
  it('makes VDB + the Seoul day + 10 alphabet characters: never digits only, at most 40', () => {
    let i = 0;
    const number = newPartnerOrderNumber(Date.parse('2026-03-04T16:30:00Z'), (n) => i++ % n);
    // 16:30 UTC is already 5 March in Seoul.
    expect(number).toBe('VDB26030523456789AB');
    expect(number.length).toBeLessThanOrEqual(40);
    const random = newPartnerOrderNumber(Date.now());
    expect(random).toMatch(/^VDB\d{6}[23456789ABCDEFGHJKMNPQRSTUVWXY]{10}$/);
    expect(partnerNumberProblem(random)).toBeNull();
    expect(newPartnerOrderNumber(Date.now())).not.toBe(random);
  });

  it('refuses a file number that is empty, too long, oddly written, or all digits like a Yahoo orderItemId', () => {
    expect(partnerNumberProblem('')).toMatch(/empty/);
    expect(partnerNumberProblem('A'.repeat(41))).toMatch(/longer than 40/);
    expect(partnerNumberProblem('has space')).toMatch(/only letters, digits/);
    expect(partnerNumberProblem('123456789012')).toMatch(/Yahoo orderItemId/);
    expect(partnerNumberProblem('SHOP-2026_001')).toBeNull();
  });
});

describe('draftBodyFromRequest (book --file)', () => {
  const request = (overrides: Partial<WaugOrderRequest> = {}): WaugOrderRequest => ({
    partnerOrderNumber: 'SHOP-1',
    locale: 'en',
    orderGoods: [
      {
        goodsId: '107402',
        useDate: '2030-05-07',
        orderOptions: [ticket('61870', '0', 3, '1650')],
        orderInfos: [
          { fieldId: '67', groupCategory: 'GOODS', values: ['Silks Place'] },
          { fieldId: '5', groupCategory: 'EACH', values: ['A', 'B', 'C'] },
        ],
      },
    ],
    orderInfos: [{ fieldId: '4', groupCategory: 'ORDER', values: ['HONG GILDONG'] }],
    ...overrides,
  });

  it('turns orderInfos into slot values, timeslot 0 into none, and takes the goods name from WAUG', () => {
    const body = draftBodyFromRequest(request(), [TOUR]);
    expect(body.goods[0]).toMatchObject({
      goodsName: 'Taroko Gorge Day Tour',
      options: [{ goodsOptionTimeslotId: null, quantity: 3, price: '1650' }],
    });
    expect(body.values).toEqual({
      'ORDER:4': 'HONG GILDONG',
      'GOODS:0:67': 'Silks Place',
      'EACH:0:5:0': 'A',
      'EACH:0:5:1': 'B',
      'EACH:0:5:2': 'C',
    });
  });

  it('refuses, with every place named, an EACH count off the units, a field the goods lacks, and bad quantities', () => {
    const bad = request();
    bad.orderGoods[0]!.orderInfos = [
      { fieldId: '5', groupCategory: 'EACH', values: ['A', 'B'] },
      { fieldId: '99', groupCategory: 'GOODS', values: ['x'] },
    ];
    bad.orderInfos = [{ fieldId: '4', groupCategory: 'ORDER', values: ['A', 'B'] }];
    let error: unknown;
    try {
      draftBodyFromRequest(bad, [TOUR]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeskError);
    expect((error as DeskError).code).toBe('bad_input');
    const message = (error as DeskError).message;
    expect(message).toContain('orderGoods[0].orderInfos: EACH field 5 has 2 value(s) for 3 unit(s)');
    expect(message).toContain('orderInfos: field 4 needs exactly one value, not 2');
    expect(message).toContain('orderGoods[0].orderInfos: field 99 is not a GOODS field of goods 107402');

    const tooMany = request();
    tooMany.orderGoods[0]!.orderOptions[0]!.quantity = 100;
    tooMany.orderGoods[0]!.orderInfos = [];
    expect(() => draftBodyFromRequest(tooMany, [TOUR])).toThrow(/goods\.0\.options\.0\.quantity/);
  });
});
