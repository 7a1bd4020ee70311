/**
 * The counter booking flow (issue 6): which screen shows, and opening, resuming and closing
 * drafts. Its parts each read on their own: the open drafts (bookingDrafts), the draft being
 * edited and saved behind the clerk (bookingEditor) with its form (bookingForm), moving between
 * its steps (bookingSteps), the calls the clerk waits on (bookingCalls), validate and create with
 * their outcome (bookingSubmission), and the reads of the draft's goods, prices and created order.
 * The rules (which step, which answer leads where) are the pure ones in lib/booking*.ts; these
 * classes carry them out.
 */
import type { BookingDraft, BookingDraftSummary, DeskApi, GoodsDetailView } from '../../../shared/contract.js';
import type { IpcResult } from '../../../shared/errors.js';
import { callSafely } from '../lib/call.js';
import { addMonths, initialMonth, monthOf, seoulToday } from '../lib/bookingCalendar.js';
import { isEditable, opensInSteps, resumeStep, type BookingStep } from '../lib/bookingSteps.js';
import { BookingCalls } from './bookingCalls.svelte.js';
import { OpenDrafts } from './bookingDrafts.svelte.js';
import { DraftEditor } from './bookingEditor.svelte.js';
import { DraftForm } from './bookingForm.svelte.js';
import { FollowedOrder } from './bookingOrder.svelte.js';
import { MonthPrices } from './bookingPrices.svelte.js';
import { DraftSteps } from './bookingSteps.svelte.js';
import { BookingSubmission } from './bookingSubmission.svelte.js';
import { GoodsRead } from './catalog.svelte.js';

/**
 * home: open drafts and "New booking" · picker: choosing goods for a new draft · draft: a draft's
 * steps · commandLine: a draft the steps do not book (several goods), with what to do about it.
 */
export type BookingScreen = 'home' | 'picker' | 'draft' | 'commandLine';

export interface BookingHooks {
  /** False while WAUG is not set up or the clerk works offline: nothing is sent to WAUG. */
  remoteAllowed(): boolean;
  /** A new booking starts from an unfiltered goods list, not the last guest's search. */
  onNewBooking?(): void;
}

export class BookingState {
  screen = $state<BookingScreen>('home');
  /** The draft on the commandLine screen: opened, but not in the steps (lib/bookingSteps.ts opensInSteps). */
  commandLineDraft = $state.raw<BookingDraft | null>(null);
  readonly drafts: OpenDrafts;
  readonly calls: BookingCalls;
  readonly goods: GoodsRead;
  readonly prices: MonthPrices;
  readonly order: FollowedOrder;
  readonly editor: DraftEditor;
  readonly form: DraftForm;
  readonly submission: BookingSubmission;
  readonly steps: DraftSteps;

  readonly #api: DeskApi;
  readonly #hooks: BookingHooks;

  constructor(api: DeskApi, hooks: BookingHooks) {
    this.#api = api;
    this.#hooks = hooks;
    const remote = () => hooks.remoteAllowed();
    this.drafts = new OpenDrafts(api);
    this.calls = new BookingCalls(remote);
    this.goods = new GoodsRead(api, remote);
    this.prices = new MonthPrices(api, remote);
    this.order = new FollowedOrder(api, remote);
    this.editor = new DraftEditor(api, { calls: this.calls, goods: this.goods, prices: this.prices });
    this.form = new DraftForm(this.editor, this.goods);
    this.submission = new BookingSubmission(api, {
      calls: this.calls,
      editor: this.editor,
      form: this.form,
      goods: this.goods,
      prices: this.prices,
      order: this.order,
      reread: (draftId) => this.#reread(draftId),
    });
    this.steps = new DraftSteps({
      editor: this.editor,
      form: this.form,
      submission: this.submission,
      goods: this.goods,
      prices: this.prices,
    });
  }

  get today(): string {
    return seoulToday();
  }

  // ---- opening and closing drafts ----------------------------------------------------------

  /** Back to the open drafts (the view lists them whenever it shows this screen). */
  async showHome(): Promise<void> {
    await this.editor.flush();
    this.#close();
    this.screen = 'home';
  }

  async newBooking(): Promise<void> {
    await this.editor.flush();
    this.#close();
    this.#hooks.onNewBooking?.();
    this.screen = 'picker';
  }

  async resume(draftId: string): Promise<void> {
    const result = await this.calls.run(
      'starting',
      () => this.#api.getBookingDraft({ draftId }),
      () => this.#saveOpenDraft(),
    );
    if (result === null) return;
    if (result.ok) await this.#open(result.value, null);
    else this.calls.failed(result.error, () => this.resume(draftId));
  }

