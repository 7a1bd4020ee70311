/**
 * WAUG order-input fields (API-NOTES §2 "Input groups", "Field types and their checks"): the one
 * checker used by the counter's booking form as the clerk types, by the core before it calls WAUG,
 * by `book --file`, and by the WAUG sandbox when it decides to answer 106. Problems are codes, so
 * each shell words them in its own language (shared/i18n: `field.problem.<code>`).
 *
 * Pure: no clock. "In the past" is decided against `today`, a yyyy-MM-dd day in WAUG's zone that
 * the caller computes (waugToday).
 */
/** [seed] The order-input field types. */
export const WAUG_FIELD_TYPES = [
  'text',
  'textarea',
  'text_short',
  'text_middle',
  'date',
  'birthdate',
  'email',
  'engname',
  'time',
  'mobile',
  'tel',
  'number',
  'radio',
  'select',
  'checkbox',
] as const;
export type WaugFieldType = (typeof WAUG_FIELD_TYPES)[number];

/** [seed] Order-input groups: ORDER once per order, GOODS once per goods, EACH one value per unit. */
export const WAUG_INFO_GROUPS = ['ORDER', 'GOODS', 'EACH'] as const;
export type WaugInfoGroup = (typeof WAUG_INFO_GROUPS)[number];

/** [decision] Choices of radio/select/checkbox fields are written in `fieldOption` separated by this. */
export const WAUG_FIELD_OPTION_SEPARATOR = '|';

/** [seed] WAUG's own zone: calendar days (useDate, birth dates) are days there. */
export const WAUG_TIME_ZONE = 'Asia/Seoul';

/** Longest value of any field we send (a textarea); WAUG documents none, 2000 keeps a body small. */
export const WAUG_FIELD_TEXT_MAX = 2000;

export const FIELD_PROBLEMS = [
  'required', // a required field is empty
  'too_long', // over WAUG_FIELD_TEXT_MAX (or the type's own limit)
  'date', // not a real yyyy-MM-dd day
  'birthdate_not_past', // a real day, but today or later
  'email',
  'engname', // not upper-case Latin letters as on a passport
  'time', // not HH:mm or HH:mm:ss
  'mobile', // not digits with the country code
  'tel', // not digits
  'number',
  'choice', // radio/select: not one of the choices
  'choices', // checkbox: not some of the choices
] as const;
export type FieldProblem = (typeof FIELD_PROBLEMS)[number];

// Intl rather than luxon: this module runs in the renderer too, where luxon is not bundled.
const SEOUL_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: WAUG_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day (yyyy-MM-dd) an instant falls on in WAUG's zone. */
export function waugToday(nowMs: number): string {
  const parts = Object.fromEntries(SEOUL_DAY.formatToParts(new Date(nowMs)).map((p) => [p.type, p.value]));
  return `${parts['year']}-${parts['month']}-${parts['day']}`;
}

/** True for a real calendar day written yyyy-MM-dd (2026-02-30 is not). */
export function isCalendarDay(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Day 0 of the next month is the last day of this one (setUTCFullYear: Date.UTC maps 0–99 to 19xx).
  const lastOfMonth = new Date(0);
  lastOfMonth.setUTCFullYear(year, month, 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= lastOfMonth.getUTCDate();
}

/** The choices of a radio/select/checkbox field, from WAUG's `fieldOption`. */
export function splitFieldOption(fieldOption: string): string[] {
  return fieldOption
    .split(WAUG_FIELD_OPTION_SEPARATOR)
    .map((choice) => choice.trim())
    .filter((choice) => choice !== '');
}

/** A checkbox value: the picked choices joined by the separator, in the field's order. */
export function joinCheckboxValue(picked: readonly string[], choices: readonly string[]): string {
  return choices.filter((choice) => picked.includes(choice)).join(WAUG_FIELD_OPTION_SEPARATOR);
}

export function splitCheckboxValue(value: string): string[] {
  return value === '' ? [] : value.split(WAUG_FIELD_OPTION_SEPARATOR).map((part) => part.trim());
}

/**
 * Why one value fails its field, or null when it passes. An empty value is 'required' for a
 * required field and passes for an optional one (it is then left out of the order).
 */
export function checkFieldValue(
  field: { fieldType: WaugFieldType; required: boolean; choices: readonly string[] },
  value: string,
  today: string,
): FieldProblem | null {
  if (value.trim() === '') return field.required ? 'required' : null;
  if (value.length > WAUG_FIELD_TEXT_MAX) return 'too_long';
  switch (field.fieldType) {
    case 'text':
    case 'textarea':
    case 'text_short':
    case 'text_middle':
      return null;
    case 'date':
      return isCalendarDay(value) ? null : 'date';
    case 'birthdate':
      if (!isCalendarDay(value)) return 'date';
      return value < today ? null : 'birthdate_not_past';
    case 'email':
      if (value.length > 254) return 'too_long';
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? null : 'email';
    case 'engname':
      if (value.length > 100) return 'too_long';
      return /^[A-Z]+(?:[ '-][A-Z]+)*$/.test(value) ? null : 'engname';
    case 'time':
      return /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(value) ? null : 'time';
    case 'mobile':
      return /^[1-9]\d{7,14}$/.test(value) ? null : 'mobile';
    case 'tel':
      return /^\d{6,15}$/.test(value) ? null : 'tel';
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(value) ? null : 'number';
    case 'radio':
    case 'select':
      return field.choices.includes(value) ? null : 'choice';
    case 'checkbox': {
      const picked = splitCheckboxValue(value);
      return picked.length > 0 && picked.every((part) => field.choices.includes(part)) ? null : 'choices';
    }
  }
}

/** "19900401", "1990/4/1" or "1990.04.01" → "1990-04-01"; anything else as typed. */
function normaliseDay(value: string): string {
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (compact !== null) return `${compact[1]}-${compact[2]}-${compact[3]}`;
  const separated = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(value);
  if (separated === null) return value;
  return `${separated[1]}-${(separated[2] as string).padStart(2, '0')}-${(separated[3] as string).padStart(2, '0')}`;
}

/** "0930" → "09:30", "9:30" → "09:30"; anything else as typed. */
function normaliseTime(value: string): string {
  const compact = /^(\d{2})(\d{2})$/.exec(value);
  if (compact !== null) return `${compact[1]}:${compact[2]}`;
  const short = /^(\d):(\d{2}(?::\d{2})?)$/.exec(value);
  return short === null ? value : `0${short[1]}:${short[2]}`;
}

/**
 * What a clerk may type being turned into what WAUG accepts, without guessing: a passport name
 * upper-cased and its spaces collapsed, phone digits without spaces, dashes or a leading '+',
 * a day or a time written the short way ("19900401", "1990/4/1", "930" is left alone).
 * Applied when a field loses focus and before every check, so "hong gildong" is not an error.
 */
export function normaliseFieldValue(fieldType: WaugFieldType, value: string): string {
  switch (fieldType) {
    case 'engname':
      return value.trim().replace(/\s+/g, ' ').toUpperCase();
    case 'mobile':
    case 'tel':
      return value.replace(/[\s\-().]/g, '').replace(/^\+/, '');
    case 'date':
    case 'birthdate':
      return normaliseDay(value.trim());
    case 'time':
      return normaliseTime(value.trim());
    case 'email':
    case 'number':
      return value.trim();
    default:
      return value;
  }
}
