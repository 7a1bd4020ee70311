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
        }),
      };
    case 'error':
      return {
        headline: tr.t('result.error'),
        detail: tr.t('result.errorDetail', { serial, error: tr.error(banner.errorCode ?? 'internal') }),
      };
  }
}

/** The card after a redemption: the voucher as Yahoo now has it, judged again, fresh as of the answer. */
export function lookupAfterRedeem(voucher: VoucherView, at: string, now: Date = new Date()): LookupResult {
  return { kind: 'found', voucher, verdict: redeemVerdict(voucher, now), source: 'remote', fetchedAt: at };
}
