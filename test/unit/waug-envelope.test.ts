/**
 * The envelope, the token shapes and every responseCode, at the wire level against a scripted
 * HTTP server (so each answer is exactly what the test says, HTTP 200 failures included).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WaugError } from '../../electron/core/waug/api.js';
import { createWaugClient, type WaugClient } from '../../electron/core/waug/client.js';
import { WAUG_RESPONSE_CODES, type WaugFailureCode } from '../../electron/core/waug/constants.js';
import { parseLosslessJson } from '../../electron/core/http/json.js';
import {
  canonicalDecimal,
  waugEnvelopeSchema,
  waugOrderSchema,
  waugTokenSchema,
} from '../../electron/core/waug/schemas.js';
import { BARE_TOKEN, envelopeText, startScriptedServer, type ScriptedAnswer } from '../fixtures/waug/scripted.js';
import { rejectionOf } from '../helpers/rejection.js';

const orderFixture = readFileSync(new URL('../fixtures/waug/order.json', import.meta.url), 'utf8');

let script: (path: string, method: string) => ScriptedAnswer;
let server: Awaited<ReturnType<typeof startScriptedServer>>;
const clients: WaugClient[] = [];

function client(): WaugClient {
  const made = createWaugClient({ baseUrl: server.baseUrl, clientId: 'id', clientSecret: 'secret' });
  clients.push(made);
  return made;
}

const waugError = (promise: Promise<unknown>) => rejectionOf(promise, WaugError);

beforeAll(async () => {
  server = await startScriptedServer((request) => script(request.path, request.method));
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
});

describe('token shapes', () => {
  it.each([
    ['bare, as in the seed', BARE_TOKEN],
    ['inside the envelope', envelopeText('000', JSON.parse(BARE_TOKEN), '/v1/token')],
  ])('accepts the token %s and sends it as Bearer; the token call itself uses HTTP Basic', async (_name, tokenBody) => {
    script = (path) =>
      path === '/v1/token' ? { status: 200, body: tokenBody } : { status: 200, body: envelopeText('000', orderJson()) };
    const before = server.requests.length;
    const order = await client().getOrder('WG2501010000101');
    expect(order?.orderNumber).toBe('WG2501010000101');
    const [tokenRequest, orderRequest] = server.requests.slice(before);
    expect(tokenRequest?.method).toBe('POST');
    expect(tokenRequest?.authorization).toBe(`Basic ${Buffer.from('id:secret').toString('base64')}`);
    expect(orderRequest?.authorization).toBe('Bearer ExampleTokenValue');
  });

  it('reads expiresIn as a string of seconds (or a number) and refuses nonsense', () => {
    expect(waugTokenSchema.parse(parseLosslessJson(BARE_TOKEN)).expiresIn).toBe(43_199);
    expect(waugTokenSchema.parse(parseLosslessJson('{"accessToken":"t","expiresIn":600}')).expiresIn).toBe(600);
    expect(waugTokenSchema.safeParse(parseLosslessJson('{"accessToken":"t","expiresIn":"soon"}')).success).toBe(false);
    expect(waugTokenSchema.safeParse(parseLosslessJson('{"accessToken":"","expiresIn":"60"}')).success).toBe(false);
  });

  it('a refused token request is a clear authentication error, HTTP 200 or not', async () => {
    for (const status of [200, 401]) {
      script = () => ({ status, body: envelopeText('101', {}, '/v1/token') });
      const error = await waugError(client().getOrder('WG1'));
      expect(error.kind).toBe('invalid_authentication');
      expect(error.message).toMatch(/refused the client id and client secret/);
      expect(error.details.responseCode).toBe('101');
    }
  });
});

function orderJson(): unknown {
  return JSON.parse(orderFixture) as unknown;
}

describe('the envelope', () => {
  it('parses every field of the seed shape; responseCode as sent, count and version kept', () => {
    const envelope = waugEnvelopeSchema.parse(parseLosslessJson(envelopeText('000', [1, 2])));
    expect(envelope).toMatchObject({ responseCode: '000', count: 2, version: 'v1', service: 'WAUG_PARTNER_API' });
    // A numeric code is read as its three-digit string.
    expect(waugEnvelopeSchema.parse(parseLosslessJson('{"responseCode":0,"data":{}}')).responseCode).toBe('000');
    expect(waugEnvelopeSchema.safeParse(parseLosslessJson('{"result":"ok"}')).success).toBe(false);
  });

  it('decides by responseCode: a failure with HTTP 200 is an error, a success with HTTP 500 is not', async () => {
    script = (path) =>
      path === '/v1/token' ? { status: 200, body: BARE_TOKEN } : { status: 200, body: envelopeText('107') };
    const refused = await waugError(client().requestRefund('WG2501010000101'));
    expect(refused.kind).toBe('non_refundable');
    expect(refused.details.httpStatus).toBe(200);
    expect(refused.details.mayHaveApplied).toBe(false);

    script = (path) =>
      path === '/v1/token'
        ? { status: 200, body: BARE_TOKEN }
        : { status: 500, body: envelopeText('000', orderJson()) };
    expect((await client().getOrder('WG2501010000101'))?.orderStatus).toBe('STATUS_PAID');
  });

  it('an HTTP error without an envelope is upstream; HTTP 200 without one is malformed', async () => {
    script = (path) =>
      path === '/v1/token'
        ? { status: 200, body: BARE_TOKEN }
        : { status: 502, body: '<html>Bad Gateway</html>', headers: { 'Content-Type': 'text/html' } };
    expect((await waugError(client().getOrder('WG1'))).kind).toBe('upstream');
    script = (path) =>
      path === '/v1/token' ? { status: 200, body: BARE_TOKEN } : { status: 200, body: '{"orders":[]}' };
    const error = await waugError(client().getOrder('WG1'));
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(/not a WAUG envelope/);
  });

  it('an unknown responseCode is its own kind', async () => {
    script = (path) =>
      path === '/v1/token' ? { status: 200, body: BARE_TOKEN } : { status: 200, body: envelopeText('999') };
    const error = await waugError(client().getOrder('WG1'));
    expect(error.kind).toBe('unknown_code');
    expect(error.details.responseCode).toBe('999');
  });
});

describe('each responseCode → its kind and message', () => {
  const rows = Object.entries(WAUG_RESPONSE_CODES) as [
    WaugFailureCode,
    (typeof WAUG_RESPONSE_CODES)[WaugFailureCode],
  ][];

  it('has one distinct kind and one distinct, non-empty English message per code 100–111', () => {
    expect(rows.map(([code]) => code)).toEqual(Array.from({ length: 12 }, (_, i) => String(100 + i)));
    expect(new Set(rows.map(([, row]) => row.kind)).size).toBe(12);
    expect(new Set(rows.map(([, row]) => row.message)).size).toBe(12);
    for (const [, row] of rows) expect(row.message).toMatch(/^[A-Z].{15,}\.$/);
  });

  // 101 and 111 are recovered first (a fresh token; waiting out the window), so they are tested elsewhere.
  it.each(rows.filter(([code]) => code !== '101' && code !== '111'))(
    'code %s, sent with HTTP 200, throws its kind and message',
    async (code, row) => {
      script = (path) =>
        path === '/v1/token' ? { status: 200, body: BARE_TOKEN } : { status: 200, body: envelopeText(code) };
      const error = await waugError(client().getGoods('107278'));
      expect(error.kind).toBe(row.kind);
      expect(error.message).toBe(`WAUG getGoods: ${row.message} (code ${code})`);
      expect(error.details).toMatchObject({ responseCode: code, httpStatus: 200, mayHaveApplied: false });
    },
  );
});

describe('order normalisation', () => {
  it('keeps ids digit for digit, writes canonical decimals, reads times in Seoul, maps timeslot 0 to none', () => {
    const order = waugOrderSchema.parse(parseLosslessJson(orderFixture));
    expect(order.orderedAt).toBe('2025-01-01T00:30:15.250Z');
    expect(order.totalPrice).toBe('81080');
    const goods = order.orderGoods[0];
    expect(goods?.orderGoodsId).toBe('9007199254740993'); // JSON.parse would give …992
    expect(goods?.goodsId).toBe('107278');
    expect(goods?.refundable).toBe(true); // PHP's 1
    expect(goods?.options.map((o) => [o.goodsOptionItemId, o.price, o.goodsOptionTimeslotId])).toEqual([
      ['61849', '37080', null],
      ['61850', '22000', '512'],
    ]);
    expect(goods?.voucher).toEqual({ state: 'issuing', voucherNumber: null, voucherUrl: null, issuedAt: null });
    expect(goods?.updatedAt).toBe('2025-01-01T00:31:00.000Z');
  });

  it('refuses an unknown status, and a missing PHP DateTime', () => {
    const bad = orderFixture.replace('"STATUS_IN_PROGRESS"', '"STATUS_SHIPPED"');
    expect(waugOrderSchema.safeParse(parseLosslessJson(bad)).success).toBe(false);
    const noTime = orderFixture.replace(/"orderedAt": \{[^}]+\}/, '"orderedAt": "2025-01-01 09:30:15"');
    expect(waugOrderSchema.safeParse(parseLosslessJson(noTime)).success).toBe(false);
  });

  it.each([
    ['20580.0', '20580'],
    ['0.50', '0.5'],
    ['007', '7'],
    ['37080', '37080'],
    ['12.345', '12.345'],
  ])('canonicalDecimal(%s) = %s', (input, output) => {
    expect(canonicalDecimal(input)).toBe(output);
  });
});
