/**
 * The booking contact: the MERCHANT's own contact details, which the desk puts into the WAUG
 * order fields it can fill for every booking (the ORDER group's passport-style name, mobile and
 * email), since Yahoo's issue call carries no buyer data. Kept in the settings store under one
 * key. Never a buyer's data, and never invented: with no contact set, a goods that requires
 * these fields fails its booking with a message saying so.
 */
import { z } from 'zod';
import type { SettingsStore } from '../config/settings.js';

export const BOOKING_CONTACT_KEY = 'waugBookingContact';

export const BookingContactSchema = z
  .object({
    /** As WAUG's `engname`: upper-case Latin, e.g. "VOUCHER DESK". */
    name: z
      .string()
      .trim()
      .transform((s) => s.toUpperCase())
      .pipe(
        z
          .string()
          .regex(/^[A-Z]+(?:[ '-][A-Z]+)*$/, 'upper-case Latin letters, as on a passport')
          .max(100),
      ),
    /** Digits with the country code, e.g. 886223456789. */
    mobile: z
      .string()
      .trim()
      .regex(/^[1-9]\d{7,14}$/, 'digits with the country code'),
    email: z.string().trim().max(254).email(),
  })
  .strict();
export type BookingContact = z.infer<typeof BookingContactSchema>;

export interface BookingContactStore {
  read(): BookingContact | null;
  write(contact: z.input<typeof BookingContactSchema>): BookingContact;
  clear(): void;
}

export function createBookingContactStore(store: SettingsStore): BookingContactStore {
  return {
    read() {
      const parsed = BookingContactSchema.safeParse(store.get(BOOKING_CONTACT_KEY));
      return parsed.success ? parsed.data : null;
    },
    write(contact) {
      const parsed = BookingContactSchema.parse(contact);
      store.set(BOOKING_CONTACT_KEY, parsed);
      return parsed;
    },
    clear: () => store.delete(BOOKING_CONTACT_KEY),
  };
}
