/**
 * Serial numbers as typed or scanned at the counter. Yahoo allows up to 20 characters
 * (utf8_length(20)); scanners and people add spaces, dashes and lower case, which we drop.
 *
 * Serials we issue ourselves (API-NOTES §1 "Issue serial numbers") have a recognisable form:
 * "VD", 15 random characters from an alphabet without look-alikes (no 0/O, 1/I/L), and a
 * Luhn mod-30 check character — 15 × log2(30) ≈ 73.6 random bits in 18 characters. The counter
 * rejects a serial of that form whose check character is wrong before any network call.
 * Serials of any other form (like the vendor document's examples) are looked up unchanged.
 */
export const SERIAL_MAX_LENGTH = 20;

export const OUR_SERIAL_PREFIX = 'VD';
// 30 characters: digits 2–9 and letters without I, L, O (look-alikes of 1 and 0) and Z (of 2).
// Luhn mod N needs an even N to catch every single-character error.
export const OUR_SERIAL_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXY';
export const OUR_SERIAL_RANDOM_LENGTH = 15;
export const OUR_SERIAL_LENGTH = OUR_SERIAL_PREFIX.length + OUR_SERIAL_RANDOM_LENGTH + 1;

export type SerialProblem = 'empty' | 'too_long' | 'bad_characters' | 'bad_check';
export type SerialCheck = { ok: true; serial: string } | { ok: false; problem: SerialProblem };

export function normaliseSerial(input: string): SerialCheck {
  const serial = input
    .normalize('NFKC')
    .replace(/[\s-]+/g, '')
    .toUpperCase();
  if (serial.length === 0) return { ok: false, problem: 'empty' };
  if (serial.length > SERIAL_MAX_LENGTH) return { ok: false, problem: 'too_long' };
  if (!/^[0-9A-Z]+$/.test(serial)) return { ok: false, problem: 'bad_characters' };
  if (isOurSerialForm(serial) && !hasValidCheck(serial)) return { ok: false, problem: 'bad_check' };
  return { ok: true, serial };
}

const ALPHABET_INDEX = new Map([...OUR_SERIAL_ALPHABET].map((char, index) => [char, index]));
const N = OUR_SERIAL_ALPHABET.length;

/** Our prefix, our length, and nothing outside our alphabet. */
export function isOurSerialForm(serial: string): boolean {
  if (serial.length !== OUR_SERIAL_LENGTH || !serial.startsWith(OUR_SERIAL_PREFIX)) return false;
  for (const char of serial.slice(OUR_SERIAL_PREFIX.length)) if (!ALPHABET_INDEX.has(char)) return false;
  return true;
}

/**
 * Luhn mod N over the random part: catches every single-character error, and every swap of
 * two neighbouring characters except the pair of the alphabet's first and last ("2Y" ↔ "Y2").
 */
export function checkCharacter(body: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    const code = ALPHABET_INDEX.get(body[i]!);
    if (code === undefined) throw new RangeError(`not in the serial alphabet: ${body[i]}`);
    const addend = factor * code;
    sum += Math.floor(addend / N) + (addend % N);
    factor = factor === 2 ? 1 : 2;
  }
  return OUR_SERIAL_ALPHABET[(N - (sum % N)) % N]!;
}

function hasValidCheck(serial: string): boolean {
  const body = serial.slice(OUR_SERIAL_PREFIX.length, -1);
  return checkCharacter(body) === serial.slice(-1);
}

/**
 * A new serial of our form. `randomIndex(n)` must return a uniform integer in [0, n) from a
 * cryptographic source (the core passes node:crypto's randomInt); shared/ stays platform-free.
 */
export function makeOurSerial(randomIndex: (n: number) => number): string {
  let body = '';
  for (let i = 0; i < OUR_SERIAL_RANDOM_LENGTH; i++) body += OUR_SERIAL_ALPHABET[randomIndex(N)]!;
  return OUR_SERIAL_PREFIX + body + checkCharacter(body);
}
