/**
 * Property-based tests of the booking form validator (issue 6 item 5): the shared field checker
 * across every WAUG field type, the form built from the order-input groups, and agreement with
 * the WAUG sandbox, which answers 106 by the same rules. fast-check shrinks any failure to a
 * smallest counter-example, printed with its seed.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  bookingFormSlots,
  bookingOrderInfos,
  checkBookingForm,
  type FormSlot,
  type InfoField,
  type InfoGroup,
} from '../../shared/domain/bookingForm.js';
import {
  checkFieldValue,
  FIELD_PROBLEMS,
  isCalendarDay,
  joinCheckboxValue,
  normaliseFieldValue,
  splitCheckboxValue,
  waugToday,
  WAUG_FIELD_TEXT_MAX,
  WAUG_FIELD_TYPES,
  type FieldProblem,
  type WaugFieldType,
} from '../../shared/domain/waugFields.js';
import { buildCatalogue, type SandboxGoods } from '../../electron/core/sandbox/waug/catalogue.js';
import { WaugBook, WaugRefusal } from '../../electron/core/sandbox/waug/store.js';

const NOW_MS = Date.UTC(2026, 10, 29, 3, 0, 0);
const TODAY = waugToday(NOW_MS);
const CHOICES = ['Front', 'Middle', 'Back'];

const upperWord = fc.stringMatching(/^[A-Z]{1,12}$/);
const digits = (min: number, max: number) =>
  fc.integer({ min, max }).chain((n) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`)));

/** A calendar day between the two, as yyyy-MM-dd. */
const dayBetween = (from: string, to: string) =>
  fc
    .integer({
      min: DateTime.fromISO(from, { zone: 'UTC' }).toMillis() / 86_400_000,
      max: DateTime.fromISO(to, { zone: 'UTC' }).toMillis() / 86_400_000,
    })
    .map((d) => DateTime.fromMillis(d * 86_400_000, { zone: 'UTC' }).toFormat('yyyy-MM-dd'));

const yesterday = DateTime.fromISO(TODAY, { zone: 'UTC' }).minus({ days: 1 }).toFormat('yyyy-MM-dd');

