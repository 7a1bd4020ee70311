/**
 * `book --file`: a WAUG order creation request (API-NOTES §2 "Order creation") turned into a
 * draft body, so the file is booked by exactly the path the counter uses (re-read, checks,
 * validate, create). Its orderInfos become form values by slot; a value for a field the goods does
 * not have, or an EACH field whose value count is not the goods' unit count, is refused here with
 * its place in the file rather than sent to WAUG.
 */
import { DraftBodySchema, type DraftBody } from '../../../shared/contract.js';
import { slotKey } from '../../../shared/domain/bookingForm.js';
import { DeskError } from '../../../shared/errors.js';
import type { WaugOrderRequest } from '../waug/api.js';
import { draftSlots, lineUnits, NO_TIMESLOT_ID, type LineGoods } from './request.js';

/** The draft body of a booking file; throws DeskError bad_input listing every problem. */
export function draftBodyFromRequest(request: WaugOrderRequest, lines: readonly LineGoods[]): DraftBody {
  const problems: string[] = [];
  const goods: DraftBody['goods'] = request.orderGoods.map((g, i) => ({
    goodsId: g.goodsId,
    goodsName: lines[i]?.goods.goodsName ?? '',
    useDate: g.useDate,
    options: g.orderOptions.map((o) => ({
      goodsOptionId: o.goodsOptionId,
      goodsOptionItemId: o.goodsOptionItemId,
      goodsOptionTimeslotId:
        o.goodsOptionTimeslotId === undefined || o.goodsOptionTimeslotId === NO_TIMESLOT_ID
          ? null
          : o.goodsOptionTimeslotId,
      quantity: o.quantity,
      price: o.price,
    })),
    additionalInput: g.additionalInput ?? '',
  }));
  const values: Record<string, string> = {};
  const single = (where: string, fieldId: string, given: readonly string[]): string | null => {
    if (given.length !== 1) {
      problems.push(`${where}: field ${fieldId} needs exactly one value, not ${given.length}`);
      return null;
    }
    return given[0] as string;
  };
  for (const info of request.orderInfos) {
    const value = single('orderInfos', info.fieldId, info.values);
    if (value !== null) values[slotKey('ORDER', info.fieldId)] = value;
  }
  request.orderGoods.forEach((g, goodsIndex) => {
    const where = `orderGoods[${goodsIndex}].orderInfos`;
    const units = lineUnits(goods[goodsIndex] as DraftBody['goods'][number]);
    for (const info of g.orderInfos) {
      if (info.groupCategory === 'GOODS') {
        const value = single(where, info.fieldId, info.values);
        if (value !== null) values[slotKey('GOODS', info.fieldId, goodsIndex)] = value;
      } else if (info.values.length !== units) {
        problems.push(
          `${where}: EACH field ${info.fieldId} has ${info.values.length} value(s) for ${units} unit(s): one per unit`,
        );
      } else {
        info.values.forEach((value, unit) => {
          values[slotKey('EACH', info.fieldId, goodsIndex, unit)] = value;
        });
      }
    }
  });

  const parsed = DraftBodySchema.safeParse({ goods, values, step: 'confirm', replacesOrderNumber: null });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.') || 'file'}: ${issue.message}`);
  } else {
    // Only inputs the goods asks for: anything else is a mistake in the file, not something to drop.
    const known = new Set(draftSlots(parsed.data, lines).map((slot) => slot.key));
    for (const key of Object.keys(values)) {
      if (known.has(key)) continue;
      const [group, a, b] = key.split(':');
      problems.push(
        group === 'ORDER'
          ? `orderInfos: field ${a} is not an ORDER field of the goods ordered`
          : `orderGoods[${a}].orderInfos: field ${b} is not a ${group} field of goods ${goods[Number(a)]?.goodsId ?? '?'}`,
      );
    }
  }
  if (problems.length > 0 || !parsed.success)
    throw new DeskError('bad_input', `The booking file cannot be booked:\n  ${problems.join('\n  ')}`);
  return parsed.data;
}
