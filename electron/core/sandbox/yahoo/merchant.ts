/**
 * The Yahoo sandbox playing Yahoo's side of "Yahoo → merchant" (API-NOTES §1): it sells a
 * voucher by calling the merchant's issue endpoint, and cancels and notifies, every call signed
 * exactly as Yahoo signs (TimeStamp and ApiKey first in the query, X-STOREAUTH-SIG over the
 * request target plus the raw body, with the sandbox's own ApiKey and Shared Secret — which are
 * the merchant's credentials in the demo). Serials the merchant answers become the sandbox's own
 * UNUSED vouchers, so the desk can look them up and redeem them against the sandbox.
 */
import { randomBytes } from 'node:crypto';
import type { VoucherStatus } from '../../../../shared/domain/voucher.js';
import { CANCEL_DISCRIMINATOR, MERCHANT_PATHS } from '../../serve/constants.js';
import { signatureData, signYahoo, YAHOO_SIGNATURE_HEADER, type YahooSigningOptions } from '../../yahoo/sign.js';
import { SANDBOX_PRODUCTS, type SandboxVoucher } from './seed.js';

export interface MerchantCallResult {
  /** 0 when the merchant could not be reached. */
  status: number;
  /** The parsed answer, or null (not JSON, unreachable). */
  json: unknown;
}

export interface SellRequest {
  /** Where the merchant's serve listens, e.g. http://127.0.0.1:8788. */
  merchantUrl: string;
  productId: string;
  specId: string;
  /** Order items (one voucher each). Default 1. */
  quantity?: number;
  /** Unit price; default the product's price in the seed, or 100. */
  price?: string;
}

export interface SellResult extends MerchantCallResult {
  orderId: string;
  orderItemIds: string[];
  /** The vouchers added to the sandbox (UNUSED), one per serial answered. */
  vouchers: SandboxVoucher[];
}

export interface MerchantSide {
  sell(request: SellRequest): Promise<SellResult>;
  /** Cancels the order's serials at the merchant; on 200 the sandbox's vouchers become CANCELLED. */
  cancel(request: { merchantUrl: string; orderId: string; orderItemIds?: string[] }): Promise<MerchantCallResult>;
  /** Sets the vouchers' status in the sandbox, then notifies the merchant of it. */
  notify(request: { merchantUrl: string; serialNumbers: string[]; status: VoucherStatus }): Promise<MerchantCallResult>;
}

export interface MerchantSideDeps {
  apiKey: string;
  sharedSecret: string;
  storeId: string;
  now: () => number;
  signing?: Partial<YahooSigningOptions>;
  getVoucher(serialNumber: string): SandboxVoucher | undefined;
  addVoucher(voucher: Partial<SandboxVoucher> & Pick<SandboxVoucher, 'serialNumber'>): SandboxVoucher;
  setVoucherStatus(serialNumber: string, status: VoucherStatus): SandboxVoucher;
  /** Vouchers of an order (for cancel). */
  vouchersOfOrder(orderId: string): SandboxVoucher[];
}

const CALL_TIMEOUT_MS = 10_000;

export function createMerchantSide(deps: MerchantSideDeps): MerchantSide {
  let sold = 0;
  const runId = randomBytes(2).toString('hex').toUpperCase();

  async function call(
    merchantUrl: string,
    path: string,
    extraQuery: Record<string, string>,
    payload: unknown,
  ): Promise<MerchantCallResult> {
    const query = new URLSearchParams({
      TimeStamp: String(Math.floor(deps.now() / 1000)),
      ApiKey: deps.apiKey,
      ...extraQuery,
    });
    const target = `${path}?${query.toString()}`;
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    const signature = signYahoo(signatureData(target, body), deps.sharedSecret, deps.signing);
    try {
      const response = await fetch(new URL(target, merchantUrl), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8', [YAHOO_SIGNATURE_HEADER]: signature },
        body,
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
      const text = await response.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      return { status: response.status, json };
    } catch {
      return { status: 0, json: null };
    }
  }

  return {
    async sell(request) {
      sold += 1;
      const quantity = Math.max(1, Math.min(100, Math.trunc(request.quantity ?? 1)));
      const n = String(sold).padStart(5, '0');
      const orderId = `YM88${runId}${n}`;
      const orderItemIds = Array.from(
        { length: quantity },
        (_, i) => `YS88${runId}${n}${String(i + 1).padStart(2, '0')}`,
      );
      const product = SANDBOX_PRODUCTS.find((p) => p.productId === request.productId);
      const price = request.price ?? String(product?.price ?? 100);
      const result = await call(
        request.merchantUrl,
        MERCHANT_PATHS.serialNumbers,
        {},
        {
          storeId: deps.storeId,
          transactionId: `TX88${runId}${n}`,
          orderId,
          productId: request.productId,
          specId: request.specId,
          quantity,
          orderItems: orderItemIds.map((orderItemId) => ({ orderItemId, price, originalPrice: price })),
        },
      );
      const vouchers: SandboxVoucher[] = [];
      const answered = (result.json as { vouchers?: unknown } | null)?.vouchers;
      if (result.status === 200 && Array.isArray(answered)) {
        for (const entry of answered as { orderItemId?: unknown; serialNumber?: unknown }[]) {
          if (typeof entry.serialNumber !== 'string' || typeof entry.orderItemId !== 'string') continue;
          if (!orderItemIds.includes(entry.orderItemId)) continue;
          const known = deps.getVoucher(entry.serialNumber);
          vouchers.push(
            known ??
              deps.addVoucher({
                serialNumber: entry.serialNumber,
                orderId,
                orderItemId: entry.orderItemId,
                productId: request.productId,
                specId: request.specId,
                price,
                title: product?.title ?? '沙盒測試票券',
                redemptionDesc: product?.redemptionDesc ?? null,
                executedBy: 'system:VoucherOrderConsumerApp',
                status: 'UNUSED',
              }),
          );
        }
      }
      return { ...result, orderId, orderItemIds, vouchers };
    },

    async cancel(request) {
      const vouchers = deps
        .vouchersOfOrder(request.orderId)
        .filter((v) => request.orderItemIds === undefined || request.orderItemIds.includes(v.orderItemId ?? ''));
      const result = await call(
        request.merchantUrl,
        MERCHANT_PATHS.serialNumbers,
        { [CANCEL_DISCRIMINATOR.queryParameter]: CANCEL_DISCRIMINATOR.queryValue },
        {
          storeId: deps.storeId,
          orderId: request.orderId,
          orderItems: vouchers.map((v) => ({ orderItemId: v.orderItemId, price: v.price })),
        },
      );
      if (result.status === 200) for (const v of vouchers) deps.setVoucherStatus(v.serialNumber, 'CANCELLED');
      return result;
    },

    async notify(request) {
      const vouchers = request.serialNumbers.map((serial) => deps.setVoucherStatus(serial, request.status));
      return call(
        request.merchantUrl,
        MERCHANT_PATHS.notification,
        {},
        {
          vouchers: vouchers.map((v) => ({
            storeId: deps.storeId,
            voucherId: v.voucherId,
            orderId: v.orderId,
            orderItemId: v.orderItemId,
            status: v.status,
            statusAppliedTime: (v.statusAppliedTime ?? new Date(deps.now()).toISOString()).replace(/\.\d{3}Z$/, 'Z'),
            executedBy: v.executedBy,
          })),
        },
      );
    },
  };
}
