import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseLosslessJson, stringifyLosslessJson } from '../../electron/core/http/json.js';
import {
  normaliseYahooTime,
  yahooErrorBodySchema,
  yahooNotificationSchema,
  yahooQueryResponseSchema,
  yahooRedeemResponseSchema,
  yahooVoucherSchema,
} from '../../electron/core/yahoo/schemas.js';
import type { Voucher } from '../../shared/domain/voucher.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/yahoo/${name}`, import.meta.url));

/** A valid query-response voucher as Yahoo sends it (raw JSON text), for single-field variations. */
function rawVoucher(overrides: Record<string, string> = {}, omit: string[] = []): string {
  const fields: Record<string, string> = {
    voucherId: '18446744073709551615',
    productId: '"p093568055654"',
    specId: '"1"',
    price: '200',
    serialNumber: '"615089255"',
    orderId: '"YM2015050500005"',
    orderItemId: '"YS2015050500005"',
    title: '"台北101觀景台 全票"',
    redemptionDesc: '"請於89樓售票口兌換"',
    buyerDetails: '{"name":"楊于慧","phone":"0912063990"}',
    executedBy: '"system:VoucherOrderConsumerApp"',
    status: '"UNUSED"',
    refundType: '"NOEXPIRES"',
    redemptionType: '"EXPIRES"',
    statusAppliedTime: '"2015-01-05T07:20:00Z"',
    deliveredTime: '"2015-01-05T07:20:00Z"',
    expireTime: '"2015-01-05T07:20:00Z"',
    startTime: '"2015-01-05T07:20:00Z"',
    ...overrides,
  };
  return `{${Object.entries(fields)
    .filter(([key]) => !omit.includes(key))
    .map(([key, value]) => `"${key}":${value}`)
    .join(',')}}`;
}

function parseVoucher(text: string): Voucher {
  return yahooVoucherSchema.parse(parseLosslessJson(text));
}

describe('lossless JSON', () => {
  it('keeps voucherId 18446744073709551615 digit for digit, where JSON.parse does not', () => {
    const text = '{"voucherId":18446744073709551615}';
    expect(String((JSON.parse(text) as { voucherId: number }).voucherId)).toBe('18446744073709552000');
    const parsed = parseLosslessJson(text) as { voucherId: { value: string } };
    expect(parsed.voucherId.value).toBe('18446744073709551615');
    expect(stringifyLosslessJson(parsed)).toBe(text);
  });

  it('throws JsonSyntaxError on non-JSON, truncated JSON and invalid UTF-8, without quoting the body', () => {
    expect(() => parseLosslessJson('<html>502</html>')).toThrow(JsonSyntaxError);
    expect(() => parseLosslessJson('{"total":1,"vouchers":[{"buyerDetails":{"name":"楊')).toThrow(JsonSyntaxError);
    expect(() => parseLosslessJson(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]))).toThrow(JsonSyntaxError);
    let error: unknown;
    try {
      parseLosslessJson('{"phone":"0912063990"');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect((error as Error).message).not.toContain('0912063990');
  });
});

describe('query response (seed example)', () => {
  it('normalises the seed document example exactly', () => {
    const page = yahooQueryResponseSchema.parse(parseLosslessJson(fixture('query-seed-example.json')));
    expect(page.total).toBe(1);
    expect(page.vouchers).toEqual<Voucher[]>([
      {
        voucherId: '18446744073709551615',
        productId: 'p093568055654',
        specId: '1',
        price: '200',
        serialNumber: '615089255',
        orderId: 'YM2015050500005',
        orderItemId: 'YS2015050500005',
        title: 'I’m title',
        redemptionDesc: 'I’m description',
        buyerDetails: { name: '楊于慧', phone: '0912063990' },
        executedBy: 'system:VoucherOrderConsumerApp',
        status: 'UNUSED',
        refundType: 'NOEXPIRES',
        redemptionType: 'EXPIRES',
        statusAppliedTime: '2015-01-05T07:20:00.000Z',
        deliveredTime: '2015-01-05T07:20:00.000Z',
        expireTime: '2015-01-05T07:20:00.000Z',
        startTime: '2015-01-05T07:20:00.000Z',
      },
    ]);
  });

  it('rejects a total that is not a non-negative integer, and vouchers that are not a list', () => {
    expect(yahooQueryResponseSchema.safeParse(parseLosslessJson('{"total":"1","vouchers":[]}')).success).toBe(false);
    expect(yahooQueryResponseSchema.safeParse(parseLosslessJson('{"total":-1,"vouchers":[]}')).success).toBe(false);
    expect(yahooQueryResponseSchema.safeParse(parseLosslessJson('{"total":1.5,"vouchers":[]}')).success).toBe(false);
    expect(yahooQueryResponseSchema.safeParse(parseLosslessJson('{"total":1,"vouchers":{}}')).success).toBe(false);
    expect(yahooQueryResponseSchema.safeParse(parseLosslessJson('{"vouchers":[]}')).success).toBe(false);
  });
});

