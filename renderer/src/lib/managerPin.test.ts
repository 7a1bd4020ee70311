import { describe, expect, it } from 'vitest';
import { SettingsUpdateSchema } from '../../../shared/contract.js';
import { buildPinUpdate, emptyPinDraft, pinSaveProblem, validatePinDraft } from './managerPin.js';

describe('manager PIN form', () => {
  it('sets a first PIN without a current one', () => {
    const draft = { current: '', next: '2468', repeat: '2468' };
    expect(validatePinDraft(draft, false)).toEqual({});
    expect(buildPinUpdate(draft, false)).toEqual({ managerPin: { next: '2468' } });
    expect(SettingsUpdateSchema.safeParse(buildPinUpdate(draft, false)).success).toBe(true);
  });

  it('needs the current PIN to change one', () => {
    const draft = { current: '', next: '13579', repeat: '13579' };
    expect(validatePinDraft(draft, true)).toEqual({ current: true });
    expect(validatePinDraft({ ...draft, current: '2468' }, true)).toEqual({});
    expect(buildPinUpdate({ ...draft, current: '2468' }, true)).toEqual({
      managerPin: { current: '2468', next: '13579' },
    });
  });

  it('wants 4–12 digits, typed the same twice', () => {
    expect(validatePinDraft({ current: '', next: '123', repeat: '123' }, false)).toEqual({ next: true });
    expect(validatePinDraft({ current: '', next: '1234567890123', repeat: '1234567890123' }, false)).toEqual({
      next: true,
    });
    expect(validatePinDraft({ current: '', next: '12ab', repeat: '12ab' }, false)).toEqual({ next: true });
    expect(validatePinDraft({ current: '', next: '123456', repeat: '123465' }, false)).toEqual({ repeat: true });
    expect(validatePinDraft(emptyPinDraft(), false)).toEqual({ next: true });
  });

  it('tells why main refused the change', () => {
    expect(
      pinSaveProblem({ code: 'bad_input', message: 'The current manager PIN is wrong; the PIN was not changed.' }),
    ).toEqual({ kind: 'wrong_current' });
    expect(pinSaveProblem({ code: 'bad_input', message: 'Enter the current manager PIN to change it.' })).toEqual({
      kind: 'needs_current',
    });
    expect(pinSaveProblem({ code: 'bad_input', message: 'The manager PIN must be 4–12 digits.' })).toEqual({
      kind: 'invalid',
    });
    expect(pinSaveProblem({ code: 'forbidden', message: 'Too many wrong manager PINs: try again in 60 s.' })).toEqual({
      kind: 'locked',
      seconds: 60,
    });
    expect(pinSaveProblem({ code: 'network', message: 'x' })).toEqual({ kind: 'other' });
  });
});
