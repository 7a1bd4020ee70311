import { describe, expect, it } from 'vitest';
import { bookingFormSlots, checkBookingForm, type InfoGroup } from '../../../shared/domain/bookingForm.js';
import { WAUG_FIELD_TYPES, type WaugFieldType } from '../../../shared/domain/waugFields.js';
import {
  copyParticipant,
  fieldDomId,
  firstProblemKey,
  formSections,
  inputKind,
  shownProblem,
} from './bookingFormView.js';

const field = (fieldId: string, fieldType: WaugFieldType, required = true) => ({
  fieldId,
  fieldName: `Field ${fieldId}`,
  fieldExplain: null,
  fieldPlaceholder: null,
  fieldType,
  choices: fieldType === 'radio' || fieldType === 'checkbox' ? ['A', 'B'] : [],
  required,
});

/** The sandbox's tour: ORDER contact, GOODS hotel, EACH traveller name and birth date. */
const TOUR: InfoGroup[] = [
  { groupCategory: 'ORDER', fields: [field('4', 'engname'), field('8', 'email')] },
  { groupCategory: 'GOODS', fields: [field('67', 'text')] },
  { groupCategory: 'EACH', fields: [field('5', 'engname'), field('9', 'birthdate'), field('75', 'checkbox', false)] },
];
const slots = bookingFormSlots([{ orderInfos: TOUR, quantity: 3 }]);

describe('formSections', () => {
  it('shows the order once, the goods once and one block per participant, in filling order', () => {
    const sections = formSections(slots);
    expect(sections.map((s) => s.id)).toEqual(['ORDER', 'GOODS:0', 'EACH:0:0', 'EACH:0:1', 'EACH:0:2']);
    expect(sections.map((s) => s.slots.length)).toEqual([2, 1, 3, 3, 3]);
    expect(sections[3]?.unit).toBe(1);
    expect(sections[3]?.slots.every((slot) => slot.unit === 1)).toBe(true);
  });

  it('has nothing to show for goods without order infos', () => {
    expect(formSections(bookingFormSlots([{ orderInfos: [], quantity: 2 }]))).toEqual([]);
  });
});

describe('inputKind', () => {
  it('gives every WAUG field type a control', () => {
    const kinds = Object.fromEntries(WAUG_FIELD_TYPES.map((type) => [type, inputKind(type)]));
    expect(kinds).toEqual({
      text: 'text',
      textarea: 'textarea',
      text_short: 'text',
      text_middle: 'text',
      date: 'date',
      birthdate: 'date',
      email: 'email',
      engname: 'engname',
      time: 'time',
      mobile: 'digits',
      tel: 'digits',
      number: 'decimal',
      radio: 'radio',
      select: 'select',
      checkbox: 'checkbox',
    });
  });
});

describe('shownProblem', () => {
  const problems = checkBookingForm(slots, { 'ORDER:8': 'not-an-email' }, '2026-03-10');
  const server = { 'ORDER:4': { slotKey: 'ORDER:4', problem: 'waug' as const, detail: 'name refused' } };
  const never = () => false;
  const always = () => true;

  it('stays quiet about a field the clerk has not left yet', () => {
    expect(problems['ORDER:8']).toBe('email');
    expect(shownProblem('ORDER:8', problems, never, {})).toBeNull();
    expect(shownProblem('ORDER:8', problems, (key) => key === 'ORDER:8', {})).toEqual({
      problem: 'email',
      detail: null,
    });
  });

  it('shows WAUG’s refusal until the field is edited, and a visible local problem first', () => {
    expect(shownProblem('ORDER:4', {}, never, server)).toEqual({ problem: 'waug', detail: 'name refused' });
    expect(shownProblem('ORDER:4', { 'ORDER:4': 'required' }, always, server)).toEqual({
      problem: 'required',
      detail: null,
    });
    expect(shownProblem('GOODS:0:67', problems, always, server)).toEqual({ problem: 'required', detail: null });
  });

  it('finds the first problem in form order', () => {
    expect(firstProblemKey(slots, problems)).toBe('ORDER:4');
    expect(firstProblemKey(slots, { 'EACH:0:9:2': 'date', 'GOODS:0:67': 'required' })).toBe('GOODS:0:67');
    expect(firstProblemKey(slots, {})).toBeNull();
  });
});

describe('copyParticipant', () => {
  it('copies participant 1’s filled answers to another participant only', () => {
    const values = {
      'EACH:0:5:0': 'CHEN MEI',
      'EACH:0:9:0': '',
      'EACH:0:75:0': 'A|B',
      'EACH:0:9:2': '2017-06-15',
      'ORDER:4': 'CHEN MEI',
    };
    const copied = copyParticipant(values, slots, 0, 0, 2);
    expect(copied['EACH:0:5:2']).toBe('CHEN MEI');
    expect(copied['EACH:0:75:2']).toBe('A|B');
    expect(copied['EACH:0:9:2']).toBe('2017-06-15'); // participant 1 left it empty: kept
    expect(copied['EACH:0:5:1']).toBeUndefined();
    expect(values).not.toHaveProperty('EACH:0:5:2'); // a new object, the old one untouched
  });
});

describe('fieldDomId', () => {
  it('makes a selector-safe id, distinct per slot', () => {
    const ids = slots.map((slot) => fieldDomId(slot.key));
    expect(new Set(ids).size).toBe(slots.length);
    expect(ids.every((id) => /^[A-Za-z][\w-]*$/.test(id))).toBe(true);
  });
});
