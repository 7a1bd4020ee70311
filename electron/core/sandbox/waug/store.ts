/**
 * The WAUG sandbox's books: goods and prices by date, order validation (106/105/109/104),
 * idempotent creation by partnerOrderNumber, goods statuses that move with the sandbox clock,
 * refunds under the `refundable` rule (107), all in memory. Wire conversion lives here too, so
 * the shapes stay next to the data.
 */
import { DateTime } from 'luxon';
import { WAUG_ORDER_GOODS_STATUSES, type WaugOrderGoodsStatus, type WaugOrderStatus } from '../../waug/api.js';
import { WAUG_FIELD_OPTION_SEPARATOR, WAUG_TIME_ZONE, type WaugFailureCode } from '../../waug/constants.js';
import { checkWaugFieldValue } from '../../waug/fields.js';
import { LosslessNumber } from '../../http/json.js';
import { isWaugDate, toPhpDateTime, waugDayBounds, waugDayOf } from '../../waug/time.js';
import type { SandboxGoods, SandboxOrderInfoField } from './catalogue.js';

export interface TimelineEntry {
  status: WaugOrderGoodsStatus;
  /** Sandbox clock ms; entries after "now" are the future the clock will reach. */
  atMs: number;
}

export interface SandboxOrderedOption {
  goodsOptionId: string;
  goodsOptionName: string;
  goodsOptionItemId: string;
  goodsOptionItemName: string;
  goodsOptionTimeslotId: string | null;
  quantity: number;
  price: string;
}

export interface SandboxOrderGoods {
  orderGoodsId: string;
  goodsId: string;
  goodsName: string;
  useDate: string;
  refundable: boolean;
  options: SandboxOrderedOption[];
  totalPrice: string;
  /** Ascending by atMs; the first entry is at or before the order time. */
  timeline: TimelineEntry[];
  /** Shown once the goods has reached STATUS_CONFIRMED. */
  voucherNumber: string;
}

export interface SandboxOrder {
  orderNumber: string;
  partnerOrderNumber: string | null;
  orderedAtMs: number;
  currency: string;
  totalPrice: string;
  orderGoods: SandboxOrderGoods[];
  /** Refund reasons received, newest last (never sent back: sandbox bookkeeping). */
  refundReasons: string[];
}

/** An order as it reads at one moment of the sandbox clock. */
export interface SandboxOrderView {
  orderNumber: string;
  partnerOrderNumber: string | null;
  orderStatus: WaugOrderStatus;
  orderedAt: string;
  totalPrice: string;
  currency: string;
  orderGoods: {
    orderGoodsId: string;
    goodsId: string;
    goodsName: string;
    status: WaugOrderGoodsStatus;
    refundable: boolean;
    useDate: string;
    voucherIssued: boolean;
    updatedAt: string;
  }[];
}

export class WaugRefusal extends Error {
  override readonly name = 'WaugRefusal';
  constructor(
    readonly code: WaugFailureCode,
    detail: string,
  ) {
    super(detail);
  }
}

// ---- decimal money without floats ------------------------------------------------------------

const SCALE = 100n;

export function toMinor(text: string): bigint | null {
  const match = /^(\d+)(?:\.(\d{1,2})0*)?$/.exec(text.trim());
  if (match === null) return null;
  return BigInt(match[1] as string) * SCALE + BigInt((match[2] ?? '').padEnd(2, '0'));
}

export function fromMinor(minor: bigint): string {
  const whole = minor / SCALE;
  const cents = minor % SCALE;
  if (cents === 0n) return whole.toString();
  return `${whole}.${cents.toString().padStart(2, '0').replace(/0$/, '')}`;
}

// ---- status ------------------------------------------------------------------------------------

export function statusAt(goods: SandboxOrderGoods, nowMs: number): TimelineEntry {
  let current = goods.timeline[0] as TimelineEntry;
  for (const entry of goods.timeline) {
    if (entry.atMs > nowMs) break;
    current = entry;
  }
  return current;
}

function confirmedAt(goods: SandboxOrderGoods, nowMs: number): number | null {
  const entry = goods.timeline.find((e) => e.status === 'STATUS_CONFIRMED' && e.atMs <= nowMs);
  return entry === undefined ? null : entry.atMs;
}

