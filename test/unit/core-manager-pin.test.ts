/** The manager PIN: a salted scrypt hash only, constant-time checks, and the wrong-PIN lockout. */
import { describe, expect, it } from 'vitest';
import {
  createManagerPin,
  hashPin,
  MANAGER_PIN_KEY,
  MANAGER_PIN_POLICY,
  verifyPinHash,
} from '../../electron/core/config/managerPin.js';
import { createMemorySettingsStore } from '../../electron/core/config/settings.js';
import { manualClock } from '../helpers/clock.js';

describe('PIN hash', () => {
  it('is salted scrypt: two hashes of one PIN differ, both verify, and neither holds the PIN', async () => {
    const a = await hashPin('482913');
    const b = await hashPin('482913');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('482913');
    expect(await verifyPinHash('482913', a)).toBe(true);
    expect(await verifyPinHash('482913', b)).toBe(true);
    expect(await verifyPinHash('482914', a)).toBe(false);
    expect(await verifyPinHash('482913', 'plain:482913')).toBe(false);
  });
});

describe('manager PIN', () => {
  const setup = () => {
    const store = createMemorySettingsStore();
    const clock = manualClock();
    return { store, clock, pin: createManagerPin({ store, now: clock.now }) };
  };

  it('is not set at first; setting one stores only the hash', async () => {
    const { store, pin } = setup();
    expect(pin.isSet()).toBe(false);
    expect(await pin.check('1234')).toEqual({ ok: false, why: 'not_set' });
    await pin.change('1234', undefined);
    expect(pin.isSet()).toBe(true);
    expect(String(store.get(MANAGER_PIN_KEY))).not.toContain('1234');
    expect(await pin.check('1234')).toEqual({ ok: true });
  });

  it('needs the current PIN to change it; a wrong one is bad_input and changes nothing', async () => {
    const { pin } = setup();
    await pin.change('1234', undefined);
    await expect(pin.change('5678', undefined)).rejects.toMatchObject({ code: 'bad_input' });
    await expect(pin.change('5678', '0000')).rejects.toMatchObject({ code: 'bad_input' });
    expect(await pin.check('1234')).toEqual({ ok: true });
    await pin.change('5678', '1234');
    expect(await pin.check('5678')).toEqual({ ok: true });
    expect((await pin.check('1234')).ok).toBe(false);
    await expect(pin.change('12a4', '5678')).rejects.toMatchObject({ code: 'bad_input' });
  });

  it('locks every PIN out for a minute after 5 wrong ones in a row, the right one included', async () => {
    const { pin, clock } = setup();
    await pin.change('1234', undefined);
    for (let i = 1; i < MANAGER_PIN_POLICY.maxFailures; i += 1) {
      expect(await pin.check('0000')).toEqual({
        ok: false,
        why: 'wrong',
        triesLeft: MANAGER_PIN_POLICY.maxFailures - i,
      });
    }
    expect(await pin.check('0000')).toMatchObject({ ok: false, why: 'locked', retryAfterMs: 60_000 });
    clock.advance(30_000);
    expect(await pin.check('1234')).toMatchObject({ ok: false, why: 'locked', retryAfterMs: 30_000 });
    await expect(pin.change('9999', '1234')).rejects.toMatchObject({ code: 'forbidden' });
    clock.advance(30_001);
    expect(await pin.check('1234')).toEqual({ ok: true });
    // A success resets the count: four more wrong ones do not lock.
    for (let i = 1; i < MANAGER_PIN_POLICY.maxFailures; i += 1) expect((await pin.check('0000')).ok).toBe(false);
    expect(await pin.check('1234')).toEqual({ ok: true });
  });

  it('keeps the lockout in the store, so a new process does not reset it', async () => {
    const { store, clock, pin } = setup();
    await pin.change('1234', undefined);
    for (let i = 0; i < MANAGER_PIN_POLICY.maxFailures; i += 1) await pin.check('0000');
    const again = createManagerPin({ store, now: clock.now });
    expect(await again.check('1234')).toMatchObject({ ok: false, why: 'locked' });
  });
});
