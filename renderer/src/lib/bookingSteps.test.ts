import { describe, expect, it } from 'vitest';
import {
  BookingDraftSchema,
  BookingOutcomeSchema,
  type BookingDraft,
  type BookingOutcome,
  type OrderView,
} from '../../../shared/contract.js';
import {
  bookedInSteps,
  canLeave,
  firstOpenStep,
  isWaugUnreachable,
  nextStep,
  opensInSteps,
  orderVoucherState,
  outcomeNeedsPanel,
  placeFieldErrors,
  previousStep,
  resumeStep,
  stepForOutcome,
  totalToConfirm,
  type StepFacts,
} from './bookingSteps.js';

const DONE: StepFacts = { useDate: '2026-03-10', units: 3, optionsComplete: true, formProblems: 0 };

const DRAFT: BookingDraft = {
  draftId: 'd1',
  partnerOrderNumber: 'VD-B-1',
  state: 'editing',
  body: {
    goods: [{ goodsId: '107402', goodsName: 'Tour', useDate: '2026-03-10', options: [], additionalInput: '' }],
    values: {},
    step: 'form',
    replacesOrderNumber: null,
  },
  orderNumber: null,
  lastError: null,
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
};

const ORDER: OrderView = {
  orderNumber: 'WG1',
  partnerOrderNumber: 'VD-B-1',
  orderStatus: 'STATUS_PAID',
  orderedAt: '2026-03-01T00:00:00.000Z',
  currency: 'TWD',
  totalPrice: '4750',
  refundable: true,
  goods: [],
};

/** Outcomes are checked against the contract, so the fixtures are what main can really send. */
const outcome = (value: BookingOutcome): BookingOutcome => BookingOutcomeSchema.parse(value);

const ORDERABLE = outcome({ kind: 'orderable', totalPrice: '4750', currency: 'TWD', draft: DRAFT });
const BALANCE = outcome({ kind: 'insufficient_balance', totalPrice: '4750', currency: 'TWD', draft: DRAFT });
const change = {
  goodsIndex: 0,
  goodsOptionId: '1',
  goodsOptionItemId: '2',
  itemName: 'Adult',
  quantity: 2,
  oldPrice: '1650',
};
const REPRICED = outcome({
  kind: 'price_changed',
  reason: 'price_mismatch',
  changes: [{ ...change, newPrice: '1700' }],
  newTotal: '4850',
  currency: 'TWD',
  draft: DRAFT,
});
const GONE = outcome({
  kind: 'price_changed',
  reason: 'product_modified',
  changes: [{ ...change, newPrice: null }],
  newTotal: null,
  currency: 'TWD',
  draft: DRAFT,
});
const FIELDS = outcome({
  kind: 'invalid_fields',
  errors: [{ slotKey: 'ORDER:8', problem: 'email', detail: null }],
  draft: DRAFT,
});
const UNCONFIRMED = outcome({ kind: 'unconfirmed', message: 'timeout', draft: { ...DRAFT, state: 'unconfirmed' } });
const CREATED = outcome({ kind: 'created', order: ORDER, draft: { ...DRAFT, state: 'created', orderNumber: 'WG1' } });

describe('moving between steps', () => {
  it('stops at both ends', () => {
    expect(previousStep('goods')).toBe('goods');
    expect(previousStep('date')).toBe('goods');
    expect(nextStep('form')).toBe('confirm');
    expect(nextStep('done')).toBe('done');
  });

  it('finds the first step with work left', () => {
    expect(firstOpenStep({ ...DONE, useDate: null })).toBe('date');
    expect(firstOpenStep({ ...DONE, units: 0 })).toBe('options');
    expect(firstOpenStep({ ...DONE, optionsComplete: false })).toBe('options');
    expect(firstOpenStep({ ...DONE, formProblems: 2 })).toBe('form');
    expect(firstOpenStep(DONE)).toBe('confirm');
  });

  it('lets Next leave a step only once its work is done', () => {
    expect(canLeave('date', DONE, true)).toBe(true);
    expect(canLeave('date', DONE, false)).toBe(false);
    expect(canLeave('date', { ...DONE, useDate: null }, true)).toBe(false);
    expect(canLeave('options', { ...DONE, units: 0 }, true)).toBe(false);
    expect(canLeave('options', DONE, true)).toBe(true);
    expect(canLeave('form', { ...DONE, formProblems: 1 }, true)).toBe(false);
    // The confirmation is left by booking, never by Next.
    expect(canLeave('confirm', DONE, true)).toBe(false);
  });
});

describe('resumeStep', () => {
  it('opens an editing draft where it was left', () => {
    expect(resumeStep('editing', 'options', DONE)).toBe('options');
    expect(resumeStep('editing', 'confirm', DONE)).toBe('confirm');
    expect(resumeStep('editing', 'goods', DONE)).toBe('goods');
  });

  it('goes back to the first step whose work is missing', () => {
    expect(resumeStep('editing', 'form', { ...DONE, units: 0 })).toBe('options');
    expect(resumeStep('editing', 'confirm', { ...DONE, formProblems: 1 })).toBe('form');
    expect(resumeStep('editing', 'done', DONE)).toBe('confirm');
  });

  it('shows a created order, and puts a maybe-sent draft on its confirmation', () => {
    expect(resumeStep('created', 'confirm', DONE)).toBe('done');
    expect(resumeStep('unconfirmed', 'form', { ...DONE, formProblems: 4 })).toBe('confirm');
    expect(resumeStep('submitting', 'date', DONE)).toBe('confirm');
  });
});

