/**
 * WAUG's times are PHP DateTime objects serialised as
 *   {"date":"2019-04-02 10:11:12.000","timezone_type":3,"timezone":"Asia/Seoul"}
 * (API-NOTES §2, webhooks). The wall time is read IN THE NAMED ZONE, never assumed UTC and never
 * assumed +09:00: Asia/Seoul itself observed DST in 1987–88, and another zone may be sent.
 *
 * PHP's timezone_type: 1 = a UTC offset ("+09:00"), 2 = an abbreviation ("KST"), 3 = an IANA id.
 */
import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';
import { WAUG_DATE_FORMAT, WAUG_TIME_ZONE } from './constants.js';

export interface PhpDateTime {
  date: string;
  timezone_type: number;
  timezone: string;
}

/** PHP writes 6 fraction digits (var_export) and the seed shows 3; both, or none, are accepted. */
const PHP_DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** The abbreviations we can place without guessing (PHP type 2). Others are refused. */
const ABBREVIATIONS: Readonly<Record<string, string>> = Object.freeze({
  UTC: 'UTC',
  GMT: 'UTC',
  Z: 'UTC',
  KST: WAUG_TIME_ZONE,
});

function zoneOf(type: number, name: string): Zone | null {
  if (type === 3) {
    const zone = IANAZone.create(name);
    return zone.isValid ? zone : null;
  }
  if (type === 1) {
    const match = /^([+-])(\d{2}):?(\d{2})$/.exec(name);
    if (match === null) return null;
    const minutes = Number(match[2]) * 60 + Number(match[3]);
    if (minutes > 14 * 60) return null;
    return FixedOffsetZone.instance(match[1] === '-' ? -minutes : minutes);
  }
  if (type === 2) {
    const iana = ABBREVIATIONS[name.toUpperCase()];
    return iana === undefined ? null : IANAZone.create(iana);
  }
  return null;
}

/**
 * A wall time in a zone → ISO-8601 UTC with milliseconds, or undefined when the date, the zone
 * or the pair is not valid. A wall time skipped by a DST change moves forward, as PHP does.
 */
export function wallTimeToIso(date: string, zone: Zone): string | undefined {
  const match = PHP_DATE.exec(date.trim());
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction] = match;
  const time = DateTime.fromObject(
    {
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      hour: Number(h),
      minute: Number(mi),
      second: Number(s),
      millisecond: fraction === undefined ? 0 : Math.floor(Number(fraction.padEnd(6, '0')) / 1000),
    },
    { zone },
  );
  if (!time.isValid) return undefined;
  return time.toUTC().toISO({ suppressMilliseconds: false }) ?? undefined;
}

/** PHP DateTime object → ISO-8601 UTC ("2019-04-02T01:11:12.000Z"); undefined when not valid. */
export function phpDateTimeToIso(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const rawType = record.timezone_type;
  const type = typeof rawType === 'number' ? rawType : Number(String(rawType ?? ''));
  if (typeof record.date !== 'string' || typeof record.timezone !== 'string' || !Number.isInteger(type))
    return undefined;
  const zone = zoneOf(type, record.timezone);
  return zone === null ? undefined : wallTimeToIso(record.date, zone);
}

/** An instant as WAUG writes it: a PHP DateTime in the given IANA zone (default Asia/Seoul). */
export function toPhpDateTime(atMs: number, zone: string = WAUG_TIME_ZONE): PhpDateTime {
  const time = DateTime.fromMillis(atMs, { zone });
  if (!time.isValid) throw new RangeError(`toPhpDateTime: ${zone} is not a valid zone`);
  return { date: time.toFormat('yyyy-MM-dd HH:mm:ss.SSS'), timezone_type: 3, timezone: zone };
}

/** The calendar day (yyyy-MM-dd) an instant falls on in WAUG's zone. */
export function waugDayOf(atMs: number): string {
  return DateTime.fromMillis(atMs, { zone: WAUG_TIME_ZONE }).toFormat(WAUG_DATE_FORMAT);
}

/** True for a real calendar day written yyyy-MM-dd. */
export function isWaugDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromFormat(text, WAUG_DATE_FORMAT, { zone: 'UTC' }).isValid;
}

/** The start (inclusive) and end (exclusive) in Unix ms of a WAUG calendar day. */
export function waugDayBounds(day: string): { startMs: number; endMs: number } {
  const start = DateTime.fromFormat(day, WAUG_DATE_FORMAT, { zone: WAUG_TIME_ZONE });
  if (!start.isValid) throw new RangeError(`not a yyyy-MM-dd day: ${day}`);
  return { startMs: start.toMillis(), endMs: start.plus({ days: 1 }).toMillis() };
}
