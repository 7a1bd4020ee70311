/**
 * The booking contact: the MERCHANT's own contact details, which the desk puts into the WAUG
 * order fields it can fill for every booking (the ORDER group's passport-style name, mobile and
 * email), since Yahoo's issue call carries no buyer data. Kept in the settings store under one
 * key. Never a buyer's data, and never invented: with no contact set, a goods that requires
 * these fields fails its booking with a message saying so.
 */
import {
  BookingContactSchema,
  type BookingContact,
  type BookingContactInput,
} from '../../../shared/domain/bookingContact.js';
import type { SettingsStore } from '../config/settings.js';

/** The rules live in shared/ so the Settings form checks exactly what the core stores. */
export { BookingContactSchema, type BookingContact };

export const BOOKING_CONTACT_KEY = 'waugBookingContact';

export interface BookingContactStore {
  read(): BookingContact | null;
  write(contact: BookingContactInput): BookingContact;
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
