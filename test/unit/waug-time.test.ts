import { describe, expect, it } from 'vitest';
import { phpDateTimeToIso, toPhpDateTime, waugDayBounds, waugDayOf } from '../../electron/core/waug/time.js';

const seoul = (date: string) => ({ date, timezone_type: 3, timezone: 'Asia/Seoul' });

describe('PHP DateTime → ISO-8601 UTC', () => {
  it.each([
    // Seoul is +09:00 all year now (no DST since 1988): winter and summer agree.
    ['2019-04-02 10:11:12.000', '2019-04-02T01:11:12.000Z'],
    ['2025-01-15 00:30:00.000', '2025-01-14T15:30:00.000Z'],
    ['2025-07-15 00:30:00.000', '2025-07-14T15:30:00.000Z'],
    ['2024-12-31 23:59:59.999', '2024-12-31T14:59:59.999Z'],
    // PHP's own 6 fraction digits, truncated to milliseconds; no fraction at all.
    ['2025-03-09 08:00:00.123456', '2025-03-08T23:00:00.123Z'],
    ['2025-03-09 08:00:00', '2025-03-08T23:00:00.000Z'],
  ])('reads %s in Asia/Seoul as %s', (date, iso) => {
    expect(phpDateTimeToIso(seoul(date))).toBe(iso);
  });

  it('uses the zone rules, not a fixed +09:00: Seoul observed DST (+10:00) in the summer of 1987', () => {
    expect(phpDateTimeToIso(seoul('1987-07-01 12:00:00.000'))).toBe('1987-07-01T02:00:00.000Z');
    expect(phpDateTimeToIso(seoul('1987-01-01 12:00:00.000'))).toBe('1987-01-01T03:00:00.000Z');
  });

  it('reads another IANA zone with its own DST: America/New_York', () => {
    const ny = (date: string) => ({ date, timezone_type: 3, timezone: 'America/New_York' });
    expect(phpDateTimeToIso(ny('2025-01-15 12:00:00.000'))).toBe('2025-01-15T17:00:00.000Z'); // EST −5
    expect(phpDateTimeToIso(ny('2025-07-15 12:00:00.000'))).toBe('2025-07-15T16:00:00.000Z'); // EDT −4
    // 02:30 does not exist on 2025-03-09: PHP moves it forward to 03:30 EDT.
    expect(phpDateTimeToIso(ny('2025-03-09 02:30:00.000'))).toBe('2025-03-09T07:30:00.000Z');
  });

  it('reads Asia/Taipei (+08:00) one hour apart from Seoul for the same wall time', () => {
    const taipei = phpDateTimeToIso({ date: '2025-06-01 10:00:00.000', timezone_type: 3, timezone: 'Asia/Taipei' });
    expect(taipei).toBe('2025-06-01T02:00:00.000Z');
    expect(Date.parse(taipei ?? '') - Date.parse(phpDateTimeToIso(seoul('2025-06-01 10:00:00.000')) ?? '')).toBe(
      3_600_000,
    );
  });

  it('reads timezone_type 1 (offset) and 2 (abbreviation)', () => {
    expect(phpDateTimeToIso({ date: '2025-06-01 10:00:00.000', timezone_type: 1, timezone: '+09:00' })).toBe(
      '2025-06-01T01:00:00.000Z',
    );
    expect(phpDateTimeToIso({ date: '2025-06-01 10:00:00.000', timezone_type: 1, timezone: '-03:30' })).toBe(
      '2025-06-01T13:30:00.000Z',
    );
    expect(phpDateTimeToIso({ date: '2025-06-01 10:00:00.000', timezone_type: 2, timezone: 'KST' })).toBe(
      '2025-06-01T01:00:00.000Z',
    );
    expect(phpDateTimeToIso({ date: '2025-06-01 10:00:00.000', timezone_type: 2, timezone: 'UTC' })).toBe(
      '2025-06-01T10:00:00.000Z',
    );
  });

  it.each([
    [{ date: '2025-02-30 10:00:00.000', timezone_type: 3, timezone: 'Asia/Seoul' }],
    [{ date: '2025-06-01 25:00:00.000', timezone_type: 3, timezone: 'Asia/Seoul' }],
    [{ date: '2025/06/01 10:00:00', timezone_type: 3, timezone: 'Asia/Seoul' }],
    [{ date: '2025-06-01 10:00:00.000', timezone_type: 3, timezone: 'Mars/Olympus_Mons' }],
    [{ date: '2025-06-01 10:00:00.000', timezone_type: 2, timezone: 'CST' }], // ambiguous abbreviation
    [{ date: '2025-06-01 10:00:00.000', timezone: 'Asia/Seoul' }],
    ['2025-06-01 10:00:00'],
    [null],
  ])('refuses %j', (value) => {
    expect(phpDateTimeToIso(value)).toBeUndefined();
  });
});

describe('writing WAUG times and days', () => {
  it('writes an instant as a Seoul PHP DateTime that reads back to the same instant', () => {
    const ms = Date.parse('2025-12-31T15:30:00.250Z');
    const php = toPhpDateTime(ms);
    expect(php).toEqual({ date: '2026-01-01 00:30:00.250', timezone_type: 3, timezone: 'Asia/Seoul' });
    expect(phpDateTimeToIso(php)).toBe('2025-12-31T15:30:00.250Z');
  });

  it('places days in Seoul: 15:00Z is already the next day there', () => {
    expect(waugDayOf(Date.parse('2025-06-01T14:59:59Z'))).toBe('2025-06-01');
    expect(waugDayOf(Date.parse('2025-06-01T15:00:00Z'))).toBe('2025-06-02');
    expect(waugDayBounds('2025-06-02')).toEqual({
      startMs: Date.parse('2025-06-01T15:00:00Z'),
      endMs: Date.parse('2025-06-02T15:00:00Z'),
    });
  });
});