describe('trap: voucherId above MAX_SAFE_INTEGER and changing type', () => {
  it('turns a bare JSON number into its exact digits', () => {
    expect(parseVoucher(rawVoucher()).voucherId).toBe('18446744073709551615');
    expect(parseVoucher(rawVoucher({ voucherId: '9007199254740993' })).voucherId).toBe('9007199254740993');
  });

  it('accepts the string form of notifications, to the same string', () => {
    expect(parseVoucher(rawVoucher({ voucherId: '"18446744073709551615"' })).voucherId).toBe('18446744073709551615');
    const notification = yahooNotificationSchema.parse(parseLosslessJson(fixture('notification-seed-example.json')));
    expect(notification.vouchers.map((v) => v.voucherId)).toEqual(['123239423', '123239424']);
    expect(notification.vouchers[0]?.statusAppliedTime).toBe('2015-01-05T07:20:00.000Z');
  });

  it('refuses a voucherId that is not digits (negative, fractional, exponent, text)', () => {
    for (const bad of ['-1', '1.5', '1e19', '"12a"', '""', 'null', 'true']) {
      expect(yahooVoucherSchema.safeParse(parseLosslessJson(rawVoucher({ voucherId: bad }))).success, bad).toBe(false);
    }
    expect(yahooVoucherSchema.safeParse(parseLosslessJson(rawVoucher({}, ['voucherId']))).success).toBe(false);
  });

  it('refuses a voucherId already corrupted into an unsafe JS number (JSON.parse was used somewhere)', () => {
    const corrupted = JSON.parse(rawVoucher()) as Record<string, unknown>;
    expect(yahooVoucherSchema.safeParse(corrupted).success).toBe(false);
  });
});

describe('trap: statusAppliedTime changes form', () => {
  it('turns Unix seconds (redeem) and ISO (query) into the same ISO-8601 UTC string', () => {
    const redeemed = yahooRedeemResponseSchema.parse(parseLosslessJson(fixture('redeem-success-seed-example.json')));
    expect(redeemed.vouchers).toEqual([
      {
        orderId: 'YM1505130000018',
        orderItemId: 'YS1505130000028',
        status: 'USED',
        storeId: 'tw_auc_user1',
        statusAppliedTime: '2015-06-03T07:15:52.000Z',
      },
    ]);
    expect(parseVoucher(rawVoucher({ statusAppliedTime: '1433315752' })).statusAppliedTime).toBe(
      '2015-06-03T07:15:52.000Z',
    );
    expect(parseVoucher(rawVoucher({ statusAppliedTime: '"2015-06-03T07:15:52Z"' })).statusAppliedTime).toBe(
      '2015-06-03T07:15:52.000Z',
    );
  });

  it('converts an ISO time with an offset to UTC', () => {
    expect(parseVoucher(rawVoucher({ expireTime: '"2015-01-05T15:20:00+08:00"' })).expireTime).toBe(
      '2015-01-05T07:20:00.000Z',
    );
    expect(normaliseYahooTime('2015-01-05T15:20:00.5+0800')).toBe('2015-01-05T07:20:00.500Z');
  });

  it('refuses a time without a zone, a millisecond timestamp, or garbage', () => {
    for (const bad of ['"2015-01-05 07:20:00"', '"2015-01-05T07:20:00"', '1433315752000', '"yesterday"', '-5', '1.5']) {
      expect(yahooVoucherSchema.safeParse(parseLosslessJson(rawVoucher({ statusAppliedTime: bad }))).success, bad).toBe(
        false,
      );
    }
  });
});

