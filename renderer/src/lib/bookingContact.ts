/**
 * The booking contact form as data: the MERCHANT's own name, mobile and email that WAUG bookings
 * carry (never a buyer's). Checked with the contract's own SettingsUpdate rule before it is sent,
 * so the form and main cannot disagree. Pure, tested in Node.
 */
import { z } from 'zod';
import { SettingsUpdateSchema, type SettingsUpdate, type SettingsView } from '../../../shared/contract.js';
import type { WireError } from '../../../shared/errors.js';
import type { MessageKey } from '../../../shared/i18n/index.js';

// The CSP forbids eval; without this zod would probe `new Function` and log a violation.
z.config({ jitless: true });

export interface BookingContactDraft {
  name: string;
  mobile: string;
  email: string;
}

export type BookingContactField = keyof BookingContactDraft;
export type BookingContactErrors = Partial<Record<BookingContactField, true>>;

const BOOKING_CONTACT_FIELDS: readonly BookingContactField[] = ['name', 'mobile', 'email'];

export const BOOKING_CONTACT_ERROR_KEYS: Record<BookingContactField, MessageKey> = {
  name: 'settings.booking.invalid.name',
  mobile: 'settings.booking.invalid.mobile',
  email: 'settings.booking.invalid.email',
};

export function draftFromContact(contact: SettingsView['waugBookingContact']): BookingContactDraft {
  return contact === null ? { name: '', mobile: '', email: '' } : { ...contact };
}

export type BookingContactCheck =
  { ok: true; update: Pick<SettingsUpdate, 'waugBookingContact'> } | { ok: false; errors: BookingContactErrors };

function isField(value: unknown): value is BookingContactField {
  return typeof value === 'string' && (BOOKING_CONTACT_FIELDS as readonly string[]).includes(value);
}

/** The update to send, or which boxes are wrong. The sent values are as typed; main normalises them. */
export function checkBookingContact(draft: BookingContactDraft): BookingContactCheck {
  const update = { waugBookingContact: { name: draft.name, mobile: draft.mobile, email: draft.email } };
  const parsed = SettingsUpdateSchema.safeParse(update);
  if (parsed.success) return { ok: true, update };
  const errors: BookingContactErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] === 'waugBookingContact' ? issue.path[1] : undefined;
    if (isField(field)) errors[field] = true;
  }
  // A refusal that names no box still must not be sent.
  if (Object.keys(errors).length === 0) for (const field of BOOKING_CONTACT_FIELDS) errors[field] = true;
  return { ok: false, errors };
}

/** The boxes a bad_input from main names ("waugBookingContact.mobile: …"). */
export function bookingFieldsNamedIn(error: WireError): BookingContactErrors {
  const errors: BookingContactErrors = {};
  if (error.code !== 'bad_input') return errors;
  for (const field of BOOKING_CONTACT_FIELDS) {
    if (new RegExp(`\\bwaugBookingContact\\.${field}\\b`).test(error.message)) errors[field] = true;
  }
  return errors;
}
