/**
 * The booking words (shared/i18n/booking.*.ts). That every message parses and takes the same
 * arguments in both languages is checked for the whole catalog by test/unit/i18n-catalog.test.ts;
 * here, the wording a screen reader hears for a calendar day, and the mark of a draft the steps do not book.
 */
import { describe, expect, it } from 'vitest';
import { bookingEn } from '../../../shared/i18n/booking.en.js';
import { bookingZhTW } from '../../../shared/i18n/booking.zh-TW.js';
import { createTranslator } from '../../../shared/i18n/index.js';

const keys = Object.keys(bookingZhTW) as (keyof typeof bookingZhTW)[];

describe('booking messages', () => {
  it('has every key in English too', () => {
    expect(Object.keys(bookingEn).sort()).toEqual([...keys].sort());
  });

  it('words a calendar day for screen readers', () => {
    const en = createTranslator('en');
    const day = { date: '2026-03-10', weekday: 'Tue', price: 'NT$1,450' };
    expect(en.t('book.date.day', { ...day, state: 'orderable', picked: 'yes' })).toBe(
      'Tue 2026-03-10, from NT$1,450, selected',
    );
    expect(en.t('book.date.day', { ...day, state: 'closed', picked: 'no' })).toBe('Tue 2026-03-10, not bookable');
    expect(createTranslator('zh-TW').t('book.date.day', { ...day, weekday: '二', state: 'past', picked: 'no' })).toBe(
      '2026-03-10（二），已過',
    );
  });

  it('marks a draft of several goods in the drafts list', () => {
    expect(createTranslator('en').t('book.drafts.severalGoods', { count: 3 })).toBe(
      '3 activities — made with the command line',
    );
    expect(createTranslator('zh-TW').t('book.drafts.severalGoods', { count: 2 })).toBe('2 項活動 — 以命令列建立');
  });
});
