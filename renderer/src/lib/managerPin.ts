/**
 * The manager PIN form: set one, or change it (the current PIN is then required), the new one
 * typed twice. The request is checked with the contract's own managerPin rule before it is sent.
 */
import { SettingsUpdateSchema, type SettingsUpdate } from '../../../shared/contract.js';
import type { WireError } from '../../../shared/errors.js';

export interface PinDraft {
  current: string;
  next: string;
  repeat: string;
}

export type PinField = keyof PinDraft;
export type PinErrors = Partial<Record<PinField, true>>;

export const emptyPinDraft = (): PinDraft => ({ current: '', next: '', repeat: '' });

export function buildPinUpdate(draft: PinDraft, hasManagerPin: boolean): SettingsUpdate {
  return { managerPin: hasManagerPin ? { current: draft.current, next: draft.next } : { next: draft.next } };
}

/** An empty result means the update may be sent. */
export function validatePinDraft(draft: PinDraft, hasManagerPin: boolean): PinErrors {
  const errors: PinErrors = {};
  if (hasManagerPin && draft.current === '') errors.current = true;
  const parsed = SettingsUpdateSchema.safeParse(buildPinUpdate(draft, hasManagerPin));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.path[0] !== 'managerPin') continue;
      if (issue.path[1] === 'current') errors.current = true;
      else errors.next = true;
    }
  }
  if (draft.repeat !== draft.next) errors.repeat = true;
  return errors;
}

export type PinSaveProblem =
  | { kind: 'wrong_current' }
  | { kind: 'needs_current' }
  | { kind: 'invalid' }
  | { kind: 'locked'; seconds: number | null }
  | { kind: 'other' };

/**
 * Why main refused the PIN change. A wrong current PIN comes back as bad_input (the request
 * named a wrong value), too many wrong PINs as forbidden; the sentence tells them apart.
 */
export function pinSaveProblem(error: WireError): PinSaveProblem {
  if (error.code === 'forbidden') {
    const seconds = /try again in (\d+)\s*s/i.exec(error.message)?.[1];
    return { kind: 'locked', seconds: seconds === undefined ? null : Number(seconds) };
  }
  if (error.code !== 'bad_input') return { kind: 'other' };
  if (/current[^.]*wrong/i.test(error.message)) return { kind: 'wrong_current' };
  if (/current/i.test(error.message)) return { kind: 'needs_current' };
  return { kind: 'invalid' };
}
