/**
 * From a draft to WAUG's order request (API-NOTES §2 "Order creation"), with the goods as just
 * re-read from WAUG: the form slots (ORDER once, GOODS per goods, EACH per unit), the orderInfos
 * built by the shared booking form code, and timeslot '0' for an option without timeslots.
 * Pure: the service does the reading and the calling.
 */
import type { DraftBody } from '../../../shared/contract.js';
import { bookingFormSlots, bookingOrderInfos, linesTotal, type FormSlot } from '../../../shared/domain/bookingForm.js';
import type { WaugGoods, WaugOrderInfoGroup, WaugOrderRequest } from '../waug/api.js';

/** One goods line of a draft as WAUG describes it now. */
export interface LineGoods {
  goods: WaugGoods;
  orderInfos: WaugOrderInfoGroup[];
}

/** [seed example] The timeslot id sent for an option that has no timeslots. */
export const NO_TIMESLOT_ID = '0';

/** Units ordered of one goods line: every option quantity. */
export function lineUnits(line: DraftBody['goods'][number]): number {
  return line.options.reduce((sum, option) => sum + option.quantity, 0);
}

/** Σ unit price × quantity over every option of every goods; null when a price is not a decimal. */
export function draftTotal(body: DraftBody): string | null {
  return linesTotal(body.goods.flatMap((line) => line.options));
}

/** The booking form of this draft, with each goods' order-input groups as WAUG gives them now. */
export function draftSlots(body: DraftBody, lines: readonly LineGoods[]): FormSlot[] {
  return bookingFormSlots(
    body.goods.map((line, i) => ({ orderInfos: lines[i]?.orderInfos ?? [], quantity: lineUnits(line) })),
  );
}

/**
 * What still has to be picked before the draft can be sent, worded for the clerk; null when
 * nothing. The options are checked against the goods as WAUG describes it now.
 */
export function incompleteReason(body: DraftBody, lines?: readonly LineGoods[]): string | null {
  for (const [i, line] of body.goods.entries()) {
    const which = body.goods.length > 1 ? ` for ${line.goodsName || `goods ${line.goodsId}`}` : '';
    if (line.useDate === null) return `Pick the date of use${which} first.`;
    if (line.options.length === 0) return `Pick at least one option and its quantity${which} first.`;
    const goods = lines?.[i]?.goods;
    if (goods === undefined) continue;
    for (const picked of line.options) {
      const option = goods.options.find((o) => o.goodsOptionId === picked.goodsOptionId);
      if (option === undefined) continue; // an item WAUG no longer has is a price change, not a gap
      if (option.timeslots.length > 0) {
        if (picked.goodsOptionTimeslotId === null) return `Pick a time for ${option.goodsOptionName}${which} first.`;
        if (!option.timeslots.some((t) => t.goodsOptionTimeslotId === picked.goodsOptionTimeslotId))
          return `The time picked for ${option.goodsOptionName}${which} is no longer offered: pick another.`;
      }
    }
  }
  return null;
}

/** WAUG's order request for the draft as it stands (its form already checked by the caller). */
export function buildOrderRequest(input: {
  partnerOrderNumber: string;
  locale: string;
  body: DraftBody;
  slots: readonly FormSlot[];
}): WaugOrderRequest {
  const { body } = input;
  const infos = bookingOrderInfos(input.slots, body.values, body.goods.length);
  return {
    partnerOrderNumber: input.partnerOrderNumber,
    locale: input.locale,
    orderGoods: body.goods.map((line, i) => ({
      goodsId: line.goodsId,
      useDate: line.useDate ?? '',
      ...(line.additionalInput.trim() === '' ? {} : { additionalInput: line.additionalInput }),
      orderOptions: line.options.map((option) => ({
        goodsOptionId: option.goodsOptionId,
        goodsOptionItemId: option.goodsOptionItemId,
        goodsOptionTimeslotId: option.goodsOptionTimeslotId ?? NO_TIMESLOT_ID,
        quantity: option.quantity,
        price: option.price,
      })),
      orderInfos: infos.goods[i] ?? [],
    })),
    orderInfos: infos.order,
  };
}
