import { describe, expect, it } from 'vitest';
import type { GoodsPriceView } from '../../../shared/contract.js';
import {
  clampQuantity,
  DayPrices,
  lineNames,
  optionsProblem,
  quantityOf,
  repriceLines,
  subtotalOf,
  timeslotsOf,
  unitsOf,
  withQuantity,
  withTimeslot,
  type DraftOption,
  type GoodsOption,
} from './bookingOptions.js';

const ADULT = { goodsOptionId: '10', goodsOptionItemId: '100' };
const CHILD = { goodsOptionId: '10', goodsOptionItemId: '101' };
const SHOW = { goodsOptionId: '20', goodsOptionItemId: '200' };

const OPTIONS: GoodsOption[] = [
  {
    goodsOptionId: '10',
    goodsOptionName: 'Ticket',
    items: [
      { goodsOptionItemId: '100', goodsOptionItemName: 'Adult' },
      { goodsOptionItemId: '101', goodsOptionItemName: 'Child' },
    ],
    timeslots: [],
  },
  {
    goodsOptionId: '20',
    goodsOptionName: 'Show',
    items: [{ goodsOptionItemId: '200', goodsOptionItemName: 'Seat' }],
    timeslots: [
      { goodsOptionTimeslotId: '7', time: '17:00' },
      { goodsOptionTimeslotId: '8', time: '20:00' },
    ],
  },
];

const row = (date: string, ref: typeof ADULT, price: string): GoodsPriceView => ({
  date,
  ...ref,
  price,
  currency: 'TWD',
});
const PRICES = [
  row('2026-03-10', ADULT, '1650'),
  row('2026-03-10', CHILD, '1450'),
  row('2026-03-10', SHOW, '800'),
  row('2026-03-11', ADULT, '1700'),
];

const line = (ref: typeof ADULT, quantity: number, price: string, slot: string | null = null): DraftOption => ({
  ...ref,
  goodsOptionTimeslotId: slot,
  quantity,
  price,
});

describe('clampQuantity', () => {
  it('turns whatever was typed into 0–99', () => {
    expect(clampQuantity('3')).toBe(3);
    expect(clampQuantity(' 12 ')).toBe(12);
    expect(clampQuantity('')).toBe(0);
    expect(clampQuantity('abc')).toBe(0);
    expect(clampQuantity('-2')).toBe(0);
    expect(clampQuantity('150')).toBe(99);
    expect(clampQuantity(2.7)).toBe(2);
    expect(clampQuantity(Number.NaN)).toBe(0);
  });
});

describe('DayPrices', () => {
  it('holds the unit prices of the picked day only', () => {
    const day = new DayPrices(PRICES, '2026-03-11');
    expect(day.of(ADULT)).toEqual({ price: '1700', currency: 'TWD' });
    expect(day.of(CHILD)).toBeNull();
    expect(day.size).toBe(1);
    expect(new DayPrices(PRICES, null).size).toBe(0);
  });
});

describe('option lines', () => {
  it('adds, changes and removes a line by quantity', () => {
    let lines = withQuantity([], ADULT, 2, '1650', null);
    lines = withQuantity(lines, CHILD, 1, '1450', null);
    expect(lines.map((l) => [l.goodsOptionItemId, l.quantity])).toEqual([
      ['100', 2],
      ['101', 1],
    ]);
    lines = withQuantity(lines, ADULT, 3, '1650', null);
    expect(quantityOf(lines, ADULT)).toBe(3);
    expect(lines[0]?.goodsOptionItemId).toBe('100'); // keeps its place
    lines = withQuantity(lines, ADULT, 0, '1650', null);
    expect(quantityOf(lines, ADULT)).toBe(0);
    expect(lines).toHaveLength(1);
  });

  it('never adds an item that has no price that day, and caps at 99', () => {
    expect(withQuantity([], ADULT, 2, null, null)).toEqual([]);
    expect(withQuantity([], ADULT, 500, '1', null)[0]?.quantity).toBe(99);
  });

  it('carries the option timeslot, and moves every line of that option only', () => {
    let lines = withQuantity([], SHOW, 2, '800', '7');
    lines = withQuantity(lines, ADULT, 1, '1650', null);
    expect(lines[0]?.goodsOptionTimeslotId).toBe('7');
    lines = withTimeslot(lines, '20', '8');
    expect(lines.map((l) => l.goodsOptionTimeslotId)).toEqual(['8', null]);
    expect(timeslotsOf(lines)).toEqual({ '20': '8' });
  });

  it('reprices lines for a new day and drops those with no price then', () => {
    const lines = [line(ADULT, 2, '1650'), line(CHILD, 1, '1450')];
    const { lines: kept, dropped } = repriceLines(lines, new DayPrices(PRICES, '2026-03-11'));
    expect(kept).toEqual([line(ADULT, 2, '1700')]);
    expect(dropped.map((l) => l.goodsOptionItemId)).toEqual(['101']);
  });

  it('sums units and money without floats', () => {
    const lines = [line(ADULT, 2, '1650'), line(CHILD, 1, '1450')];
    expect(unitsOf(lines)).toBe(3);
    expect(subtotalOf(lines)).toBe('4750');
    expect(subtotalOf([line(ADULT, 3, '0.1')])).toBe('0.3');
    expect(subtotalOf([])).toBe('0');
  });
});

describe('optionsProblem', () => {
  const day = new DayPrices(PRICES, '2026-03-10');

  it('needs at least one unit', () => {
    expect(optionsProblem(OPTIONS, [], day)).toBe('no_units');
  });

  it('needs a time for an ordered option with timeslots, not for the others', () => {
    expect(optionsProblem(OPTIONS, [line(ADULT, 1, '1650')], day)).toBeNull();
    expect(optionsProblem(OPTIONS, [line(SHOW, 1, '800')], day)).toBe('timeslot');
    expect(optionsProblem(OPTIONS, [line(SHOW, 1, '800', '99')], day)).toBe('timeslot');
    expect(optionsProblem(OPTIONS, [line(SHOW, 1, '800', '8')], day)).toBeNull();
  });

  it('refuses a line without a price on the day', () => {
    expect(optionsProblem(OPTIONS, [line(CHILD, 1, '1450')], new DayPrices(PRICES, '2026-03-11'))).toBe('price');
  });
});

describe('lineNames', () => {
  it('names a line by its option, item and time, falling back to ids', () => {
    expect(lineNames(OPTIONS, { ...SHOW, goodsOptionTimeslotId: '8' })).toEqual({
      optionName: 'Show',
      itemName: 'Seat',
      time: '20:00',
    });
    expect(lineNames(OPTIONS, { goodsOptionId: '99', goodsOptionItemId: '999' })).toEqual({
      optionName: '99',
      itemName: '999',
      time: null,
    });
  });
});
