import { describe, expect, it } from 'vitest';
import { checkCharacter, OUR_SERIAL_ALPHABET } from '../../../shared/domain/serial.js';
import { isCharacterKey, parseScan, shouldRefocusScan, WedgeDetector } from './scan.js';

const BODY = '23456789ABCDEFG';
const OURS = `VD${BODY}${checkCharacter(BODY)}`;
const wrongCheck = OUR_SERIAL_ALPHABET.split('').find((c) => c !== OURS.slice(-1)) ?? '2';

describe('parseScan', () => {
  it('trims, drops spaces and dashes, and upper-cases', () => {
    expect(parseScan('  yv7k-3mqp 9x2a \n')).toEqual({ ok: true, serial: 'YV7K3MQP9X2A' });
  });

  it('folds full-width characters typed with a CJK input method', () => {
    expect(parseScan('ＡＢＣ１２３')).toEqual({ ok: true, serial: 'ABC123' });
  });

  it('rejects an empty entry', () => {
    expect(parseScan('   ')).toEqual({ ok: false, problem: 'empty', length: 0 });
  });

  it('rejects a serial over 20 characters and reports its length', () => {
    expect(parseScan('A'.repeat(21))).toEqual({ ok: false, problem: 'too_long', length: 21 });
  });

  it('rejects characters a serial never has', () => {
    expect(parseScan('ABC_123')).toMatchObject({ ok: false, problem: 'bad_characters' });
    expect(parseScan('序號123')).toMatchObject({ ok: false, problem: 'bad_characters' });
  });
});

describe('parseScan with our own serials', () => {
  it('passes one of our serials with a right check character, however it was typed', () => {
    expect(parseScan(OURS)).toEqual({ ok: true, serial: OURS });
    expect(parseScan(` ${OURS.slice(0, 6).toLowerCase()}-${OURS.slice(6)} `)).toEqual({ ok: true, serial: OURS });
  });

  it('rejects one of our serials whose check character is wrong, before any call', () => {
    const typo = OURS.slice(0, -1) + wrongCheck;
    expect(parseScan(typo)).toEqual({ ok: false, problem: 'bad_check', length: typo.length });
  });

  it('rejects a single mistyped character in the body', () => {
    const typo = `VD3${OURS.slice(3)}`;
    expect(typo).not.toBe(OURS);
    expect(parseScan(typo)).toMatchObject({ ok: false, problem: 'bad_check' });
  });

  it('sends serials of other forms to lookup unchanged', () => {
    // The seed's style, a VD-prefixed serial of another length, and one with a look-alike character.
    expect(parseScan('YV7K3MQP9X2A')).toEqual({ ok: true, serial: 'YV7K3MQP9X2A' });
    expect(parseScan('VD1234')).toEqual({ ok: true, serial: 'VD1234' });
    const withZero = `VD0${OURS.slice(3)}`;
    expect(parseScan(withZero)).toEqual({ ok: true, serial: withZero });
  });
});

describe('WedgeDetector', () => {
  it('recognises a scanner burst ended by Enter', () => {
    const wedge = new WedgeDetector();
    let t = 1000;
    for (let i = 0; i < 12; i += 1) wedge.keystroke((t += 8));
    expect(wedge.method(t + 10)).toBe('scanner');
  });

  it('treats human typing as keyboard', () => {
    const wedge = new WedgeDetector();
    let t = 1000;
    for (let i = 0; i < 12; i += 1) wedge.keystroke((t += 140));
    expect(wedge.method(t + 200)).toBe('keyboard');
  });

  it('needs a few characters before calling it a scan', () => {
    const wedge = new WedgeDetector({ minChars: 4 });
    wedge.keystroke(0);
    wedge.keystroke(5);
    expect(wedge.method(10)).toBe('keyboard');
    expect(wedge.inBurst(10)).toBe(true);
  });

  it('starts a new run after a pause, and a late Enter is a keyboard Enter', () => {
    const wedge = new WedgeDetector();
    for (const at of [0, 5, 10, 15, 20]) wedge.keystroke(at);
    expect(wedge.method(500)).toBe('keyboard');
    wedge.keystroke(1000);
    expect(wedge.method(1005)).toBe('keyboard');
  });

  it('forgets after reset', () => {
    const wedge = new WedgeDetector();
    for (const at of [0, 5, 10, 15, 20]) wedge.keystroke(at);
    wedge.reset();
    expect(wedge.method(25)).toBe('keyboard');
  });
});

describe('isCharacterKey', () => {
  const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {}) => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    ...mods,
  });

  it('counts printable keys only', () => {
    expect(isCharacterKey(key('A'))).toBe(true);
    expect(isCharacterKey(key('7'))).toBe(true);
    expect(isCharacterKey(key('Enter'))).toBe(false);
    expect(isCharacterKey(key('Shift'))).toBe(false);
    expect(isCharacterKey(key('v', { ctrlKey: true }))).toBe(false);
  });
});

describe('shouldRefocusScan', () => {
  it('takes focus back when it fell to nowhere', () => {
    expect(shouldRefocusScan({ blockedByOverlay: false, focusMovedTo: null })).toBe(true);
  });

  it('lets the clerk move to another control on purpose', () => {
    expect(shouldRefocusScan({ blockedByOverlay: false, focusMovedTo: {} as EventTarget })).toBe(false);
  });

  it('never steals focus from a dialog or Settings', () => {
    expect(shouldRefocusScan({ blockedByOverlay: true, focusMovedTo: null })).toBe(false);
  });
});

describe('scan problems in words', () => {
  it('has a message for every problem, in both languages, and bad_check says what to do', async () => {
    const { CATALOGS, SUPPORTED_LOCALES } = await import('../../../shared/i18n/index.js');
    for (const locale of SUPPORTED_LOCALES) {
      const catalog = CATALOGS[locale] as Record<string, string>;
      for (const problem of ['empty', 'too_long', 'bad_characters', 'bad_check']) {
        expect(catalog[`scan.problem.${problem}`], `${locale} ${problem}`).toBeTruthy();
      }
    }
    expect(CATALOGS.en['scan.problem.bad_check']).toBe(
      'This is one of our serials but a character is wrong — check it and scan again.',
    );
  });
});
