import { describe, expect, it } from 'vitest';
import { SearchOrdersRequestSchema } from '../../../shared/contract.js';
import { addDays, buildSearchRequest, defaultRange, rangeProblem, taipeiDay, toggleStatus } from './orders.js';

describe('dates', () => {
  it('takes the calendar day in Taipei, not in UTC', () => {
    expect(taipeiDay(new Date('2025-03-01T15:59:59.000Z'))).toBe('2025-03-01');
    expect(taipeiDay(new Date('2025-03-01T16:00:00.000Z'))).toBe('2025-03-02');
  });

  it('adds days across months and years', () => {
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('bad', 1)).toBe('bad');
  });

  it('defaults to the last 30 days up to today in Taipei', () => {
    expect(defaultRange(new Date('2025-03-01T20:00:00.000Z'))).toEqual({ from: '2025-01-31', to: '2025-03-02' });
  });

  it('says what stops a pull', () => {
    expect(rangeProblem('2025-03-01', '2025-03-02')).toBeNull();
    expect(rangeProblem('2025-03-01', '2025-03-01')).toBeNull();
    expect(rangeProblem('', '2025-03-02')).toBe('incomplete');
    expect(rangeProblem('2025-13-45', '2025-03-02')).toBe('invalid');
    expect(rangeProblem('2025-03-05', '2025-03-02')).toBe('reversed');
    expect(rangeProblem('2024-01-01', '2024-12-31')).toBeNull(); // 366 days, both ends included
    expect(rangeProblem('2024-01-01', '2025-01-01')).toBe('too_long');
  });
});

describe('buildSearchRequest', () => {
  const none = { number: '', from: '', to: '', statuses: [] };

  it('sends only what is filled in, and passes the contract', () => {
    const request = buildSearchRequest(none);
    expect(request).toEqual({ limit: 10_000 });
    expect(SearchOrdersRequestSchema.safeParse(request).success).toBe(true);
  });

  it('trims the number, keeps valid days, and lists statuses in their canonical order', () => {
    const request = buildSearchRequest({
      number: '  W10 ',
      from: '2025-03-01',
      to: 'nonsense',
      statuses: ['STATUS_REFUND_REQUESTED', 'STATUS_PAID'],
    });
    expect(request).toEqual({
      limit: 10_000,
      number: 'W10',
      from: '2025-03-01',
      statuses: ['STATUS_PAID', 'STATUS_REFUND_REQUESTED'],
    });
    expect(SearchOrdersRequestSchema.safeParse(request).success).toBe(true);
  });

  it('swaps a reversed range and drops a filter that picks every status', () => {
    const request = buildSearchRequest({
      ...none,
      from: '2025-03-09',
      to: '2025-03-01',
      statuses: [
        'STATUS_WAIT',
        'STATUS_PAID',
        'STATUS_REFUND_REQUESTED',
        'STATUS_PARTIAL_REFUND_REQUESTED',
        'STATUS_REFUND_COMPLETED',
        'STATUS_PARTIAL_REFUND_COMPLETED',
      ],
    });
    expect(request).toEqual({ limit: 10_000, from: '2025-03-01', to: '2025-03-09' });
  });

  it('cuts an overlong number to what the contract takes', () => {
    expect(buildSearchRequest({ ...none, number: 'x'.repeat(60) }).number).toHaveLength(40);
  });

  it('toggles a status chip', () => {
    expect(toggleStatus([], 'STATUS_PAID')).toEqual(['STATUS_PAID']);
    expect(toggleStatus(['STATUS_PAID', 'STATUS_WAIT'], 'STATUS_PAID')).toEqual(['STATUS_WAIT']);
  });
});
