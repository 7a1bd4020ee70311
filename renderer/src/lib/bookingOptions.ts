/**
 * The options step as data: which unit prices apply on the picked day, the draft's option
 * lines as quantities change (a line exists only while its quantity is 1 or more, and carries
 * the unit price the clerk saw), timeslots, and what stops the clerk going on.
 */
import type { DraftBody, GoodsDetailView, GoodsPriceView } from '../../../shared/contract.js';
import { linesTotal } from '../../../shared/domain/bookingForm.js';

export type DraftGoods = DraftBody['goods'][number];
export type DraftOption = DraftGoods['options'][number];
export type GoodsOption = GoodsDetailView['options'][number];

export const MAX_QUANTITY = 99;

export interface ItemRef {
  goodsOptionId: string;
  goodsOptionItemId: string;
}

const itemKey = (ref: ItemRef): string => `${ref.goodsOptionId}:${ref.goodsOptionItemId}`;

/** Whatever the clerk typed into a quantity box, as a whole number 0–99. */
export function clampQuantity(input: string | number): number {
  const value = typeof input === 'number' ? input : Number.parseInt(input.trim(), 10);
  if (!Number.isFinite(value)) return 0;
  return Math.min(MAX_QUANTITY, Math.max(0, Math.trunc(value)));
}

export interface UnitPrice {
  price: string;
  currency: string;
}

/** The unit price of each option item on one day; an item missing here cannot be ordered that day. */
export class DayPrices {
  readonly #byItem = new Map<string, UnitPrice>();

  constructor(prices: readonly GoodsPriceView[], day: string | null) {
    for (const row of prices) {
      if (row.date === day) this.#byItem.set(itemKey(row), { price: row.price, currency: row.currency });
    }
  }

  of(ref: ItemRef): UnitPrice | null {
    return this.#byItem.get(itemKey(ref)) ?? null;
  }

  get size(): number {
    return this.#byItem.size;
  }
}

export function quantityOf(lines: readonly DraftOption[], ref: ItemRef): number {
  return lines.find((line) => itemKey(line) === itemKey(ref))?.quantity ?? 0;
}

/**
 * The lines with one item's quantity set: 0 removes the line, a new line takes the day's price
 * and the option's chosen timeslot. Lines keep the order they were added in.
 */
export function withQuantity(
  lines: readonly DraftOption[],
  ref: ItemRef,
  quantity: number,
  price: string | null,
  timeslotId: string | null,
): DraftOption[] {
  const wanted = clampQuantity(quantity);
  const index = lines.findIndex((line) => itemKey(line) === itemKey(ref));
  if (wanted === 0 || price === null) return lines.filter((_, i) => i !== index);
  const line: DraftOption = {
    goodsOptionId: ref.goodsOptionId,
    goodsOptionItemId: ref.goodsOptionItemId,
    goodsOptionTimeslotId: timeslotId,
    quantity: wanted,
    price,
  };
  return index < 0 ? [...lines, line] : lines.map((old, i) => (i === index ? line : old));
}

/** Every line of one option moved to another timeslot (null: none chosen yet). */
export function withTimeslot(lines: readonly DraftOption[], goodsOptionId: string, timeslotId: string | null) {
  return lines.map((line) =>
    line.goodsOptionId === goodsOptionId ? { ...line, goodsOptionTimeslotId: timeslotId } : line,
  );
}

/** The timeslot chosen per option, as the saved lines say. */
export function timeslotsOf(lines: readonly DraftOption[]): Record<string, string> {
  const chosen: Record<string, string> = {};
  for (const line of lines)
    if (line.goodsOptionTimeslotId !== null) chosen[line.goodsOptionId] = line.goodsOptionTimeslotId;
  return chosen;
}

/**
 * The lines after the clerk picked another day: each takes that day's price; a line whose
 * item has no price that day is dropped (and returned, so the clerk can be told).
 */
export function repriceLines(
  lines: readonly DraftOption[],
  prices: DayPrices,
): { lines: DraftOption[]; dropped: DraftOption[] } {
  const kept: DraftOption[] = [];
  const dropped: DraftOption[] = [];
  for (const line of lines) {
    const unit = prices.of(line);
    if (unit === null) dropped.push(line);
    else kept.push({ ...line, price: unit.price });
  }
  return { lines: kept, dropped };
}

export const unitsOf = (lines: readonly Pick<DraftOption, 'quantity'>[]): number =>
  lines.reduce((sum, line) => sum + line.quantity, 0);

/** Σ unit price × quantity, as a decimal string ('0' for no lines). */
export const subtotalOf = (lines: readonly DraftOption[]): string => linesTotal(lines) ?? '0';

/** no_units: nothing ordered · timeslot: an ordered option still needs its time · price: a line has no price that day. */
export type OptionsProblem = 'no_units' | 'timeslot' | 'price';

export function optionsProblem(
  options: readonly GoodsOption[],
  lines: readonly DraftOption[],
  prices: DayPrices,
): OptionsProblem | null {
  if (unitsOf(lines) < 1) return 'no_units';
  if (lines.some((line) => prices.of(line) === null)) return 'price';
  for (const option of options) {
    if (option.timeslots.length === 0) continue;
    const ordered = lines.filter((line) => line.goodsOptionId === option.goodsOptionId);
    if (
      ordered.some(
        (line) => !option.timeslots.some((slot) => slot.goodsOptionTimeslotId === line.goodsOptionTimeslotId),
      )
    )
      return 'timeslot';
  }
  return null;
}

/** The item and option names of a line, for the confirmation and the price-change panel. */
export function lineNames(
  options: readonly GoodsOption[],
  line: ItemRef & { goodsOptionTimeslotId?: string | null },
): { optionName: string; itemName: string; time: string | null } {
  const option = options.find((candidate) => candidate.goodsOptionId === line.goodsOptionId);
  const item = option?.items.find((candidate) => candidate.goodsOptionItemId === line.goodsOptionItemId);
  const slot = option?.timeslots.find((candidate) => candidate.goodsOptionTimeslotId === line.goodsOptionTimeslotId);
  return {
    optionName: option?.goodsOptionName ?? line.goodsOptionId,
    itemName: item?.goodsOptionItemName ?? line.goodsOptionItemId,
    time: slot?.time ?? null,
  };
}