  async discard(draftId: string): Promise<IpcResult<BookingDraft>> {
    const result = await callSafely(() => this.#api.discardBookingDraft({ draftId }));
    if (result.ok) {
      if (this.editor.draft?.draftId === draftId || this.commandLineDraft?.draftId === draftId) {
        this.#close();
        this.screen = 'home';
      }
      await this.drafts.load();
    }
    return result;
  }

  /** "Book this": a new draft for the goods, or, on a draft's goods step, the goods it books. */
  async bookGoods(goods: GoodsDetailView): Promise<void> {
    if (this.calls.busy !== null) return;
    const line = this.editor.line;
    if (line !== null && this.editor.editable && this.editor.step === 'goods') {
      if (line.goodsId !== goods.goodsId) {
        this.editor.changeGoods(goods);
        void this.goods.open(goods.goodsId);
        void this.prices.show(goods.goodsId, initialMonth(null, this.today), this.today);
      }
      this.steps.setStep('date');
      return;
    }
    await this.#start({ goodsId: goods.goodsId });
  }

  /** A change of booking from an order: a new draft that replaces it, at the same goods. */
  async changeBooking(goodsId: string, replacesOrderNumber: string): Promise<void> {
    await this.#start({ goodsId, replacesOrderNumber }, () => this.#saveOpenDraft());
  }

  async #start(
    request: { goodsId: string; replacesOrderNumber?: string },
    before?: () => Promise<boolean>,
  ): Promise<void> {
    const result = await this.calls.run('starting', () => this.#api.newBookingDraft(request), before);
    if (result === null) return;
    if (result.ok) await this.#open(result.value, 'date');
    else this.calls.failed(result.error, () => this.#start(request));
  }

  /** Before another draft opens: the one on screen is saved as far as it can be, then left. */
  async #saveOpenDraft(): Promise<boolean> {
    await this.editor.flush();
    return true;
  }

  async #open(draft: BookingDraft, startAt: BookingStep | null): Promise<void> {
    this.#close();
    if (!opensInSteps(draft)) {
      this.commandLineDraft = draft;
      this.screen = 'commandLine';
      return;
    }
    this.editor.open(draft);
    this.screen = 'draft';
    const first = draft.body.goods[0];
    if (first !== undefined) {
      const month = initialMonth(first.useDate, this.today);
      await Promise.all([this.goods.open(first.goodsId), this.prices.show(first.goodsId, month, this.today)]);
    }
    if (this.editor.draft?.draftId !== draft.draftId) return;
    this.submission.opened(draft);
    const step = startAt ?? resumeStep(draft.state, draft.body.step, this.steps.facts);
    if (isEditable(draft.state) && draft.body.step !== step) this.steps.setStep(step);
    if (step === 'date' && (first?.useDate ?? null) === null && this.prices.lowest.size === 0) {
      // Late in the month nothing may be left to book: start on the next month instead.
      if (this.prices.month === monthOf(this.today)) await this.showMonth(addMonths(this.prices.month, 1));
    }
  }

  #close(): void {
    this.commandLineDraft = null;
    this.editor.close();
    this.form.clear();
    this.goods.clear();
    this.prices.clear();
    this.order.clear();
    this.submission.clear();
    this.calls.clear();
  }

  async showMonth(month: string): Promise<void> {
    if (this.goods.goodsId !== null) await this.prices.show(this.goods.goodsId, month, this.today);
  }

  // ---- pushes from main ---------------------------------------------------------------------

  draftChanged(summary: BookingDraftSummary): void {
    if (this.screen === 'home') this.drafts.changed();
    const noted = this.commandLineDraft;
    // `book --file` may have booked it meanwhile (its order then opens), moved it on or discarded it.
    if (noted !== null && noted.draftId === summary.draftId && noted.state !== summary.state) {
      void (summary.state === 'discarded' ? this.showHome() : this.resume(noted.draftId));
      return;
    }
    const draft = this.editor.draft;
    if (draft === null || draft.draftId !== summary.draftId || this.calls.busy !== null) return;
    if (summary.orderNumber !== null) this.order.changed(summary.orderNumber);
    if (summary.state !== draft.state || summary.orderNumber !== draft.orderNumber) void this.#reread(draft.draftId);
  }

  async #reread(draftId: string): Promise<void> {
    const result = await callSafely(() => this.#api.getBookingDraft({ draftId }));
    if (!result.ok || this.editor.draft?.draftId !== draftId || this.calls.busy !== null) return;
    const fresh = result.value;
    if (fresh.state === 'discarded') {
      this.#close();
      this.screen = 'home';
      return;
    }
    this.editor.setFacts(fresh);
    this.submission.refreshed(fresh);
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