/** [decision] The order status from its goods (the seed lists both; WAUG derives one from the other). */
export function deriveOrderStatus(statuses: readonly WaugOrderGoodsStatus[]): WaugOrderStatus {
  const live = statuses.filter((s) => s !== 'STATUS_CANCEL');
  if (live.length === 0 || live.every((s) => s === 'STATUS_WAIT')) return 'STATUS_WAIT';
  const requested = live.filter((s) => s === 'STATUS_REFUND_REQUESTED').length;
  if (requested > 0) return requested === live.length ? 'STATUS_REFUND_REQUESTED' : 'STATUS_PARTIAL_REFUND_REQUESTED';
  const refunded = live.filter((s) => s === 'STATUS_REFUND_COMPLETED' || s === 'STATUS_PARTIAL_REFUND_COMPLETED');
  if (refunded.length > 0) {
    return live.every((s) => s === 'STATUS_REFUND_COMPLETED')
      ? 'STATUS_REFUND_COMPLETED'
      : 'STATUS_PARTIAL_REFUND_COMPLETED';
  }
  return 'STATUS_PAID';
}

const REFUNDABLE_FROM: ReadonlySet<WaugOrderGoodsStatus> = new Set([
  'STATUS_PAID',
  'STATUS_IN_PROGRESS',
  'STATUS_CONFIRMED',
]);

// ---- order requests ----------------------------------------------------------------------------

export interface OrderRequestInfo {
  fieldId: string;
  groupCategory: string;
  values: string[];
}

export interface OrderRequestGoods {
  goodsId: string;
  useDate: string;
  additionalInput?: string | undefined;
  orderOptions: {
    goodsOptionId: string;
    goodsOptionItemId: string;
    quantity: number;
    price: string;
    goodsOptionTimeslotId: string;
  }[];
  orderInfos: OrderRequestInfo[];
}

export interface OrderRequest {
  partnerOrderNumber?: string | undefined;
  locale: string;
  orderGoods: OrderRequestGoods[];
  orderInfos: OrderRequestInfo[];
}

export interface Progression {
  /** PAID → IN_PROGRESS this long after the order. */
  inProgressAfterMs: number;
  /** → CONFIRMED (voucher issued) this long after the order. */
  confirmedAfterMs: number;
}

interface PricedGoods {
  goods: SandboxGoods;
  request: OrderRequestGoods;
  options: SandboxOrderedOption[];
  total: bigint;
}

export class WaugBook {
  readonly #goods = new Map<string, SandboxGoods>();
  readonly #orders = new Map<string, SandboxOrder>();
  readonly #byPartner = new Map<string, SandboxOrder>();
  /** Option items replaced by a product change: ordering them is 105. */
  readonly #retiredItems = new Set<string>();
  /** `${itemId}|${day}` or `${itemId}|*` → price override. */
  readonly #priceOverrides = new Map<string, string>();
  #balance: bigint;
  #nextOrderGoodsId = 5_000_000;
  #nextOrderSerial = 1;

  constructor(goods: Iterable<SandboxGoods>, balance: string) {
    for (const g of goods) this.#goods.set(g.goodsId, g);
    this.#balance = toMinor(balance) ?? 0n;
  }

