/**
 * The checks of API-NOTES §2 "Field types and their checks" (shared/domain/waugFields.ts), worded
 * in English for the WAUG sandbox's 106 messages. The counter words the same problem codes in the
 * clerk's language through shared/i18n.
 */
import {
  checkFieldValue,
  waugToday,
  type FieldProblem,
  type WaugFieldType,
} from '../../../shared/domain/waugFields.js';

const PROBLEM_TEXT: Readonly<Record<FieldProblem, string>> = {
  required: 'a value is required',
  too_long: 'the value is too long',
  date: 'expected yyyy-MM-dd',
  birthdate_not_past: 'a birth date must be in the past',
  email: 'expected an email address',
  engname: 'expected an upper-case Latin name, as on a passport',
  time: 'expected HH:mm or HH:mm:ss',
  mobile: 'expected digits with the country code, e.g. 8201012341234',
  tel: 'expected digits',
  number: 'expected a number',
  choice: 'expected one of the choices',
  choices: 'expected some of the choices',
};

/** Why a non-empty value fails its field type, or null when it passes. `nowMs` decides "in the past". */
export function checkWaugFieldValue(
  type: WaugFieldType,
  value: string,
  choices: readonly string[],
  nowMs: number,
): string | null {
  const problem = checkFieldValue({ fieldType: type, required: true, choices }, value, waugToday(nowMs));
  return problem === null ? null : PROBLEM_TEXT[problem];
}
