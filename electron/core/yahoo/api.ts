/**
 * What the rest of the core needs from Yahoo (API-NOTES §1, "The app calls Yahoo").
 * The real client (client.ts) and any test double implement this; nothing else in the
 * core knows about signing, HTTP or Yahoo's JSON quirks.
 */
import type { Voucher, VoucherStatus } from '../../../shared/domain/voucher.js';

export interface VoucherQuery {
  voucherId?: string;
  serialNumber?: string;
  orderId?: string;
  orderItemId?: string;
  productId?: string;
  specId?: string;
  createdTimeStart?: Date;
  createdTimeEnd?: Date;
  expiredTimeStart?: Date;
  expiredTimeEnd?: Date;
  sort?: 'createdTime' | '-createdTime' | 'expiredTime' | '-expiredTime';
  status?: readonly VoucherStatus[];
}

export interface VoucherPage {
  /** How many match in all; may exceed vouchers.length (the sandbox returns at most 500). */
  total: number;
  vouchers: Voucher[];
}

export interface RedeemItem {
  orderId: string;
  orderItemId?: string;
  serialNumber: string;
  /** Free text: we send "<station> · <redemptionId>". */
  redeemAt: string;
}

export interface RedeemedVoucher {
  orderId: string;
  orderItemId: string | null;
  status: VoucherStatus;
  storeId: string | null;
  /** ISO-8601 UTC (Yahoo sends Unix seconds here; normalised). */
  statusAppliedTime: string | null;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's default timeout for this call. */
  timeoutMs?: number;
}

export interface YahooApi {
  /** A miss (11001) is an empty page, not an error. */
  queryVouchers(query: VoucherQuery, options?: CallOptions): Promise<VoucherPage>;
  /** Throws YahooError kind 'redeem_failed' on 12001; Yahoo gives no reason, so ask queryVouchers. */
  redeem(items: readonly RedeemItem[], options?: CallOptions): Promise<RedeemedVoucher[]>;
}

export type YahooErrorKind =
  | 'network' // could not connect, or the connection broke
  | 'timeout' // no complete answer in time
  | 'auth' // 401: signature, key or clock refused
  | 'redeem_failed' // 12001
  | 'upstream' // any other error status or Yahoo error code
  | 'malformed' // not JSON, or not the documented shape
  | 'too_large'; // the answer exceeded the response size cap

export class YahooError extends Error {
  override readonly name = 'YahooError';
  constructor(
    readonly kind: YahooErrorKind,
    message: string,
    readonly details: {
      /** True when the request may have reached Yahoo and been applied (a POST that timed out or was cut after sending). */
      mayHaveApplied: boolean;
      httpStatus?: number;
      yahooCode?: number;
      cause?: unknown;
    },
  ) {
    super(message, { cause: details.cause });
  }
}
