/**
 * The checks of API-NOTES §2 "Field types and their checks", for one order-input value. Shared by
 * the sandbox (which answers 106 when one fails) and by any form that wants to catch a bad value
 * before WAUG does.
 */
import { DateTime } from 'luxon';
import { WAUG_FIELD_OPTION_SEPARATOR, WAUG_TIME_ZONE, type WaugFieldType } from './constants.js';
import { isWaugDate } from './time.js';

const TEXT_MAX = 2000;

/** Why a value fails its field type, or null when it passes. `nowMs` decides "in the past". */
export function checkWaugFieldValue(
  type: WaugFieldType,
  value: string,
  choices: readonly string[],
  nowMs: number,
): string | null {
  switch (type) {
    case 'text':
    case 'textarea':
    case 'text_short':
    case 'text_middle':
      return value.trim() !== '' && value.length <= TEXT_MAX ? null : 'expected text';
    case 'date':
      return isWaugDate(value) ? null : 'expected yyyy-MM-dd';
    case 'birthdate': {
      if (!isWaugDate(value)) return 'expected yyyy-MM-dd';
      const today = DateTime.fromMillis(nowMs, { zone: WAUG_TIME_ZONE }).toFormat('yyyy-MM-dd');
      return value < today ? null : 'a birth date must be in the past';
    }
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && value.length <= 254 ? null : 'expected an email address';
    case 'engname':
      return /^[A-Z]+(?:[ '-][A-Z]+)*$/.test(value) && value.length <= 100
        ? null
        : 'expected an upper-case Latin name, as on a passport';
    case 'time':
      return /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(value) ? null : 'expected HH:mm or HH:mm:ss';
    case 'mobile':
      return /^[1-9]\d{7,14}$/.test(value) ? null : 'expected digits with the country code, e.g. 8201012341234';
    case 'tel':
      return /^\d{6,15}$/.test(value) ? null : 'expected digits';
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(value) ? null : 'expected a number';
    case 'radio':
    case 'select':
      return choices.includes(value) ? null : 'expected one of the choices';
    case 'checkbox': {
      const picked = value.split(WAUG_FIELD_OPTION_SEPARATOR).map((part) => part.trim());
      return picked.length > 0 && picked.every((part) => choices.includes(part))
        ? null
        : 'expected some of the choices';
    }
  }
}
