/**
 * An in-memory YahooApi for unit tests: Yahoo's documented behaviour (redeem needs UNUSED,
 * 12001 without a reason, an empty page on a miss) plus scripted faults.
 */
import type { Voucher } from '../../shared/domain/voucher.js';
import {
  YahooError,
  type RedeemedVoucher,
  type RedeemItem,
  type VoucherPage,
  type VoucherQuery,
  type YahooApi,
  type YahooErrorKind,
} from '../../electron/core/yahoo/api.js';

/** What the next redeem call does instead of the normal behaviour. */
export type RedeemScript =
  | 'normal'
  /** Applies the redemption, then the answer is lost (timeout after sending). */
  | 'apply-then-timeout'
  /** Times out after sending, but Yahoo never applied it. */
  | 'timeout-not-applied'
  /** Fails before anything was sent (connection refused). */
  | 'refused-before-send'
  /** Someone else redeems the voucher just before ours arrives. */
  | 'used-elsewhere-then-timeout';

export function yahooError(
  kind: YahooErrorKind,
  mayHaveApplied = false,
  extra: { httpStatus?: number; yahooCode?: number } = {},
): YahooError {
  return new YahooError(kind, `fake ${kind}`, { mayHaveApplied, ...extra });
}

export class FakeYahoo implements YahooApi {
  readonly vouchers = new Map<string, Voucher>();
  readonly calls: {
    op: 'query' | 'redeem';
    serial: string | undefined;
    redeemAt?: string;
  }[] = [];
  /** Faults thrown by the next queries, in order. */
  readonly queryFaults: YahooError[] = [];
  /** Scripts for the next redeems, in order; 'normal' once the list is empty. */
  readonly redeemScripts: RedeemScript[] = [];
  offline = false;
  closed = false;
  /** When set, redeem waits for it before doing anything (to hold a redemption in flight). */
  gate: Promise<void> | null = null;
  /** Called at the start of every redeem, before the gate: lets a test look at the database then. */
  onRedeem: ((item: RedeemItem) => void) | null = null;

  constructor(private readonly clock: () => Date = () => new Date()) {}

  add(...vouchers: Voucher[]): this {
    for (const v of vouchers) this.vouchers.set(v.serialNumber, structuredClone(v));
    return this;
  }

  get(serial: string): Voucher | undefined {
    return this.vouchers.get(serial);
  }

  setStatus(serial: string, status: Voucher['status'], executedBy: string | null = null): void {
    const v = this.vouchers.get(serial);
    if (!v) throw new Error(`no fake voucher ${serial}`);
    v.status = status;
    v.executedBy = executedBy;
    v.statusAppliedTime = this.clock().toISOString();
  }

  count(op: 'query' | 'redeem'): number {
    return this.calls.filter((c) => c.op === op).length;
  }

  async queryVouchers(query: VoucherQuery): Promise<VoucherPage> {
    this.calls.push({ op: 'query', serial: query.serialNumber });
    const fault = this.queryFaults.shift();
    if (fault) throw fault;
    if (this.offline) throw yahooError('network');
    const v = query.serialNumber === undefined ? undefined : this.vouchers.get(query.serialNumber);
    return v ? { total: 1, vouchers: [structuredClone(v)] } : { total: 0, vouchers: [] };
  }

  async redeem(items: readonly RedeemItem[]): Promise<RedeemedVoucher[]> {
    const item = items[0];
    if (!item || items.length !== 1) throw new Error('the counter redeems one voucher per call');
    this.calls.push({
      op: 'redeem',
      serial: item.serialNumber,
      redeemAt: item.redeemAt,
    });
    this.onRedeem?.(item);
    if (this.gate) await this.gate;
    const script = this.redeemScripts.shift() ?? 'normal';
    if (this.offline || script === 'refused-before-send') throw yahooError('network', false);
    if (script === 'timeout-not-applied') throw yahooError('timeout', true);
    if (script === 'used-elsewhere-then-timeout') {
      this.setStatus(item.serialNumber, 'USED', 'Front desk 9 · R-00000000');
      throw yahooError('timeout', true);
    }
    const v = this.vouchers.get(item.serialNumber);
    const expired = v !== undefined && v.expireTime !== null && Date.parse(v.expireTime) <= this.clock().getTime();
    if (!v || v.orderId !== item.orderId || v.status !== 'UNUSED' || expired) {
      throw yahooError('redeem_failed', false, {
        httpStatus: 400,
        yahooCode: 12001,
      });
    }
    this.setStatus(item.serialNumber, 'USED', item.redeemAt);
    if (script === 'apply-then-timeout') throw yahooError('timeout', true);
    return [
      {
        orderId: v.orderId,
        orderItemId: v.orderItemId,
        status: 'USED',
        storeId: 'store1',
        statusAppliedTime: v.statusAppliedTime,
      },
    ];
  }

  close(): void {
    this.closed = true;
  }
}
