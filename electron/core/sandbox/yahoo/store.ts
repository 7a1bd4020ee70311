/**
 * The sandbox's voucher book: Yahoo's query filters and its all-or-nothing redeem, in memory.
 */
import { redeemVerdict, VOUCHER_STATUSES, type VoucherStatus } from '../../../../shared/domain/voucher.js';
import { YAHOO_QUERY_PAGE_LIMIT } from '../../yahoo/constants.js';
import { parseYahooQueryTime } from '../../yahoo/queryTime.js';
import type { SandboxVoucher } from './seed.js';

export interface LedgerEntry {
  serialNumber: string;
  orderId: string;
  orderItemId: string | null;
  voucherId: string;
  redeemAt: string;
  /** ISO-8601 UTC, the sandbox clock at the moment of applying. */
  at: string;
  /** The ApiKey that redeemed it. */
  apiKey: string;
}

export interface RedeemRequestItem {
  orderId: string;
  orderItemId?: string | undefined;
  serialNumber: string;
  redeemAt: string;
}

export interface SandboxQuery {
  voucherId?: string;
  serialNumber?: string;
  orderId?: string;
  orderItemId?: string;
  productId?: string;
  specId?: string;
  createdTimeStart?: number;
  createdTimeEnd?: number;
  expiredTimeStart?: number;
  expiredTimeEnd?: number;
  sortField: 'createdTime' | 'expireTime';
  descending: boolean;
  statuses?: ReadonlySet<VoucherStatus>;
}

export class QueryParameterError extends Error {
  override readonly name = 'QueryParameterError';
}

const EXACT_FILTERS = ['voucherId', 'serialNumber', 'orderId', 'orderItemId', 'productId', 'specId'] as const;
const TIME_FILTERS = ['createdTimeStart', 'createdTimeEnd', 'expiredTimeStart', 'expiredTimeEnd'] as const;

/** Reads Yahoo's query parameters; throws QueryParameterError naming the bad one. */
export function parseSandboxQuery(params: URLSearchParams): SandboxQuery {
  const query: SandboxQuery = { sortField: 'createdTime', descending: true }; // [seed] default: -createDate
  for (const name of EXACT_FILTERS) {
    const value = params.get(name);
    if (value === null) continue;
    if (value === '') throw new QueryParameterError(`${name} is empty`);
    query[name] = value;
  }
  for (const name of TIME_FILTERS) {
    const value = params.get(name);
    if (value === null) continue;
    const time = parseYahooQueryTime(value);
    if (time === null) throw new QueryParameterError(`${name} is not yyyy/mm/dd h:m:s`);
    query[name] = time.getTime();
  }
  const sort = params.get('sort');
  if (sort !== null) {
    const match = /^(-?)(createdTime|expiredTime)$/.exec(sort);
    if (match === null) throw new QueryParameterError('sort must be createdTime or expiredTime, optionally with -');
    query.descending = match[1] === '-';
    query.sortField = match[2] === 'createdTime' ? 'createdTime' : 'expireTime';
  }
  const status = params.get('status');
  if (status !== null && status !== '') {
    const statuses = new Set<VoucherStatus>();
    for (const part of status.split(',')) {
      const name = part.trim().toUpperCase();
      if (!(VOUCHER_STATUSES as readonly string[]).includes(name))
        throw new QueryParameterError(`status ${JSON.stringify(part)} is unknown`);
      statuses.add(name as VoucherStatus);
    }
    query.statuses = statuses;
  }
  return query;
}

function timeOf(iso: string | null): number | null {
  return iso === null ? null : Date.parse(iso);
}

function within(value: number | null, start: number | undefined, end: number | undefined): boolean {
  if (start === undefined && end === undefined) return true;
  if (value === null) return false;
  return (start === undefined || value >= start) && (end === undefined || value <= end);
}

export class VoucherBook {
  readonly #bySerial = new Map<string, SandboxVoucher>();
  readonly ledger: LedgerEntry[] = [];

  constructor(vouchers: Iterable<SandboxVoucher>) {
    for (const voucher of vouchers) this.add(voucher);
  }

  get size(): number {
    return this.#bySerial.size;
  }

