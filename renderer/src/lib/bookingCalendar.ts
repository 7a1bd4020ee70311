/**
 * The booking calendar as data: a month's grid, which days may be picked, the lowest price of
 * each day, and where the arrow keys move. Days are WAUG's calendar days (Asia/Seoul), written
 * yyyy-MM-dd; the arithmetic here is plain calendar arithmetic, free of any zone, and only
 * "today" is taken in Seoul (waugToday), so a desk in Taipei after 23:00 sees Seoul's date.
 */
import type { GoodsPriceView } from '../../../shared/contract.js';
import { moneyToMinor } from '../../../shared/domain/bookingForm.js';
import { waugToday } from '../../../shared/domain/waugFields.js';

/** A calendar month, yyyy-MM. */
export type Month = string;

/** How far ahead the clerk may page; WAUG publishes prices months ahead, never years. */
const MAX_MONTHS_AHEAD = 12;

const DAY_MS = 86_400_000;

function dayMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

const dayOfMs = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Today in Seoul, yyyy-MM-dd. */
export const seoulToday = (nowMs: number = Date.now()): string => waugToday(nowMs);

export const monthOf = (day: string): Month => day.slice(0, 7);

export function addDays(day: string, days: number): string {
  return dayOfMs(dayMs(day) + days * DAY_MS);
}

export function addMonths(month: Month, delta: number): Month {
  const [year = 0, monthNumber = 1] = month.split('-').map(Number);
  const date = new Date(Date.UTC(year, monthNumber - 1 + delta, 1));
  return date.toISOString().slice(0, 7);
}

export function daysInMonth(month: Month): number {
  const [year = 0, monthNumber = 1] = month.split('-').map(Number);
  return new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
}

/** 0 = Sunday … 6 = Saturday. */
export const weekdayOf = (day: string): number => new Date(dayMs(day)).getUTCDay();

/** The days whose prices the calendar asks for: the month from today on; null when it is all past. */
export function priceRange(month: Month, today: string): { startDate: string; endDate: string } | null {
  const first = `${month}-01`;
  const last = `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
  if (last < today) return null;
  return { startDate: first < today ? today : first, endDate: last };
}

/**
 * The month as weeks of seven, Sunday first (as calendars in Taiwan and Korea are); days of
 * the neighbouring months are null, so only this month's days are buttons.
 */
export function monthGrid(month: Month): (string | null)[][] {
  const count = daysInMonth(month);
  const cells: (string | null)[] = Array.from({ length: weekdayOf(`${month}-01`) }, () => null);
  for (let day = 1; day <= count; day++) cells.push(`${month}-${String(day).padStart(2, '0')}`);
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let start = 0; start < cells.length; start += 7) weeks.push(cells.slice(start, start + 7));
  return weeks;
}

export interface DayPrice {
  price: string;
  currency: string;
}

/** The lowest unit price of each day over every option item (the calendar's "from" price). */
export function lowestPrices(prices: readonly GoodsPriceView[]): Map<string, DayPrice> {
  const lowest = new Map<string, { minor: bigint; price: DayPrice }>();
  for (const row of prices) {
    const minor = moneyToMinor(row.price);
    if (minor === null) continue;
    const current = lowest.get(row.date);
    if (current === undefined || minor < current.minor)
      lowest.set(row.date, { minor, price: { price: row.price, currency: row.currency } });
  }
  return new Map([...lowest].map(([date, { price }]) => [date, price]));
}

/** past: before today in Seoul · closed: no price that day · orderable: may be picked. */
export type DayState = 'past' | 'closed' | 'orderable';

export function dayState(day: string, today: string, prices: ReadonlyMap<string, DayPrice>): DayState {
  if (day < today) return 'past';
  return prices.has(day) ? 'orderable' : 'closed';
}

/** The month to show first: the picked day's, else today's; never before today's month. */
export function initialMonth(useDate: string | null, today: string): Month {
  const todayMonth = monthOf(today);
  if (useDate === null) return todayMonth;
  const month = monthOf(useDate);
  return month < todayMonth ? todayMonth : month;
}

/** The clerk may page between today's month and MAX_MONTHS_AHEAD after it. */
export function canShowMonth(month: Month, today: string): boolean {
  const todayMonth = monthOf(today);
  return month >= todayMonth && month <= addMonths(todayMonth, MAX_MONTHS_AHEAD);
}

export type CalendarMove = { kind: 'day'; day: string } | { kind: 'month'; delta: 1 | -1 } | null;

const STEPS: Readonly<Record<string, number>> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };

/**
 * Where a key moves the focus from `from`. Unorderable days cannot take focus (they are
 * disabled buttons), so the arrows jump over them in their direction, staying in the month;
 * Home/End go to the first/last orderable day of the week, PageUp/PageDown change the month.
 */
export function calendarKeyMove(key: string, from: string, isOrderable: (day: string) => boolean): CalendarMove {
  if (key === 'PageUp') return { kind: 'month', delta: -1 };
  if (key === 'PageDown') return { kind: 'month', delta: 1 };
  const month = monthOf(from);
  const step = STEPS[key];
  if (step !== undefined) {
    for (let day = addDays(from, step); monthOf(day) === month; day = addDays(day, step)) {
      if (isOrderable(day)) return { kind: 'day', day };
    }
    return null;
  }
  if (key === 'Home' || key === 'End') {
    const weekStart = addDays(from, -weekdayOf(from));
    const week = Array.from({ length: 7 }, (_, i) => addDays(weekStart, i)).filter(
      (day) => monthOf(day) === month && isOrderable(day),
    );
    const day = key === 'Home' ? week[0] : week[week.length - 1];
    return day === undefined || day === from ? null : { kind: 'day', day };
  }
  return null;
}

/** The day that holds the roving tab stop: the picked one when shown, else the first orderable. */
export function tabStopDay(month: Month, picked: string | null, isOrderable: (day: string) => boolean): string | null {
  if (picked !== null && monthOf(picked) === month && isOrderable(picked)) return picked;
  for (const week of monthGrid(month)) {
    for (const day of week) if (day !== null && isOrderable(day)) return day;
  }
  return null;
}
