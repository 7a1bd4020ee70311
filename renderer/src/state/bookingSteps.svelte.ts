/**
 * Moving between a draft's steps: Next once the step's work is done, Back, and the step list
 * back to an earlier step. The rules are the pure ones in lib/bookingSteps.ts.
 */
import { monthOf, seoulToday } from '../lib/bookingCalendar.js';
import { canLeave, nextStep, previousStep, stepIndex, type BookingStep, type StepFacts } from '../lib/bookingSteps.js';
import type { DraftEditor } from './bookingEditor.svelte.js';
import type { DraftForm } from './bookingForm.svelte.js';
import type { MonthPrices } from './bookingPrices.svelte.js';
import type { BookingSubmission } from './bookingSubmission.svelte.js';
import type { GoodsRead } from './catalog.svelte.js';

export interface StepParts {
  editor: DraftEditor;
  form: DraftForm;
  submission: BookingSubmission;
  goods: GoodsRead;
  prices: MonthPrices;
}

export class DraftSteps {
  /** What the draft holds so far, as far as the step rules care. */
  readonly facts: StepFacts;

  readonly #parts: StepParts;

  constructor(parts: StepParts) {
    this.#parts = parts;
    const { editor, form } = parts;
    this.facts = $derived({
      useDate: editor.useDate,
      units: editor.units,
      optionsComplete: editor.optionsProblem === null,
      formProblems: Object.keys(form.problems).length,
    });
  }

  /** Whether Next may leave the current step. */
  get canGoOn(): boolean {
    const { editor, prices } = this.#parts;
    const useDate = editor.useDate;
    // With another month on the calendar, the picked day's prices are read on Next (next()).
    const dayShown = useDate !== null && monthOf(useDate) === prices.month;
    const dateOrderable = useDate !== null && useDate >= seoulToday() && (!dayShown || editor.dayPrices.size > 0);
    return editor.editable && canLeave(editor.step, this.facts, dateOrderable);
  }

  async next(): Promise<void> {
    const editor = this.#parts.editor;
    if (!editor.editable) return;
    await this.#ensureDayPrices();
    if (!this.canGoOn) return;
    this.setStep(nextStep(editor.step));
  }

  back(): void {
    const editor = this.#parts.editor;
    if (editor.editable) this.goTo(previousStep(editor.step));
  }

  /** Back to an earlier step (the step list); later steps are reached by Next only. */
  goTo(step: BookingStep): void {
    const { editor, goods, prices } = this.#parts;
    if (!editor.editable || stepIndex(step) >= stepIndex(editor.step)) return;
    this.setStep(step);
    if (step === 'date' && editor.useDate !== null && goods.goodsId !== null)
      void prices.show(goods.goodsId, monthOf(editor.useDate), seoulToday());
  }

  /** Puts the draft on `step`; an answer of validate or create that does not lead there is dropped. */
  setStep(step: BookingStep): void {
    const { editor, submission } = this.#parts;
    if (editor.body === null) return;
    submission.stepChanging(editor.step, step);
    editor.setStep(step);
  }

  /** The options need the prices of the picked day's month, whatever month the calendar shows. */
  async #ensureDayPrices(): Promise<void> {
    const { editor, goods, prices } = this.#parts;
    const goodsId = goods.goodsId;
    const useDate = editor.useDate;
    if (goodsId !== null && useDate !== null && monthOf(useDate) !== prices.month)
      await prices.show(goodsId, monthOf(useDate), seoulToday());
  }
}
