/**
 * Serial numbers as typed or scanned at the counter. Yahoo allows up to 20 characters
 * (utf8_length(20)); scanners and people add spaces, dashes and lower case, which we drop.
 */
export const SERIAL_MAX_LENGTH = 20;

export type SerialCheck =
  { ok: true; serial: string } | { ok: false; problem: 'empty' | 'too_long' | 'bad_characters' };

export function normaliseSerial(input: string): SerialCheck {
  const serial = input
    .normalize('NFKC')
    .replace(/[\s-]+/g, '')
    .toUpperCase();
  if (serial.length === 0) return { ok: false, problem: 'empty' };
  if (serial.length > SERIAL_MAX_LENGTH) return { ok: false, problem: 'too_long' };
  if (!/^[0-9A-Z]+$/.test(serial)) return { ok: false, problem: 'bad_characters' };
  return { ok: true, serial };
}
