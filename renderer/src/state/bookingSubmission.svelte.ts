/**
 * Validate and create, and what they answered: the outcome the panels show, the total the clerk
 * confirms, the step each answer leads to, and the order a create made. Both calls save the
 * draft first, so main checks what is on screen, and neither is sent for a draft the steps do
 * not book (several goods, lib/bookingSteps.ts bookedInSteps).
 */
import type { BookingDraft, BookingOutcome, DeskApi } from '../../../shared/contract.js';
import { seoulToday } from '../lib/bookingCalendar.js';
import { bookedInSteps, stepForOutcome, stepIndex, totalToConfirm, type BookingStep } from '../lib/bookingSteps.js';
import type { BookingCalls } from './bookingCalls.svelte.js';
import type { DraftEditor } from './bookingEditor.svelte.js';
import type { DraftForm } from './bookingForm.svelte.js';
import type { FollowedOrder } from './bookingOrder.svelte.js';
import type { MonthPrices } from './bookingPrices.svelte.js';
import type { GoodsRead } from './catalog.svelte.js';

export interface SubmissionParts {
  calls: BookingCalls;
  editor: DraftEditor;
  form: DraftForm;
  goods: GoodsRead;
  prices: MonthPrices;
  order: FollowedOrder;
  /** Reads the draft on screen again from main. */
  reread(draftId: string): Promise<void>;
}

export class BookingSubmission {
  outcome = $state.raw<BookingOutcome | null>(null);
  /** The total the clerk is asked to confirm, as WAUG priced it. */
  toConfirm = $state.raw<{ total: string; currency: string } | null>(null);

  readonly #api: DeskApi;
  readonly #parts: SubmissionParts;

  constructor(api: DeskApi, parts: SubmissionParts) {
    this.#api = api;
    this.#parts = parts;
  }

  async validate(): Promise<void> {
    const { calls, editor, form } = this.#parts;
    const draft = editor.draft;
    if (draft === null || calls.busy !== null || !bookedInSteps(draft.body)) return;
    if (form.revealProblems()) return;
    const result = await calls.run(
      'validating',
      () => this.#api.validateBooking({ draftId: draft.draftId }),
      () => editor.flush(),
    );
    if (result === null || editor.draft?.draftId !== draft.draftId) return;
    if (result.ok) this.#apply(result.value);
    else calls.failed(result.error, () => this.validate());
  }

  /** "Confirm and book": creates once at the confirmed total; the same call is the safe retry. */
  async book(): Promise<void> {
    const { calls, editor } = this.#parts;
    const draft = editor.draft;
    const confirmed = this.toConfirm;
    if (draft === null || confirmed === null || !bookedInSteps(draft.body)) return;
    const result = await calls.run(
      'creating',
      () => this.#api.createBooking({ draftId: draft.draftId, confirmedTotal: confirmed.total }),
      () => editor.flush(),
    );
    if (result === null || editor.draft?.draftId !== draft.draftId) return;
    if (result.ok) {
      this.#apply(result.value);
    } else {
      calls.failed(result.error, () => this.book());
      // The create may have reached WAUG: main knows what the draft is now (unconfirmed, say).
      await this.#parts.reread(draft.draftId);
    }
  }

  #apply(outcome: BookingOutcome): void {
    const { editor, form, order, prices } = this.#parts;
    const before = editor.step;
    editor.replace(outcome.draft);
    this.outcome = outcome;
    this.toConfirm = outcome.kind === 'invalid_fields' ? null : (totalToConfirm(outcome) ?? this.toConfirm);
    if (outcome.kind === 'invalid_fields') form.refused(outcome.errors);
    else form.clearRefusals();
    if (outcome.kind === 'created') order.show(outcome.order);
    if (outcome.kind === 'price_changed') void prices.reread(seoulToday());
    const step = stepForOutcome(outcome, before);
    if (editor.body !== null && editor.body.step !== step) editor.setStep(step);
  }

  /** A draft opened: a created one shows its order, one whose create may have gone through waits for a retry. */
  opened(draft: BookingDraft): void {
    if (draft.state === 'created' && draft.orderNumber !== null) this.#parts.order.follow(draft.orderNumber);
    if (draft.state === 'submitting' || draft.state === 'unconfirmed') {
      // The total of the earlier attempt is the lines' total: the prices are the ones confirmed.
      this.toConfirm = { total: this.#parts.editor.subtotal, currency: this.#parts.goods.goods?.currency ?? '' };
      this.outcome = { kind: 'unconfirmed', message: draft.lastError ?? '', draft };
    }
  }

  /** Main's newer facts of the draft on screen (a push, or after a failed create). */
  refreshed(fresh: BookingDraft): void {
    if (fresh.state === 'created' && fresh.orderNumber !== null) {
      this.outcome = null;
      this.#parts.order.follow(fresh.orderNumber);
    } else if (
      (fresh.state === 'unconfirmed' || fresh.state === 'submitting') &&
      this.outcome?.kind !== 'unconfirmed'
    ) {
      this.outcome = { kind: 'unconfirmed', message: fresh.lastError ?? '', draft: fresh };
    }
  }

  /** The clerk moves from one step to another: an answer holds only on the step it leads to. */
  stepChanging(from: BookingStep, to: BookingStep): void {
    // Anything changed before the confirmation must be priced and validated again.
    if (stepIndex(to) < stepIndex('confirm')) this.toConfirm = null;
    if (this.outcome !== null && stepForOutcome(this.outcome, from) !== to) this.outcome = null;
  }

  clear(): void {
    this.outcome = null;
    this.toConfirm = null;
  }
}
