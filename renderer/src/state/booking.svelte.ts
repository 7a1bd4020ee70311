/**
 * The counter booking flow (issue 6): the open drafts, the draft being filled in, and the calls
 * that validate and create it. Every change the clerk makes is saved to main (SQLite) within
 * AUTOSAVE_DEBOUNCE_MS, the step included, so a crash or a lost connection loses nothing and a
 * resumed draft opens where it was left. The rules (which step, which answer leads where) are
 * the pure ones in lib/booking*.ts; this class carries them out.
 */
import type {
  BookingDraft,
  BookingDraftSummary,
  BookingOutcome,
  DeskApi,
  DraftBody,
  FieldError,
  GoodsDetailView,
} from '../../../shared/contract.js';
import { bookingFormSlots, checkBookingForm, type FormSlot } from '../../../shared/domain/bookingForm.js';
import type { FieldProblem } from '../../../shared/domain/waugFields.js';
import type { IpcResult, WireError } from '../../../shared/errors.js';
import { callSafely } from '../lib/call.js';
import { DraftAutosave, type SaveState } from '../lib/bookingAutosave.js';
import { addMonths, initialMonth, monthOf, seoulToday } from '../lib/bookingCalendar.js';
import { copyParticipant, firstProblemKey } from '../lib/bookingFormView.js';
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
import {
  canLeave,
  isEditable,
  isWaugUnreachable,
  nextStep,
  placeFieldErrors,
  previousStep,
  resumeStep,
  stepForOutcome,
  stepIndex,
  totalToConfirm,
  type BookingStep,
  type StepFacts,
} from '../lib/bookingSteps.js';
import { FollowedOrder } from './bookingOrder.svelte.js';
import { MonthPrices } from './bookingPrices.svelte.js';
import { GoodsRead } from './catalog.svelte.js';

export const AUTOSAVE_DEBOUNCE_MS = 400;
const AUTOSAVE_RETRY_MS = 5_000;
const DRAFTS_REREAD_MS = 200;

/** home: open drafts and "New booking" · picker: choosing goods for a new draft · draft: a draft's steps. */
export type BookingScreen = 'home' | 'picker' | 'draft';

export interface BookingHooks {
  /** False while WAUG is not set up or the clerk works offline: nothing is sent to WAUG. */
  remoteAllowed(): boolean;
}

export class BookingState {
  screen = $state<BookingScreen>('home');
  drafts = $state.raw<BookingDraftSummary[]>([]);
  draftsError = $state.raw<WireError | null>(null);
  draftsLoaded = $state(false);

  draft = $state.raw<BookingDraft | null>(null);
  /** The clerk's copy of the draft body, edited in place and saved behind them. */
  body = $state<DraftBody | null>(null);
  readonly goods: GoodsRead;
  readonly prices: MonthPrices;
  readonly order: FollowedOrder;

  /** The timeslot chosen per option, also before any of its items is counted. */
  timeslots = $state<Record<string, string>>({});
  /** Lines the last change of date removed (no price on the new day). */
  droppedLines = $state(0);
  touched = $state<Record<string, true>>({});
  /** Set by Validate: every field shows its problem, touched or not. */
  showAllProblems = $state(false);
  serverErrors = $state.raw<Record<string, FieldError>>({});
  unplacedErrors = $state.raw<FieldError[]>([]);
  /** The form focuses this slot when it changes. */
  focusRequest = $state.raw<{ key: string } | null>(null);

  outcome = $state.raw<BookingOutcome | null>(null);
  /** The total the clerk is asked to confirm, as WAUG priced it. */
  toConfirm = $state.raw<{ total: string; currency: string } | null>(null);
  busy = $state<'starting' | 'validating' | 'creating' | null>(null);
  callError = $state.raw<WireError | null>(null);
  saveState = $state<SaveState>('saved');
  saveError = $state.raw<WireError | null>(null);