  add(voucher: SandboxVoucher): void {
    if (this.#bySerial.has(voucher.serialNumber))
      throw new Error(`sandbox: serial ${voucher.serialNumber} already exists`);
    this.#bySerial.set(voucher.serialNumber, { ...voucher, buyerDetails: { ...voucher.buyerDetails } });
  }

  get(serialNumber: string): SandboxVoucher | undefined {
    const voucher = this.#bySerial.get(serialNumber);
    return voucher === undefined ? undefined : { ...voucher, buyerDetails: { ...voucher.buyerDetails } };
  }

  setStatus(serialNumber: string, status: VoucherStatus, atMs: number, executedBy: string): SandboxVoucher {
    const voucher = this.#bySerial.get(serialNumber);
    if (voucher === undefined) throw new Error(`sandbox: no voucher with serial ${serialNumber}`);
    voucher.status = status;
    voucher.statusAppliedTime = new Date(Math.floor(atMs / 1000) * 1000).toISOString();
    voucher.executedBy = executedBy;
    return { ...voucher, buyerDetails: { ...voucher.buyerDetails } };
  }

  query(query: SandboxQuery): { total: number; vouchers: SandboxVoucher[] } {
    const matches: SandboxVoucher[] = [];
    for (const v of this.#bySerial.values()) {
      if (query.voucherId !== undefined && v.voucherId !== query.voucherId) continue;
      if (query.serialNumber !== undefined && v.serialNumber !== query.serialNumber) continue;
      if (query.orderId !== undefined && v.orderId !== query.orderId) continue;
      if (query.orderItemId !== undefined && v.orderItemId !== query.orderItemId) continue;
      if (query.productId !== undefined && v.productId !== query.productId) continue;
      if (query.specId !== undefined && v.specId !== query.specId) continue;
      if (query.statuses !== undefined && !query.statuses.has(v.status)) continue;
      if (!within(timeOf(v.createdTime), query.createdTimeStart, query.createdTimeEnd)) continue;
      if (!within(timeOf(v.expireTime), query.expiredTimeStart, query.expiredTimeEnd)) continue;
      matches.push(v);
    }
    const direction = query.descending ? -1 : 1;
    matches.sort((a, b) => {
      const x = timeOf(a[query.sortField]) ?? Number.POSITIVE_INFINITY;
      const y = timeOf(b[query.sortField]) ?? Number.POSITIVE_INFINITY;
      if (x !== y) return (x < y ? -1 : 1) * direction;
      // Ties (items of one order share a time) by serial, same direction: '-field' is the exact reverse.
      return (a.serialNumber < b.serialNumber ? -1 : a.serialNumber > b.serialNumber ? 1 : 0) * direction;
    });
    return { total: matches.length, vouchers: matches.slice(0, YAHOO_QUERY_PAGE_LIMIT) };
  }

  /**
   * All or nothing: every voucher must exist, match its orderId (and orderItemId when given),
   * be UNUSED and unexpired (the counter's own rule, redeemVerdict), and appear once in the batch.
   */
  redeem(items: readonly RedeemRequestItem[], nowMs: number, apiKey: string): SandboxVoucher[] | null {
    const seen = new Set<string>();
    const targets: SandboxVoucher[] = [];
    for (const item of items) {
      const voucher = this.#bySerial.get(item.serialNumber);
      if (voucher === undefined || seen.has(item.serialNumber)) return null;
      seen.add(item.serialNumber);
      if (voucher.orderId !== item.orderId) return null;
      if (item.orderItemId !== undefined && voucher.orderItemId !== item.orderItemId) return null;
      if (!redeemVerdict(voucher, new Date(nowMs)).redeemable) return null;
      targets.push(voucher);
    }
    const at = new Date(Math.floor(nowMs / 1000) * 1000).toISOString();
    items.forEach((item, index) => {
      const voucher = targets[index] as SandboxVoucher;
      voucher.status = 'USED';
      voucher.statusAppliedTime = at;
      voucher.executedBy = `partner:${apiKey}`;
      this.ledger.push(
        Object.freeze({
          serialNumber: voucher.serialNumber,
          orderId: voucher.orderId,
          orderItemId: voucher.orderItemId,
          voucherId: voucher.voucherId,
          redeemAt: item.redeemAt,
          at,
          apiKey,
        }),
      );
    });
    return targets.map((voucher) => ({ ...voucher, buyerDetails: { ...voucher.buyerDetails } }));
  }
}
