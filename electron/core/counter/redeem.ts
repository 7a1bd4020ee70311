/**
 * Redeeming a voucher at the counter (API-NOTES §1 "Redeem"), as the clerk sees it. The
 * redemptions row and its audit entry are written, in one transaction, before Yahoo is called.
 * Sending and settling the row is sync/delivery.ts, shared with the outbox worker.
 *
 * When Yahoo cannot be reached (work offline, judged offline, a send that never left, or an
 * ambiguous send whose query fails too) and offline redemption is allowed, a cached redeemable
 * voucher is queued: the clerk hands the service over and the outbox delivers it later.
 * A serial this desk already redeemed or queued is refused here, without asking Yahoo.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { RedeemResult } from '../../../shared/contract.js';
import { DeskError } from '../../../shared/errors.js';
import { redeemVerdict, type RefusalReason, type Voucher, type VoucherStatus } from '../../../shared/domain/voucher.js';
import type { Redemption } from '../db/redemptions.js';
import { backoffDelayMs } from '../sync/backoff.js';
import { createDelivery, type Attempt, type Delivery } from '../sync/delivery.js';
import type { YahooApi } from '../yahoo/api.js';
import type { CounterContext } from './context.js';
import {
  CACHE_FALLBACK_KINDS,
  deskCodeFor,
  deskErrorFromYahoo,
  describeFailure,
  isYahooError,
  notConfigured,
  serialOrThrow,
  yahooPhrase,
} from './errors.js';
import { toVoucherView } from './view.js';

/** How many times a redemption is re-sent while the clerk waits, after a query proved the send did not apply. */
const RETRIES_AFTER_UNAPPLIED = 1;

export function newRedemptionId(): string {
  return `R-${randomBytes(4).toString('hex')}`;
}

export function redeemAtText(station: string, redemptionId: string): string {
  return `${station} · ${redemptionId}`;
}

export interface Redeemer {
  redeemVoucher(input: string): Promise<RedeemResult>;
  /** Serials the clerk is redeeming right now on this desk. */
  readonly inFlight: ReadonlySet<string>;
  readonly delivery: Delivery;
}

type Fields = { status: VoucherStatus | null; reason: RefusalReason | null; voucher: Voucher | null };

