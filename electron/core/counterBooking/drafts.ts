/**
 * Booking drafts as the clerk types them (issue 6 items 2.5–2.7): started, saved, discarded, read
 * and listed. Every save is committed (db/bookingDrafts.ts), so a crash or a lost connection loses
 * nothing saved. Each draft carries its own partnerOrderNumber from the start. Body values are
 * personal data: never logged; created, discarded and abandoned editing drafts are purged once
 * untouched for DRAFT_RETENTION_MS.
 */
import { randomUUID } from 'node:crypto';
import type { BookingDraft, BookingDraftSummary, DraftBody } from '../../../shared/contract.js';
import { waugToday } from '../../../shared/domain/waugFields.js';
import { DeskError } from '../../../shared/errors.js';
import { NO_ITEM_NAMES, type StoredDraft } from '../db/bookingDrafts.js';
import type { WaugGoods } from '../waug/api.js';
import type { BookingContext } from './context.js';
import { draftView } from './draftView.js';
import { bookingDeskError } from './errors.js';
import { newPartnerOrderNumber } from './partnerNumber.js';
import { namesOf } from './reprice.js';

/**
 * Drafts hold names and phone numbers: created, discarded and editing ones untouched this long are
 * deleted. Never one whose create may have reached WAUG ('submitting', 'unconfirmed').
 */
export const DRAFT_RETENTION_MS = 30 * 24 * 60 * 60_000;

export async function newDraft(
  ctx: BookingContext,
  request: { goodsId: string; replacesOrderNumber?: string | undefined },
): Promise<BookingDraft> {
  const { catalog } = ctx;
  let goods: WaugGoods | undefined = catalog.cachedGoods(request.goodsId)?.goods;
  if (goods === undefined) {
    const today = waugToday(ctx.now().getTime());
    try {
      goods = (await catalog.refreshGoods(request.goodsId, { startDate: today, endDate: today })).goods;
    } catch (error) {
      throw bookingDeskError(error, 'No booking was started.');
    }
  }
  const at = ctx.nowIso();
  const draft: StoredDraft = {
    draftId: randomUUID(),
    partnerOrderNumber: newPartnerOrderNumber(ctx.now().getTime(), ctx.randomIndex),
    state: 'editing',
    body: {
      goods: [
        { goodsId: request.goodsId, goodsName: goods.goodsName, useDate: null, options: [], additionalInput: '' },
      ],
      values: {},
      step: 'date',
      replacesOrderNumber: request.replacesOrderNumber ?? null,
    },
    itemNames: namesOf([goods], NO_ITEM_NAMES),
    orderNumber: null,
    lastError: null,
    createdAt: at,
    updatedAt: at,
  };
  ctx.drafts().insert(draft);
  ctx.log.info('booking draft started', { draftId: draft.draftId, goodsId: request.goodsId });
  ctx.emit(draft);
  return draftView(draft);
}

export function saveDraft(ctx: BookingContext, draftId: string, body: DraftBody): BookingDraft {
  const d = ctx.requireDraft(draftId);
  ctx.assertIdle(draftId);
  if (d.state !== 'editing') {
    const why: Record<Exclude<StoredDraft['state'], 'editing'>, string> = {
      submitting: 'it is being sent to WAUG',
      unconfirmed: 'it may already be booked: book it again to find out (it is never booked twice)',
      created: `it is booked (order ${d.orderNumber ?? ''})`,
      discarded: 'it was discarded',
    };
    throw new DeskError('bad_input', `This booking cannot be changed: ${why[d.state]}.`);
  }
  // Names of the ids picked, while the cache still knows them (a later re-map needs them).
  const cachedGoods = body.goods.flatMap((line) => ctx.catalog.cachedGoods(line.goodsId)?.goods ?? []);
  const next = ctx
    .drafts()
    .update(draftId, ['editing'], { body, itemNames: namesOf(cachedGoods, d.itemNames) }, ctx.nowIso());
  if (next === null) throw new DeskError('busy', 'The booking changed state meanwhile; open it again.');
  ctx.emit(next);
  return draftView(next);
}

export function discardDraft(ctx: BookingContext, draftId: string): BookingDraft {
  const d = ctx.requireDraft(draftId);
  if (d.state === 'discarded') return draftView(d);
  if (ctx.isBusy(draftId) || d.state === 'submitting')
    throw new DeskError('busy', 'This booking is being sent to WAUG right now; wait for the answer.');
  if (d.state === 'created')
    throw new DeskError(
      'bad_input',
      `This booking is already booked (order ${d.orderNumber ?? ''}); refund the order instead.`,
    );
  if (d.state === 'unconfirmed')
    throw new DeskError(
      'bad_input',
      'This booking may already be booked: book it again to find out before discarding it.',
    );
  const next = ctx.move(d, ['editing'], { state: 'discarded' });
  if (next === null) throw new DeskError('busy', 'The booking changed state meanwhile; open it again.');
  ctx.log.info('booking draft discarded', { draftId });
  return draftView(next);
}

export function getDraft(ctx: BookingContext, draftId: string): BookingDraft {
  return draftView(ctx.requireDraft(draftId));
}

export function listDrafts(ctx: BookingContext, filter: 'open' | 'all', limit: number): BookingDraftSummary[] {
  return ctx.drafts().list(filter, limit).map(ctx.summary);
}

/** Deletes editing, created and discarded drafts untouched for DRAFT_RETENTION_MS. */
export function purgeDrafts(ctx: BookingContext): void {
  if (!ctx.store().db.open) return;
  const removed = ctx.drafts().purge(new Date(ctx.now().getTime() - DRAFT_RETENTION_MS).toISOString());
  if (removed > 0) ctx.log.info('old booking drafts purged', { removed });
}
