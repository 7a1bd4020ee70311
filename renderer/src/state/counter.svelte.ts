/**
 * The counter's flow: scan → lookup (cache, then Yahoo in the background) → confirm → redeem
 * → result. The next scan replaces everything, and no late answer may overwrite a newer scan.
 */
import type { DeskApi, LookupResult } from '../../../shared/contract.js';
import type { WireError } from '../../../shared/errors.js';
import { callSafely } from '../lib/call.js';
import { LatestOnly, LOADING_DELAY_MS, lookupWithRefresh, showAfterDelay } from '../lib/lookup.js';
import { bannerFromRedeem, cardAfterRedeem, type RedeemBanner } from '../lib/outcome.js';
import { parseScan, type ParsedScan } from '../lib/scan.js';
import { needsRevisit } from '../lib/sync.js';
import { describeLiveChange, voucherChangeConcernsCard, type LiveChange, type VoucherChange } from '../lib/live.js';

export type FoundLookup = Extract<LookupResult, { kind: 'found' }>;
export type ScanFailure = Extract<ParsedScan, { ok: false }>;

export interface CounterHooks {
  /** After every redemption attempt: play the sound, refresh the shift list. */
  onRedeemOutcome(banner: RedeemBanner): void;
  /** False while the clerk works offline: a cached answer is then not checked with Yahoo. */
  remoteAllowed(): boolean;
  /**
   * The card now shows this voucher's order item (null: no card). Called once the card's own
   * answer is in, so whatever hangs off it (the WAUG order panel) never delays the scan.
   */
  onCardShown?(orderItemId: string | null): void;
}

export class CounterState {
  /** The scan field's text. Kept here so a scan caught by the confirm dialog can be replayed into it. */
  scanText = $state('');
  scanProblem = $state.raw<ScanFailure | null>(null);
  lookup = $state.raw<LookupResult | null>(null);
  lookupError = $state.raw<WireError | null>(null);
  /** True only once a lookup has taken longer than LOADING_DELAY_MS. */
  loading = $state(false);
  refreshing = $state(false);
  refreshError = $state.raw<WireError | null>(null);
  banner = $state.raw<RedeemBanner | null>(null);
  confirming = $state(false);
  redeeming = $state(false);
  /** Set once this card's voucher went through a redemption attempt that must not be repeated. */
  attempted = $state(false);
  /** Yahoo changed the voucher on the card while it was shown (main pushed it): what changed. */
  liveChange = $state.raw<LiveChange | null>(null);

  readonly found: FoundLookup | null = $derived(this.lookup?.kind === 'found' ? this.lookup : null);
  /** A redemption this desk already made (queued, delivered or in conflict) is never repeated from here. */
  readonly canRedeem: boolean = $derived(
    this.found !== null &&
      this.found.verdict.redeemable &&
      this.found.localRedemption === null &&
      !this.redeeming &&
      !this.attempted,
  );

  readonly #api: DeskApi;
  readonly #hooks: CounterHooks;
  readonly #latest = new LatestOnly();

  constructor(api: DeskApi, hooks: CounterHooks) {
    this.#api = api;
    this.#hooks = hooks;
  }

