/**
 * The booking flow's steps as data: which step a resumed draft opens on, what the clerk must
 * have done before going on, and where each answer of validate/create leads. Pure, so the
 * rules are tested in Node; the booking state only carries them out.
 */
import {
  BOOKING_STEPS,
  type BookingDraft,
  type BookingOutcome,
  type DraftBody,
  type FieldError,
  type OrderView,
} from '../../../shared/contract.js';
import type { WaugVoucherState } from '../../../shared/domain/waug.js';
import type { ErrorCode } from '../../../shared/errors.js';
import type { WaugTone } from './waugStatus.js';

export type BookingStep = (typeof BOOKING_STEPS)[number];

export const stepIndex = (step: BookingStep): number => BOOKING_STEPS.indexOf(step);

export function previousStep(step: BookingStep): BookingStep {
  return BOOKING_STEPS[Math.max(0, stepIndex(step) - 1)] ?? 'goods';
}

export function nextStep(step: BookingStep): BookingStep {
  return BOOKING_STEPS[Math.min(BOOKING_STEPS.length - 1, stepIndex(step) + 1)] ?? 'done';
}

/** What the draft holds so far, as far as the step rules care. */
export interface StepFacts {
  useDate: string | null;
  /** Option units ordered, and whether the options are complete (units, times, prices). */
  units: number;
  optionsComplete: boolean;
  /** Local field problems of the form. */
  formProblems: number;
}

/** The first step whose work is not done yet ('confirm' when everything before it is). */
export function firstOpenStep(facts: StepFacts): BookingStep {
  if (facts.useDate === null) return 'date';
  if (facts.units < 1 || !facts.optionsComplete) return 'options';
  if (facts.formProblems > 0) return 'form';
  return 'confirm';
}

/** Whether "Next" may leave `step` (the form is left by Validate, the confirmation by Book). */
export function canLeave(step: BookingStep, facts: StepFacts, dateOrderable: boolean): boolean {
  switch (step) {
    case 'goods':
      return true;
    case 'date':
      return facts.useDate !== null && dateOrderable;
    case 'options':
      return facts.units >= 1 && facts.optionsComplete;
    case 'form':
      return facts.formProblems === 0;
    case 'confirm':
    case 'done':
      return false;
  }
}

/**
 * The step a draft opens on. A created draft shows its order; one whose create may have gone
 * through (submitting, unconfirmed) opens on the confirmation, where only "Try again" is safe;
 * an editing draft returns to its saved step, or earlier when work before it is missing.
 */
export function resumeStep(state: BookingDraft['state'], saved: BookingStep, facts: StepFacts): BookingStep {
  if (state === 'created') return 'done';
  if (state === 'submitting' || state === 'unconfirmed') return 'confirm';
  const open = firstOpenStep(facts);
  const wanted = saved === 'done' ? 'confirm' : saved;
  return stepIndex(wanted) <= stepIndex(open) ? wanted : open;
}

/** The draft may still change: nothing was sent to create, or WAUG refused it. */
export const isEditable = (state: BookingDraft['state']): boolean => state === 'editing';

/**
 * The steps book one goods: the editor, the form and the confirmation read a draft's first goods
 * only. A draft may hold up to five (`book --file` makes them); shown in the steps, the others'
 * options, form fields and prices would be left out, so nothing is validated or booked for it here.
 */
export const bookedInSteps = (body: Pick<DraftBody, 'goods'>): boolean => body.goods.length === 1;

/**
 * Whether the steps open a draft. One with several goods is finished with `book --file` or
 * discarded; once created it opens like any other, on its order (WAUG's, every goods in it).
 */
export const opensInSteps = (draft: Pick<BookingDraft, 'state' | 'body'>): boolean =>
  draft.state === 'created' || bookedInSteps(draft.body);

/** Errors that mean WAUG (or the way to it) is not there: the draft waits, the clerk retries later. */
export function isWaugUnreachable(code: ErrorCode): boolean {
  return code === 'network' || code === 'timeout' || code === 'not_configured';
}

/** The step an answer of validate or create leads to. */
export function stepForOutcome(outcome: BookingOutcome, current: BookingStep): BookingStep {
  switch (outcome.kind) {
    case 'orderable':
    case 'insufficient_balance':
    case 'unconfirmed':
      return 'confirm';
    case 'created':
      return 'done';
    case 'invalid_fields':
      return 'form';
    case 'price_changed':
      // With every line priced the clerk confirms the new total; otherwise picks again from here.
      return outcome.newTotal !== null ? 'confirm' : current;
  }
}

/** The total the clerk is asked to confirm after an answer; null keeps what was shown before. */
export function totalToConfirm(outcome: BookingOutcome): { total: string; currency: string } | null {
  switch (outcome.kind) {
    case 'orderable':
    case 'insufficient_balance':
      return { total: outcome.totalPrice, currency: outcome.currency };
    case 'price_changed':
      return outcome.newTotal === null ? null : { total: outcome.newTotal, currency: outcome.currency };
    default:
      return null;
  }
}

/** Answers the clerk must read before anything else: shown in the outcome panel. */
export function outcomeNeedsPanel(outcome: BookingOutcome | null): boolean {
  return (
    outcome !== null &&
    (outcome.kind === 'price_changed' ||
      outcome.kind === 'insufficient_balance' ||
      outcome.kind === 'unconfirmed' ||
      outcome.kind === 'invalid_fields')
  );
}

export interface PlacedErrors {
  /** By slot key: shown on the field. */
  placed: Record<string, FieldError>;
  /** Errors no field on screen can carry: shown above the form. */
  unplaced: FieldError[];
  /** The first erring field in form order, to take the focus. */
  firstKey: string | null;
}

/** WAUG's (or the core's) field errors pinned onto the form's slots, in the order the clerk fills them. */
export function placeFieldErrors(errors: readonly FieldError[], slotKeys: readonly string[]): PlacedErrors {
  const known = new Set(slotKeys);
  const placed: Record<string, FieldError> = {};
  const unplaced: FieldError[] = [];
  for (const error of errors) {
    if (error.slotKey !== null && known.has(error.slotKey)) placed[error.slotKey] ??= error;
    else unplaced.push(error);
  }
  return { placed, unplaced, firstKey: slotKeys.find((key) => key in placed) ?? null };
}

/**
 * One voucher state for the whole order: issued once every goods' voucher is, issuing while
 * any is under way, otherwise not issued yet.
 */
export function orderVoucherState(order: Pick<OrderView, 'goods'>): WaugVoucherState {
  const states = order.goods.map((goods) => goods.voucher.state);
  if (states.length > 0 && states.every((state) => state === 'issued')) return 'issued';
  if (states.some((state) => state === 'issuing' || state === 'issued')) return 'issuing';
  return 'not_issued';
}

/** The chip colour of a draft's state (the words always come with it). */
export const DRAFT_STATE_TONES: Readonly<Record<BookingDraft['state'], WaugTone>> = {
  editing: 'paid',
  submitting: 'progress',
  unconfirmed: 'refund',
  created: 'done',
  discarded: 'void',
};
