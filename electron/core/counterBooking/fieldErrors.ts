/**
 * Field errors on the booking form: from the shared checker (before WAUG is asked), and from
 * WAUG's 106 "invalid order information", pinned back onto the input it is about when WAUG's
 * words name one. WAUG (and the sandbox) name the place as
 *   "orderInfos: ORDER field 4 is required"
 *   "orderGoods[0]: GOODS field 67: …"
 *   "orderGoods[1]: EACH field 5 unit 3: …"   (units counted from 1)
 *   "orderGoods[0]: EACH field 5 needs 3 value(s), got 2"
 * Anything else stays a form-wide error (slotKey null) carrying WAUG's words.
 */
import type { FieldError } from '../../../shared/contract.js';
import { slotKey, type FormSlot } from '../../../shared/domain/bookingForm.js';
import type { FieldProblem, WaugInfoGroup } from '../../../shared/domain/waugFields.js';

/** The checker's problems, in the form's order. */
export function localFieldErrors(
  slots: readonly FormSlot[],
  problems: Readonly<Record<string, FieldProblem>>,
): FieldError[] {
  return slots.flatMap((slot) => {
    const problem = problems[slot.key];
    return problem === undefined ? [] : [{ slotKey: slot.key, problem, detail: null }];
  });
}

const PLACE =
  /(?:orderGoods\[(?<goods>\d+)\]|orderInfos)\s*:\s*(?<group>ORDER|GOODS|EACH) field (?<field>\d+)(?: unit (?<unit>\d+))?(?<rest>[^;]*)/g;

/** WAUG's 106 message as field errors on `slots`; one form-wide error when it names no input. */
export function waugFieldErrors(message: string, slots: readonly FormSlot[]): FieldError[] {
  const known = new Set(slots.map((slot) => slot.key));
  const detail = message.trim() === '' ? 'WAUG refused the order information (code 106).' : message.trim();
  const errors: FieldError[] = [];
  for (const match of message.matchAll(PLACE)) {
    const { goods, group, field, unit, rest } = match.groups as Record<string, string | undefined>;
    const goodsIndex = goods === undefined ? 0 : Number(goods);
    const category = group as WaugInfoGroup;
    let key: string;
    if (category === 'EACH') {
      // Without a unit (a missing or miscounted field), the first participant's input.
      const zeroBased = unit === undefined ? 0 : Math.max(0, Number(unit) - 1);
      key = slotKey('EACH', field as string, goodsIndex, zeroBased);
    } else {
      key = slotKey(category, field as string, goodsIndex);
    }
    if (!known.has(key)) continue;
    const required = /\brequired\b/.test(rest ?? '');
    errors.push({ slotKey: key, problem: required ? 'required' : 'waug', detail });
  }
  return errors.length > 0 ? errors : [{ slotKey: null, problem: 'waug', detail }];
}
