/**
 * The draft on screen, its goods line (date and options) and saving it behind the clerk. Every
 * change is saved to main (SQLite) within AUTOSAVE_DEBOUNCE_MS, the step included, so a crash or
 * a lost connection loses nothing and a resumed draft opens where it was left. The form's values
 * are edited through bookingForm.
 */
import type { BookingDraft, DeskApi, DraftBody, GoodsDetailView } from '../../../shared/contract.js';
import type { WireError } from '../../../shared/errors.js';
import { callSafely } from '../lib/call.js';
import { DraftAutosave, type SaveState } from '../lib/bookingAutosave.js';
import {
  DayPrices,
  optionsProblem,
  repriceLines,
  subtotalOf,
  timeslotsOf,
  unitsOf,
  withQuantity,
  withTimeslot,
  type DraftOption,
  type ItemRef,
  type OptionsProblem,
} from '../lib/bookingOptions.js';
import { isEditable, isWaugUnreachable, type BookingStep } from '../lib/bookingSteps.js';
import type { BookingCalls } from './bookingCalls.svelte.js';
import type { MonthPrices } from './bookingPrices.svelte.js';
import type { GoodsRead } from './catalog.svelte.js';

const AUTOSAVE_DEBOUNCE_MS = 400;
const AUTOSAVE_RETRY_MS = 5_000;

/** What the editor reads besides the draft: the calls running, the draft's goods and its prices. */
export interface EditorReads {
  calls: BookingCalls;
  goods: GoodsRead;
  prices: MonthPrices;
}

export class DraftEditor {
  draft = $state.raw<BookingDraft | null>(null);
  /** The clerk's copy of the draft body, edited in place and saved behind them. */
  body = $state<DraftBody | null>(null);

  /** The timeslot chosen per option, also before any of its items is counted. */
  timeslots = $state<Record<string, string>>({});
  /** Lines the last change of date removed (no price on the new day). */
  droppedLines = $state(0);
  saveState = $state<SaveState>('saved');
  saveError = $state.raw<WireError | null>(null);

  readonly line = $derived(this.body?.goods[0] ?? null);
  readonly lines: DraftOption[] = $derived(this.line?.options ?? []);
  readonly useDate = $derived(this.line?.useDate ?? null);
  readonly units = $derived(unitsOf(this.lines));
  readonly subtotal = $derived(subtotalOf(this.lines));
  readonly step: BookingStep = $derived(this.draft?.state === 'created' ? 'done' : (this.body?.step ?? 'goods'));
  // Derived from the calls, goods and prices the constructor is given, so declared there.
  /** The clerk may change the draft: nothing was sent to create (or WAUG refused it) and no call runs. */
  readonly editable: boolean;
  readonly dayPrices: DayPrices;
  readonly optionsProblem: OptionsProblem | null;

  readonly #prices: MonthPrices;
  readonly #autosave: DraftAutosave<{ draftId: string; body: DraftBody }, BookingDraft>;

  constructor(api: DeskApi, { calls, goods, prices }: EditorReads) {
    this.#prices = prices;
    this.#autosave = new DraftAutosave({
      snapshot: () => {
        const draft = this.draft;
        const body = this.body;
        return draft === null || body === null ? null : { draftId: draft.draftId, body: $state.snapshot(body) };
      },
      save: (request) => callSafely(() => api.saveBookingDraft(request)),
      onSaved: (saved) => {
        if (this.draft?.draftId === saved.draftId) this.setFacts(saved);
      },
      onState: (state, error) => {
        this.saveState = state;
        this.saveError = error;
      },
      debounceMs: AUTOSAVE_DEBOUNCE_MS,
      retryMs: AUTOSAVE_RETRY_MS,
      retryable: (error) => isWaugUnreachable(error.code) || error.code === 'busy',
    });
    this.editable = $derived(this.draft !== null && isEditable(this.draft.state) && calls.busy === null);
    this.dayPrices = $derived(new DayPrices(prices.rows, this.useDate));
    this.optionsProblem = $derived(
      goods.goods === null ? 'no_units' : optionsProblem(goods.goods.options, this.lines, this.dayPrices),
    );
  }

  // ---- which draft -------------------------------------------------------------------------

  open(draft: BookingDraft): void {
    this.draft = draft;
    this.body = structuredClone(draft.body);
    this.timeslots = timeslotsOf(draft.body.goods[0]?.options ?? []);
  }

  close(): void {
    this.#autosave.reset();
    this.draft = null;
    this.body = null;
    this.timeslots = {};
    this.droppedLines = 0;
  }

  /** Main's newer facts of the draft (state, order number). */
  setFacts(draft: BookingDraft): void {
    // Only the draft's facts are taken: the body on screen may already hold newer typing.
    this.draft = draft;
  }

  /** The draft as validate or create left it. */
  replace(draft: BookingDraft): void {
    this.draft = draft;
    // The core's copy is the newest: after a price change it carries the new prices.
    this.body = structuredClone(draft.body);
    this.timeslots = { ...this.timeslots, ...timeslotsOf(draft.body.goods[0]?.options ?? []) };
  }

  /** The step is part of the body, saved at once (DraftSteps.setStep is the clerk's way there). */
  setStep(step: BookingStep): void {
    if (this.body === null) return;
    this.body.step = step;
    this.edited(true);
  }

  // ---- what the clerk enters ----------------------------------------------------------------

  /** Other goods for the draft's line: its date and options start over. */
  changeGoods(goods: GoodsDetailView): void {
    const line = this.line;
    if (!this.editable || line === null) return;
    Object.assign(line, { goodsId: goods.goodsId, goodsName: goods.goodsName, useDate: null, options: [] });
    this.timeslots = {};
    this.edited();
  }

  pickDate(day: string): void {
    const line = this.line;
    if (!this.editable || line === null) return;
    const { lines, dropped } = repriceLines(this.lines, new DayPrices(this.#prices.rows, day));
    line.useDate = day;
    line.options = lines;
    this.droppedLines = dropped.length;
    this.edited();
  }

  setQuantity(ref: ItemRef, quantity: number): void {
    const line = this.line;
    if (!this.editable || line === null) return;
    const price = this.dayPrices.of(ref)?.price ?? null;
    line.options = withQuantity(this.lines, ref, quantity, price, this.timeslots[ref.goodsOptionId] ?? null);
    this.edited();
  }

  setTimeslot(goodsOptionId: string, timeslotId: string): void {
    const line = this.line;
    if (!this.editable || line === null) return;
    this.timeslots[goodsOptionId] = timeslotId;
    line.options = withTimeslot(this.lines, goodsOptionId, timeslotId === '' ? null : timeslotId);
    this.edited();
  }

  // ---- autosave ----------------------------------------------------------------------------

  /** The body changed: saved after the debounce (`now`: on the next tick), if the draft may still change. */
  edited(now = false): void {
    if (this.draft !== null && isEditable(this.draft.state)) this.#autosave.edited(now);
  }

  /** Saves what is not saved yet; true when the draft in main matches the screen. */
  flush(): Promise<boolean> {
    return this.#autosave.flush();
  }
}