/** Values each type must accept. */
const VALID: Record<WaugFieldType, fc.Arbitrary<string>> = {
  text: fc.string({ minLength: 1, maxLength: 200 }).filter((s) => s.trim() !== ''),
  textarea: fc.string({ minLength: 1, maxLength: WAUG_FIELD_TEXT_MAX }).filter((s) => s.trim() !== ''),
  text_short: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
  text_middle: fc.string({ minLength: 1, maxLength: 100 }).filter((s) => s.trim() !== ''),
  date: dayBetween('1900-01-01', '2099-12-31'),
  birthdate: dayBetween('1900-01-01', yesterday),
  email: fc
    .tuple(
      fc.stringMatching(/^[a-z0-9._+-]{1,20}$/),
      fc.stringMatching(/^[a-z0-9-]{1,20}$/),
      fc.stringMatching(/^[a-z]{2,6}$/),
    )
    .map(([local, domain, tld]) => `${local}@${domain}.${tld}`),
  engname: fc
    .array(upperWord, { minLength: 1, maxLength: 4 })
    .chain((words) => fc.constantFrom(' ', '-', "'").map((sep) => words.join(sep)))
    .filter((s) => s.length <= 100),
  time: fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.option(fc.integer({ min: 0, max: 59 })))
    .map(([h, m, s]) => [h, m, ...(s === null ? [] : [s])].map((n) => String(n).padStart(2, '0')).join(':')),
  mobile: fc.tuple(fc.integer({ min: 1, max: 9 }), digits(7, 14)).map(([first, rest]) => `${first}${rest}`),
  tel: digits(6, 15),
  number: fc
    .tuple(fc.boolean(), digits(1, 9), fc.option(digits(1, 4)))
    .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === null ? '' : `.${fraction}`}`),
  radio: fc.constantFrom(...CHOICES),
  select: fc.constantFrom(...CHOICES),
  checkbox: fc.subarray(CHOICES, { minLength: 1 }).map((picked) => joinCheckboxValue(picked, CHOICES)),
};

/**
 * Non-empty values each type must refuse, with the problem it must name, even after the form's
 * normalisation (so "hong gildong" or "+886 912…" are not here: they normalise to valid values).
 */
const INVALID: Partial<Record<WaugFieldType, [fc.Arbitrary<string>, FieldProblem]>> = {
  date: [
    fc.oneof(
      fc.constantFrom('2026-02-30', '2026-13-01', '2025-02-29', '26-01-01', '2026-1-32', '202601011'),
      // Anything with a letter in it is never a day, however it is normalised.
      fc.string({ minLength: 1, maxLength: 12 }).filter((s) => /[a-z]/i.test(s)),
    ),
    'date',
  ],
  birthdate: [dayBetween(TODAY, '2099-12-31'), 'birthdate_not_past'],
  email: [fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '' && !s.includes('@')), 'email'],
  engname: [
    fc.oneof(
      fc.stringMatching(/^[A-Za-z]{1,8}[0-9]{1,3}$/),
      fc.constantFrom('王小明', 'HONG-', '-HONG', 'HONG--KIM', 'JOSÉ', 'O.NEIL'),
    ),
    'engname',
  ],
  time: [fc.constantFrom('24:00', '9:5', '09:60', '2460', '09:00:61', 'noon'), 'time'],
  mobile: [
    fc.oneof(digits(1, 7), fc.constantFrom('0912345678', '+0912345678', 'phone', '886 9123 4567x'), digits(16, 20)),
    'mobile',
  ],
  tel: [fc.oneof(digits(1, 5), digits(16, 20), fc.constantFrom('02 1234 5678 ext 12', 'none')), 'tel'],
  number: [fc.constantFrom('seven', '1,000', '1e3', '--1', '.5', '1.'), 'number'],
  radio: [fc.string({ minLength: 1 }).filter((s) => s.trim() !== '' && !CHOICES.includes(s)), 'choice'],
  select: [fc.string({ minLength: 1 }).filter((s) => s.trim() !== '' && !CHOICES.includes(s)), 'choice'],
  checkbox: [
    fc
      .tuple(
        fc.subarray(CHOICES),
        fc.stringMatching(/^[A-Za-z]{1,8}$/).filter((s) => !CHOICES.includes(s)),
      )
      .map(([picked, stranger]) => [...picked, stranger].join('|')),
    'choices',
  ],
};

const fieldOf = (fieldType: WaugFieldType, required = true): InfoField => ({
  fieldId: '1',
  fieldName: fieldType,
  fieldExplain: null,
  fieldPlaceholder: null,
  fieldType,
  choices: ['radio', 'select', 'checkbox'].includes(fieldType) ? CHOICES : [],
  required,
});

describe('the field checker, every type', () => {
  it.each(WAUG_FIELD_TYPES)('accepts every well-formed %s value', (fieldType) => {
    fc.assert(
      fc.property(VALID[fieldType], (value) => {
        expect(checkFieldValue(fieldOf(fieldType), value, TODAY)).toBeNull();
      }),
    );
  });

  it.each(Object.keys(INVALID) as WaugFieldType[])('refuses a malformed %s value, naming the problem', (fieldType) => {
    const [arbitrary, problem] = INVALID[fieldType] as [fc.Arbitrary<string>, FieldProblem];
    fc.assert(
      fc.property(arbitrary, (value) => {
        expect(checkFieldValue(fieldOf(fieldType), value, TODAY)).toBe(problem);
      }),
    );
  });

  it('treats blank as "required" for a required field and as fine for an optional one, whatever the type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...WAUG_FIELD_TYPES), fc.stringMatching(/^[ \t]{0,5}$/), (fieldType, blank) => {
        expect(checkFieldValue(fieldOf(fieldType, true), blank, TODAY)).toBe('required');
        expect(checkFieldValue(fieldOf(fieldType, false), blank, TODAY)).toBeNull();
      }),
    );
  });

  it('never throws, and answers null or a known problem code, for any string', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...WAUG_FIELD_TYPES),
        fc.boolean(),
        fc.string({ maxLength: 300 }),
        (type, required, value) => {
          const problem = checkFieldValue(fieldOf(type, required), value, TODAY);
          expect(problem === null || (FIELD_PROBLEMS as readonly string[]).includes(problem)).toBe(true);
        },
      ),
    );
  });

  it('refuses anything longer than the text limit, whatever the type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...WAUG_FIELD_TYPES), (fieldType) => {
        expect(checkFieldValue(fieldOf(fieldType), 'A'.repeat(WAUG_FIELD_TEXT_MAX + 1), TODAY)).toBe('too_long');
      }),
      { numRuns: 30 },
    );
  });

  it('normalises idempotently, and a typed passport name or phone becomes one WAUG accepts', () => {
    fc.assert(
      fc.property(fc.constantFrom(...WAUG_FIELD_TYPES), fc.string({ maxLength: 60 }), (fieldType, value) => {
        const once = normaliseFieldValue(fieldType, value);
        expect(normaliseFieldValue(fieldType, once)).toBe(once);
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-zA-Z]{1,10}$/), { minLength: 1, maxLength: 3 }), (words) => {
        const typed = `  ${words.join('   ')} `;
        expect(checkFieldValue(fieldOf('engname'), normaliseFieldValue('engname', typed), TODAY)).toBeNull();
      }),
    );
    fc.assert(
      fc.property(VALID.date, fc.constantFrom('', '/', '.'), (day, separator) => {
        const [year, month, date] = day.split('-') as [string, string, string];
        const typed = separator === '' ? `${year}${month}${date}` : [year, Number(month), Number(date)].join(separator);
        expect(normaliseFieldValue('birthdate', typed)).toBe(day);
      }),
    );
    fc.assert(
      fc.property(VALID.time, (time) => {
        expect(normaliseFieldValue('time', time.slice(0, 5).replace(':', ''))).toBe(time.slice(0, 5));
        expect(normaliseFieldValue('time', time.replace(/^0/, ''))).toBe(time);
      }),
    );
    fc.assert(
      fc.property(VALID.mobile, (mobile) => {
        const typed = `+${mobile.slice(0, 3)} ${mobile.slice(3, 6)}-${mobile.slice(6)}`;
        expect(normaliseFieldValue('mobile', typed)).toBe(mobile);
      }),
    );
  });

  it("knows real calendar days (leap years included) exactly as luxon does, and Seoul's today", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{4}-[01]\d-[0-3]\d$/), (text) => {
        expect(isCalendarDay(text)).toBe(DateTime.fromFormat(text, 'yyyy-MM-dd', { zone: 'UTC' }).isValid);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        expect(waugToday(ms)).toBe(DateTime.fromMillis(ms, { zone: 'Asia/Seoul' }).toFormat('yyyy-MM-dd'));
      }),
    );
  });

  it('round-trips checkbox picks in the field’s own order', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(CHOICES), (picked) => {
        const joined = joinCheckboxValue(picked, CHOICES);
        expect(splitCheckboxValue(joined)).toEqual(CHOICES.filter((c) => picked.includes(c)));
      }),
    );
  });
});

// ---- the form built from order-input groups -----------------------------------------------------

const fieldArb = (fieldId: string): fc.Arbitrary<InfoField> =>
  fc.record({
    fieldId: fc.constant(fieldId),
    fieldName: fc.constant(`Field ${fieldId}`),
    fieldExplain: fc.constant(null),
    fieldPlaceholder: fc.constant(null),
    fieldType: fc.constantFrom(...WAUG_FIELD_TYPES),
    choices: fc.constant(CHOICES),
    required: fc.boolean(),
  });

/** Order-input groups with distinct field ids per group, and a quantity. */
const goodsArb = fc
  .tuple(
    fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 3 }),
    fc.uniqueArray(fc.integer({ min: 41, max: 80 }), { maxLength: 3 }),
    fc.uniqueArray(fc.integer({ min: 81, max: 99 }), { maxLength: 3 }),
    fc.integer({ min: 1, max: 6 }),
  )
  .chain(([orderIds, goodsIds, eachIds, quantity]) =>
    fc
      .tuple(
        fc.tuple(...orderIds.map((id) => fieldArb(String(id)))),
        fc.tuple(...goodsIds.map((id) => fieldArb(String(id)))),
        fc.tuple(...eachIds.map((id) => fieldArb(String(id)))),
      )
      .map(([order, goods, each]) => ({
        quantity,
        orderInfos: [
          { groupCategory: 'ORDER', fields: order },
          { groupCategory: 'GOODS', fields: goods },
          { groupCategory: 'EACH', fields: each },
        ] satisfies InfoGroup[],
      })),
  );

/** A form's slots with a value for each: valid, blank or malformed. */
const filledFormArb = fc.array(goodsArb, { minLength: 1, maxLength: 3 }).chain((goods) => {
  const slots = bookingFormSlots(goods);
  return fc
    .tuple(
      ...slots.map((slot) =>
        fc.oneof(
          VALID[slot.field.fieldType].map((value) => ({ value, kind: 'valid' as const })),
          fc.constant({ value: '', kind: 'blank' as const }),
          ...(INVALID[slot.field.fieldType] === undefined
            ? []
            : [
                (INVALID[slot.field.fieldType] as [fc.Arbitrary<string>, FieldProblem])[0].map((value) => ({
                  value,
                  kind: 'invalid' as const,
                })),
              ]),
        ),
      ),
    )
    .map((filled) => ({ goods, slots, filled }));
});

describe('the booking form', () => {
  it('has ORDER once (union by field id), GOODS once per goods and EACH once per unit', () => {
    fc.assert(
      fc.property(fc.array(goodsArb, { minLength: 1, maxLength: 3 }), (goods) => {
        const slots = bookingFormSlots(goods);
        const orderIds = new Set(goods.flatMap((g) => g.orderInfos[0]?.fields.map((f) => f.fieldId) ?? []));
        const expected =
          orderIds.size +
          goods.reduce(
            (n, g) => n + (g.orderInfos[1]?.fields.length ?? 0) + (g.orderInfos[2]?.fields.length ?? 0) * g.quantity,
            0,
          );
        expect(slots).toHaveLength(expected);
        expect(new Set(slots.map((s) => s.key)).size).toBe(slots.length);
      }),
    );
  });

  it('flags exactly the slots whose value fails, and sends one EACH value per unit', () => {
    fc.assert(
      fc.property(filledFormArb, ({ goods, slots, filled }) => {
        const values = Object.fromEntries(slots.map((slot, i) => [slot.key, filled[i]?.value ?? '']));
        const problems = checkBookingForm(slots, values, TODAY);
        slots.forEach((slot: FormSlot, i) => {
          const kind = filled[i]?.kind;
          const shouldFail = kind === 'invalid' || (kind === 'blank' && slot.field.required);
          expect(problems[slot.key] !== undefined, `${slot.key} (${slot.field.fieldType}, ${kind})`).toBe(shouldFail);
        });
        const infos = bookingOrderInfos(slots, values, goods.length);
        infos.goods.forEach((line, goodsIndex) => {
          for (const info of line.filter((i) => i.groupCategory === 'EACH'))
            expect(info.values).toHaveLength(goods[goodsIndex]?.quantity ?? -1);
          for (const info of line.filter((i) => i.groupCategory === 'GOODS')) expect(info.values).toHaveLength(1);
        });
        for (const info of infos.order) expect(info.values[0]).not.toBe('');
      }),
    );
  });
});

// ---- agreement with the WAUG sandbox (which answers 106 by the same rules) ----------------------

const catalogue = buildCatalogue(NOW_MS);
/** Goods with GOODS or EACH groups: every field type appears among them. */
const formGoods = catalogue.filter((g) => g.orderInfos.some((group) => group.groupCategory !== 'ORDER'));

function infoGroupsOf(goods: SandboxGoods): InfoGroup[] {
  return goods.orderInfos.map((group) => ({
    groupCategory: group.groupCategory,
    fields: group.fields.map((f) => ({
      fieldId: f.fieldId,
      fieldName: f.fieldName,
      fieldExplain: f.fieldExplain,
      fieldPlaceholder: f.fieldPlaceholder,
      fieldType: f.fieldType,
      choices: f.fieldOption === '' ? [] : f.fieldOption.split('|'),
      required: f.required,
    })),
  }));
}

/** The sandbox's verdict on a request built from the form: null when orderable, else its code. */
function sandboxVerdict(
  goods: SandboxGoods,
  quantity: number,
  slots: FormSlot[],
  values: Record<string, string>,
): string | null {
  const book = new WaugBook(buildCatalogue(NOW_MS), '100000000');
  const option = goods.options[0];
  const item = option?.items[0];
  if (option === undefined || item === undefined) throw new Error('sandbox goods without options');
  let day = DateTime.fromMillis(NOW_MS, { zone: 'Asia/Seoul' }).plus({ days: 7 });
  while (goods.closedWeekdays.includes(day.weekday)) day = day.plus({ days: 1 });
  const useDate = day.toFormat('yyyy-MM-dd');
  const infos = bookingOrderInfos(slots, values, 1);
  try {
    book.validate(
      {
        locale: 'en',
        orderGoods: [
          {
            goodsId: goods.goodsId,
            useDate,
            orderOptions: [
              {
                goodsOptionId: option.goodsOptionId,
                goodsOptionItemId: item.goodsOptionItemId,
                quantity,
                price: book.priceOf(goods, item.goodsOptionItemId, useDate, NOW_MS) ?? 'none',
                goodsOptionTimeslotId: option.timeslots[0]?.goodsOptionTimeslotId ?? '0',
              },
            ],
            orderInfos: infos.goods[0] ?? [],
          },
        ],
        orderInfos: infos.order,
      },
      NOW_MS,
    );
    return null;
  } catch (error) {
    if (error instanceof WaugRefusal) return error.code;
    throw error;
  }
}

describe('the form validator agrees with the WAUG sandbox', () => {
  it('covers every field type among the sandbox goods', () => {
    const types = new Set(
      formGoods.flatMap((g) => g.orderInfos.flatMap((group) => group.fields.map((f) => f.fieldType))),
    );
    expect([...types].sort()).toEqual([...WAUG_FIELD_TYPES].sort());
  });

  it('a form the desk passes is orderable; a form it flags is refused with 106', () => {
    const arb = fc.tuple(fc.constantFrom(...formGoods), fc.integer({ min: 1, max: 4 })).chain(([goods, quantity]) => {
      const slots = bookingFormSlots([{ orderInfos: infoGroupsOf(goods), quantity }]);
      return fc
        .tuple(
          ...slots.map((slot) =>
            fc.oneof(
              { weight: 4, arbitrary: VALID[slot.field.fieldType] },
              { weight: 1, arbitrary: fc.constant('') },
              ...(INVALID[slot.field.fieldType] === undefined
                ? []
                : [
                    {
                      weight: 1,
                      arbitrary: (INVALID[slot.field.fieldType] as [fc.Arbitrary<string>, FieldProblem])[0],
                    },
                  ]),
            ),
          ),
        )
        .map((filled) => ({
          goods,
          quantity,
          slots,
          values: Object.fromEntries(slots.map((s, i) => [s.key, filled[i] ?? ''])),
        }));
    });
    fc.assert(
      fc.property(arb, ({ goods, quantity, slots, values }) => {
        // The sandbox's choices come from fieldOption; use them for radio/select/checkbox values.
        for (const slot of slots) {
          if (['radio', 'select'].includes(slot.field.fieldType) && CHOICES.includes(values[slot.key] ?? ''))
            values[slot.key] =
              slot.field.choices[CHOICES.indexOf(values[slot.key] ?? '') % slot.field.choices.length] ?? '';
          if (
            slot.field.fieldType === 'checkbox' &&
            /^(Front|Middle|Back)(\|(Front|Middle|Back))*$/.test(values[slot.key] ?? '')
          )
            values[slot.key] = slot.field.choices[0] ?? '';
        }
        const localProblems = Object.keys(checkBookingForm(slots, values, TODAY)).length;
        const verdict = sandboxVerdict(goods, quantity, slots, values);
        if (localProblems === 0) expect(verdict).toBeNull();
        else expect(verdict).toBe('106');
      }),
      { numRuns: 300 },
    );
  });
});
