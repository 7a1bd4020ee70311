import { describe, expect, it } from 'vitest';
import { isCharacterKey, parseScan, shouldRefocusScan, WedgeDetector } from './scan.js';

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
