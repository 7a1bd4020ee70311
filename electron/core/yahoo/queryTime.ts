/**
 * Query date filters (createdTimeStart/End, expiredTimeStart/End) are written `yyyy/mm/dd h:m:s`
 * in the seed. [decision] They are Asia/Taipei wall-clock times, formatted with luxon's
 * `yyyy/MM/dd H:m:s` (24-hour, unpadded time parts) and parsed leniently (padded or not).
 */
import { DateTime } from 'luxon';

export const YAHOO_TIME_ZONE = 'Asia/Taipei';
export const YAHOO_QUERY_TIME_FORMAT = 'yyyy/MM/dd H:m:s';
const LENIENT_PARSE_FORMAT = 'yyyy/M/d H:m:s';

export function formatYahooQueryTime(date: Date): string {
  const time = DateTime.fromJSDate(date, { zone: YAHOO_TIME_ZONE });
  if (!time.isValid) throw new RangeError('formatYahooQueryTime: invalid date');
  return time.toFormat(YAHOO_QUERY_TIME_FORMAT);
}

/** Parses a query date filter; null when it is not of the documented form. */
export function parseYahooQueryTime(text: string): Date | null {
  const time = DateTime.fromFormat(text.trim(), LENIENT_PARSE_FORMAT, { zone: YAHOO_TIME_ZONE });
  return time.isValid ? time.toJSDate() : null;
}