  get balance(): string {
    return fromMinor(this.#balance);
  }

  setBalance(amount: string): void {
    const minor = toMinor(amount);
    if (minor === null) throw new RangeError('balance must be a non-negative decimal');
    this.#balance = minor;
  }

  get orderCount(): number {
    return this.#orders.size;
  }

  goodsList(): SandboxGoods[] {
    return [...this.#goods.values()];
  }

  goods(goodsId: string): SandboxGoods | undefined {
    return this.#goods.get(goodsId);
  }

  /** Unit price of an option item on a WAUG day, or null when that day is not orderable. */
  priceOf(goods: SandboxGoods, itemId: string, day: string, nowMs: number): string | null {
    if (!isWaugDate(day)) return null;
    const today = waugDayOf(nowMs);
    const date = DateTime.fromFormat(day, 'yyyy-MM-dd', { zone: WAUG_TIME_ZONE });
    if (day < today || date.diff(DateTime.fromFormat(today, 'yyyy-MM-dd', { zone: WAUG_TIME_ZONE }), 'days').days > 365)
      return null;
    if (goods.closedWeekdays.includes(date.weekday)) return null;
    const item = goods.options.flatMap((o) => o.items).find((i) => i.goodsOptionItemId === itemId);
    if (item === undefined) return null;
    const override = this.#priceOverrides.get(`${itemId}|${day}`) ?? this.#priceOverrides.get(`${itemId}|*`);
    if (override !== undefined) return override;
    const weekend = date.weekday >= 6;
    const price = weekend ? Math.round((item.basePrice * (100 + goods.weekendSurchargePercent)) / 100) : item.basePrice;
    return String(price);
  }

  setPrice(goodsId: string, itemId: string, price: string, day?: string): void {
    const goods = this.#goods.get(goodsId);
    if (goods === undefined || !goods.options.some((o) => o.items.some((i) => i.goodsOptionItemId === itemId)))
      throw new RangeError(`sandbox: no option item ${itemId} in goods ${goodsId}`);
    if (toMinor(price) === null) throw new RangeError('sandbox: price must be a decimal');
    this.#priceOverrides.set(`${itemId}|${day ?? '*'}`, price);
  }

  /** A product change: every option item gets a new id (+10 % price); the old ids answer 105. */
  modifyGoods(goodsId: string, nowMs: number): SandboxGoods {
    const goods = this.#goods.get(goodsId);
    if (goods === undefined) throw new RangeError(`sandbox: no goods ${goodsId}`);
    for (const option of goods.options) {
      option.items = option.items.map((item) => {
        this.#retiredItems.add(item.goodsOptionItemId);
        return {
          ...item,
          goodsOptionItemId: String(Number(item.goodsOptionItemId) + 100_000),
          basePrice: Math.round(item.basePrice * 1.1),
        };
      });
    }
    goods.updatedAtMs = nowMs;
    return goods;
  }

  // ---- orders ----------------------------------------------------------------------------------

  addOrder(order: SandboxOrder): void {
    if (this.#orders.has(order.orderNumber)) throw new Error(`sandbox: order ${order.orderNumber} exists`);
    if (order.partnerOrderNumber !== null && this.#byPartner.has(order.partnerOrderNumber))
      throw new Error(`sandbox: partner number ${order.partnerOrderNumber} exists`);
    this.#orders.set(order.orderNumber, order);
    if (order.partnerOrderNumber !== null) this.#byPartner.set(order.partnerOrderNumber, order);
    for (const g of order.orderGoods) {
      const n = Number(g.orderGoodsId);
      if (Number.isSafeInteger(n) && n >= this.#nextOrderGoodsId) this.#nextOrderGoodsId = n + 1;
    }
  }

  order(orderNumber: string): SandboxOrder | undefined {
    return this.#orders.get(orderNumber);
  }

  /** Every order (webhook scans). */
  allOrders(): IterableIterator<SandboxOrder> {
    return this.#orders.values();
  }

  orderByPartner(partnerOrderNumber: string): SandboxOrder | undefined {
    return this.#byPartner.get(partnerOrderNumber);
  }

  /** Orders placed on the given WAUG days (inclusive), oldest first. */
  ordersBetween(startDay: string, endDay: string): SandboxOrder[] {
    const from = waugDayBounds(startDay).startMs;
    const to = waugDayBounds(endDay).endMs;
    return [...this.#orders.values()]
      .filter((o) => o.orderedAtMs >= from && o.orderedAtMs < to)
      .sort((a, b) => a.orderedAtMs - b.orderedAtMs || (a.orderNumber < b.orderNumber ? -1 : 1));
  }

  /** Checks an order request against goods, prices, input groups and balance. Throws WaugRefusal. */
  validate(request: OrderRequest, nowMs: number): { goods: PricedGoods[]; total: bigint; currency: string } {
    if (request.orderGoods.length === 0) throw new WaugRefusal('106', 'no goods in the order');
    const priced: PricedGoods[] = [];
    let currency: string | null = null;
    let total = 0n;
    for (const [index, line] of request.orderGoods.entries()) {
      const goods = this.#goods.get(line.goodsId);
      if (goods === undefined) throw new WaugRefusal('103', `orderGoods[${index}]: goods does not exist`);
      if (currency !== null && goods.currency !== currency)
        throw new WaugRefusal('106', 'goods of one order must share a currency');
      currency = goods.currency;
      if (!isWaugDate(line.useDate)) throw new WaugRefusal('102', `orderGoods[${index}].useDate is not yyyy-MM-dd`);
      if (line.orderOptions.length === 0) throw new WaugRefusal('106', `orderGoods[${index}] has no options`);
      const options: SandboxOrderedOption[] = [];
      let quantity = 0;
      let lineTotal = 0n;
      for (const requested of line.orderOptions) {
        if (this.#retiredItems.has(requested.goodsOptionItemId))
          throw new WaugRefusal('105', `goods ${goods.goodsId} was modified: option item no longer exists`);
        const option = goods.options.find((o) => o.goodsOptionId === requested.goodsOptionId);
        const item = option?.items.find((i) => i.goodsOptionItemId === requested.goodsOptionItemId);
        if (option === undefined || item === undefined)
          throw new WaugRefusal('106', `orderGoods[${index}]: unknown option or option item`);
        let timeslotId: string | null = null;
        if (option.timeslots.length > 0) {
          const slot = option.timeslots.find((t) => t.goodsOptionTimeslotId === requested.goodsOptionTimeslotId);
          if (slot === undefined) throw new WaugRefusal('106', `orderGoods[${index}]: a timeslot is required`);
          timeslotId = slot.goodsOptionTimeslotId;
        } else if (requested.goodsOptionTimeslotId !== '0') {
          throw new WaugRefusal('106', `orderGoods[${index}]: this option has no timeslots`);
        }
        const price = this.priceOf(goods, item.goodsOptionItemId, line.useDate, nowMs);
        if (price === null) throw new WaugRefusal('106', `orderGoods[${index}]: not orderable on ${line.useDate}`);
        const asked = toMinor(requested.price);
        const actual = toMinor(price) as bigint;
        if (asked === null || asked !== actual) throw new WaugRefusal('109', `orderGoods[${index}]: price mismatch`);
        quantity += requested.quantity;
        lineTotal += actual * BigInt(requested.quantity);
        options.push({
          goodsOptionId: option.goodsOptionId,
          goodsOptionName: option.goodsOptionName,
          goodsOptionItemId: item.goodsOptionItemId,
          goodsOptionItemName: item.goodsOptionItemName,
          goodsOptionTimeslotId: timeslotId,
          quantity: requested.quantity,
          price: fromMinor(actual),
        });
      }
      checkInfos(goods, 'GOODS', line.orderInfos, 1, nowMs, `orderGoods[${index}]`);
      checkInfos(goods, 'EACH', line.orderInfos, quantity, nowMs, `orderGoods[${index}]`);
      priced.push({ goods, request: line, options, total: lineTotal });
      total += lineTotal;
    }
    // ORDER fields: the union of every goods' ORDER group, once per order.
    for (const p of priced) checkInfos(p.goods, 'ORDER', request.orderInfos, 1, nowMs, 'orderInfos');
    if (total > this.#balance) throw new WaugRefusal('104', 'balance too low');
    return { goods: priced, total, currency: currency ?? 'KRW' };
  }

  /** Creates the order, or answers the existing one for a known partnerOrderNumber [decision]. */
  create(request: OrderRequest, nowMs: number, progression: Progression): { order: SandboxOrder; created: boolean } {
    const partner = request.partnerOrderNumber ?? null;
    if (partner !== null) {
      const existing = this.#byPartner.get(partner);
      if (existing !== undefined) return { order: existing, created: false };
    }
    const checked = this.validate(request, nowMs);
    this.#balance -= checked.total;
    const orderNumber = this.#newOrderNumber(nowMs);
    const order: SandboxOrder = {
      orderNumber,
      partnerOrderNumber: partner,
      orderedAtMs: nowMs,
      currency: checked.currency,
      totalPrice: fromMinor(checked.total),
      refundReasons: [],
      orderGoods: checked.goods.map((p) => {
        const orderGoodsId = String(this.#nextOrderGoodsId++);
        return {
          orderGoodsId,
          goodsId: p.goods.goodsId,
          goodsName: p.goods.goodsName,
          useDate: p.request.useDate,
          refundable: p.goods.refundable,
          options: p.options,
          totalPrice: fromMinor(p.total),
          timeline: progressingTimeline(nowMs, progression),
          voucherNumber: `WV${orderGoodsId}`,
        };
      }),
    };
    this.addOrder(order);
    return { order, created: true };
  }

  #newOrderNumber(nowMs: number): string {
    const day = DateTime.fromMillis(nowMs, { zone: WAUG_TIME_ZONE }).toFormat('yyMMdd');
    for (;;) {
      const candidate = `WG${day}9${String(this.#nextOrderSerial++).padStart(5, '0')}`;
      if (!this.#orders.has(candidate)) return candidate;
    }
  }

  /** [seed] Refund request: 107 if any goods is not refundable; then every goods → REFUND_REQUESTED. */
  requestRefund(orderNumber: string, reason: string | null, nowMs: number): SandboxOrder {
    const order = this.#orders.get(orderNumber);
    if (order === undefined) throw new WaugRefusal('103', 'order does not exist');
    if (order.orderGoods.some((g) => !g.refundable)) throw new WaugRefusal('107', 'a goods is not refundable');
    const statuses = order.orderGoods.map((g) => statusAt(g, nowMs).status);
    if (statuses.every((s) => s === 'STATUS_REFUND_REQUESTED')) return order; // asked twice: same answer
    if (!statuses.every((s) => REFUNDABLE_FROM.has(s) || s === 'STATUS_REFUND_REQUESTED'))
      throw new WaugRefusal('106', 'the order is not in a refundable state');
    for (const goods of order.orderGoods) {
      if (statusAt(goods, nowMs).status === 'STATUS_REFUND_REQUESTED') continue;
      goods.timeline = goods.timeline.filter((e) => e.atMs <= nowMs);
      goods.timeline.push({ status: 'STATUS_REFUND_REQUESTED', atMs: nowMs });
    }
    if (reason !== null) order.refundReasons.push(reason);
    return order;
  }

  /** Sandbox helper: sets one goods' status now (cancelling its future steps). */
  setGoodsStatus(orderNumber: string, orderGoodsId: string, status: WaugOrderGoodsStatus, nowMs: number): void {
    if (!(WAUG_ORDER_GOODS_STATUSES as readonly string[]).includes(status))
      throw new RangeError(`unknown status ${status}`);
    const goods = this.#orders.get(orderNumber)?.orderGoods.find((g) => g.orderGoodsId === orderGoodsId);
    if (goods === undefined) throw new RangeError(`sandbox: no goods ${orderGoodsId} in order ${orderNumber}`);
    goods.timeline = goods.timeline.filter((e) => e.atMs <= nowMs);
    const last = goods.timeline[goods.timeline.length - 1];
    goods.timeline.push({ status, atMs: Math.max(nowMs, last?.atMs ?? nowMs) });
  }

  view(order: SandboxOrder, nowMs: number): SandboxOrderView {
    const goods = order.orderGoods.map((g) => {
      const current = statusAt(g, nowMs);
      return {
        orderGoodsId: g.orderGoodsId,
        goodsId: g.goodsId,
        goodsName: g.goodsName,
        status: current.status,
        refundable: g.refundable,
        useDate: g.useDate,
        voucherIssued: confirmedAt(g, nowMs) !== null,
        updatedAt: new Date(current.atMs).toISOString(),
      };
    });
    return {
      orderNumber: order.orderNumber,
      partnerOrderNumber: order.partnerOrderNumber,
      orderStatus: deriveOrderStatus(goods.map((g) => g.status)),
      orderedAt: new Date(order.orderedAtMs).toISOString(),
      totalPrice: order.totalPrice,
      currency: order.currency,
      orderGoods: goods,
    };
  }
}

/** PAID now, IN_PROGRESS and CONFIRMED later on the sandbox clock. */
export function progressingTimeline(startMs: number, progression: Progression): TimelineEntry[] {
  return [
    { status: 'STATUS_PAID', atMs: startMs },
    { status: 'STATUS_IN_PROGRESS', atMs: startMs + progression.inProgressAfterMs },
    {
      status: 'STATUS_CONFIRMED',
      atMs: startMs + Math.max(progression.confirmedAfterMs, progression.inProgressAfterMs + 1),
    },
  ];
}

function checkInfos(
  goods: SandboxGoods,
  group: 'ORDER' | 'GOODS' | 'EACH',
  given: readonly OrderRequestInfo[],
  expectedValues: number,
  nowMs: number,
  where: string,
): void {
  const fields: SandboxOrderInfoField[] = goods.orderInfos
    .filter((g) => g.groupCategory === group)
    .flatMap((g) => g.fields);
  for (const info of given) {
    if (info.groupCategory !== group) continue;
    if (!fields.some((f) => f.fieldId === info.fieldId) && group !== 'ORDER')
      throw new WaugRefusal('106', `${where}: field ${info.fieldId} is not a ${group} field of goods ${goods.goodsId}`);
  }
  for (const f of fields) {
    const info = given.find((i) => i.fieldId === f.fieldId && i.groupCategory === group);
    const values = info?.values ?? [];
    const filled = values.filter((v) => v.trim() !== '');
    if (filled.length === 0) {
      if (f.required) throw new WaugRefusal('106', `${where}: ${group} field ${f.fieldId} is required`);
      continue;
    }
    if (values.length !== expectedValues)
      throw new WaugRefusal(
        '106',
        `${where}: ${group} field ${f.fieldId} needs ${expectedValues} value(s), got ${values.length}`,
      );
    const choices = f.fieldOption === '' ? [] : f.fieldOption.split(WAUG_FIELD_OPTION_SEPARATOR);
    for (const [index, value] of values.entries()) {
      if (value.trim() === '' && !f.required) continue;
      const problem = checkWaugFieldValue(f.fieldType, value, choices, nowMs);
      // An EACH value names its unit (1-based, as a person counts), so the desk can pin it to one participant.
      const unit = group === 'EACH' ? ` unit ${index + 1}` : '';
      if (problem !== null) throw new WaugRefusal('106', `${where}: ${group} field ${f.fieldId}${unit}: ${problem}`);
    }
  }
}

// ---- wire ------------------------------------------------------------------------------------

const n = (digits: string): LosslessNumber => new LosslessNumber(digits);

export function goodsSummaryToWire(goods: SandboxGoods): Record<string, unknown> {
  return {
    goodsId: n(goods.goodsId),
    goodsName: goods.goodsName,
    city: goods.city,
    countryCode: goods.countryCode,
    currency: goods.currency,
    refundable: goods.refundable,
    updatedAt: toPhpDateTime(goods.updatedAtMs),
  };
}

export function goodsToWire(goods: SandboxGoods): Record<string, unknown> {
  return {
    ...goodsSummaryToWire(goods),
    description: goods.description,
    availableTime: goods.availableTime,
    notification: goods.notification,
    instantConfirmation: goods.instantConfirmation,
    options: goods.options.map((o) => ({
      goodsOptionId: n(o.goodsOptionId),
      goodsOptionName: o.goodsOptionName,
      items: o.items.map((i) => ({
        goodsOptionItemId: n(i.goodsOptionItemId),
        goodsOptionItemName: i.goodsOptionItemName,
      })),
      timeslots: o.timeslots.map((t) => ({ goodsOptionTimeslotId: n(t.goodsOptionTimeslotId), time: t.time })),
    })),
  };
}

export function orderInfosToWire(goods: SandboxGoods): unknown[] {
  return goods.orderInfos.map((g) => ({
    groupCategory: g.groupCategory,
    fields: g.fields.map((f) => ({ ...f, fieldId: n(f.fieldId) })),
  }));
}

export function orderToWire(order: SandboxOrder, nowMs: number): Record<string, unknown> {
  const goods = order.orderGoods.map((g) => {
    const current = statusAt(g, nowMs);
    const confirmed = confirmedAt(g, nowMs);
    return {
      orderGoodsId: n(g.orderGoodsId),
      goodsId: n(g.goodsId),
      goodsName: g.goodsName,
      status: current.status,
      useDate: g.useDate,
      refundable: g.refundable,
      totalPrice: n(g.totalPrice),
      orderOptions: g.options.map((o) => ({
        goodsOptionId: n(o.goodsOptionId),
        goodsOptionName: o.goodsOptionName,
        goodsOptionItemId: n(o.goodsOptionItemId),
        goodsOptionItemName: o.goodsOptionItemName,
        goodsOptionTimeslotId: n(o.goodsOptionTimeslotId ?? '0'),
        quantity: o.quantity,
        price: n(o.price),
      })),
      voucher: {
        issued: confirmed !== null,
        voucherNumber: confirmed === null ? null : g.voucherNumber,
        voucherUrl: confirmed === null ? null : `https://voucher.sandbox.invalid/v/${g.voucherNumber}`,
        issuedAt: confirmed === null ? null : toPhpDateTime(confirmed),
      },
      updatedAt: toPhpDateTime(current.atMs),
    };
  });
  return {
    orderNumber: order.orderNumber,
    partnerOrderNumber: order.partnerOrderNumber,
    orderStatus: deriveOrderStatus(goods.map((g) => g.status)),
    orderedAt: toPhpDateTime(order.orderedAtMs),
    currency: order.currency,
    totalPrice: n(order.totalPrice),
    orderGoods: goods,
  };
}