  readonly line = $derived(this.body?.goods[0] ?? null);
  readonly lines: DraftOption[] = $derived(this.line?.options ?? []);
  readonly useDate = $derived(this.line?.useDate ?? null);
  readonly units = $derived(unitsOf(this.lines));
  readonly subtotal = $derived(subtotalOf(this.lines));
  readonly step: BookingStep = $derived(this.draft?.state === 'created' ? 'done' : (this.body?.step ?? 'goods'));
  /** The clerk may change the draft: nothing was sent to create (or WAUG refused it) and no call runs. */
  readonly editable = $derived(this.draft !== null && isEditable(this.draft.state) && this.busy === null);
  // Derived from the goods and prices reads, so declared in the constructor once those exist.
  readonly dayPrices: DayPrices;
  readonly optionsProblem: OptionsProblem | null;
  readonly slots: FormSlot[];
  readonly problems: Record<string, FieldProblem>;
  readonly facts: StepFacts;
  readonly waugUnreachable: boolean;

  readonly #api: DeskApi;
  #retry: (() => Promise<void>) | null = null;
  #draftsTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #autosave = new DraftAutosave<{ draftId: string; body: DraftBody }, BookingDraft>({
    snapshot: () => {
      const draft = this.draft;
      const body = this.body;
      return draft === null || body === null ? null : { draftId: draft.draftId, body: $state.snapshot(body) };
    },
    save: (request) => callSafely(() => this.#api.saveBookingDraft(request)),
    // Only the draft's facts are taken: the body on screen may already hold newer typing.
    onSaved: (saved) => {
      if (this.draft?.draftId === saved.draftId) this.draft = saved;
    },
    onState: (state, error) => {
      this.saveState = state;
      this.saveError = error;
    },
    debounceMs: AUTOSAVE_DEBOUNCE_MS,
    retryMs: AUTOSAVE_RETRY_MS,
    retryable: (error) => isWaugUnreachable(error.code) || error.code === 'busy',
  });

  constructor(api: DeskApi, hooks: BookingHooks) {
    this.#api = api;
    const remote = () => hooks.remoteAllowed();
    this.goods = new GoodsRead(api, remote);
    this.prices = new MonthPrices(api, remote);
    this.order = new FollowedOrder(api, remote);
    this.dayPrices = $derived(new DayPrices(this.prices.rows, this.useDate));
    this.optionsProblem = $derived(
      this.goods.goods === null ? 'no_units' : optionsProblem(this.goods.goods.options, this.lines, this.dayPrices),
    );
    this.slots = $derived(bookingFormSlots([{ orderInfos: this.goods.goods?.orderInfos ?? [], quantity: this.units }]));
    this.problems = $derived(checkBookingForm(this.slots, this.body?.values ?? {}, seoulToday()));
    this.facts = $derived({
      useDate: this.useDate,
      units: this.units,
      optionsComplete: this.optionsProblem === null,
      formProblems: Object.keys(this.problems).length,
    });
    this.waugUnreachable = $derived(
      !hooks.remoteAllowed() || (this.callError !== null && isWaugUnreachable(this.callError.code)),
    );
  }

  get today(): string {
    return seoulToday();
  }

  /** Whether Next may leave the current step. */
  get canGoOn(): boolean {
    // With another month on the calendar, the picked day's prices are read on Next (next()).
    const dayShown = this.useDate !== null && monthOf(this.useDate) === this.prices.month;
    const dateOrderable = this.useDate !== null && this.useDate >= this.today && (!dayShown || this.dayPrices.size > 0);
    return this.editable && canLeave(this.step, this.facts, dateOrderable);
  }

  // ---- the start screen --------------------------------------------------------------------

  /** Back to the open drafts (the view lists them whenever it shows this screen). */
  async showHome(): Promise<void> {
    await this.flush();
    this.#close();
    this.screen = 'home';
  }

  async loadDrafts(): Promise<void> {
    const result = await callSafely(() => this.#api.listBookingDrafts({ filter: 'open' }));
    this.draftsLoaded = true;
    if (result.ok) {
      this.drafts = result.value;
      this.draftsError = null;
    } else {
      this.draftsError = result.error;
    }
  }

  async newBooking(): Promise<void> {
    await this.flush();
    this.#close();
    this.screen = 'picker';
  }

  async resume(draftId: string): Promise<void> {
    if (this.busy !== null) return;
    await this.flush();
    this.busy = 'starting';
    this.callError = null;
    const result = await callSafely(() => this.#api.getBookingDraft({ draftId }));
    this.busy = null;
    if (result.ok) await this.#open(result.value, null);
    else this.#failed(result.error, () => this.resume(draftId));
  }

  async discard(draftId: string): Promise<IpcResult<BookingDraft>> {
    const result = await callSafely(() => this.#api.discardBookingDraft({ draftId }));
    if (result.ok) {
      if (this.draft?.draftId === draftId) {
        this.#close();
        this.screen = 'home';
      }
      await this.loadDrafts();
    }
    return result;
  }

  /** "Book this": a new draft for the goods, or, on a draft's goods step, the goods it books. */
  async bookGoods(goods: GoodsDetailView): Promise<void> {
    if (this.busy !== null) return;
    const line = this.line;
    if (line !== null && this.editable && this.step === 'goods') {
      if (line.goodsId !== goods.goodsId) {
        Object.assign(line, { goodsId: goods.goodsId, goodsName: goods.goodsName, useDate: null, options: [] });
        this.timeslots = {};
        void this.goods.open(goods.goodsId);
        void this.prices.show(goods.goodsId, initialMonth(null, this.today), this.today);
      }
      this.#setStep('date');
      return;
    }
    await this.#start({ goodsId: goods.goodsId });
  }

  /** A change of booking from an order: a new draft that replaces it, at the same goods. */
  async changeBooking(goodsId: string, replacesOrderNumber: string): Promise<void> {
    if (this.busy !== null) return;
    await this.flush();
    await this.#start({ goodsId, replacesOrderNumber });
  }

  async #start(request: { goodsId: string; replacesOrderNumber?: string }): Promise<void> {
    this.busy = 'starting';
    this.callError = null;
    const result = await callSafely(() => this.#api.newBookingDraft(request));
    this.busy = null;
    if (result.ok) await this.#open(result.value, 'date');
    else this.#failed(result.error, () => this.#start(request));
  }

  async #open(draft: BookingDraft, startAt: BookingStep | null): Promise<void> {
    this.#close();
    this.draft = draft;
    this.body = structuredClone(draft.body);
    this.timeslots = timeslotsOf(draft.body.goods[0]?.options ?? []);
    this.screen = 'draft';
    const first = draft.body.goods[0];
    if (first !== undefined) {
      const month = initialMonth(first.useDate, this.today);
      await Promise.all([this.goods.open(first.goodsId), this.prices.show(first.goodsId, month, this.today)]);
    }
    if (this.draft?.draftId !== draft.draftId) return;
    if (draft.state === 'created' && draft.orderNumber !== null) this.order.follow(draft.orderNumber);
    if (draft.state === 'submitting' || draft.state === 'unconfirmed') {
      // The total of the earlier attempt is the lines' total: the prices are the ones confirmed.
      this.toConfirm = { total: this.subtotal, currency: this.goods.goods?.currency ?? '' };
      this.outcome = { kind: 'unconfirmed', message: draft.lastError ?? '', draft };
    }
    const step = startAt ?? resumeStep(draft.state, draft.body.step, this.facts);
    if (isEditable(draft.state) && draft.body.step !== step) this.#setStep(step);
    if (step === 'date' && (first?.useDate ?? null) === null && this.prices.lowest.size === 0) {
      // Late in the month nothing may be left to book: start on the next month instead.
      if (this.prices.month === monthOf(this.today)) await this.showMonth(addMonths(this.prices.month, 1));
    }
  }

  #close(): void {
    this.#autosave.reset();
    this.draft = null;
    this.body = null;
    this.goods.clear();
    this.prices.clear();
    this.order.clear();
    this.timeslots = {};
    this.droppedLines = 0;
    this.touched = {};
    this.showAllProblems = false;
    this.serverErrors = {};
    this.unplacedErrors = [];
    this.outcome = null;
    this.toConfirm = null;
    this.callError = null;
    this.#retry = null;
  }

  // ---- moving between steps -----------------------------------------------------------------

  async next(): Promise<void> {
    if (!this.editable) return;
    await this.#ensureDayPrices();
    if (!this.canGoOn) return;
    this.#setStep(nextStep(this.step));
  }

  back(): void {
    if (this.editable) this.goTo(previousStep(this.step));
  }

  /** Back to an earlier step (the step list); later steps are reached by Next only. */
  goTo(step: BookingStep): void {
    if (!this.editable || stepIndex(step) >= stepIndex(this.step)) return;
    this.#setStep(step);
    if (step === 'date' && this.useDate !== null && this.goods.goodsId !== null)
      void this.prices.show(this.goods.goodsId, monthOf(this.useDate), this.today);
  }

  #setStep(step: BookingStep): void {
    if (this.body === null) return;
    // Anything changed before the confirmation must be priced and validated again.
    if (stepIndex(step) < stepIndex('confirm')) this.toConfirm = null;
    if (this.outcome !== null && stepForOutcome(this.outcome, this.step) !== step) this.outcome = null;
    this.body.step = step;
    this.#edited(true);
  }

  /** The options need the prices of the picked day's month, whatever month the calendar shows. */
  async #ensureDayPrices(): Promise<void> {
    const goodsId = this.goods.goodsId;
    if (goodsId !== null && this.useDate !== null && monthOf(this.useDate) !== this.prices.month)
      await this.prices.show(goodsId, monthOf(this.useDate), this.today);
  }

  // ---- what the clerk enters ----------------------------------------------------------------

  async showMonth(month: string): Promise<void> {
    if (this.goods.goodsId !== null) await this.prices.show(this.goods.goodsId, month, this.today);
  }

  pickDate(day: string): void {
    const line = this.line;
    if (!this.editable || line === null) return;
    const { lines, dropped } = repriceLines(this.lines, new DayPrices(this.prices.rows, day));
    line.useDate = day;
    line.options = lines;
    this.droppedLines = dropped.length;
    this.#edited();
  }

  setQuantity(ref: ItemRef, quantity: number): void {
    const line = this.line;
    if (!this.editable || line === null) return;
    const price = this.dayPrices.of(ref)?.price ?? null;
    line.options = withQuantity(this.lines, ref, quantity, price, this.timeslots[ref.goodsOptionId] ?? null);
    this.#edited();
  }

  setTimeslot(goodsOptionId: string, timeslotId: string): void {
    const line = this.line;
    if (!this.editable || line === null) return;
    this.timeslots[goodsOptionId] = timeslotId;
    line.options = withTimeslot(this.lines, goodsOptionId, timeslotId === '' ? null : timeslotId);
    this.#edited();
  }

  setValue(key: string, value: string): void {
    if (!this.editable || this.body === null || (this.body.values[key] ?? '') === value) return;
    this.body.values[key] = value;
    if (key in this.serverErrors) {
      const { [key]: _edited, ...rest } = this.serverErrors;
      this.serverErrors = rest;
    }
    this.#edited();
  }

  touch(key: string): void {
    if (this.touched[key] !== true) this.touched[key] = true;
  }

  problemShown = (key: string): boolean => this.showAllProblems || this.touched[key] === true;

  /** "Copy from participant 1" on participant `unit` (0-based) of the first goods. */
  copyFirstParticipant(unit: number): void {
    if (!this.editable || this.body === null) return;
    this.body.values = copyParticipant($state.snapshot(this.body.values), this.slots, 0, 0, unit);
    this.#edited();
  }

  // ---- validate and book --------------------------------------------------------------------

  async validate(): Promise<void> {
    const draft = this.draft;
    if (draft === null || this.busy !== null) return;
    const firstProblem = firstProblemKey(this.slots, this.problems);
    if (firstProblem !== null) {
      this.showAllProblems = true;
      this.focusRequest = { key: firstProblem };
      return;
    }
    if (!(await this.flush())) return;
    this.busy = 'validating';
    this.callError = null;
    const result = await callSafely(() => this.#api.validateBooking({ draftId: draft.draftId }));
    this.busy = null;
    if (this.draft?.draftId !== draft.draftId) return;
    if (result.ok) this.#apply(result.value);
    else this.#failed(result.error, () => this.validate());
  }

  /** "Confirm and book": creates once at the confirmed total; the same call is the safe retry. */
  async book(): Promise<void> {
    const draft = this.draft;
    const confirmed = this.toConfirm;
    if (draft === null || confirmed === null || this.busy !== null) return;
    if (!(await this.flush())) return;
    this.busy = 'creating';
    this.callError = null;
    const result = await callSafely(() =>
      this.#api.createBooking({ draftId: draft.draftId, confirmedTotal: confirmed.total }),
    );
    this.busy = null;
    if (this.draft?.draftId !== draft.draftId) return;
    if (result.ok) {
      this.#apply(result.value);
    } else {
      this.#failed(result.error, () => this.book());
      // The create may have reached WAUG: main knows what the draft is now (unconfirmed, say).
      await this.#reread(draft.draftId);
    }
  }

  /** The banner's "Try again": the call that failed, as it was. */
  async retry(): Promise<void> {
    const again = this.#retry;
    this.#retry = null;
    this.callError = null;
    if (again !== null) await again();
  }

  #failed(error: WireError, retry: () => Promise<void>): void {
    this.callError = error;
    this.#retry = retry;
  }

  #apply(outcome: BookingOutcome): void {
    const before = this.step;
    this.draft = outcome.draft;
    // The core's copy is the newest: after a price change it carries the new prices.
    this.body = structuredClone(outcome.draft.body);
    this.timeslots = { ...this.timeslots, ...timeslotsOf(outcome.draft.body.goods[0]?.options ?? []) };
    this.outcome = outcome;
    this.toConfirm = outcome.kind === 'invalid_fields' ? null : (totalToConfirm(outcome) ?? this.toConfirm);
    if (outcome.kind === 'invalid_fields') {
      const placed = placeFieldErrors(
        outcome.errors,
        this.slots.map((slot) => slot.key),
      );
      this.serverErrors = placed.placed;
      this.unplacedErrors = placed.unplaced;
      this.showAllProblems = true;
      const first = placed.firstKey ?? firstProblemKey(this.slots, this.problems);
      if (first !== null) this.focusRequest = { key: first };
    } else {
      this.serverErrors = {};
      this.unplacedErrors = [];
    }
    if (outcome.kind === 'created') this.order.show(outcome.order);
    if (outcome.kind === 'price_changed') void this.prices.reread(this.today);
    const step = stepForOutcome(outcome, before);
    if (this.body !== null && this.body.step !== step) {
      this.body.step = step;
      if (isEditable(outcome.draft.state)) this.#edited(true);
    }
  }

  // ---- autosave ----------------------------------------------------------------------------

  #edited(now = false): void {
    if (this.draft !== null && isEditable(this.draft.state)) this.#autosave.edited(now);
  }

  /** Saves what is not saved yet; true when the draft in main matches the screen. */
  flush(): Promise<boolean> {
    return this.#autosave.flush();
  }

  // ---- pushes from main ---------------------------------------------------------------------

  draftChanged(summary: BookingDraftSummary): void {
    if (this.screen === 'home') {
      clearTimeout(this.#draftsTimer);
      this.#draftsTimer = setTimeout(() => void this.loadDrafts(), DRAFTS_REREAD_MS);
    }
    const draft = this.draft;
    if (draft === null || draft.draftId !== summary.draftId || this.busy !== null) return;
    if (summary.orderNumber !== null) this.order.changed(summary.orderNumber);
    if (summary.state !== draft.state || summary.orderNumber !== draft.orderNumber) void this.#reread(draft.draftId);
  }

  async #reread(draftId: string): Promise<void> {
    const result = await callSafely(() => this.#api.getBookingDraft({ draftId }));
    if (!result.ok || this.draft?.draftId !== draftId || this.busy !== null) return;
    const fresh = result.value;
    if (fresh.state === 'discarded') {
      this.#close();
      this.screen = 'home';
      return;
    }
    this.draft = fresh;
    if (fresh.state === 'created' && fresh.orderNumber !== null) {
      this.outcome = null;
      this.order.follow(fresh.orderNumber);
    } else if (
      (fresh.state === 'unconfirmed' || fresh.state === 'submitting') &&
      this.outcome?.kind !== 'unconfirmed'
    ) {
      this.outcome = { kind: 'unconfirmed', message: fresh.lastError ?? '', draft: fresh };
    }
  }

  orderChanged(orderNumber: string): void {
    this.order.changed(orderNumber);
  }

  catalogChanged(goodsId: string | null): void {
    const mine = this.goods.goodsId;
    if (mine === null || (goodsId !== null && goodsId !== mine)) return;
    void this.goods.reread();
    void this.prices.reread(this.today);
  }
}