describe('trap: price and ids are never floats', () => {
  it('keeps price as the decimal text Yahoo sent', () => {
    expect(parseVoucher(rawVoucher({ price: '200' })).price).toBe('200');
    expect(parseVoucher(rawVoucher({ price: '199.50' })).price).toBe('199.50');
    expect(parseVoucher(rawVoucher({ price: '12345678901234567890' })).price).toBe('12345678901234567890');
    expect(parseVoucher(rawVoucher({ price: '"350"' })).price).toBe('350');
  });

  it('refuses a negative or exponent price', () => {
    expect(yahooVoucherSchema.safeParse(parseLosslessJson(rawVoucher({ price: '-1' }))).success).toBe(false);
    expect(yahooVoucherSchema.safeParse(parseLosslessJson(rawVoucher({ price: '2e2' }))).success).toBe(false);
  });

  it('accepts numeric productId/specId as their digits', () => {
    const voucher = parseVoucher(rawVoucher({ productId: '93568055654', specId: '1' }));
    expect(voucher.productId).toBe('93568055654');
    expect(voucher.specId).toBe('1');
  });
});

describe('missing optional fields become null', () => {
  it('maps each absent optional field to null, and absent buyerDetails to nulls', () => {
    const optional = [
      'orderItemId',
      'redemptionDesc',
      'buyerDetails',
      'executedBy',
      'refundType',
      'redemptionType',
      'statusAppliedTime',
      'deliveredTime',
      'expireTime',
      'startTime',
    ];
    const voucher = parseVoucher(rawVoucher({}, optional));
    expect(voucher.orderItemId).toBeNull();
    expect(voucher.redemptionDesc).toBeNull();
    expect(voucher.buyerDetails).toEqual({ name: null, phone: null });
    expect(voucher.executedBy).toBeNull();
    expect(voucher.refundType).toBeNull();
    expect(voucher.redemptionType).toBeNull();
    expect(voucher.statusAppliedTime).toBeNull();
    expect(voucher.deliveredTime).toBeNull();
    expect(voucher.expireTime).toBeNull();
    expect(voucher.startTime).toBeNull();
    expect(Object.keys(voucher).sort()).toEqual(Object.keys(parseVoucher(rawVoucher())).sort());
  });

  it('maps explicit null and empty strings to null too', () => {
    const voucher = parseVoucher(
      rawVoucher({ expireTime: 'null', redemptionDesc: '""', buyerDetails: '{"name":"楊于慧"}' }),
    );
    expect(voucher.expireTime).toBeNull();
    expect(voucher.redemptionDesc).toBeNull();
    expect(voucher.buyerDetails).toEqual({ name: '楊于慧', phone: null });
  });

  it('still requires the fields the counter cannot do without', () => {
    for (const required of ['serialNumber', 'orderId', 'status', 'title', 'price', 'productId', 'specId']) {
      expect(yahooVoucherSchema.safeParse(parseLosslessJson(rawVoucher({}, [required]))).success, required).toBe(false);
    }
  });

  it('drops unknown extra fields', () => {
    const voucher = parseVoucher(rawVoucher({ createdTime: '"2015-01-05T07:20:00Z"' }));
    expect(voucher).not.toHaveProperty('createdTime');
  });
});

describe('status', () => {
  it('accepts every documented status', () => {
    for (const status of ['UNUSED', 'USED', 'REFUNDPENDING', 'REFUNDED', 'CANCELLED']) {
      expect(parseVoucher(rawVoucher({ status: `"${status}"` })).status).toBe(status);
    }
  });

  it('makes an unknown status (or another spelling) malformed', () => {
    for (const bad of ['"EXPIRED"', '"used"', '"REFUND_PENDING"', '1']) {
      expect(yahooVoucherSchema.safeParse(parseLosslessJson(rawVoucher({ status: bad }))).success, bad).toBe(false);
    }
    expect(
      yahooRedeemResponseSchema.safeParse(parseLosslessJson('{"vouchers":[{"orderId":"YM1","status":"DONE"}]}'))
        .success,
    ).toBe(false);
  });
});

describe('error bodies', () => {
  it("reads Yahoo's error shape with its integer code", () => {
    expect(yahooErrorBodySchema.parse(parseLosslessJson(fixture('error-11001.json'))).error).toEqual({
      code: 11001,
      message: 'No Vouchers are found.',
    });
    expect(yahooErrorBodySchema.parse(parseLosslessJson(fixture('error-12001.json'))).error).toEqual({
      code: 12001,
      message: 'Redeem Failed.',
    });
    expect(yahooErrorBodySchema.safeParse(parseLosslessJson('{"error":"oops"}')).success).toBe(false);
  });
});
