/**
 * Settling creates that may have reached WAUG without an answer: a draft in 'submitting' (the desk
 * stopped mid-send) or 'unconfirmed' (the answer was lost) is settled by asking WAUG for its
 * partner number, before any validate or create of it and, in the background, at start. A
 * "not found" counts only once the create has had time to finish (NOT_FOUND_SETTLES_AFTER_MS).
 * Also at start: recent bookings whose voucher has not come yet are followed again.
 */
import { DeskError } from '../../../shared/errors.js';
import type { StoredDraft } from '../db/bookingDrafts.js';
import { describeWaugFailure } from '../orders/errors.js';
import type { WaugOrder } from '../waug/api.js';
import type { BookingContext } from './context.js';
import { booked, createdOutcome, type CreatedOutcome } from './created.js';
import { bookingDeskError } from './errors.js';
import { issuanceSettled } from './issuance.js';

/** At start, created bookings this recent whose voucher has not come yet are followed again. */
export const RESUME_FOLLOW_WITHIN_MS = 7 * 24 * 60 * 60_000;
/** Settling drafts left in 'submitting'/'unconfirmed': the first try, then doubling up to the cap. */
export const RECONCILE_POLICY = Object.freeze({ firstAfterMs: 1_000, maxMs: 60_000 });
/**
 * "Not found" proves nothing was booked only this long after the create was sent: until then a
 * create WAUG is still working on (a 108) may finish, or another process (a `book` run, another
 * window) may be sending it right now. Measured from the draft's updatedAt, which for a
 * 'submitting'/'unconfirmed' draft is when it entered that state (nothing else writes such a row).
 */
export const NOT_FOUND_SETTLES_AFTER_MS = 5 * 60_000;

/**
 * A draft whose create may have reached WAUG: WAUG's word by partner number settles it. Found →
 * created. Not found → nothing was booked, the draft is editable again (null) — but only once
 * NOT_FOUND_SETTLES_AFTER_MS have passed since it was sent; sooner, it throws unconfirmed and the
 * draft stays as it was. Network trouble throws and leaves the draft as it was.
 */
export async function reconcile(ctx: BookingContext, d: StoredDraft): Promise<CreatedOutcome | null> {
  let found: WaugOrder | null;
  try {
    found = await ctx.requireWaug().getOrderByPartnerNumber(d.partnerOrderNumber);
  } catch (error) {
    throw bookingDeskError(error, 'Whether this booking was created is not known yet; nothing was sent again.');
  }
  if (found !== null) return booked(ctx, d, found);
  if (ctx.now().getTime() - Date.parse(d.updatedAt) < NOT_FOUND_SETTLES_AFTER_MS)
    throw new DeskError(
      'unconfirmed',
      'WAUG has no order for this booking yet, but a slow create may still finish. Try again in a few minutes: nothing will be booked twice.',
    );
  ctx.move(d, ['submitting', 'unconfirmed'], {
    state: 'editing',
    lastError: 'WAUG has no order for this booking: nothing was booked. Check it and book again.',
  });
  ctx.log.info('counter booking not found at WAUG; editable again', { draftId: d.draftId });
  return null;
}

/**
 * Before a validate or create: a created draft answers its order; one a create may have reached
 * WAUG for is settled by partner number first; an editing one goes on.
 */
export async function settleFirst(
  ctx: BookingContext,
  d: StoredDraft,
): Promise<{ created: CreatedOutcome } | { draft: StoredDraft }> {
  switch (d.state) {
    case 'created':
      return { created: await createdOutcome(ctx, d) };
    case 'discarded':
      throw new DeskError('bad_input', 'This booking draft was discarded; start a new one.');
    case 'submitting':
    case 'unconfirmed': {
      const created = await reconcile(ctx, d);
      if (created !== null) return { created };
      return { draft: ctx.requireDraft(d.draftId) };
    }
    case 'editing':
      return { draft: d };
  }
}

export interface Recovery {
  /** Follows recent issuances again now, and settles interrupted creates in the background. */
  start(): void;
  stop(): void;
}

export function createRecovery(ctx: BookingContext): Recovery {
  const { log, timers } = ctx;
  let reconcileTimer: unknown = null;
  let reconcileDelay: number = RECONCILE_POLICY.firstAfterMs;
  let stopped = false;

  /** Drafts a stopped desk left mid-create: settled by partner number once WAUG answers. */
  async function reconcilePending(): Promise<void> {
    reconcileTimer = null;
    if (stopped || !ctx.store().db.open) return;
    const pending = ctx
      .drafts()
      .inStates(['submitting', 'unconfirmed'])
      .filter((d) => !ctx.isBusy(d.draftId));
    if (pending.length === 0) return;
    // Not settled (WAUG out of reach, or a not-found too soon after the send): tried again later.
    let failed = false;
    if (ctx.waug() === null || ctx.reachability.workOffline) failed = true;
    for (const d of failed ? [] : pending) {
      if (stopped) return;
      try {
        await ctx.withLock(d.draftId, async () => {
          const current = ctx.drafts().get(d.draftId);
          if (current !== null && (current.state === 'submitting' || current.state === 'unconfirmed'))
            await reconcile(ctx, current);
        });
      } catch (error) {
        failed = true;
        log.warn('an interrupted counter booking could not be settled yet', {
          draftId: d.draftId,
          failure: describeWaugFailure(error),
        });
      }
    }
    if (failed && !stopped) {
      reconcileTimer = timers.setTimeout(() => void reconcilePending(), reconcileDelay);
      reconcileDelay = Math.min(reconcileDelay * 2, RECONCILE_POLICY.maxMs);
    }
  }

  function resumeFollowing(): void {
    const since = new Date(ctx.now().getTime() - RESUME_FOLLOW_WITHIN_MS).toISOString();
    for (const d of ctx.drafts().createdSince(since)) {
      const cached = ctx.store().orders.get(d.orderNumber as string);
      if (cached !== null && issuanceSettled(cached.goods)) continue;
      ctx.follower.follow(d.orderNumber as string, Date.parse(d.updatedAt));
    }
  }

  return {
    start() {
      resumeFollowing();
      reconcileTimer = timers.setTimeout(() => void reconcilePending(), RECONCILE_POLICY.firstAfterMs);
    },
    stop() {
      stopped = true;
      if (reconcileTimer !== null) timers.clearTimeout(reconcileTimer);
    },
  };
}
