/**
 * Translation for every shell: the renderer, the main process (notifications, dialogs) and
 * the command line. Pure: intl-messageformat and Intl only, no DOM, no node APIs.
 *
 *   import { createTranslator, translateError } from '../../shared/i18n/index.js';
 *   translateError('timeout', 'en');             // "Yahoo did not answer in time. …"
 *   createTranslator('zh-TW').t('shift.count', { count: 3 });
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { ERROR_CODES, type ErrorCode } from '../errors.js';
import type { RefusalReason, VoucherStatus } from '../domain/voucher.js';
import type { WaugOrderGoodsStatus, WaugOrderStatus, WaugVoucherState } from '../domain/waug.js';
import { en } from './en.js';
import { zhTW, type Catalog, type MessageKey } from './zh-TW.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from './locales.js';
import { formatMoney, formatPriceTwd, formatTime, freshnessOf, type TimeInput } from './format.js';

export type { Catalog, MessageKey } from './zh-TW.js';
export { DEFAULT_LOCALE, SUPPORTED_LOCALES, isLocale, type Locale } from './locales.js';
export {
  DISPLAY_TIME_ZONE,
  formatMoney,
  formatPriceTwd,
  formatTime,
  freshnessOf,
  type Freshness,
  type TimeInput,
} from './format.js';

export const CATALOGS: Readonly<Record<Locale, Catalog>> = { 'zh-TW': zhTW, en };

export type MessageValues = Record<string, string | number | boolean | null | undefined>;

/** When the refusal happened and by whom, as far as the voucher tells. */
export interface RefusalContext {
  statusAppliedTime?: string | null;
  executedBy?: string | null;
  expireTime?: string | null;
}

export interface Translator {
  readonly locale: Locale;
  /** Formats one catalog message. Missing values show as empty text rather than throwing. */
  t(key: MessageKey, values?: MessageValues): string;
  /** The operator-facing words for an error code. An unknown code reads as 'internal'. */
  error(code: ErrorCode | string): string;
  status(status: VoucherStatus): string;
  /** Short label: "Already used". */
  refusal(reason: RefusalReason): string;
  /** Full sentence: "Already used at 2025/01/05 15:20 (Front desk 2). It cannot be redeemed again." */
  refusalDetail(reason: RefusalReason, context?: RefusalContext): string;
  dateTime(time: TimeInput): string;
  date(time: TimeInput): string;
  time(time: TimeInput): string;
  clock(time: TimeInput): string;
  clockDate(time: TimeInput): string;
  price(price: string): string;
  /** A WAUG amount in its own currency: NT$ for TWD, otherwise the digits grouped and the code. */
  money(amount: string, currency: string | null): string;
  /** WAUG order and ordered-goods statuses, and whether the activity voucher is issued. */
  orderStatus(status: WaugOrderStatus): string;
  goodsStatus(status: WaugOrderGoodsStatus): string;
  voucherIssuance(state: WaugVoucherState): string;
  /** The words for an error code when the call went to WAUG rather than Yahoo. */
  waugError(code: ErrorCode | string): string;
  /** "live" or "as of 3 min ago", from the lookup's source and fetchedAt. */
  freshness(source: 'remote' | 'cache', fetchedAt: TimeInput, now: Date): string;
}

/** Compiled messages, one map per locale, filled on first use of each key. */
const compiled = new Map<Locale, Map<MessageKey, IntlMessageFormat>>();
const translators = new Map<Locale, Translator>();

function compiledMessage(locale: Locale, key: MessageKey): IntlMessageFormat {
  let byKey = compiled.get(locale);
  if (byKey === undefined) {
    byKey = new Map();
    compiled.set(locale, byKey);
  }
  let message = byKey.get(key);
  if (message === undefined) {
    message = new IntlMessageFormat(CATALOGS[locale][key], locale);
    byKey.set(key, message);
  }
  return message;
}

const yesNo = (value: unknown): 'yes' | 'no' => (value === null || value === undefined || value === '' ? 'no' : 'yes');

function buildTranslator(locale: Locale): Translator {
  const t = (key: MessageKey, values?: MessageValues): string => {
    const message = compiledMessage(locale, key);
    try {
      const out = message.format(values as Record<string, string | number | boolean | null | undefined>);
      return Array.isArray(out) ? out.join('') : String(out);
    } catch {
      // A missing value is a bug in the caller; show the message rather than break the screen.
      return CATALOGS[locale][key];
    }
  };
  const isErrorCode = (code: string): code is ErrorCode => (ERROR_CODES as readonly string[]).includes(code);
  const dateTime = (time: TimeInput) => formatTime(locale, 'dateTime', time, t('time.never'));
  const date = (time: TimeInput) => formatTime(locale, 'date', time, t('time.never'));

  return {
    locale,
    t,
    error: (code) => t(`error.${isErrorCode(code) ? code : 'internal'}`),
    status: (status) => t(`voucherStatus.${status}`),
    refusal: (reason) => t(`refusal.${reason}`),
    refusalDetail(reason, context = {}) {
      const at = context.statusAppliedTime ?? null;
      const by = context.executedBy ?? null;
      switch (reason) {
        case 'expired':
          return t('refusal.expired.detail', {
            hasTime: yesNo(context.expireTime),
            date: date(context.expireTime ?? null),
          });
        case 'used':
          return t('refusal.used.detail', { hasTime: yesNo(at), at: dateTime(at), hasBy: yesNo(by), by: by ?? '' });
        case 'refunded':
        case 'cancelled':
          return t(`refusal.${reason}.detail`, { hasTime: yesNo(at), at: dateTime(at) });
        case 'refund_pending':
          return t('refusal.refund_pending.detail');
      }
    },
    dateTime,
    date,
    time: (time) => formatTime(locale, 'time', time, t('time.never')),
    clock: (time) => formatTime(locale, 'clock', time, t('time.never')),
    clockDate: (time) => formatTime(locale, 'clockDate', time, t('time.never')),
    price: formatPriceTwd,
    money: formatMoney,
    orderStatus: (status) => t(`waugOrderStatus.${status}`),
    goodsStatus: (status) => t(`waugGoodsStatus.${status}`),
    voucherIssuance: (state) => t(`waugVoucher.${state}`),
    waugError: (code) => t(`waugError.${isErrorCode(code) ? code : 'internal'}`),
    freshness(source, fetchedAt, now) {
      const fresh = freshnessOf(source, fetchedAt, now);
      switch (fresh.kind) {
        case 'live':
          return t('freshness.live');
        case 'minutes':
          return t('freshness.minutes', { minutes: fresh.minutes });
        case 'hours':
          return t('freshness.hours', { hours: fresh.hours });
        case 'days':
          return t('freshness.days', { days: fresh.days });
      }
    },
  };
}

/** One translator per locale, shared by every caller. An unknown locale falls back to zh-TW. */
export function createTranslator(locale: Locale | string = DEFAULT_LOCALE): Translator {
  const resolved: Locale = isLocale(locale) ? locale : DEFAULT_LOCALE;
  let translator = translators.get(resolved);
  if (translator === undefined) {
    translator = buildTranslator(resolved);
    translators.set(resolved, translator);
  }
  return translator;
}

/** For main and the CLI: the words for an error code, e.g. to print under an exit code. */
export function translateError(code: ErrorCode | string, locale: Locale | string = DEFAULT_LOCALE): string {
  return createTranslator(locale).error(code);
}
