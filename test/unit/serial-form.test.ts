import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  OUR_SERIAL_ALPHABET,
  OUR_SERIAL_LENGTH,
  checkCharacter,
  isOurSerialForm,
  makeOurSerial,
  normaliseSerial,
} from '../../shared/domain/serial.js';

describe('our serial form', () => {
  it('is 18 characters, starts VD, avoids look-alikes and fits Yahoo’s 20', () => {
    const serial = makeOurSerial(randomInt);
    expect(serial).toHaveLength(OUR_SERIAL_LENGTH);
    expect(OUR_SERIAL_LENGTH).toBeLessThanOrEqual(20);
    expect(serial.startsWith('VD')).toBe(true);
    expect(serial.slice(2)).toMatch(/^[2-9A-HJKMNP-Y]+$/);
    expect(OUR_SERIAL_ALPHABET).not.toMatch(/[01OILZ]/);
    expect(OUR_SERIAL_ALPHABET).toHaveLength(30);
    expect(isOurSerialForm(serial)).toBe(true);
    expect(normaliseSerial(serial)).toEqual({ ok: true, serial });
  });

  it('catches every single-character error and neighbour swaps before any call', () => {
    // Serials full of the edge characters, plus random ones.
    const samples = [
      makeOurSerial(randomInt),
      makeOurSerial(randomInt),
      makeOurSerial(() => 0),
      makeOurSerial((n) => n - 1),
    ];
    for (const serial of samples) expectTyposCaught(serial);
  });

  function expectTyposCaught(serial: string): void {
    for (let i = 2; i < serial.length; i++) {
      for (const replacement of OUR_SERIAL_ALPHABET) {
        if (replacement === serial[i]) continue;
        const typo = serial.slice(0, i) + replacement + serial.slice(i + 1);
        expect(normaliseSerial(typo), typo).toEqual({ ok: false, problem: 'bad_check' });
      }
      const pair = new Set([serial[i], serial[i + 1]]);
      const luhnBlindSpot = pair.has('2') && pair.has('Y');
      if (i + 1 < serial.length && serial[i] !== serial[i + 1] && !luhnBlindSpot) {
        const swapped = serial.slice(0, i) + serial[i + 1] + serial[i] + serial.slice(i + 2);
        expect(normaliseSerial(swapped).ok, swapped).toBe(false);
      }
    }
  }

  it('accepts a scanned serial in lower case with dashes, as the clerk may type it', () => {
    const serial = makeOurSerial(randomInt);
    const typed = `${serial.slice(0, 6).toLowerCase()}-${serial.slice(6, 12)} ${serial.slice(12)}`;
    expect(normaliseSerial(typed)).toEqual({ ok: true, serial });
  });

  it('leaves serials of other forms alone, like the vendor document’s examples', () => {
    for (const other of ['615089255', 'YTWPS00001ABCDE', '00000000001', 'VD123']) {
      expect(isOurSerialForm(other)).toBe(false);
      expect(normaliseSerial(other).ok).toBe(true);
    }
  });

  it('computes the check over the random part only', () => {
    expect(checkCharacter('222222222222222')).toBe(checkCharacter('222222222222222'));
    expect(() => checkCharacter('0')).toThrow(RangeError);
  });
});
