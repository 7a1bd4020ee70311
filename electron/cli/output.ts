/**
 * What the command line prints. JSON output uses Yahoo's own field names so scripts can
 * treat it like the API; the buyer's phone stays masked, as everywhere outside main.
 */
import type {
  LookupResult,
  OrderView,
  OutboxEntry,
  RedeemResult,
  SearchOrdersResult,
  SyncSummary,
  VoucherView,
} from '../../shared/contract.js';

export function voucherJson(voucher: VoucherView): Record<string, unknown> {
  return {
    voucherId: voucher.voucherId,
    productId: voucher.productId,
    specId: voucher.specId,
    price: voucher.price,
    serialNumber: voucher.serialNumber,
    orderId: voucher.orderId,
    orderItemId: voucher.orderItemId,
    title: voucher.title,
    redemptionDesc: voucher.redemptionDesc,
    buyerDetails: { name: voucher.buyerName, phone: voucher.buyerPhoneMasked },
    executedBy: voucher.executedBy,
    status: voucher.status,
    statusAppliedTime: voucher.statusAppliedTime,
    deliveredTime: voucher.deliveredTime,
    expireTime: voucher.expireTime,
    startTime: voucher.startTime,
  };
}

export function lookupJson(result: Extract<LookupResult, { kind: 'found' }>): Record<string, unknown> {
  return {
    ...voucherJson(result.voucher),
    source: result.source,
    fetchedAt: result.fetchedAt,
    redeemable: result.verdict.redeemable,
    reason: result.verdict.redeemable ? null : result.verdict.reason,
  };
}

export function lookupText(result: Extract<LookupResult, { kind: 'found' }>): string {
  const v = result.voucher;
  const verdict = result.verdict.redeemable ? 'MAY BE REDEEMED' : `NOT REDEEMABLE (${result.verdict.reason})`;
  return [
    `${v.serialNumber}  ${v.status}  ${verdict}`,
    `  ${v.title}  NT$${v.price}`,
    `  order ${v.orderId}${v.orderItemId ? ` / item ${v.orderItemId}` : ''}  voucher ${v.voucherId}`,
    `  valid ${v.startTime ?? '-'} .. ${v.expireTime ?? '-'}`,
    `  buyer ${v.buyerName ?? '-'}  ${v.buyerPhoneMasked ?? ''}`,
    `  source ${result.source}, as of ${result.fetchedAt}`,
  ].join('\n');
}

export function redeemJson(result: RedeemResult): Record<string, unknown> {
  return {
    serialNumber: result.serialNumber,
    outcome: result.outcome,
    status: result.status,
    reason: result.reason,
    redemptionId: result.redemptionId,
  };
}

export function redeemText(result: RedeemResult): string {
  const why = result.reason ? ` (${result.reason})` : '';
  return `${result.serialNumber}: ${result.outcome.toUpperCase()}${why}  status ${result.status ?? 'unknown'}  [${result.redemptionId}]`;
}

export function syncText(summary: SyncSummary): string {
  const lines = [
    `pulled ${summary.pulled} vouchers in ${summary.windows} windows`,
    `delivered ${summary.delivered} (${summary.confirmedByQuery} confirmed by query), conflicts ${summary.conflicts}, still queued ${summary.stillQueued}`,
    `purged personal data of ${summary.purged} vouchers  (${Math.round(summary.durationMs)} ms)`,
  ];
  if (summary.error) lines.push(`stopped early: ${summary.error.code}: ${summary.error.message}`);
  return lines.join('\n');
}

export function outboxText(entries: readonly OutboxEntry[]): string {
  if (entries.length === 0) return 'The outbox is empty: nothing waits for Yahoo and no conflict is open.';
  return entries
    .map((e) => {
      const conflict = e.conflict
        ? `  conflict ${e.conflict.reason}${e.conflict.resolution ? `, resolved: ${e.conflict.resolution}` : ', unresolved'}`
        : '';
      const next = e.nextAttemptAt ? `  next ${e.nextAttemptAt}` : '';
      return `${e.redemptionId}  ${e.serialNumber}  ${e.state.toUpperCase()}  tries ${e.attempts}  ${e.createdAt}${next}${conflict}`;
    })
    .join('\n');
}

/** A WAUG order as scripts read it: the view's own fields, plus where it came from. */
export function orderJson(
  order: OrderView,
  source: 'cache' | 'remote',
  fetchedAt: string | null,
): Record<string, unknown> {
  return { ...order, source, fetchedAt };
}

export function orderText(order: OrderView, source: 'cache' | 'remote', fetchedAt: string | null): string {
  const lines = [
    `${order.orderNumber}  ${order.orderStatus}  ${order.refundable ? 'REFUNDABLE' : 'NOT REFUNDABLE'}`,
    `  partner ${order.partnerOrderNumber ?? '-'}  ordered ${order.orderedAt ?? '-'}  total ${order.currency ?? ''} ${order.totalPrice}`.trimEnd(),
  ];
  for (const g of order.goods) {
    const voucher =
      g.voucher.state === 'issued'
        ? `voucher issued${g.voucher.voucherNumber ? ` ${g.voucher.voucherNumber}` : ''}`
        : `voucher ${g.voucher.state.replace('_', ' ')}`;
    lines.push(
      `  - ${g.goodsName} [${g.goodsId}]  ${g.status}  use ${g.useDate ?? '-'}  ${g.options.join(', ')}  ${voucher}${g.refundable ? '' : '  (non-refundable)'}`,
    );
    if (g.history.length > 0) lines.push(`      ${g.history.map((h) => `${h.status} ${h.at}`).join(' → ')}`);
  }
  lines.push(fetchedAt === null ? `  source ${source}` : `  source ${source}, as of ${fetchedAt}`);
  return lines.join('\n');
}

export function ordersText(pulled: number, durationMs: number, found: SearchOrdersResult): string {
  const lines = [
    `pulled ${pulled} orders from WAUG (${Math.round(durationMs)} ms); ${found.orders.length}${found.truncated ? '+' : ''} in the cache for these days, as of ${found.lastPulledAt ?? 'never'}`,
  ];
  for (const o of found.orders) {
    lines.push(
      `${o.orderNumber}  ${o.partnerOrderNumber ?? '-'}  ${o.orderStatus}  ${o.orderedAt ?? '-'}  ${o.currency ?? ''} ${o.totalPrice}  ${o.goodsCount} goods  ${o.firstGoodsName ?? ''}`.trimEnd(),
    );
  }
  return lines.join('\n');
}

/** One issued serial, as `serials --json` prints it. */
export function serialJson(entry: {
  orderItemId: string;
  serialNumber: string;
  status: string;
  issuedAt: string;
  cancelledAt: string | null;
  voucherId: string | null;
}): Record<string, unknown> {
  return {
    orderItemId: entry.orderItemId,
    serialNumber: entry.serialNumber,
    status: entry.status,
    issuedAt: entry.issuedAt,
    cancelledAt: entry.cancelledAt,
    voucherId: entry.voucherId,
  };
}

export function serialsText(
  orderId: string,
  entries: readonly { orderItemId: string; serialNumber: string; status: string; issuedAt: string }[],
): string {
  if (entries.length === 0) return `No serial numbers issued here for order ${orderId}.`;
  return [
    `${entries.length} serial number${entries.length === 1 ? '' : 's'} for order ${orderId}:`,
    ...entries.map((e) => `  ${e.orderItemId}  ${e.serialNumber}  ${e.status.padEnd(13)}  issued ${e.issuedAt}`),
  ].join('\n');
}
