import { describe, expect, it } from 'vitest';
import type { BookingEntry } from '../../../shared/contract.js';
import { createTranslator } from '../../../shared/i18n/index.js';
import {
  arrangeBookings,
  bookingProblemInWords,
  canRetryBooking,
  inBookingFilter,
  replaceBooking,
} from './bookings.js';

function booking(id: string, state: BookingEntry['state'], createdAt: string): BookingEntry {
  return {
    orderItemId: id,
    yahooOrderId: 'YM1',
    serialNumber: `VD${id}`,
    waugGoodsId: '5001',
    state,
    attempts: state === 'queued' ? 0 : 2,
    nextAttemptAt: null,
    lastError: state === 'failed' ? 'rate_limited' : null,
    waugOrderNumber: state === 'booked' ? `W-${id}` : null,
    createdAt,
    completedAt: null,
  };
}

const rows = [
  booking('A', 'booked', '2025-01-05T01:00:00Z'),
  booking('B', 'queued', '2025-01-05T03:00:00Z'),
  booking('C', 'failed', '2025-01-05T02:00:00Z'),
];

describe('bookings', () => {
  it('filters as the contract says', () => {
    expect(rows.filter((r) => inBookingFilter(r, 'open')).map((r) => r.orderItemId)).toEqual(['B', 'C']);
    expect(rows.filter((r) => inBookingFilter(r, 'failed')).map((r) => r.orderItemId)).toEqual(['C']);
    expect(rows.filter((r) => inBookingFilter(r, 'all'))).toHaveLength(3);
  });

  it('puts failed bookings first, then newest first', () => {
    expect(arrangeBookings(rows, 'all').map((r) => r.orderItemId)).toEqual(['C', 'B', 'A']);
  });

  it('offers a retry only for a failed booking, and a retried one leaves the failed list', () => {
    expect(rows.map(canRetryBooking)).toEqual([false, false, true]);
    const retried = { ...booking('C', 'queued', '2025-01-05T02:00:00Z') };
    expect(replaceBooking(arrangeBookings(rows, 'failed'), retried, 'failed')).toEqual([]);
    expect(replaceBooking(arrangeBookings(rows, 'open'), retried, 'open').map((r) => r.state)).toEqual([
      'queued',
      'queued',
    ]);
  });

  it('puts a failure in WAUG words when it is one of our codes', () => {
    const en = createTranslator('en');
    expect(bookingProblemInWords(en, 'timeout: after 10 s')).toBe(en.waugError('timeout'));
    expect(bookingProblemInWords(en, 'WAUG 107 sold out')).toBe('WAUG 107 sold out');
  });
});
