/**
 * The outbox's Bookings tab as data: WAUG orders booked for mapped Yahoo order items, which
 * filter shows which rows, in what order, the state chip, and a failure in words. Pure.
 */
import type { BookingEntry } from '../../../shared/contract.js';
import { ERROR_CODES, type ErrorCode } from '../../../shared/errors.js';
import type { MessageKey, Translator } from '../../../shared/i18n/index.js';

export const BOOKING_FILTERS = ['open', 'failed', 'all'] as const;
export type BookingFilter = (typeof BOOKING_FILTERS)[number];
export type BookingState = BookingEntry['state'];

export const BOOKING_STATE_KEYS: Record<BookingState, MessageKey> = {
  queued: 'booking.state.queued',
  booked: 'booking.state.booked',
  failed: 'booking.state.failed',
};

/** The contract's filters, applied again here so a list never shows a row its filter does not name. */
export function inBookingFilter(entry: BookingEntry, filter: BookingFilter): boolean {
  switch (filter) {
    case 'open':
      return entry.state === 'queued' || entry.state === 'failed';
    case 'failed':
      return entry.state === 'failed';
    case 'all':
      return true;
  }
}

const time = (iso: string): number => Date.parse(iso) || 0;

/** Failed bookings (they need a person) first, then newest first. */
export function arrangeBookings(rows: readonly BookingEntry[], filter: BookingFilter): BookingEntry[] {
  return rows
    .filter((entry) => inBookingFilter(entry, filter))
    .sort((a, b) => {
      const urgent = Number(b.state === 'failed') - Number(a.state === 'failed');
      if (urgent !== 0) return urgent;
      const byTime = time(b.createdAt) - time(a.createdAt);
      return byTime !== 0 ? byTime : b.orderItemId.localeCompare(a.orderItemId);
    });
}

export function canRetryBooking(entry: BookingEntry): boolean {
  return entry.state === 'failed';
}

/** Replaces one row after a retry answered, keeping the filter's rules. */
export function replaceBooking(
  rows: readonly BookingEntry[],
  updated: BookingEntry,
  filter: BookingFilter,
): BookingEntry[] {
  const next = rows.map((row) => (row.orderItemId === updated.orderItemId ? updated : row));
  return arrangeBookings(next, filter);
}

function isErrorCode(value: string): value is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * A booking's lastError is text from main. When it is, or starts with, one of our error codes
 * ("rate_limited", "network: ECONNRESET"), the clerk gets the catalog's words for a WAUG call;
 * anything else (WAUG's own message) is shown as received rather than hidden.
 */
export function bookingProblemInWords(tr: Translator, text: string): string {
  const trimmed = text.trim();
  const code = /^([a-z_]+)(?=$|[\s:(])/.exec(trimmed)?.[1];
  if (code !== undefined && isErrorCode(code)) return tr.waugError(code);
  return trimmed;
}
