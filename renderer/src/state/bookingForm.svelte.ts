/**
 * The booking form of the draft on screen: its slots (the ORDER, GOODS and EACH fields for the
 * units ordered), the values the clerk types into the draft body, and which problems show where:
 * a field's own once it was left, every one after Validate, and WAUG's refusals at their fields.
 */
import type { FieldError } from '../../../shared/contract.js';
import { bookingFormSlots, checkBookingForm, type FormSlot } from '../../../shared/domain/bookingForm.js';
import type { FieldProblem } from '../../../shared/domain/waugFields.js';
import { seoulToday } from '../lib/bookingCalendar.js';
import { copyParticipant, firstProblemKey } from '../lib/bookingFormView.js';
import { placeFieldErrors } from '../lib/bookingSteps.js';
import type { DraftEditor } from './bookingEditor.svelte.js';
import type { GoodsRead } from './catalog.svelte.js';

export class DraftForm {
  touched = $state<Record<string, true>>({});
  /** Set by Validate: every field shows its problem, touched or not. */
  showAllProblems = $state(false);
  serverErrors = $state.raw<Record<string, FieldError>>({});
  unplacedErrors = $state.raw<FieldError[]>([]);
  /** The form focuses this slot when it changes. */
  focusRequest = $state.raw<{ key: string } | null>(null);
  // Derived from the editor and the goods the constructor is given, so declared there.
  readonly slots: FormSlot[];
  readonly problems: Record<string, FieldProblem>;

  readonly #editor: DraftEditor;

  constructor(editor: DraftEditor, goods: GoodsRead) {
    this.#editor = editor;
    this.slots = $derived(bookingFormSlots([{ orderInfos: goods.goods?.orderInfos ?? [], quantity: editor.units }]));
    this.problems = $derived(checkBookingForm(this.slots, editor.body?.values ?? {}, seoulToday()));
  }

  setValue(key: string, value: string): void {
    const { editable, body } = this.#editor;
    if (!editable || body === null || (body.values[key] ?? '') === value) return;
    body.values[key] = value;
    if (key in this.serverErrors) {
      const { [key]: _edited, ...rest } = this.serverErrors;
      this.serverErrors = rest;
    }
    this.#editor.edited();
  }

  /** "Copy from participant 1" on participant `unit` (0-based) of the first goods. */
  copyFirstParticipant(unit: number): void {
    const { editable, body } = this.#editor;
    if (!editable || body === null) return;
    body.values = copyParticipant($state.snapshot(body.values), this.slots, 0, 0, unit);
    this.#editor.edited();
  }

  touch(key: string): void {
    if (this.touched[key] !== true) this.touched[key] = true;
  }

  problemShown = (key: string): boolean => this.showAllProblems || this.touched[key] === true;

  /** Before Validate: with problems on screen every field shows its own and the first takes the focus (true). */
  revealProblems(): boolean {
    const first = firstProblemKey(this.slots, this.problems);
    if (first === null) return false;
    this.showAllProblems = true;
    this.focusRequest = { key: first };
    return true;
  }

  /** WAUG refused fields: each shows at its slot (the rest above the form), the first takes the focus. */
  refused(errors: FieldError[]): void {
    const placed = placeFieldErrors(
      errors,
      this.slots.map((slot) => slot.key),
    );
    this.serverErrors = placed.placed;
    this.unplacedErrors = placed.unplaced;
    this.showAllProblems = true;
    const first = placed.firstKey ?? firstProblemKey(this.slots, this.problems);
    if (first !== null) this.focusRequest = { key: first };
  }

  clearRefusals(): void {
    this.serverErrors = {};
    this.unplacedErrors = [];
  }

  clear(): void {
    this.touched = {};
    this.showAllProblems = false;
    this.clearRefusals();
  }
}
