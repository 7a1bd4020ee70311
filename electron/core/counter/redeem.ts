/**
 * Redeeming a voucher at the counter (API-NOTES §1 "Redeem"). The redemptions row and its
 * audit entry are written, in one transaction, before Yahoo is called. Redeem is not
 * idempotent, so an ambiguous outcome is resolved by querying the voucher, never by guessing.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { RedeemResult } from '../../../shared/contract.js';
import { DeskError } from '../../../shared/errors.js';
import { redeemVerdict, type RefusalReason, type Voucher, type VoucherStatus } from '../../../shared/domain/voucher.js';
import type { Redemption } from '../db/redemptions.js';
import type { CachedVoucher } from '../db/vouchers.js';
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

/** How many times a redemption is re-sent after a query proved the previous send did not apply. */
const RETRIES_AFTER_UNAPPLIED = 1;
const DEFAULT_RESOLVE_TIMEOUT_MS = 10_000;
const REDEMPTION_ID_PATTERN = /R-[0-9a-f]{8}\b/g;

export function newRedemptionId(): string {
  return `R-${randomBytes(4).toString('hex')}`;
}

export function redeemAtText(station: string, redemptionId: string): string {
  return `${station} · ${redemptionId}`;
}

type QueryOutcome = { ok: true; cached: CachedVoucher | null } | { ok: false; error: unknown };

export interface Redeemer {
  redeemVoucher(input: string): Promise<RedeemResult>;
  /** Serials being redeemed right now on this desk. */
  readonly inFlight: ReadonlySet<string>;
}

