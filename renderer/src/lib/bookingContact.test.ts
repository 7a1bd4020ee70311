import { describe, expect, it } from 'vitest';
import { bookingFieldsNamedIn, checkBookingContact, draftFromContact } from './bookingContact.js';

const good = { name: 'Voucher Desk', mobile: '886223456789', email: 'desk@example.com' };

describe('booking contact form', () => {
  it('starts empty with no contact, and from the saved one otherwise', () => {
    expect(draftFromContact(null)).toEqual({ name: '', mobile: '', email: '' });
    const saved = { name: 'VOUCHER DESK', mobile: '886223456789', email: 'desk@example.com' };
    expect(draftFromContact(saved)).toEqual(saved);
    expect(draftFromContact(saved)).not.toBe(saved);
  });

  it('accepts a passport-style name, a mobile with country code and an email', () => {
    expect(checkBookingContact(good)).toEqual({ ok: true, update: { waugBookingContact: good } });
    expect(checkBookingContact({ name: " O'NEIL-SMITH ", mobile: ' 85291234567 ', email: 'a@b.co' }).ok).toBe(true);
  });

  it('names each wrong box, with the contract rules', () => {
    expect(checkBookingContact({ ...good, name: '王小明' })).toEqual({ ok: false, errors: { name: true } });
    expect(checkBookingContact({ ...good, name: '' })).toEqual({ ok: false, errors: { name: true } });
    expect(checkBookingContact({ ...good, name: 'A'.repeat(101) })).toEqual({ ok: false, errors: { name: true } });
    expect(checkBookingContact({ ...good, mobile: '+886912345678' })).toEqual({ ok: false, errors: { mobile: true } });
    expect(checkBookingContact({ ...good, mobile: '0912345678' })).toEqual({ ok: false, errors: { mobile: true } });
    expect(checkBookingContact({ ...good, mobile: '1234567' })).toEqual({ ok: false, errors: { mobile: true } });
    expect(checkBookingContact({ ...good, email: 'desk@' })).toEqual({ ok: false, errors: { email: true } });
    expect(checkBookingContact({ name: '', mobile: '', email: '' })).toEqual({
      ok: false,
      errors: { name: true, mobile: true, email: true },
    });
  });

  it('finds the boxes named in a bad_input from main', () => {
    expect(
      bookingFieldsNamedIn({
        code: 'bad_input',
        message: 'Invalid request for updateSettings: waugBookingContact.mobile: digits with the country code',
      }),
    ).toEqual({ mobile: true });
    expect(bookingFieldsNamedIn({ code: 'internal', message: 'waugBookingContact.name' })).toEqual({});
  });
});