export function createRedeemer(ctx: CounterContext): Redeemer {
  const inFlight = new Set<string>();
  const { store } = ctx;
  const delivery = createDelivery(
    ctx,
    ctx.resolveTimeoutMs === undefined ? {} : { queryTimeoutMs: ctx.resolveTimeoutMs },
  );

  const result = (
    redemptionId: string,
    serial: string,
    outcome: RedeemResult['outcome'],
    fields: Fields,
  ): RedeemResult => ({
    redemptionId,
    serialNumber: serial,
    outcome,
    status: fields.status,
    reason: fields.reason,
    voucher: fields.voucher ? toVoucherView(fields.voucher) : null,
    at: ctx.nowIso(),
  });

  const cachedVoucher = (serial: string, voucherId: string | null): Voucher | null =>
    (voucherId ? store.vouchers.getById(voucherId) : null)?.voucher ??
    store.vouchers.getBySerial(serial)?.voucher ??
    null;

  /** A cached voucher that may be redeemed offline right now, or null. */
  function offlineRedeemable(serial: string): Voucher | null {
    if (!ctx.offlineRedeemAllowed()) return null;
    const cached = store.vouchers.getBySerial(serial);
    return cached && redeemVerdict(cached.voucher, ctx.now()).redeemable ? cached.voucher : null;
  }

  const retryAt = (row: Redemption): string =>
    new Date(ctx.now().getTime() + backoffDelayMs(row.attempts + 1, ctx.random)).toISOString();

  function freshId(): string {
    for (;;) {
      const id = newRedemptionId();
      if (!store.redemptions.exists(id)) return id;
    }
  }

  function newRow(serial: string, voucher: Voucher | null, extra: Partial<Redemption> & { orderId?: string }) {
    const who = ctx.identity();
    const id = freshId();
    return {
      id,
      nonce: randomUUID(),
      serialNumber: serial,
      voucherId: voucher?.voucherId ?? null,
      orderId: voucher?.orderId ?? extra.orderId ?? '?',
      orderItemId: voucher?.orderItemId ?? null,
      station: who.station,
      operator: who.operator,
      redeemAt: redeemAtText(who.station, id),
      createdAt: ctx.nowIso(),
      state: 'pending' as const,
      reason: null,
      attempts: 0,
    };
  }

  /** A refusal decided without sending anything: recorded as a 'rejected' row with its audit entry. */
  function refuseLocally(
    serial: string,
    voucher: Voucher | null,
    refusal: { reason: RefusalReason | null; status: VoucherStatus | null; detail: string; orderId?: string },
  ): RedeemResult {
    const row = newRow(serial, voucher, refusal.orderId === undefined ? {} : { orderId: refusal.orderId });
    store.db.transaction(() => {
      store.redemptions.insert({
        ...row,
        state: 'rejected',
        reason: refusal.reason,
        yahooStatus: refusal.status,
        completedAt: row.createdAt,
      });
      ctx.audit({ ...auditOf(row), outcome: 'rejected', detail: refusal.detail, at: row.createdAt });
    })();
    return result(row.id, serial, 'rejected', { status: refusal.status, reason: refusal.reason, voucher });
  }

  const auditOf = (row: Pick<Redemption, 'serialNumber' | 'voucherId' | 'id'>) => ({
    action: 'redeem' as const,
    serialNumber: row.serialNumber,
    voucherId: row.voucherId,
    redemptionId: row.id,
  });

  /** Yahoo cannot be asked: the row is written queued (honoured) with its nonce, before any network call. */
  function queueOffline(serial: string, voucher: Voucher, why: string): RedeemResult {
    const row = newRow(serial, voucher, {});
    store.db.transaction(() => {
      store.redemptions.insert({ ...row, honoured: true, nextAttemptAt: null });
      ctx.audit({ ...auditOf(row), outcome: 'queued', detail: why, at: row.createdAt });
    })();
    ctx.outboxChanged();
    return result(row.id, serial, 'queued', { status: null, reason: null, voucher });
  }

  function unconfirmedError(row: Redemption, earlier: boolean): DeskError {
    return new DeskError(
      'unconfirmed',
      earlier
        ? `An earlier redemption of ${row.serialNumber} (${row.id}) is still unconfirmed and Yahoo cannot be asked right now. ` +
            'Do not hand over the service until it is confirmed as redeemed.'
        : `Redemption ${row.id} of ${row.serialNumber} was sent to Yahoo, but whether it went through cannot be confirmed yet. ` +
            'Do not hand over the service until it is confirmed as redeemed.',
    );
  }

  /**
   * The row could not be settled while the clerk waits. Queue it when offline redemption is
   * allowed (the clerk may hand the service over), otherwise tell the clerk it is unconfirmed.
   */
  function cannotSettle(row: Redemption, failure: string, mayHaveApplied: boolean, earlier: boolean): RedeemResult {
    const voucher = offlineRedeemable(row.serialNumber);
    if (voucher) {
      delivery.keepPending(row, {
        mayHaveApplied,
        lastError: failure,
        nextAttemptAt: retryAt(row),
        honour: true,
        audit: { outcome: 'queued', detail: failure },
      });
      ctx.outboxChanged();
      return result(row.id, row.serialNumber, 'queued', { status: null, reason: null, voucher });
    }
    delivery.keepPending(row, {
      mayHaveApplied,
      lastError: failure,
      nextAttemptAt: retryAt(row),
      audit: { outcome: 'unconfirmed', detail: failure },
    });
    ctx.outboxChanged();
    throw unconfirmedError(row, earlier);
  }

  const settledResult = (row: Redemption, attempt: Attempt & { kind: 'delivered' | 'refused' }): RedeemResult =>
    attempt.kind === 'delivered'
      ? result(row.id, row.serialNumber, 'redeemed', { status: 'USED', reason: null, voucher: attempt.voucher })
      : result(row.id, row.serialNumber, 'rejected', {
          status: attempt.status,
          reason: attempt.reason,
          voucher: attempt.voucher,
        });

  /**
   * An earlier attempt on this serial was sent and never confirmed (the clerk was told
   * 'unconfirmed', or the desk stopped mid-send). Settle it by query before anything is sent
   * again; null means "it did not apply, go on".
   */
  async function settleEarlierAttempt(api: YahooApi, earlier: Redemption): Promise<RedeemResult | null> {
    if (!earlier.mayHaveApplied) {
      delivery.fail(earlier, 'never sent (interrupted before sending)', earlier.lastError);
      return null;
    }
    if (ctx.isOffline()) return cannotSettle(earlier, earlier.lastError ?? 'unconfirmed; offline', true, true);
    const attempt = await delivery.attempt(api, earlier, { mode: 'settle' });
    ctx.outboxChanged();
    if (attempt.kind !== 'pending') return settledResult(earlier, attempt);
    if (attempt.why === 'not_applied') {
      delivery.fail(earlier, 'settled later: did not apply (UNUSED)', earlier.lastError);
      return null;
    }
    return cannotSettle(earlier, `still unconfirmed: ${attempt.failure}`, true, true);
  }

  async function findVoucher(api: YahooApi, serial: string): Promise<Voucher> {
    const cached = store.vouchers.getBySerial(serial);
    let voucher: Voucher;
    if (cached) {
      voucher = cached.voucher;
      if (redeemVerdict(voucher, ctx.now()).redeemable) return voucher;
      // The cache says no; Yahoo may know better (a refund request withdrawn). Ask before refusing.
      try {
        const remote = await ctx.queryBySerial(api, serial);
        if (remote) voucher = ctx.remember(remote).voucher;
      } catch (error) {
        if (!isYahooError(error)) throw error;
        if (!CACHE_FALLBACK_KINDS.has(error.kind))
          throw deskErrorFromYahoo(error, `${serial} could not be checked. Nothing was redeemed.`);
        ctx.log.info('refresh before refusing failed; deciding on the cached status', {
          failure: describeFailure(error),
        });
      }
      return voucher;
    }
    let remote;
    try {
      remote = await ctx.queryBySerial(api, serial);
    } catch (error) {
      ctx.audit({
        action: 'redeem',
        serialNumber: serial,
        voucherId: null,
        redemptionId: null,
        outcome: 'error',
        detail: describeFailure(error),
      });
      if (isYahooError(error)) {
        throw new DeskError(
          deskCodeFor(error.kind),
          `${yahooPhrase(error.kind)}, and ${serial} is not in this desk’s cache. Nothing was redeemed.`,
          { cause: error },
        );
      }
      throw error;
    }
    if (!remote) {
      ctx.audit({
        action: 'redeem',
        serialNumber: serial,
        voucherId: null,
        redemptionId: null,
        outcome: 'not_found',
        detail: 'remote',
      });
      throw new DeskError(
        'not_found',
        `Yahoo has no voucher with serial number ${serial}. Check what was typed or scanned.`,
      );
    }
    return ctx.remember(remote).voucher;
  }

  /** Sends the clerk's fresh row and tells the clerk what happened. */
  async function sendNow(api: YahooApi, row: Redemption, retriesLeft: number): Promise<RedeemResult> {
    const attempt = await delivery.attempt(api, row, { mode: 'deliver' });
    ctx.outboxChanged();
    if (attempt.kind !== 'pending') return settledResult(row, attempt);
    const current = store.redemptions.get(row.id) ?? row;
    switch (attempt.why) {
      case 'not_applied': {
        if (retriesLeft > 0) {
          store.redemptions.recordTry(row.id, {
            mayHaveApplied: false,
            lastError: attempt.failure,
            nextAttemptAt: null,
          });
          return sendNow(api, store.redemptions.get(row.id) ?? current, retriesLeft - 1);
        }
        delivery.fail(current, `${attempt.failure}; still UNUSED after retry`, attempt.failure);
        ctx.outboxChanged();
        const code = isYahooError(attempt.error) ? deskCodeFor(attempt.error.kind) : 'network';
        throw new DeskError(
          code,
          `Yahoo did not complete the redemption of ${row.serialNumber}; it is still unused and nothing was redeemed. Try again.`,
          { cause: attempt.error },
        );
      }
      case 'refused_unexplained':
        delivery.rejectUnexplained(current, attempt.voucher, attempt.failure);
        ctx.outboxChanged();
        return result(row.id, row.serialNumber, 'rejected', {
          status: attempt.voucher?.status ?? null,
          reason: null,
          voucher: attempt.voucher ?? cachedVoucher(row.serialNumber, row.voucherId),
        });
      case 'not_sent': {
        const error = attempt.error;
        const connectivity = isYahooError(error) && CACHE_FALLBACK_KINDS.has(error.kind) && error.kind !== 'upstream';
        if (connectivity && offlineRedeemable(row.serialNumber))
          return cannotSettle(current, attempt.failure, false, false);
        delivery.fail(current, `${attempt.failure}; not sent`, attempt.failure);
        ctx.outboxChanged();
        if (isYahooError(error))
          throw deskErrorFromYahoo(error, `Nothing was redeemed; ${row.serialNumber} can be tried again.`);
        throw error;
      }
      case 'unknown':
        return cannotSettle(current, attempt.failure, true, false);
    }
  }

  async function redeemSerial(serial: string): Promise<RedeemResult> {
    const ours = store.redemptions.redeemedForSerial(serial)[0];
    if (ours) {
      return refuseLocally(serial, cachedVoucher(serial, ours.voucherId), {
        reason: 'used',
        status: 'USED',
        detail: `already redeemed at this desk as ${ours.id}`,
        orderId: ours.orderId,
      });
    }
    const earlier = store.redemptions.pendingForSerial(serial);
    const queued = earlier.find((r) => r.honoured);
    if (queued) {
      // Already honoured here and waiting for Yahoo: the service was handed over once.
      return refuseLocally(serial, cachedVoucher(serial, queued.voucherId), {
        reason: 'used',
        status: null,
        detail: `already queued at this desk as ${queued.id}`,
        orderId: queued.orderId,
      });
    }

    const api = ctx.yahoo();
    if (!api) throw notConfigured();

    for (const row of earlier) {
      const settled = await settleEarlierAttempt(api, row);
      if (settled) return settled;
    }

    if (ctx.isOffline()) {
      const voucher = offlineRedeemable(serial);
      if (voucher) return queueOffline(serial, voucher, 'offline: Yahoo is not reachable from this desk');
    }

    const voucher = await findVoucher(api, serial);
    const verdict = redeemVerdict(voucher, ctx.now());
    if (!verdict.redeemable) {
      return refuseLocally(serial, voucher, {
        reason: verdict.reason,
        status: voucher.status,
        detail: `not redeemable: ${voucher.status}`,
      });
    }

    const row: Redemption = {
      ...newRow(serial, voucher, {}),
      yahooStatus: null,
      completedAt: null,
      lastError: null,
      honoured: false,
      mayHaveApplied: false,
      nextAttemptAt: null,
      confirmedByQuery: false,
      conflict: null,
    };
    store.db.transaction(() => {
      store.redemptions.insert(row);
      ctx.audit({ ...auditOf(row), outcome: 'sending', detail: null, at: row.createdAt });
    })();
    return sendNow(api, row, RETRIES_AFTER_UNAPPLIED);
  }

  return {
    inFlight,
    delivery,
    async redeemVoucher(input) {
      const serial = serialOrThrow(input);
      if (inFlight.has(serial)) {
        ctx.audit({
          action: 'redeem',
          serialNumber: serial,
          voucherId: null,
          redemptionId: null,
          outcome: 'busy',
          detail: null,
        });
        throw new DeskError(
          'busy',
          `${serial} is already being redeemed at this desk. Wait for that attempt to finish.`,
        );
      }
      inFlight.add(serial);
      // A replay of the same voucher by the outbox finishes first: one attempt in flight per voucher.
      const release = await ctx.locks.acquire(serial);
      try {
        return await redeemSerial(serial);
      } finally {
        release();
        inFlight.delete(serial);
      }
    },
  };
}
