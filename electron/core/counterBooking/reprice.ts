/**
 * A draft held against the goods as just re-read from WAUG ("targeted re-sync before every
 * order"; API-NOTES §2: 105/109 → re-fetch, show the new price, never re-order silently):
 *  - an option item WAUG replaced (a product change gives new ids) is re-mapped by the option's
 *    and the item's names as they were when the clerk picked them; a timeslot by its time;
 *  - every line's unit price is compared with WAUG's price for its day; a difference, or no price
 *    any more (not orderable that day, or the item is gone), is a PriceChange;
 *  - the draft takes the new ids and prices, so what the clerk confirms next is what WAUG wants.
 * Pure.
 */
import type { DraftBody, PriceChange } from '../../../shared/contract.js';
import { linesTotal, moneyToMinor } from '../../../shared/domain/bookingForm.js';
import type { ItemNames } from '../db/bookingDrafts.js';
import type { WaugGoods, WaugPrice } from '../waug/api.js';

export interface FreshLine {
  goods: WaugGoods;
  /** WAUG's prices for the line's use date. */
  prices: readonly WaugPrice[];
}

export interface Repriced {
  body: DraftBody;
  itemNames: ItemNames;
  changes: PriceChange[];
  /** The total at the new prices; null while some line has no price. */
  newTotal: string | null;
  /** True when ids or names were updated (the draft should be saved even without a price change). */
  touched: boolean;
}

const itemKey = (goodsId: string, itemId: string) => `${goodsId}:${itemId}`;

/** A decimal without its insignificant zeros ("012.50" → "12.5"); other text as it is, trimmed. */
function canonicalPrice(price: string): string {
  const text = price.trim();
  if (!/^\d+(\.\d+)?$/.test(text)) return text;
  return text
    .replace(/^0+(?=\d)/, '')
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}

/** Whether two prices are the same amount; one this desk cannot count (3+ decimals) compares as text. */
function samePrice(a: string, b: string): boolean {
  const minorA = moneyToMinor(a);
  const minorB = moneyToMinor(b);
  if (minorA !== null && minorB !== null) return minorA === minorB;
  return canonicalPrice(a) === canonicalPrice(b);
}

/** The names of every option item and timeslot of these goods, merged over what was known. */
export function namesOf(goods: readonly WaugGoods[], known: ItemNames): ItemNames {
  const names: ItemNames = { items: { ...known.items }, timeslots: { ...known.timeslots } };
  for (const g of goods) {
    for (const option of g.options) {
      for (const item of option.items)
        names.items[itemKey(g.goodsId, item.goodsOptionItemId)] = {
          optionName: option.goodsOptionName,
          itemName: item.goodsOptionItemName,
        };
      for (const slot of option.timeslots) names.timeslots[itemKey(g.goodsId, slot.goodsOptionTimeslotId)] = slot.time;
    }
  }
  return names;
}

function findItem(goods: WaugGoods, optionId: string, itemId: string) {
  const option = goods.options.find((o) => o.goodsOptionId === optionId);
  const item = option?.items.find((i) => i.goodsOptionItemId === itemId);
  return option === undefined || item === undefined ? null : { option, item };
}

/** The same option and item by name, when WAUG gave them new ids. */
function findByName(goods: WaugGoods, names: { optionName: string; itemName: string }) {
  for (const option of goods.options) {
    if (option.goodsOptionName !== names.optionName) continue;
    const item = option.items.find((i) => i.goodsOptionItemName === names.itemName);
    if (item !== undefined) return { option, item };
  }
  return null;
}

export function repriceDraft(body: DraftBody, known: ItemNames, fresh: readonly (FreshLine | null)[]): Repriced {
  const changes: PriceChange[] = [];
  let touched = false;
  const goods = body.goods.map((line, goodsIndex) => {
    const now = fresh[goodsIndex];
    if (now === null || now === undefined || line.useDate === null) return line;
    if (now.goods.goodsName !== line.goodsName) touched = true;
    const options = line.options.map((picked) => {
      const names = known.items[itemKey(line.goodsId, picked.goodsOptionItemId)];
      const found =
        findItem(now.goods, picked.goodsOptionId, picked.goodsOptionItemId) ??
        (names === undefined ? null : findByName(now.goods, names));
      const itemName = found?.item.goodsOptionItemName ?? names?.itemName ?? picked.goodsOptionItemId;
      if (found === null) {
        changes.push({
          goodsIndex,
          goodsOptionId: picked.goodsOptionId,
          goodsOptionItemId: picked.goodsOptionItemId,
          itemName,
          quantity: picked.quantity,
          oldPrice: picked.price,
          newPrice: null,
        });
        return picked;
      }
      let timeslotId = picked.goodsOptionTimeslotId;
      if (timeslotId !== null && !found.option.timeslots.some((t) => t.goodsOptionTimeslotId === timeslotId)) {
        const time = known.timeslots[itemKey(line.goodsId, timeslotId)];
        // Unknown or gone: left for the clerk to pick again (incompleteReason says so).
        timeslotId = found.option.timeslots.find((t) => t.time === time)?.goodsOptionTimeslotId ?? timeslotId;
      }
      const price = now.prices.find(
        (p) =>
          p.date === line.useDate &&
          p.goodsOptionId === found.option.goodsOptionId &&
          p.goodsOptionItemId === found.item.goodsOptionItemId,
      );
      const next = {
        ...picked,
        goodsOptionId: found.option.goodsOptionId,
        goodsOptionItemId: found.item.goodsOptionItemId,
        goodsOptionTimeslotId: timeslotId,
        price: price?.price ?? picked.price,
      };
      if (
        next.goodsOptionId !== picked.goodsOptionId ||
        next.goodsOptionItemId !== picked.goodsOptionItemId ||
        next.goodsOptionTimeslotId !== picked.goodsOptionTimeslotId
      )
        touched = true;
      if (price === undefined || !samePrice(price.price, picked.price)) {
        changes.push({
          goodsIndex,
          goodsOptionId: next.goodsOptionId,
          goodsOptionItemId: next.goodsOptionItemId,
          itemName,
          quantity: picked.quantity,
          oldPrice: picked.price,
          newPrice: price?.price ?? null,
        });
      }
      return next;
    });
    return { ...line, goodsName: now.goods.goodsName, options };
  });
  const repriced: DraftBody = { ...body, goods };
  const unpriced = changes.some((c) => c.newPrice === null);
  return {
    body: repriced,
    itemNames: namesOf(
      fresh.flatMap((f) => (f ? [f.goods] : [])),
      known,
    ),
    changes,
    newTotal: unpriced ? null : linesTotal(goods.flatMap((line) => line.options)),
    touched: touched || changes.length > 0,
  };
}