describe('drafts the steps open', () => {
  const second = { goodsId: '107500', goodsName: 'Boat', useDate: '2026-03-11', options: [], additionalInput: '' };
  /** A draft as `book --file` makes it: every goods of the file, checked against the contract. */
  const withGoods = (count: number, state: BookingDraft['state'] = 'editing'): BookingDraft =>
    BookingDraftSchema.parse({
      ...DRAFT,
      state,
      body: { ...DRAFT.body, goods: [...DRAFT.body.goods, ...Array.from({ length: count - 1 }, () => second)] },
    });

  it('books a draft of one goods, and no draft of several', () => {
    expect(bookedInSteps(withGoods(1).body)).toBe(true);
    expect(bookedInSteps(withGoods(2).body)).toBe(false);
    expect(bookedInSteps(withGoods(5).body)).toBe(false);
  });

  it('opens a draft of one goods in every state', () => {
    for (const state of ['editing', 'submitting', 'unconfirmed', 'created'] as const)
      expect(opensInSteps(withGoods(1, state)), state).toBe(true);
  });

  it('keeps a draft of several goods out of the steps until it is booked, then shows its order', () => {
    for (const state of ['editing', 'submitting', 'unconfirmed', 'discarded'] as const)
      expect(opensInSteps(withGoods(3, state)), state).toBe(false);
    expect(opensInSteps(withGoods(3, 'created'))).toBe(true);
  });
});

describe('answers of validate and create', () => {
  it('leads each answer to its step', () => {
    expect(stepForOutcome(ORDERABLE, 'form')).toBe('confirm');
    expect(stepForOutcome(BALANCE, 'confirm')).toBe('confirm');
    expect(stepForOutcome(REPRICED, 'form')).toBe('confirm');
    expect(stepForOutcome(GONE, 'confirm')).toBe('confirm');
    expect(stepForOutcome(GONE, 'form')).toBe('form');
    expect(stepForOutcome(FIELDS, 'confirm')).toBe('form');
    expect(stepForOutcome(UNCONFIRMED, 'confirm')).toBe('confirm');
    expect(stepForOutcome(CREATED, 'confirm')).toBe('done');
  });

  it('asks to confirm WAUG’s total, and the new total after a price change', () => {
    expect(totalToConfirm(ORDERABLE)).toEqual({ total: '4750', currency: 'TWD' });
    expect(totalToConfirm(REPRICED)).toEqual({ total: '4850', currency: 'TWD' });
    expect(totalToConfirm(GONE)).toBeNull();
    expect(totalToConfirm(BALANCE)).toEqual({ total: '4750', currency: 'TWD' });
    expect(totalToConfirm(UNCONFIRMED)).toBeNull();
  });

  it('shows a panel for refusals, not for a plain yes', () => {
    expect(outcomeNeedsPanel(null)).toBe(false);
    expect(outcomeNeedsPanel(ORDERABLE)).toBe(false);
    expect(outcomeNeedsPanel(CREATED)).toBe(false);
    for (const refusal of [BALANCE, REPRICED, GONE, FIELDS, UNCONFIRMED]) expect(outcomeNeedsPanel(refusal)).toBe(true);
  });

  it('treats only a WAUG out of reach as "try later"', () => {
    expect(isWaugUnreachable('network')).toBe(true);
    expect(isWaugUnreachable('timeout')).toBe(true);
    expect(isWaugUnreachable('not_configured')).toBe(true);
    expect(isWaugUnreachable('bad_input')).toBe(false);
    expect(isWaugUnreachable('internal')).toBe(false);
  });
});

describe('placeFieldErrors', () => {
  const keys = ['ORDER:4', 'ORDER:8', 'EACH:0:5:0', 'EACH:0:5:1'];

  it('pins errors on their fields, and finds the first in form order', () => {
    const placed = placeFieldErrors(
      [
        { slotKey: 'EACH:0:5:1', problem: 'engname', detail: null },
        { slotKey: 'ORDER:8', problem: 'waug', detail: 'domain refused' },
      ],
      keys,
    );
    expect(Object.keys(placed.placed)).toEqual(['EACH:0:5:1', 'ORDER:8']);
    expect(placed.placed['ORDER:8']?.detail).toBe('domain refused');
    expect(placed.firstKey).toBe('ORDER:8');
    expect(placed.unplaced).toEqual([]);
  });

  it('keeps errors no field can carry for above the form', () => {
    const placed = placeFieldErrors(
      [
        { slotKey: null, problem: 'waug', detail: 'orderInfos malformed' },
        { slotKey: 'EACH:0:5:7', problem: 'required', detail: null },
      ],
      keys,
    );
    expect(placed.placed).toEqual({});
    expect(placed.unplaced).toHaveLength(2);
    expect(placed.firstKey).toBeNull();
  });
});

describe('orderVoucherState', () => {
  const goods = (state: 'not_issued' | 'issuing' | 'issued') =>
    ({ voucher: { state, voucherNumber: null, issuedAt: null } }) as OrderView['goods'][number];

  it('is issued only once every goods is', () => {
    expect(orderVoucherState({ goods: [goods('issued'), goods('issued')] })).toBe('issued');
    expect(orderVoucherState({ goods: [goods('issued'), goods('not_issued')] })).toBe('issuing');
    expect(orderVoucherState({ goods: [goods('issuing')] })).toBe('issuing');
    expect(orderVoucherState({ goods: [goods('not_issued')] })).toBe('not_issued');
    expect(orderVoucherState({ goods: [] })).toBe('not_issued');
  });
});
