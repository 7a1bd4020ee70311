/**
 * The Orders view's filters as data: the default date range (Taipei calendar days), the
 * request sent to searchOrders, and whether a range may be pulled from WAUG.
 */
import type { Request } from '../../../shared/contract.js';
import { WAUG_ORDER_STATUSES, type WaugOrderStatus } from '../../../shared/domain/waug.js';
import { DISPLAY_TIME_ZONE } from '../../../shared/i18n/index.js';

export const ORDERS_LIMIT = 10_000;
export const DEFAULT_RANGE_DAYS = 30;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const dayFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: DISPLAY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day in Taipei, yyyy-MM-dd, whatever the machine's zone. */
export function taipeiDay(date: Date): string {
  const parts = Object.fromEntries(dayFormatter.formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts['year']}-${parts['month']}-${parts['day']}`;
}

/** Calendar arithmetic on yyyy-MM-dd, free of any zone. */
export function addDays(day: string, days: number): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(ms)) return day;
  return new Date(ms + days * 86_400_000).toISOString().slice(0, 10);
}

export function defaultRange(now: Date = new Date(), days = DEFAULT_RANGE_DAYS): { from: string; to: string } {
  const to = taipeiDay(now);
  return { from: addDays(to, -days), to };
}

/** The time of an answer received just now, for its "as of" line. */
export const isoNow = (): string => new Date().toISOString();

export const isDay = (value: string): boolean => DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

export type RangeProblem = 'incomplete' | 'invalid' | 'reversed' | 'too_long';

/** Main refuses longer pulls (one request per day, paced under WAUG's rate limit). */
export const PULL_MAX_DAYS = 366;

const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

/** A pull needs both days, in order, at most PULL_MAX_DAYS apart (both ends included). */
export function rangeProblem(from: string, to: string): RangeProblem | null {
  if (from === '' || to === '') return 'incomplete';
  if (!isDay(from) || !isDay(to)) return 'invalid';
  if (from > to) return 'reversed';
  return daysBetween(from, to) > PULL_MAX_DAYS ? 'too_long' : null;
}

export interface OrderFilters {
  number: string;
  from: string;
  to: string;
  statuses: readonly WaugOrderStatus[];
}

/** Empty or unreadable parts are left out rather than sent; a reversed range searches nothing useful, so it is swapped. */
export function buildSearchRequest(filters: OrderFilters, limit = ORDERS_LIMIT): Request<'searchOrders'> {
  const request: Request<'searchOrders'> = { limit };
  const number = filters.number.trim().slice(0, 40);
  if (number !== '') request.number = number;
  let from = isDay(filters.from) ? filters.from : undefined;
  let to = isDay(filters.to) ? filters.to : undefined;
  if (from !== undefined && to !== undefined && from > to) [from, to] = [to, from];
  if (from !== undefined) request.from = from;
  if (to !== undefined) request.to = to;
  // All statuses chosen is the same as none: no filter.
  const statuses = WAUG_ORDER_STATUSES.filter((status) => filters.statuses.includes(status));
  if (statuses.length > 0 && statuses.length < WAUG_ORDER_STATUSES.length) request.statuses = statuses;
  return request;
}

export function toggleStatus(statuses: readonly WaugOrderStatus[], status: WaugOrderStatus): WaugOrderStatus[] {
  return statuses.includes(status) ? statuses.filter((each) => each !== status) : [...statuses, status];
}
