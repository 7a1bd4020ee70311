/**
 * The booking form built from a goods' order-input groups (API-NOTES §2 "Input groups"):
 *   ORDER  once per order (the union of every ordered goods' ORDER fields, by fieldId),
 *   GOODS  once per ordered goods,
 *   EACH   once per unit ordered of that goods (values.length == quantity).
 *
 * Every input the clerk fills is a slot with a stable key, so a draft is a plain map
 * key → value that survives a restart, and WAUG's 106 can be pinned back onto one input.
 * Shared by the renderer's form, the core (before it calls WAUG) and `book --file`.
 */
import {
  checkFieldValue,
  normaliseFieldValue,
  type FieldProblem,
  type WaugFieldType,
  type WaugInfoGroup,
} from './waugFields.js';

export interface InfoField {
  fieldId: string;
  fieldName: string;
  fieldExplain: string | null;
  fieldPlaceholder: string | null;
  fieldType: WaugFieldType;
  /** radio/select/checkbox choices; empty for the other types. */
  choices: string[];
  required: boolean;
}

export interface InfoGroup {
  groupCategory: WaugInfoGroup;
  fields: InfoField[];
}

export interface FormSlot {
  /** `ORDER:<fieldId>`, `GOODS:<goods>:<fieldId>` or `EACH:<goods>:<fieldId>:<unit>` (0-based). */
  key: string;
  group: WaugInfoGroup;
  /** Index into the order's goods; null for ORDER. */
  goodsIndex: number | null;
  /** 0-based unit (participant) for EACH; null otherwise. */
  unit: number | null;
  field: InfoField;
}

export interface FormGoods {
  orderInfos: readonly InfoGroup[];
  /** Units ordered of this goods: the sum of its option quantities. */
  quantity: number;
}

export function slotKey(group: WaugInfoGroup, fieldId: string, goodsIndex?: number, unit?: number): string {
  if (group === 'ORDER') return `ORDER:${fieldId}`;
  if (group === 'GOODS') return `GOODS:${goodsIndex ?? 0}:${fieldId}`;
  return `EACH:${goodsIndex ?? 0}:${fieldId}:${unit ?? 0}`;
}

/** Every input of the form, in the order a clerk fills them: ORDER, then per goods GOODS and EACH by unit. */
export function bookingFormSlots(goods: readonly FormGoods[]): FormSlot[] {
  const slots: FormSlot[] = [];
  const seenOrderFields = new Set<string>();
  for (const line of goods) {
    for (const group of line.orderInfos) {
      if (group.groupCategory !== 'ORDER') continue;
      for (const field of group.fields) {
        if (seenOrderFields.has(field.fieldId)) continue;
        seenOrderFields.add(field.fieldId);
        slots.push({ key: slotKey('ORDER', field.fieldId), group: 'ORDER', goodsIndex: null, unit: null, field });
      }
    }
  }
  goods.forEach((line, goodsIndex) => {
    const fieldsOf = (category: WaugInfoGroup) =>
      line.orderInfos.filter((g) => g.groupCategory === category).flatMap((g) => g.fields);
    for (const field of fieldsOf('GOODS'))
      slots.push({ key: slotKey('GOODS', field.fieldId, goodsIndex), group: 'GOODS', goodsIndex, unit: null, field });
    const eachFields = fieldsOf('EACH');
    for (let unit = 0; unit < line.quantity; unit++) {
      for (const field of eachFields)
        slots.push({ key: slotKey('EACH', field.fieldId, goodsIndex, unit), group: 'EACH', goodsIndex, unit, field });
    }
  });
  return slots;
}

/** The value of a slot as it will be sent: normalised for its type; '' when never typed. */
export function slotValue(slot: FormSlot, values: Readonly<Record<string, string>>): string {
  return normaliseFieldValue(slot.field.fieldType, values[slot.key] ?? '');
}

/** Every slot that fails its check, by key. An empty result means the form may be sent. */
export function checkBookingForm(
  slots: readonly FormSlot[],
  values: Readonly<Record<string, string>>,
  today: string,
): Record<string, FieldProblem> {
  const problems: Record<string, FieldProblem> = {};
  for (const slot of slots) {
    const problem = checkFieldValue(slot.field, slotValue(slot, values), today);
    if (problem !== null) problems[slot.key] = problem;
  }
  return problems;
}

export interface OrderInfoValue<G extends WaugInfoGroup> {
  fieldId: string;
  groupCategory: G;
  values: string[];
}

export interface BookingOrderInfos {
  order: OrderInfoValue<'ORDER'>[];
  /** One list per goods, by goods index. */
  goods: OrderInfoValue<'GOODS' | 'EACH'>[][];
}

/**
 * The `orderInfos` of the order request. An optional field left empty is left out; an EACH
 * field with some units filled carries one value per unit ('' for the empty ones), as WAUG
 * counts values against the quantity.
 */
export function bookingOrderInfos(
  slots: readonly FormSlot[],
  values: Readonly<Record<string, string>>,
  goodsCount: number,
): BookingOrderInfos {
  const order: OrderInfoValue<'ORDER'>[] = [];
  const goods: OrderInfoValue<'GOODS' | 'EACH'>[][] = Array.from({ length: goodsCount }, () => []);
  const each = new Map<string, { goodsIndex: number; info: OrderInfoValue<'EACH'> }>();
  for (const slot of slots) {
    const value = slotValue(slot, values);
    if (slot.group === 'ORDER') {
      if (value !== '') order.push({ fieldId: slot.field.fieldId, groupCategory: 'ORDER', values: [value] });
    } else if (slot.group === 'GOODS') {
      if (value !== '')
        goods[slot.goodsIndex ?? 0]?.push({ fieldId: slot.field.fieldId, groupCategory: 'GOODS', values: [value] });
    } else {
      const id = `${slot.goodsIndex ?? 0}:${slot.field.fieldId}`;
      let entry = each.get(id);
      if (entry === undefined) {
        entry = {
          goodsIndex: slot.goodsIndex ?? 0,
          info: { fieldId: slot.field.fieldId, groupCategory: 'EACH', values: [] },
        };
        each.set(id, entry);
      }
      entry.info.values.push(value);
    }
  }
  for (const { goodsIndex, info } of each.values()) {
    if (info.values.some((v) => v !== '')) goods[goodsIndex]?.push(info);
  }
  return { order, goods };
}

// ---- money ---------------------------------------------------------------------------------

/** Decimal strings with up to 2 fraction digits, added without floats. */
const MONEY = /^(\d+)(?:\.(\d{1,2}))?$/;

export function moneyToMinor(amount: string): bigint | null {
  const match = MONEY.exec(amount);
  if (match === null) return null;
  return BigInt(match[1] as string) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}

export function minorToMoney(minor: bigint): string {
  const whole = minor / 100n;
  const cents = minor % 100n;
  return cents === 0n ? String(whole) : `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/** Σ price × quantity over option lines; null when a price is not a decimal. */
export function linesTotal(lines: readonly { price: string; quantity: number }[]): string | null {
  let total = 0n;
  for (const line of lines) {
    const minor = moneyToMinor(line.price);
    if (minor === null) return null;
    total += minor * BigInt(line.quantity);
  }
  return minorToMoney(total);
}
