/**
 * Locale-aware formatting that the catalogs do not do themselves: times are always shown in
 * Asia/Taipei (the counter's wall clock, whatever the machine's zone), prices in NT$ without
 * ever turning the decimal string into a float. Pure: Intl only, no DOM, no node APIs.
 */
import type { Locale } from './locales.js';

export const DISPLAY_TIME_ZONE = 'Asia/Taipei';

/** The Intl locale used for dates: 'en' uses day-month-year so no one reads 05/01 as May. */
const DATE_LOCALE: Record<Locale, string> = { 'zh-TW': 'zh-TW', en: 'en-GB' };

type DateStyle = 'dateTime' | 'date' | 'time' | 'clock' | 'clockDate';

const DATE_OPTIONS: Record<Locale, Record<DateStyle, Intl.DateTimeFormatOptions>> = {
  'zh-TW': {
    dateTime: {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    },
    date: { year: 'numeric', month: '2-digit', day: '2-digit' },
    time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
    clock: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
    clockDate: { month: 'numeric', day: 'numeric', weekday: 'short' },
  },
  en: {
    dateTime: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
    date: { year: 'numeric', month: 'short', day: 'numeric' },
    time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
    clock: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
    clockDate: { weekday: 'short', day: 'numeric', month: 'short' },
  },
};

const formatterCache = new Map<string, Intl.DateTimeFormat>();

function dateFormatter(locale: Locale, style: DateStyle): Intl.DateTimeFormat {
  const key = `${locale}|${style}`;
  let formatter = formatterCache.get(key);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat(DATE_LOCALE[locale], {
      ...DATE_OPTIONS[locale][style],
      timeZone: DISPLAY_TIME_ZONE,
    });
    formatterCache.set(key, formatter);
  }
  return formatter;
}

export type TimeInput = string | Date | null | undefined;

function toDate(input: TimeInput): Date | null {
  if (input === null || input === undefined || input === '') return null;
  const date = input instanceof Date ? input : new Date(input);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Formats a time in Asia/Taipei. A missing time gives `fallback`; an unreadable one is shown
 * as received rather than hidden, so the clerk still sees what Yahoo said.
 */
export function formatTime(locale: Locale, style: DateStyle, input: TimeInput, fallback = '—'): string {
  const date = toDate(input);
  if (date === null) return typeof input === 'string' && input !== '' ? input : fallback;
  // ICU versions differ in which no-break space they put between date and time; a plain space
  // keeps output identical across Node, Chromium and Electron.
  return dateFormatter(locale, style)
    .format(date)
    .replace(/[\u00a0\u202f\u2009]/g, ' ');
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * "1200" → "NT$1,200", "99.50" → "NT$99.50", "200.00" → "NT$200". Works on the digits as text,
 * so no price is ever rounded through a float. Anything that is not a decimal is shown as given.
 */
export function formatPriceTwd(price: string): string {
  const match = DECIMAL.exec(price.trim());
  if (match === null) return price;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const wholeTrimmed = whole.replace(/^0+(?=\d)/, '');
  const grouped = wholeTrimmed.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = /^0*$/.test(fraction) ? '' : `.${fraction.padEnd(2, '0')}`;
  return `${sign}NT$${grouped}${cents}`;
}

/**
 * A WAUG amount in its own currency: "52000" KRW → "52,000 KRW", TWD → "NT$52,000", no currency
 * → "52,000". Digits as text, never a float.
 */
export function formatMoney(amount: string, currency: string | null): string {
  const code = currency?.trim().toUpperCase() ?? '';
  if (code === 'TWD') return formatPriceTwd(amount);
  const match = DECIMAL.exec(amount.trim());
  if (match === null) return code === '' ? amount : `${amount} ${code}`;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const grouped = whole.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = /^0*$/.test(fraction) ? '' : `.${fraction}`;
  const digits = `${sign}${grouped}${cents}`;
  return code === '' ? digits : `${digits} ${code}`;
}

export type Freshness =
  | { kind: 'live' }
  | { kind: 'minutes'; minutes: number }
  | { kind: 'hours'; hours: number }
  | { kind: 'days'; days: number };

/** Under a minute since Yahoo answered is "live"; anything older says how old it is. */
export const LIVE_WINDOW_MS = 60_000;

export function freshnessOf(source: 'remote' | 'cache', fetchedAt: TimeInput, now: Date): Freshness {
  const fetched = toDate(fetchedAt);
  const ageMs = fetched === null ? Number.POSITIVE_INFINITY : Math.max(0, now.getTime() - fetched.getTime());
  if (source === 'remote' && ageMs < LIVE_WINDOW_MS) return { kind: 'live' };
  if (!Number.isFinite(ageMs)) return { kind: 'days', days: 0 };
  const minutes = Math.floor(ageMs / 60_000);
  if (minutes < 60) return { kind: 'minutes', minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return { kind: 'hours', hours };
  return { kind: 'days', days: Math.floor(hours / 24) };
}
