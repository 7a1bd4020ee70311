import { describe, expect, it } from 'vitest';
import type { GoodsPriceView } from '../../../shared/contract.js';
import {
  addMonths,
  calendarKeyMove,
  canShowMonth,
  dayState,
  daysInMonth,
  initialMonth,
  lowestPrices,
  monthGrid,
  priceRange,
  seoulToday,
  tabStopDay,
  weekdayOf,
} from './bookingCalendar.js';

const price = (date: string, item: string, amount: string): GoodsPriceView => ({
  date,
  goodsOptionId: '1',
  goodsOptionItemId: item,
  price: amount,
  currency: 'TWD',
});

describe('days in Seoul', () => {
  it('takes today in Seoul, not in UTC or Taipei', () => {
    expect(seoulToday(Date.parse('2026-03-01T14:59:59Z'))).toBe('2026-03-01');
    // 00:00 in Seoul is still 23:00 the day before in Taipei.
    expect(seoulToday(Date.parse('2026-03-01T15:00:00Z'))).toBe('2026-03-02');
  });

  it('does month arithmetic across years and leap days', () => {
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-03', 12)).toBe('2027-03');
    expect(daysInMonth('2024-02')).toBe(29);
    expect(daysInMonth('2026-02')).toBe(28);
    expect(daysInMonth('2026-12')).toBe(31);
    expect(weekdayOf('2026-03-01')).toBe(0);
  });
});

describe('monthGrid', () => {
  it('lays a month out in Sunday-first weeks with only its own days', () => {
    const march = monthGrid('2026-03'); // 1 March 2026 is a Sunday
    expect(march[0]?.[0]).toBe('2026-03-01');
    expect(march.every((week) => week.length === 7)).toBe(true);
    expect(march.flat().filter((day) => day !== null)).toHaveLength(31);

    const april = monthGrid('2026-04'); // a Wednesday
    expect(april[0]?.slice(0, 4)).toEqual([null, null, null, '2026-04-01']);
    expect(april.flat().at(-1)).toBeNull();
    expect(
      april
        .flat()
        .filter((day) => day !== null)
        .at(-1),
    ).toBe('2026-04-30');
  });
});

describe('priceRange', () => {
  it('asks only for days from today on', () => {
    expect(priceRange('2026-03', '2026-03-10')).toEqual({ startDate: '2026-03-10', endDate: '2026-03-31' });
    expect(priceRange('2026-04', '2026-03-10')).toEqual({ startDate: '2026-04-01', endDate: '2026-04-30' });
    expect(priceRange('2026-02', '2026-03-10')).toBeNull();
    expect(priceRange('2026-03', '2026-03-31')).toEqual({ startDate: '2026-03-31', endDate: '2026-03-31' });
  });
});

describe('lowestPrices and dayState', () => {
  const prices = [
    price('2026-03-10', 'adult', '1000'),
    price('2026-03-10', 'child', '900'),
    price('2026-03-11', 'adult', '99.5'),
    price('2026-03-11', 'child', '99.45'),
    price('2026-03-12', 'adult', 'n/a'),
  ];

  it('takes the lowest unit price of each day, comparing amounts, not text', () => {
    const lowest = lowestPrices(prices);
    expect(lowest.get('2026-03-10')).toEqual({ price: '900', currency: 'TWD' });
    expect(lowest.get('2026-03-11')?.price).toBe('99.45');
    expect(lowest.has('2026-03-12')).toBe(false);
  });

  it('disables past days and days without a price', () => {
    const lowest = lowestPrices(prices);
    expect(dayState('2026-03-10', '2026-03-10', lowest)).toBe('orderable');
    expect(dayState('2026-03-10', '2026-03-11', lowest)).toBe('past');
    expect(dayState('2026-03-13', '2026-03-10', lowest)).toBe('closed');
  });
});

describe('which months may be shown', () => {
  it('opens on the picked day, never before today', () => {
    expect(initialMonth(null, '2026-03-10')).toBe('2026-03');
    expect(initialMonth('2026-05-02', '2026-03-10')).toBe('2026-05');
    expect(initialMonth('2026-01-02', '2026-03-10')).toBe('2026-03');
  });

  it('pages from this month to a year ahead', () => {
    expect(canShowMonth('2026-02', '2026-03-10')).toBe(false);
    expect(canShowMonth('2026-03', '2026-03-10')).toBe(true);
    expect(canShowMonth('2027-03', '2026-03-10')).toBe(true);
    expect(canShowMonth('2027-04', '2026-03-10')).toBe(false);
  });
});

describe('keyboard', () => {
  // In March 2026: the 10th–20th are orderable except the 13th and the 17th.
  const closed = new Set(['2026-03-13', '2026-03-17']);
  const orderable = (day: string) => day >= '2026-03-10' && day <= '2026-03-20' && !closed.has(day);

  it('moves by day and week, jumping over days that cannot be booked', () => {
    expect(calendarKeyMove('ArrowRight', '2026-03-12', orderable)).toEqual({ kind: 'day', day: '2026-03-14' });
    expect(calendarKeyMove('ArrowLeft', '2026-03-14', orderable)).toEqual({ kind: 'day', day: '2026-03-12' });
    expect(calendarKeyMove('ArrowDown', '2026-03-11', orderable)).toEqual({ kind: 'day', day: '2026-03-18' });
    expect(calendarKeyMove('ArrowUp', '2026-03-18', orderable)).toEqual({ kind: 'day', day: '2026-03-11' });
  });

  it('stays put at the edge rather than leaving the month or landing on a closed day', () => {
    expect(calendarKeyMove('ArrowLeft', '2026-03-10', orderable)).toBeNull();
    expect(calendarKeyMove('ArrowDown', '2026-03-10', orderable)).toBeNull(); // 17th closed, 24th and 31st not bookable
    expect(calendarKeyMove('Enter', '2026-03-10', orderable)).toBeNull();
  });

  it('goes to the ends of the week and pages months', () => {
    expect(calendarKeyMove('Home', '2026-03-18', orderable)).toEqual({ kind: 'day', day: '2026-03-15' });
    expect(calendarKeyMove('End', '2026-03-18', orderable)).toEqual({ kind: 'day', day: '2026-03-20' });
    expect(calendarKeyMove('Home', '2026-03-15', orderable)).toBeNull();
    expect(calendarKeyMove('PageDown', '2026-03-18', orderable)).toEqual({ kind: 'month', delta: 1 });
    expect(calendarKeyMove('PageUp', '2026-03-18', orderable)).toEqual({ kind: 'month', delta: -1 });
  });

  it('keeps one tab stop: the picked day when shown, else the first bookable day', () => {
    expect(tabStopDay('2026-03', '2026-03-16', orderable)).toBe('2026-03-16');
    expect(tabStopDay('2026-03', '2026-03-17', orderable)).toBe('2026-03-10');
    expect(tabStopDay('2026-03', '2026-04-02', orderable)).toBe('2026-03-10');
    expect(tabStopDay('2026-04', null, orderable)).toBeNull();
  });
});
