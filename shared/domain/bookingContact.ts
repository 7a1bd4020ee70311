/**
 * The booking contact's rules, shared by the core (which stores it and puts it into WAUG
 * bookings) and the renderer (whose Settings form checks it before sending): the MERCHANT's own
 * contact details for the WAUG ORDER-group fields, never a buyer's.
 */
import { z } from 'zod';

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
export type BookingContactInput = z.input<typeof BookingContactSchema>;
