/**
 * Sending one outbox row to Yahoo and settling it: the one place that knows how, used both by
 * the clerk's redeem (counter/redeem.ts) and by the replaying worker (sync/outbox.ts).
 *
 * Redeem is not idempotent (API-NOTES §1), so:
 *  - may_have_applied is set, durably, before each send; while it is set, the next step is a
 *    QUERY, never a resend;
 *  - an ambiguous send (a timeout, a cut after sending, a 5xx) is resolved by querying the voucher:
 *    USED and claimed by no other redemption of this desk means it was ours;
 *  - a 12001 proves that this call did not apply; the query then says why (used elsewhere,
 *    refunded, cancelled, expired, unknown). For a redemption the clerk already honoured offline
 *    that is a conflict a person must resolve; otherwise a plain refusal.
 *
 * Terminal outcomes (delivered, refused) are written here, each with its audit entry in the same
 * transaction. A row that stays pending is handed back: the caller decides what the clerk is told
 * or when to try again (keepPending).
 */
import { redeemVerdict, type RefusalReason, type Voucher, type VoucherStatus } from '../../../shared/domain/voucher.js';
import type { CounterContext } from '../counter/context.js';
import { describeFailure, isYahooError } from '../counter/errors.js';
import type { ConflictReason, Redemption } from '../db/redemptions.js';
import type { YahooApi } from '../yahoo/api.js';

const REDEMPTION_ID_PATTERN = /R-[0-9a-f]{8}\b/g;

export type DeliveryContext = Pick<
  CounterContext,
  'store' | 'now' | 'nowIso' | 'audit' | 'log' | 'queryBySerial' | 'remember'
>;

/** Why a row is still pending after a try. */
export type PendingWhy =
  /** The call failed before it could reach Yahoo: nothing applied. */
  | 'not_sent'
  /** A send may have applied and the query that would tell could not be made. */
  | 'unknown'
  /** A query proved the earlier send did not apply (the voucher is still UNUSED). */
  | 'not_applied'
  /** Yahoo refused (12001), and why could not be learnt. */
  | 'refused_unexplained';

export type Attempt =
  | { kind: 'delivered'; confirmedByQuery: boolean; voucher: Voucher | null }
  | {
      kind: 'refused';
      /** For the clerk: null when Yahoo does not know the voucher. */
      reason: RefusalReason | null;
      conflictReason: ConflictReason;
      status: VoucherStatus | null;
      voucher: Voucher | null;
      /** True when the row became a conflict (the desk had honoured it), false when 'rejected'. */
      conflict: boolean;
    }
  | {
      kind: 'pending';
      why: PendingWhy;
      mayHaveApplied: boolean;
      failure: string;
      error: unknown;
      voucher: Voucher | null;
    };

export interface AttemptOptions {
  /** 'deliver' sends when nothing may have applied; 'settle' only ever queries. */
  mode: 'deliver' | 'settle';
  signal?: AbortSignal;
}

export interface Delivery {
  /** One try on one pending row. The caller holds the serial's lock. */
  attempt(api: YahooApi, row: Redemption, options: AttemptOptions): Promise<Attempt>;
  /** The row stays pending: record what the next step is, and audit what the clerk or the worker decided. */
  keepPending(
    row: Redemption,
    fields: {
      mayHaveApplied: boolean;
      lastError: string | null;
      nextAttemptAt: string | null;
      audit: { outcome: string; detail: string };
      honour?: boolean;
    },
  ): void;
  /** Ends a pending row as 'failed': nothing was redeemed and nobody was promised it. */
  fail(row: Redemption, detail: string, lastError: string | null): void;
  /** Ends a row the clerk is watching as 'rejected' when Yahoo refused and the reason cannot be learnt. */
  rejectUnexplained(row: Redemption, voucher: Voucher | null, detail: string): void;
}

type QueryOutcome = { ok: true; voucher: Voucher | null } | { ok: false; error: unknown };

