import { describe, expect, it } from 'vitest';
import { createTranslator, formatPriceTwd, freshnessOf } from '../../shared/i18n/index.js';

describe('times are shown in Asia/Taipei whatever the machine zone', () => {
  const utcEvening = '2024-12-31T16:05:09.000Z'; // 2025-01-01 00:05:09 in Taipei

  it('zh-TW', () => {
    const t = createTranslator('zh-TW');
    expect(t.dateTime(utcEvening)).toBe('2025/01/01 00:05');
    expect(t.date(utcEvening)).toBe('2025/01/01');
    expect(t.time(utcEvening)).toBe('00:05');
    expect(t.clock(new Date(utcEvening))).toBe('00:05:09');
  });

  it('en (day month year, 24-hour)', () => {
    const t = createTranslator('en');
    expect(t.dateTime(utcEvening)).toBe('1 Jan 2025, 00:05');
    expect(t.date(utcEvening)).toBe('1 Jan 2025');
  });

  it('shows a missing time as a dash and an unreadable one as given', () => {
    const t = createTranslator('en');
    expect(t.dateTime(null)).toBe('—');
    expect(t.dateTime('not a time')).toBe('not a time');
  });
});

describe('NT$ prices from decimal strings', () => {
  it.each([
    ['200', 'NT$200'],
    ['1200', 'NT$1,200'],
    ['1234567', 'NT$1,234,567'],
    ['99.5', 'NT$99.50'],
    ['200.00', 'NT$200'],
    ['0', 'NT$0'],
    ['007', 'NT$7'],
    ['18446744073709551615', 'NT$18,446,744,073,709,551,615'],
    ['abc', 'abc'],
  ])('%s → %s', (input, expected) => {
    expect(formatPriceTwd(input)).toBe(expected);
  });
});

describe('freshness', () => {
  const now = new Date('2025-01-05T07:20:00.000Z');
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

  it('is live only for a recent remote answer', () => {
    expect(freshnessOf('remote', ago(5_000), now)).toEqual({ kind: 'live' });
    expect(freshnessOf('cache', ago(5_000), now)).toEqual({ kind: 'minutes', minutes: 0 });
    expect(freshnessOf('remote', ago(3 * 60_000), now)).toEqual({ kind: 'minutes', minutes: 3 });
    expect(freshnessOf('cache', ago(5 * 3_600_000), now)).toEqual({ kind: 'hours', hours: 5 });
    expect(freshnessOf('cache', ago(3 * 86_400_000), now)).toEqual({ kind: 'days', days: 3 });
  });

  it('reads in words', () => {
    expect(createTranslator('en').freshness('cache', ago(3 * 60_000), now)).toBe('as of 3 min ago');
    expect(createTranslator('en').freshness('remote', ago(1_000), now)).toBe('live');
    expect(createTranslator('zh-TW').freshness('cache', ago(3 * 60_000), now)).toBe('3 分鐘前的資料');
    expect(createTranslator('zh-TW').freshness('remote', ago(1_000), now)).toBe('即時');
  });
});
