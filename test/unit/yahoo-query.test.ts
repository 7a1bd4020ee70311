import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BodyIncompleteError, BodyTooLargeError, readCappedBody } from '../../electron/core/http/body.js';
import { queryFilters } from '../../electron/core/yahoo/client.js';
import { YAHOO_QUERY_FILTER_ORDER } from '../../electron/core/yahoo/constants.js';
import { formatYahooQueryTime, parseYahooQueryTime } from '../../electron/core/yahoo/queryTime.js';

describe('query date filters (Asia/Taipei, yyyy/MM/dd H:m:s)', () => {
  it('formats a UTC instant as Taipei wall-clock time, time parts unpadded', () => {
    expect(formatYahooQueryTime(new Date('2015-01-05T07:20:00Z'))).toBe('2015/01/05 15:20:0');
    // 16:05:09 UTC is already the next day in Taipei (UTC+8).
    expect(formatYahooQueryTime(new Date('2015-01-04T16:05:09Z'))).toBe('2015/01/05 0:5:9');
  });

  it('parses padded and unpadded forms back to the same instant', () => {
    expect(parseYahooQueryTime('2015/01/05 0:5:9')?.toISOString()).toBe('2015-01-04T16:05:09.000Z');
    expect(parseYahooQueryTime('2015/1/5 00:05:09')?.toISOString()).toBe('2015-01-04T16:05:09.000Z');
    const now = new Date('2026-03-01T12:34:56Z');
    expect(parseYahooQueryTime(formatYahooQueryTime(now))?.getTime()).toBe(now.getTime());
  });

  it('refuses other forms', () => {
    expect(parseYahooQueryTime('2015-01-05T07:20:00Z')).toBeNull();
    expect(parseYahooQueryTime('2015/13/05 0:0:0')).toBeNull();
    expect(parseYahooQueryTime('yesterday')).toBeNull();
    expect(() => formatYahooQueryTime(new Date('nope'))).toThrow(RangeError);
  });
});

describe('queryFilters', () => {
  it('emits filters in the fixed order, whatever order the query object has', () => {
    const filters = queryFilters({
      status: ['UNUSED', 'USED'],
      sort: '-expiredTime',
      expiredTimeEnd: new Date('2015-02-01T00:00:00Z'),
      serialNumber: '615089255',
      voucherId: '18446744073709551615',
      orderId: 'YM2015050500005',
      createdTimeStart: new Date('2015-01-04T16:05:09Z'),
    });
    expect(filters.map(([name]) => name)).toEqual([
      'voucherId',
      'serialNumber',
      'orderId',
      'createdTimeStart',
      'expiredTimeEnd',
      'sort',
      'status',
    ]);
    const names = filters.map(([name]) => name);
    expect(
      [...names].sort(
        (a, b) => YAHOO_QUERY_FILTER_ORDER.indexOf(a as never) - YAHOO_QUERY_FILTER_ORDER.indexOf(b as never),
      ),
    ).toEqual(names);
  });

  it('encodes values, joins the status list with bare commas, and formats dates in Taipei time', () => {
    const filters = Object.fromEntries(
      queryFilters({
        status: ['UNUSED', 'REFUNDPENDING'],
        createdTimeStart: new Date('2015-01-04T16:05:09Z'),
        orderId: 'YM 1&2',
      }),
    );
    expect(filters.status).toBe('UNUSED,REFUNDPENDING');
    expect(filters.createdTimeStart).toBe('2015%2F01%2F05%200%3A5%3A9');
    expect(decodeURIComponent(filters.createdTimeStart ?? '')).toBe('2015/01/05 0:5:9');
    expect(filters.orderId).toBe('YM%201%262');
  });

  it('omits absent filters and an empty status list, and refuses an empty text filter or invalid date', () => {
    expect(queryFilters({})).toEqual([]);
    expect(queryFilters({ status: [] })).toEqual([]);
    expect(() => queryFilters({ serialNumber: '' })).toThrow(RangeError);
    expect(() => queryFilters({ createdTimeEnd: new Date(Number.NaN) })).toThrow(RangeError);
  });
});

describe('readCappedBody', () => {
  it('collects a body up to the cap', async () => {
    const stream = new PassThrough();
    const body = readCappedBody(stream, 10);
    stream.write('12345');
    stream.end('67890');
    expect((await body).toString()).toBe('1234567890');
  });

  it('rejects with BodyTooLargeError as soon as the cap is passed, before the end', async () => {
    const stream = new PassThrough();
    const body = readCappedBody(stream, 10);
    stream.write('123456');
    stream.write('78901'); // 11 bytes: over, while the stream is still open
    await expect(body).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(stream.writableEnded).toBe(false);
    stream.destroy(new Error('late error must not crash'));
  });

  it('rejects with BodyIncompleteError when the stream closes or fails before its end', async () => {
    const closed = new PassThrough();
    const closedBody = readCappedBody(closed, 100);
    closed.write('{"total":');
    closed.destroy();
    await expect(closedBody).rejects.toBeInstanceOf(BodyIncompleteError);

    const failed = new PassThrough();
    const failedBody = readCappedBody(failed, 100);
    failed.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    await expect(failedBody).rejects.toBeInstanceOf(BodyIncompleteError);
  });
});