export function createRedeemer(ctx: CounterContext): Redeemer {
  const inFlight = new Set<string>();
  const { store } = ctx;
  const resolveTimeoutMs = ctx.resolveTimeoutMs ?? DEFAULT_RESOLVE_TIMEOUT_MS;

  const result = (
    redemptionId: string,
    serial: string,
    outcome: RedeemResult['outcome'],
    fields: {
      status: VoucherStatus | null;
      reason: RefusalReason | null;
      voucher: Voucher | null;
    },
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

  async function tryQuery(api: YahooApi, serial: string): Promise<QueryOutcome> {
    try {
      const voucher = await ctx.queryBySerial(api, serial, resolveTimeoutMs);
      return { ok: true, cached: voucher ? ctx.remember(voucher) : null };
    } catch (error) {
      return { ok: false, error };
    }
  }

  function freshId(): string {
    for (;;) {
      const id = newRedemptionId();
      if (!store.redemptions.exists(id)) return id;
    }
  }

  /** A refusal decided without sending anything: recorded as a 'rejected' row with its audit entry. */
  function refuseLocally(
    serial: string,
    voucher: Voucher | null,
    refusal: {
      reason: RefusalReason | null;
      status: VoucherStatus | null;
      detail: string;
      orderId?: string;
    },
  ): RedeemResult {
    const who = ctx.identity();
    const id = freshId();
    const at = ctx.nowIso();
    store.db.transaction(() => {
      store.redemptions.insert({
        id,
        nonce: randomUUID(),
        serialNumber: serial,
        voucherId: voucher?.voucherId ?? null,
        orderId: voucher?.orderId ?? refusal.orderId ?? '?',
        orderItemId: voucher?.orderItemId ?? null,
        station: who.station,
        operator: who.operator,
        redeemAt: redeemAtText(who.station, id),
        createdAt: at,
        state: 'rejected',
        reason: refusal.reason,
        yahooStatus: refusal.status,
        completedAt: at,
        attempts: 0,
        lastError: null,
      });
      ctx.audit({
        action: 'redeem',
        serialNumber: serial,
        voucherId: voucher?.voucherId ?? null,
        redemptionId: id,
        outcome: 'rejected',
        detail: refusal.detail,
        at,
      });
    })();
    return result(id, serial, 'rejected', {
      status: refusal.status,
      reason: refusal.reason,
      voucher,
    });
  }

  function finish(
    row: Redemption,
    state: 'redeemed' | 'rejected' | 'failed',
    fields: {
      reason: RefusalReason | null;
      yahooStatus: VoucherStatus | null;
      detail: string;
      lastError?: string | null;
      /** For a success learnt from the redeem answer: the status to apply to the cache. */
      applied?: { statusAppliedTime: string };
    },
  ): void {
    const at = ctx.nowIso();
    store.db.transaction(() => {
      store.redemptions.complete(row.id, {
        state,
        reason: fields.reason,
        yahooStatus: fields.yahooStatus,
        completedAt: at,
        lastError: fields.lastError ?? null,
      });
      if (fields.applied && row.voucherId) {
        store.vouchers.applyStatus(
          row.voucherId,
          {
            status: 'USED',
            statusAppliedTime: fields.applied.statusAppliedTime,
            // Yahoo's redeem answer does not say who executed it: it was this desk, this redemption.
            executedBy: row.redeemAt,
            winsTies: true,
          },
          at,
        );
      }
      ctx.audit({
        action: 'redeem',
        serialNumber: row.serialNumber,
        voucherId: row.voucherId,
        redemptionId: row.id,
        outcome: state,
        detail: fields.detail,
        at,
      });
    })();
  }

  function leaveUnconfirmed(row: Redemption, lastError: string): never {
    store.db.transaction(() => {
      store.redemptions.markUnconfirmed(row.id, lastError);
      ctx.audit({
        action: 'redeem',
        serialNumber: row.serialNumber,
        voucherId: row.voucherId,
        redemptionId: row.id,
        outcome: 'unconfirmed',
        detail: lastError,
      });
    })();
    throw new DeskError(
      'unconfirmed',
      `Redemption ${row.id} of ${row.serialNumber} was sent to Yahoo, but whether it went through cannot be confirmed yet. ` +
        'Do not hand over the service until it is confirmed as redeemed.',
    );
  }

  /**
   * Is a USED voucher someone else's redemption? Yes when another redemption of this desk
   * holds it, or when Yahoo's executedBy names a different redemption id than ours.
   */
  function claimedByAnother(row: Redemption, voucher: Voucher): string | null {
    const other = store.redemptions.redeemedForSerial(row.serialNumber).find((r) => r.id !== row.id);
    if (other) return `already redeemed at this desk as ${other.id}`;
    const named: string[] = [...(voucher.executedBy?.match(REDEMPTION_ID_PATTERN) ?? [])];
    if (named.length > 0 && !named.includes(row.id)) return `Yahoo shows it redeemed by ${named[0]}`;
    return null;
  }

  /**
   * A send whose outcome is unknown: ask Yahoo what the voucher's status is now. Returns the
   * result, re-sends once when the query proves nothing applied, or leaves the row pending.
   */
  async function resolveAmbiguous(
    api: YahooApi,
    row: Redemption,
    failure: string,
    retriesLeft: number,
    cause: unknown,
  ): Promise<RedeemResult> {
    const query = await tryQuery(api, row.serialNumber);
    if (!query.ok) return leaveUnconfirmed(row, `${failure}; status query failed: ${describeFailure(query.error)}`);
    if (!query.cached) return leaveUnconfirmed(row, `${failure}; status query found no voucher`);
    const voucher = query.cached.voucher;

    if (voucher.status === 'USED') {
      const claim = claimedByAnother(row, voucher);
      if (claim) {
        finish(row, 'rejected', {
          reason: 'used',
          yahooStatus: 'USED',
          detail: `${failure}; USED but ${claim}`,
          lastError: failure,
        });
        return result(row.id, row.serialNumber, 'rejected', {
          status: 'USED',
          reason: 'used',
          voucher,
        });
      }
      finish(row, 'redeemed', {
        reason: null,
        yahooStatus: 'USED',
        detail: `${failure}; confirmed by query (USED)`,
        lastError: failure,
      });
      return result(row.id, row.serialNumber, 'redeemed', {
        status: 'USED',
        reason: null,
        voucher,
      });
    }

    const verdict = redeemVerdict(voucher, ctx.now());
    if (verdict.redeemable) {
      if (retriesLeft > 0) {
        ctx.audit({
          action: 'redeem',
          serialNumber: row.serialNumber,
          voucherId: row.voucherId,
          redemptionId: row.id,
          outcome: 'retrying',
          detail: `${failure}; query shows UNUSED, so it did not apply`,
        });
        return send(api, row, voucher, retriesLeft - 1, failure);
      }
      finish(row, 'failed', {
        reason: null,
        yahooStatus: voucher.status,
        detail: `${failure}; still UNUSED after retry`,
        lastError: failure,
      });
      const code = isYahooError(cause) ? deskCodeFor(cause.kind) : 'network';
      throw new DeskError(
        code,
        `Yahoo did not complete the redemption of ${row.serialNumber}; it is still unused and nothing was redeemed. Try again.`,
        { cause },
      );
    }
    finish(row, 'rejected', {
      reason: verdict.reason,
      yahooStatus: voucher.status,
      detail: `${failure}; now ${voucher.status}`,
      lastError: failure,
    });
    return result(row.id, row.serialNumber, 'rejected', {
      status: voucher.status,
      reason: verdict.reason,
      voucher,
    });
  }

  /** Yahoo said 12001 and gives no reason: ask for the voucher and report the real one. */
  async function explainRefusal(api: YahooApi, row: Redemption): Promise<RedeemResult> {
    const query = await tryQuery(api, row.serialNumber);
    const refused = 'Yahoo refused (12001)';
    if (!query.ok || !query.cached) {
      const why = query.ok ? 'voucher not found on query' : `status query failed: ${describeFailure(query.error)}`;
      finish(row, 'rejected', {
        reason: null,
        yahooStatus: null,
        detail: `${refused}; ${why}`,
        lastError: refused,
      });
      return result(row.id, row.serialNumber, 'rejected', {
        status: null,
        reason: null,
        voucher: cachedVoucher(row.serialNumber, row.voucherId),
      });
    }
    const voucher = query.cached.voucher;
    const verdict = redeemVerdict(voucher, ctx.now());
    const reason = verdict.redeemable ? null : verdict.reason;
    finish(row, 'rejected', {
      reason,
      yahooStatus: voucher.status,
      detail: `${refused}; status ${voucher.status}`,
      lastError: refused,
    });
    return result(row.id, row.serialNumber, 'rejected', {
      status: voucher.status,
      reason,
      voucher,
    });
  }

  async function send(
    api: YahooApi,
    row: Redemption,
    voucher: Voucher,
    retriesLeft: number,
    previousFailure?: string,
  ): Promise<RedeemResult> {
    if (previousFailure !== undefined) store.redemptions.countAttempt(row.id, previousFailure);
    let answer;
    try {
      answer = await api.redeem([
        {
          orderId: row.orderId,
          ...(row.orderItemId ? { orderItemId: row.orderItemId } : {}),
          serialNumber: voucher.serialNumber,
          redeemAt: row.redeemAt,
        },
      ]);
    } catch (error) {
      const failure = describeFailure(error);
      if (isYahooError(error) && error.kind === 'redeem_failed') return explainRefusal(api, row);
      if (isYahooError(error) && !error.details.mayHaveApplied) {
        finish(row, 'failed', {
          reason: null,
          yahooStatus: null,
          detail: `${failure}; not sent`,
          lastError: failure,
        });
        throw deskErrorFromYahoo(error, `Nothing was redeemed; ${row.serialNumber} can be tried again.`);
      }
      // Ambiguous (a timeout or cut after sending), or an unexpected failure: ask, do not guess.
      if (!isYahooError(error))
        ctx.log.error('unexpected failure while redeeming', {
          redemptionId: row.id,
          error,
        });
      return resolveAmbiguous(api, row, failure, retriesLeft, error);
    }

    const mine = answer.find((a) => a.orderId === row.orderId) ?? answer[0];
    const status = mine?.status ?? 'USED';
    if (status !== 'USED') {
      // A 200 that does not say USED is not a success we can vouch for: resolve it by query.
      return resolveAmbiguous(api, row, `redeem answered ${status}`, 0, null);
    }
    finish(row, 'redeemed', {
      reason: null,
      yahooStatus: 'USED',
      detail: previousFailure ? 'redeemed on retry' : 'redeemed',
      applied: { statusAppliedTime: mine?.statusAppliedTime ?? ctx.nowIso() },
    });
    return result(row.id, row.serialNumber, 'redeemed', {
      status: 'USED',
      reason: null,
      voucher: cachedVoucher(row.serialNumber, row.voucherId),
    });
  }

  /**
   * An earlier attempt on this serial is still 'pending' (its outcome was never confirmed).
   * Settle it by query before anything is sent again; null means "settled, go on".
   */
  async function settleEarlierAttempt(api: YahooApi, earlier: Redemption): Promise<RedeemResult | null> {
    const query = await tryQuery(api, earlier.serialNumber);
    if (!query.ok || !query.cached) {
      const why = query.ok ? 'no voucher found' : describeFailure(query.error);
      store.redemptions.markUnconfirmed(earlier.id, `still unconfirmed: ${why}`);
      throw new DeskError(
        'unconfirmed',
        `An earlier redemption of ${earlier.serialNumber} (${earlier.id}) is still unconfirmed and Yahoo cannot be asked right now. ` +
          'Do not hand over the service until it is confirmed as redeemed.',
      );
    }
    const voucher = query.cached.voucher;
    if (voucher.status === 'USED') {
      const claim = claimedByAnother(earlier, voucher);
      if (claim) {
        finish(earlier, 'rejected', {
          reason: 'used',
          yahooStatus: 'USED',
          detail: `settled later: USED but ${claim}`,
        });
        return result(earlier.id, earlier.serialNumber, 'rejected', {
          status: 'USED',
          reason: 'used',
          voucher,
        });
      }
      finish(earlier, 'redeemed', {
        reason: null,
        yahooStatus: 'USED',
        detail: 'settled later: confirmed by query (USED)',
      });
      return result(earlier.id, earlier.serialNumber, 'redeemed', {
        status: 'USED',
        reason: null,
        voucher,
      });
    }
    const verdict = redeemVerdict(voucher, ctx.now());
    if (verdict.redeemable) {
      finish(earlier, 'failed', {
        reason: null,
        yahooStatus: voucher.status,
        detail: 'settled later: did not apply (UNUSED)',
      });
      return null;
    }
    finish(earlier, 'rejected', {
      reason: verdict.reason,
      yahooStatus: voucher.status,
      detail: `settled later: ${voucher.status}`,
    });
    return result(earlier.id, earlier.serialNumber, 'rejected', {
      status: voucher.status,
      reason: verdict.reason,
      voucher,
    });
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

    const api = ctx.yahoo();
    if (!api) throw notConfigured();

    for (const earlier of store.redemptions.pendingForSerial(serial)) {
      const settled = await settleEarlierAttempt(api, earlier);
      if (settled) return settled;
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

    const who = ctx.identity();
    const id = freshId();
    const row: Redemption = {
      id,
      nonce: randomUUID(),
      serialNumber: serial,
      voucherId: voucher.voucherId,
      orderId: voucher.orderId,
      orderItemId: voucher.orderItemId,
      station: who.station,
      operator: who.operator,
      redeemAt: redeemAtText(who.station, id),
      createdAt: ctx.nowIso(),
      state: 'pending',
      reason: null,
      yahooStatus: null,
      completedAt: null,
      attempts: 1,
      lastError: null,
    };
    store.db.transaction(() => {
      store.redemptions.insert(row);
      ctx.audit({
        action: 'redeem',
        serialNumber: serial,
        voucherId: voucher.voucherId,
        redemptionId: id,
        outcome: 'sending',
        detail: null,
        at: row.createdAt,
      });
    })();
    return send(api, row, voucher, RETRIES_AFTER_UNAPPLIED);
  }

  return {
    inFlight,
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
      try {
        return await redeemSerial(serial);
      } finally {
        inFlight.delete(serial);
      }
    },
  };
}