  /** A malformed serial is answered here, inline, without any call to main. */
  async submit(raw: string): Promise<void> {
    const parsed = parseScan(raw);
    const ticket = this.#latest.next();
    this.#clearCard();
    if (!parsed.ok) {
      this.scanProblem = parsed;
      return;
    }
    this.scanProblem = null;
    const isCurrent = () => this.#latest.isCurrent(ticket);
    const cancelLoading = showAfterDelay(LOADING_DELAY_MS, () => {
      if (isCurrent()) this.loading = true;
    });
    try {
      await lookupWithRefresh(
        { lookupVoucher: (request) => callSafely(() => this.#api.lookupVoucher(request)) },
        parsed.serial,
        isCurrent,
        (update) => {
          switch (update.phase) {
            case 'first':
              cancelLoading();
              this.loading = false;
              if (update.result.ok) this.lookup = update.result.value;
              else this.lookupError = update.result.error;
              this.#cardShown();
              break;
            case 'refreshing':
              this.refreshing = true;
              break;
            case 'refreshed':
              this.refreshing = false;
              if (update.result.ok) this.lookup = update.result.value;
              else this.refreshError = update.result.error;
              this.#cardShown();
              break;
          }
        },
        () => this.#hooks.remoteAllowed(),
      );
    } finally {
      cancelLoading();
      if (isCurrent()) {
        this.loading = false;
        this.refreshing = false;
      }
    }
  }

  /** Escape: the first press clears the field (the component does that), the second the screen. */
  clearScreen(): void {
    this.#latest.invalidate();
    this.#clearCard();
    this.scanProblem = null;
  }

  clearProblem(): void {
    this.scanProblem = null;
  }

  askToConfirm(): void {
    if (this.canRedeem) this.confirming = true;
  }

  cancelConfirm(): void {
    this.confirming = false;
  }

  async redeem(): Promise<void> {
    const found = this.found;
    this.confirming = false;
    if (found === null || !this.canRedeem) return;
    // A background refresh still in flight predates this redemption: it must not repaint the card.
    const ticket = this.#latest.next();
    this.refreshing = false;
    this.redeeming = true;
    const serial = found.voucher.serialNumber;
    const result = await callSafely(() => this.#api.redeemVoucher({ serial }));
    this.redeeming = false;
    const banner = bannerFromRedeem(serial, found.voucher.title, result);
    // Money moved (or may have): the outcome is shown even if the clerk already scanned the next
    // voucher, but then it must not repaint that newer card.
    this.banner = banner;
    this.#hooks.onRedeemOutcome(banner);
    if (!this.#latest.isCurrent(ticket)) return;
    // Only a plain error (nothing reached Yahoo, or Yahoo never took it) may be retried from this card.
    this.attempted = banner.outcome !== 'error';
    if (result.ok) this.lookup = cardAfterRedeem(found, result.value);
  }

  /**
   * The outbox moved on in main (delivered, conflict): a card showing a redemption still
   * waiting for Yahoo is re-read from the cache, so it stops saying "waiting" once it is not.
   */
  async revisit(): Promise<void> {
    const found = this.found;
    if (!needsRevisit(found) || this.redeeming) return;
    const serial = found.voucher.serialNumber;
    const result = await callSafely(() => this.#api.lookupVoucher({ serial, prefer: 'cache' }));
    const now = this.found;
    // Only the same card, untouched meanwhile, takes the new answer.
    if (!result.ok || result.value.kind !== 'found' || now !== found || this.redeeming) return;
    this.lookup = result.value;
  }

  /**
   * Main says a voucher changed outside this desk's calls (Yahoo cancelled it, another desk used
   * it). When it is the card's voucher, the card is re-read from the cache main just updated, and
   * a change the clerk must notice is kept for the card to show.
   */
  async voucherChanged(change: VoucherChange): Promise<void> {
    const found = this.found;
    if (!voucherChangeConcernsCard(found, change) || found === null || this.redeeming) return;
    const serial = found.voucher.serialNumber;
    const result = await callSafely(() => this.#api.lookupVoucher({ serial, prefer: 'cache' }));
    const now = this.found;
    // Only the same card, untouched meanwhile, takes the new answer.
    if (!result.ok || result.value.kind !== 'found' || now !== found || this.redeeming) return;
    const fresh = result.value;
    const live = describeLiveChange(found, fresh);
    this.lookup = fresh;
    if (live !== null) this.liveChange = live;
    // A confirmation open for a voucher that can no longer be redeemed must not stay up.
    if (!fresh.verdict.redeemable) this.confirming = false;
  }

  #cardShown(): void {
    this.#hooks.onCardShown?.(this.found?.voucher.orderItemId ?? null);
  }

  #clearCard(): void {
    this.#hooks.onCardShown?.(null);
    this.lookup = null;
    this.lookupError = null;
    this.loading = false;
    this.refreshing = false;
    this.refreshError = null;
    this.banner = null;
    this.confirming = false;
    this.attempted = false;
    this.liveChange = null;
  }
}