/** `queryTimeoutMs`: how long a settling query may take; the client's own timeout by default. */
export function createDelivery(ctx: DeliveryContext, options: { queryTimeoutMs?: number } = {}): Delivery {
  const { store } = ctx;
  const { queryTimeoutMs } = options;

  const cachedVoucher = (row: Redemption): Voucher | null =>
    (row.voucherId ? store.vouchers.getById(row.voucherId) : null)?.voucher ??
    store.vouchers.getBySerial(row.serialNumber)?.voucher ??
    null;

  async function query(api: YahooApi, row: Redemption, signal?: AbortSignal): Promise<QueryOutcome> {
    try {
      const page = await api.queryVouchers(
        { serialNumber: row.serialNumber },
        { ...(queryTimeoutMs === undefined ? {} : { timeoutMs: queryTimeoutMs }), ...(signal ? { signal } : {}) },
      );
      const voucher = page.vouchers.find((v) => v.serialNumber === row.serialNumber) ?? page.vouchers[0] ?? null;
      // Decide on what Yahoo said just now. The cache merges newest-wins at whole seconds, so a
      // redeem stamped in the same second as the status it replaced would read as the old one.
      if (voucher) ctx.remember(voucher);
      return { ok: true, voucher };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** A USED voucher is someone else's when another redemption of this desk holds it, or Yahoo names another id. */
  function claimedByAnother(row: Redemption, voucher: Voucher): string | null {
    const other = store.redemptions.redeemedForSerial(row.serialNumber).find((r) => r.id !== row.id);
    if (other) return `already redeemed at this desk as ${other.id}`;
    const named: string[] = [...(voucher.executedBy?.match(REDEMPTION_ID_PATTERN) ?? [])];
    if (named.length > 0 && !named.includes(row.id)) return `Yahoo shows it redeemed by ${named[0]}`;
    return null;
  }

  function audit(row: Redemption, outcome: string, detail: string | null, at?: string): void {
    ctx.audit({
      action: 'redeem',
      serialNumber: row.serialNumber,
      voucherId: row.voucherId,
      redemptionId: row.id,
      outcome,
      detail,
      ...(at ? { at } : {}),
    });
  }

  function delivered(
    row: Redemption,
    voucher: Voucher | null,
    how: { confirmedByQuery: boolean; detail: string; lastError?: string; statusAppliedTime?: string },
  ): Attempt {
    const at = ctx.nowIso();
    store.db.transaction(() => {
      store.redemptions.complete(row.id, {
        state: 'redeemed',
        reason: null,
        yahooStatus: 'USED',
        completedAt: at,
        lastError: how.lastError ?? null,
        confirmedByQuery: how.confirmedByQuery,
      });
      if (how.statusAppliedTime !== undefined && row.voucherId) {
        // Yahoo's redeem answer does not say who executed it: it was this desk, this redemption.
        store.vouchers.applyStatus(
          row.voucherId,
          { status: 'USED', statusAppliedTime: how.statusAppliedTime, executedBy: row.redeemAt, winsTies: true },
          at,
        );
      }
      audit(row, 'redeemed', how.detail, at);
    })();
    return { kind: 'delivered', confirmedByQuery: how.confirmedByQuery, voucher: voucher ?? cachedVoucher(row) };
  }

  function refused(
    row: Redemption,
    voucher: Voucher | null,
    conflictReason: ConflictReason,
    detail: string,
    lastError: string,
  ): Attempt {
    const at = ctx.nowIso();
    const reason = conflictReason === 'not_found' ? null : conflictReason;
    const status = voucher?.status ?? null;
    const conflict = row.honoured;
    store.db.transaction(() => {
      store.redemptions.complete(row.id, {
        state: conflict ? 'conflict' : 'rejected',
        reason,
        yahooStatus: status,
        completedAt: at,
        lastError,
        conflictReason: conflict ? conflictReason : null,
      });
      audit(row, conflict ? 'conflict' : 'rejected', detail, at);
    })();
    if (conflict)
      ctx.log.warn('outbox conflict: an honoured redemption was refused by Yahoo', {
        redemptionId: row.id,
        reason: conflictReason,
      });
    return { kind: 'refused', reason, conflictReason, status, voucher: voucher ?? cachedVoucher(row), conflict };
  }

  const pending = (
    why: PendingWhy,
    mayHaveApplied: boolean,
    failure: string,
    error: unknown,
    voucher: Voucher | null,
  ): Attempt => ({ kind: 'pending', why, mayHaveApplied, failure, error, voucher: voucher ?? null });

  /** After a send whose outcome is unknown (or an earlier such send): what does Yahoo say now? */
  async function settleByQuery(
    api: YahooApi,
    row: Redemption,
    failure: string,
    cause: unknown,
    signal?: AbortSignal,
  ): Promise<Attempt> {
    const q = await query(api, row, signal);
    if (!q.ok)
      return pending(
        'unknown',
        true,
        `${failure}; status query failed: ${describeFailure(q.error)}`,
        cause ?? q.error,
        null,
      );
    const voucher = q.voucher;
    if (!voucher) return refused(row, null, 'not_found', `${failure}; Yahoo has no such voucher`, failure);
    if (voucher.status === 'USED') {
      const claim = claimedByAnother(row, voucher);
      if (claim) return refused(row, voucher, 'used', `${failure}; USED but ${claim}`, failure);
      return delivered(row, voucher, {
        confirmedByQuery: true,
        detail: `${failure}; confirmed by query (USED)`,
        lastError: failure,
      });
    }
    const verdict = redeemVerdict(voucher, ctx.now());
    if (!verdict.redeemable) return refused(row, voucher, verdict.reason, `${failure}; now ${voucher.status}`, failure);
    return pending('not_applied', false, `${failure}; query shows UNUSED, so it did not apply`, cause, voucher);
  }

  /** Yahoo said 12001: our call did not apply. Learn why. */
  async function explainRefusal(api: YahooApi, row: Redemption, signal?: AbortSignal): Promise<Attempt> {
    const refusedText = 'Yahoo refused (12001)';
    // 12001 is definitive: record at once that nothing of ours applied, before asking why.
    store.redemptions.recordTry(row.id, {
      mayHaveApplied: false,
      lastError: refusedText,
      nextAttemptAt: row.nextAttemptAt,
    });
    const q = await query(api, row, signal);
    if (!q.ok)
      return pending(
        'refused_unexplained',
        false,
        `${refusedText}; status query failed: ${describeFailure(q.error)}`,
        q.error,
        null,
      );
    const voucher = q.voucher;
    if (!voucher) return refused(row, null, 'not_found', `${refusedText}; Yahoo has no such voucher`, refusedText);
    const verdict = redeemVerdict(voucher, ctx.now());
    if (verdict.redeemable)
      return pending('refused_unexplained', false, `${refusedText} though the voucher shows UNUSED`, null, voucher);
    const claim = voucher.status === 'USED' ? claimedByAnother(row, voucher) : null;
    return refused(
      row,
      voucher,
      verdict.reason,
      `${refusedText}; status ${voucher.status}${claim ? ` (${claim})` : ''}`,
      refusedText,
    );
  }

  async function send(api: YahooApi, row: Redemption, signal?: AbortSignal): Promise<Attempt> {
    const first = row.attempts === 0;
    store.db.transaction(() => {
      store.redemptions.beginTry(row.id, true);
      // The clerk's own first send was audited with its row; every other send is audited here.
      if (!(first && !row.honoured))
        audit(row, first ? 'sending' : 'retrying', first ? 'from the outbox' : row.lastError);
    })();
    let answer;
    try {
      answer = await api.redeem(
        [
          {
            orderId: row.orderId,
            ...(row.orderItemId ? { orderItemId: row.orderItemId } : {}),
            serialNumber: row.serialNumber,
            redeemAt: row.redeemAt,
          },
        ],
        signal ? { signal } : undefined,
      );
    } catch (error) {
      const failure = describeFailure(error);
      if (isYahooError(error) && error.kind === 'redeem_failed') return explainRefusal(api, row, signal);
      if (isYahooError(error) && !error.details.mayHaveApplied) return pending('not_sent', false, failure, error, null);
      if (!isYahooError(error)) ctx.log.error('unexpected failure while redeeming', { redemptionId: row.id, error });
      return settleByQuery(api, row, failure, error, signal);
    }
    const mine = answer.find((a) => a.orderId === row.orderId) ?? answer[0];
    const status = mine?.status ?? 'USED';
    // A 200 that does not say USED is not a success we can vouch for: resolve it by query.
    if (status !== 'USED') return settleByQuery(api, row, `redeem answered ${status}`, null, signal);
    return delivered(row, null, {
      confirmedByQuery: false,
      detail: first ? (row.honoured ? 'delivered from the outbox' : 'redeemed') : 'redeemed on retry',
      statusAppliedTime: mine?.statusAppliedTime ?? ctx.nowIso(),
    });
  }

  return {
    async attempt(api, given, { mode, signal }) {
      const row = store.redemptions.get(given.id);
      if (!row || row.state !== 'pending') throw new Error(`redemption ${given.id} is not pending`);
      if (row.mayHaveApplied) {
        store.redemptions.beginTry(row.id, false);
        const settled = await settleByQuery(api, row, 'earlier send unconfirmed', null, signal);
        if (settled.kind !== 'pending' || settled.why !== 'not_applied' || mode === 'settle') return settled;
        store.redemptions.recordTry(row.id, { mayHaveApplied: false, lastError: settled.failure, nextAttemptAt: null });
        const fresh = store.redemptions.get(row.id);
        if (!fresh || fresh.state !== 'pending') return settled;
        return send(api, fresh, signal);
      }
      if (mode === 'settle') {
        return pending('not_applied', false, row.lastError ?? 'never sent', null, cachedVoucher(row));
      }
      return send(api, row, signal);
    },
    keepPending(row, fields) {
      store.db.transaction(() => {
        store.redemptions.recordTry(row.id, {
          mayHaveApplied: fields.mayHaveApplied,
          lastError: fields.lastError,
          nextAttemptAt: fields.nextAttemptAt,
        });
        if (fields.honour) store.redemptions.honour(row.id, fields.nextAttemptAt);
        audit(row, fields.audit.outcome, fields.audit.detail);
      })();
    },
    fail(row, detail, lastError) {
      const at = ctx.nowIso();
      store.db.transaction(() => {
        store.redemptions.complete(row.id, {
          state: 'failed',
          reason: null,
          yahooStatus: null,
          completedAt: at,
          lastError,
        });
        audit(row, 'failed', detail, at);
      })();
    },
    rejectUnexplained(row, voucher, detail) {
      const at = ctx.nowIso();
      store.db.transaction(() => {
        store.redemptions.complete(row.id, {
          state: 'rejected',
          reason: null,
          yahooStatus: voucher?.status ?? null,
          completedAt: at,
          lastError: 'Yahoo refused (12001)',
        });
        audit(row, 'rejected', detail, at);
      })();
    },
  };
}
