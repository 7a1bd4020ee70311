/**
 * What the result banner says after a redemption attempt. Pure: the words come from the
 * translator, so this is tested in Node in both languages.
 */
import type { LookupResult, RedeemResult, VoucherView } from '../../../shared/contract.js';
import type { ErrorCode, IpcResult } from '../../../shared/errors.js';
import { redeemVerdict, type RefusalReason } from '../../../shared/domain/voucher.js';
import type { Translator } from '../../../shared/i18n/index.js';

/** The banner's colour family, and the value of its data-outcome attribute. */
export type BannerOutcome = 'redeemed' | 'rejected' | 'queued' | 'error';

export interface RedeemBanner {
  outcome: BannerOutcome;
  serial: string;
  title: string;
  reason: RefusalReason | null;
  errorCode: ErrorCode | null;
  /** This desk's id for the attempt, when main answered (shown with a queued redemption). */
  redemptionId: string | null;
  /** The voucher as Yahoo now has it, when the answer carried it. */
  voucher: VoucherView | null;
}

/**
 * 'unconfirmed' is not a failure to the clerk: the redemption may well have gone through and
 * main will settle it, so it shares the amber "queued" banner (and the warning not to retry).
 */
export function bannerFromRedeem(serial: string, title: string, result: IpcResult<RedeemResult>): RedeemBanner {
  if (result.ok) {
    const value = result.value;
    return {
      outcome: value.outcome,
      serial: value.serialNumber,
      title: value.voucher?.title ?? title,
      reason: value.reason,
      errorCode: null,
      redemptionId: value.redemptionId,
      voucher: value.voucher,
    };
  }
  const code = result.error.code;
  return {
    outcome: code === 'unconfirmed' ? 'queued' : 'error',
    serial,
    title,
    reason: null,
    errorCode: code,
    redemptionId: null,
    voucher: null,
  };
}

export interface BannerText {
  headline: string;
  detail: string;
}

export function describeBanner(banner: RedeemBanner, tr: Translator): BannerText {
  const { serial, title } = banner;
  switch (banner.outcome) {
    case 'redeemed':
      return { headline: tr.t('result.redeemed'), detail: tr.t('result.redeemedDetail', { title, serial }) };
    case 'rejected': {
      const detail =
        banner.reason === null
          ? tr.t('result.rejectedUnknown')
          : tr.t('result.rejectedDetail', {
              serial,
              reason: tr.refusalDetail(banner.reason, {
                statusAppliedTime: banner.voucher?.statusAppliedTime ?? null,
                executedBy: banner.voucher?.executedBy ?? null,
                expireTime: banner.voucher?.expireTime ?? null,
              }),
            });
      return { headline: tr.t('result.rejected'), detail };
    }
    case 'queued':
      return {
        headline: tr.t('result.queued'),
        detail: tr.t(banner.errorCode === 'unconfirmed' ? 'result.unconfirmedDetail' : 'result.queuedDetail', {
          serial,
          id: banner.redemptionId ?? '',
        }),
      };
    case 'error':
      return {
        headline: tr.t('result.error'),
        detail: tr.t('result.errorDetail', { serial, error: tr.error(banner.errorCode ?? 'internal') }),
      };
  }
}

type FoundLookup = Extract<LookupResult, { kind: 'found' }>;

/**
 * The card after a redemption main answered. Redeemed or refused: the voucher as Yahoo now has
 * it, judged again, fresh as of the answer. Queued: Yahoo was not reached, so the status shown
 * is still the one read at `previous.fetchedAt`, and the card says it was redeemed here.
 */
export function cardAfterRedeem(previous: FoundLookup, result: RedeemResult, now: Date = new Date()): FoundLookup {
  const voucher = result.voucher ?? previous.voucher;
  switch (result.outcome) {
    case 'queued':
      return {
        ...previous,
        voucher,
        verdict: redeemVerdict(voucher, now),
        localRedemption: { redemptionId: result.redemptionId, state: 'queued', at: result.at },
      };
    case 'redeemed':
      return {
        kind: 'found',
        voucher,
        verdict: redeemVerdict(voucher, now),
        source: result.voucher === null ? previous.source : 'remote',
        fetchedAt: result.voucher === null ? previous.fetchedAt : result.at,
        localRedemption: { redemptionId: result.redemptionId, state: 'redeemed', at: result.at },
      };
    case 'rejected':
      if (result.voucher === null) return previous;
      return {
        kind: 'found',
        voucher,
        verdict: redeemVerdict(voucher, now),
        source: 'remote',
        fetchedAt: result.at,
        localRedemption: previous.localRedemption,
      };
  }
}
