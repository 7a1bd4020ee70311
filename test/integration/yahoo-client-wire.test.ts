/**
 * What the client puts on the wire, and how it reads odd answers, against a bare capture server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { YahooError } from '../../electron/core/yahoo/api.js';
import { createYahooClient, type YahooClient, type YahooClientConfig } from '../../electron/core/yahoo/client.js';
import { rejectionOf } from '../helpers/rejection.js';

interface Captured {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, index: number) => void;

const SEED_API_KEY = '247c4a4244eaf481d39ed035xxxxxx';
const SEED_SECRET = 'OGEzMDc3NDg1OTZmMjMyMxxxxxxxx';
const SEED_TIME_MS = 1433924096_000;
const SEED_BODY =
  '{"vouchers":[{"orderId":"YM123239423","orderItemId":"YS1505130000028","serialNumber":"1234567890","redeemAt":"user input"}]}';
const REDEEM_OK =
  '{"vouchers":[{"orderId":"YM123239423","orderItemId":"YS1505130000028","status":"USED","storeId":"tw_auc_user1","statusAppliedTime":1433924097}]}';

let server: http.Server;
let baseUrl: string;
let captured: Captured[] = [];
let handler: Handler;
const clients: YahooClient[] = [];

function json(res: http.ServerResponse, status: number, text: string, date: number | null = SEED_TIME_MS): void {
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  };
  if (date !== null) headers.Date = new Date(date).toUTCString();
  res.writeHead(status, headers);
  res.end(text);
}

function seedClient(overrides: Partial<YahooClientConfig> = {}): YahooClient {
  const client = createYahooClient({
    baseUrl,
    apiKey: SEED_API_KEY,
    sharedSecret: SEED_SECRET,
    now: () => SEED_TIME_MS + 400,
    ...overrides,
  });
  clients.push(client);
  return client;
}

const yahooError = (promise: Promise<unknown>) => rejectionOf(promise, YahooError);

beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.sendDate = false; // Date headers are the tests' business here
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      captured.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body, captured.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  captured = [];
  vi.restoreAllMocks();
});

afterAll(async () => {
  for (const c of clients) c.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('what the client sends', () => {
  it("reproduces the seed document's redeem request and its HMAC-SHA1 signature", async () => {
    handler = (_req, res) => json(res, 200, REDEEM_OK);
    const result = await seedClient().redeem([
      { orderId: 'YM123239423', orderItemId: 'YS1505130000028', serialNumber: '1234567890', redeemAt: 'user input' },
    ]);
    expect(captured).toHaveLength(1);
    const request = captured[0] as Captured;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`/stauth2/v1/vouchers/redeem?TimeStamp=1433924096&ApiKey=${SEED_API_KEY}`);
    expect(request.body.toString('utf8')).toBe(SEED_BODY);
    // Pinned with `openssl dgst -sha1 -hmac` over the seed's example data string.
    expect(request.headers['x-storeauth-sig']).toBe('76b48d3ecf775df04cb1aafc35baba7772a83f52');
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request.headers['content-length']).toBe(String(Buffer.byteLength(SEED_BODY)));
    expect(result).toEqual([
      {
        orderId: 'YM123239423',
        orderItemId: 'YS1505130000028',
        status: 'USED',
        storeId: 'tw_auc_user1',
        statusAppliedTime: '2015-06-10T08:14:57.000Z',
      },
    ]);
  });

  it('signs a GET over the target alone, filters after TimeStamp and ApiKey, no body and no Content-Type', async () => {
    handler = (_req, res) => json(res, 404, '{"error":{"code":11001,"message":"No Vouchers are found."}}');
    await seedClient().queryVouchers({ serialNumber: '615089255' });
    const request = captured[0] as Captured;
    expect(request.method).toBe('GET');
    expect(request.url).toBe(`/stauth2/v1/vouchers?TimeStamp=1433924096&ApiKey=${SEED_API_KEY}&serialNumber=615089255`);
    expect(request.headers['x-storeauth-sig']).toBe('6f07d9d92ae01841ac40da404da525b9846294b6');
    expect(request.body.length).toBe(0);
    expect(request.headers['content-type']).toBeUndefined();
  });

  it('sends a UTF-8 redeemAt as the exact bytes it signed, under sha256/base64 when configured', async () => {
    handler = (_req, res) => json(res, 200, REDEEM_OK);
    const { createHmac } = await import('node:crypto');
    await seedClient({ signing: { algorithm: 'sha256', encoding: 'base64' } }).redeem([
      { orderId: 'YM1505070079148', serialNumber: 'YTWPS00001ABCDE', redeemAt: '櫃台 2 · R-7f3a9c' },
    ]);
    const request = captured[0] as Captured;
    expect(request.body.toString('utf8')).toBe(
      '{"vouchers":[{"orderId":"YM1505070079148","serialNumber":"YTWPS00001ABCDE","redeemAt":"櫃台 2 · R-7f3a9c"}]}',
    );
    const expected = createHmac('sha256', SEED_SECRET)
      .update(Buffer.concat([Buffer.from(request.url), request.body]))
      .digest('base64');
    expect(request.headers['x-storeauth-sig']).toBe(expected);
  });

  it('keeps a path prefix of baseUrl in the signed target', async () => {
    handler = (_req, res) => json(res, 200, REDEEM_OK);
    await seedClient({ baseUrl: `${baseUrl}/proxy/yahoo/` }).redeem([
      { orderId: 'YM1', serialNumber: 'S1', redeemAt: 'x' },
    ]);
    expect(
      (captured[0] as Captured).url.startsWith('/proxy/yahoo/stauth2/v1/vouchers/redeem?TimeStamp=1433924096&ApiKey='),
    ).toBe(true);
  });

  it('on a 401 whose Date shows a 10-minute skew, retries once with a corrected TimeStamp and the same body bytes', async () => {
    const yahooNow = SEED_TIME_MS + 600_000;
    handler = (req, res, _body, index) => {
      if (index === 0) json(res, 401, '{"error":{"code":10002,"message":"TimeStamp"}}', yahooNow);
      else json(res, 200, REDEEM_OK, yahooNow);
      void req;
    };
    const client = seedClient();
    await client.redeem([
      { orderId: 'YM123239423', orderItemId: 'YS1505130000028', serialNumber: '1234567890', redeemAt: 'user input' },
    ]);
    expect(captured).toHaveLength(2);
    const [first, second] = captured as [Captured, Captured];
    expect(second.body.equals(first.body)).toBe(true);
    const stamp = (url: string): number => Number(new URL(url, 'http://x').searchParams.get('TimeStamp'));
    expect(stamp(first.url)).toBe(1433924096);
    expect(stamp(second.url) - stamp(first.url)).toBeGreaterThanOrEqual(599);
    expect(stamp(second.url) - stamp(first.url)).toBeLessThanOrEqual(601);
    expect(second.headers['x-storeauth-sig']).not.toBe(first.headers['x-storeauth-sig']);
    expect(client.clockOffsetMs).toBeGreaterThan(599_000);
  });

  it('does not retry a 401 when the Date header shows no real skew', async () => {
    handler = (_req, res) =>
      json(res, 401, '{"error":{"code":10003,"message":"Invalid signature."}}', SEED_TIME_MS + 30_000);
    const error = await yahooError(seedClient().queryVouchers({ orderId: 'YM1' }));
    expect(error.kind).toBe('auth');
    expect(captured).toHaveLength(1);
  });

  it('takes the clock offset from every Date header, and keeps it when there is none', async () => {
    const client = seedClient();
    handler = (_req, res) => json(res, 404, '{"error":{"code":11001,"message":"none"}}', SEED_TIME_MS + 5_000);
    await client.queryVouchers({ orderId: 'YM1' });
    expect(client.clockOffsetMs).toBeGreaterThanOrEqual(4_500);
    expect(client.clockOffsetMs).toBeLessThanOrEqual(5_500);
    handler = (_req, res) => json(res, 404, '{"error":{"code":11001,"message":"none"}}', null);
    await client.queryVouchers({ orderId: 'YM1' });
    expect(client.clockOffsetMs).toBeGreaterThanOrEqual(4_500);
    const next = new URL((captured[1] as Captured).url, 'http://x').searchParams.get('TimeStamp');
    expect(Number(next)).toBe(1433924096 + 5);
  });
});

describe('how the client reads answers', () => {
  it('treats a 404 without code 11001 as upstream, not as an empty page', async () => {
    handler = (_req, res) => json(res, 404, '{"error":{"code":10004,"message":"Resource not found."}}');
    const error = await yahooError(seedClient().queryVouchers({ orderId: 'YM1' }));
    expect(error.kind).toBe('upstream');
    expect(error.details).toMatchObject({ httpStatus: 404, yahooCode: 10004 });
  });

  it('treats a redeem 400 with another code as upstream, not redeem_failed', async () => {
    handler = (_req, res) => json(res, 400, '{"error":{"code":10010,"message":"Invalid request."}}');
    const error = await yahooError(seedClient().redeem([{ orderId: 'YM1', serialNumber: 'S1', redeemAt: 'x' }]));
    expect(error.kind).toBe('upstream');
    expect(error.details).toMatchObject({ httpStatus: 400, yahooCode: 10010, mayHaveApplied: false });
  });

  it('treats a proxy error page as upstream with its status, and a 401 of any body as auth', async () => {
    handler = (_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    };
    const error = await yahooError(seedClient().queryVouchers({ orderId: 'YM1' }));
    expect(error.kind).toBe('upstream');
    expect(error.details.httpStatus).toBe(502);
    expect(error.details.yahooCode).toBeUndefined();
    handler = (_req, res) => {
      res.writeHead(401);
      res.end('nope');
    };
    expect((await yahooError(seedClient().queryVouchers({ orderId: 'YM1' }))).kind).toBe('auth');
  });

  it('treats a 200 of the wrong shape as malformed, and never quotes the body in the message', async () => {
    handler = (_req, res) =>
      json(
        res,
        200,
        '{"total":1,"vouchers":[{"serialNumber":"S1","buyerDetails":{"name":"楊于慧","phone":"0912063990"}}]}',
      );
    const error = await yahooError(seedClient().queryVouchers({ orderId: 'YM1' }));
    expect(error.kind).toBe('malformed');
    expect(error.message).toContain('vouchers.0.');
    expect(error.message).not.toContain('0912063990');
    expect(error.message).not.toContain('楊于慧');
  });

  it('refuses an answer whose Content-Length is over the cap without reading it', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 10 * 1024 * 1024 });
      res.write('{"total":');
    };
    const error = await yahooError(seedClient().queryVouchers({ orderId: 'YM1' }));
    expect(error.kind).toBe('too_large');
  });

  it('reports a connection cut after the POST body arrived as network + mayHaveApplied; for a GET, not', async () => {
    handler = (req) => req.socket.destroy();
    const post = await yahooError(seedClient().redeem([{ orderId: 'YM1', serialNumber: 'S1', redeemAt: 'x' }]));
    expect(post.kind).toBe('network');
    expect(post.details.mayHaveApplied).toBe(true);
    const get = await yahooError(seedClient().queryVouchers({ orderId: 'YM1' }));
    expect(get.kind).toBe('network');
    expect(get.details.mayHaveApplied).toBe(false);
  });

  it('asks again once when a GET hits a kept-alive socket the server dropped, but never resends a POST', async () => {
    const seen = new WeakSet<object>();
    let dropped = 0;
    handler = (req, res) => {
      if (seen.has(req.socket) && dropped < 1) {
        dropped += 1;
        req.socket.destroy();
        return;
      }
      seen.add(req.socket);
      json(res, 404, '{"error":{"code":11001,"message":"none"}}');
    };
    const client = seedClient();
    await client.queryVouchers({ orderId: 'YM1' });
    await client.queryVouchers({ orderId: 'YM2' }); // reuses the socket, which is cut: retried on a new one
    expect(captured.map((c) => new URL(c.url, 'http://x').searchParams.get('orderId'))).toEqual(['YM1', 'YM2', 'YM2']);

    captured = [];
    dropped = 0;
    handler = (req, res) => {
      if (seen.has(req.socket) && dropped < 1) {
        dropped += 1;
        req.socket.destroy();
        return;
      }
      seen.add(req.socket);
      json(res, 200, REDEEM_OK);
    };
    const poster = seedClient();
    await poster.redeem([{ orderId: 'YM1', serialNumber: 'S1', redeemAt: 'x' }]);
    const error = await yahooError(poster.redeem([{ orderId: 'YM1', serialNumber: 'S2', redeemAt: 'x' }]));
    expect(error.kind).toBe('network');
    expect(error.details.mayHaveApplied).toBe(true);
    expect(captured).toHaveLength(2);
  });

  it("honours the caller's AbortSignal", async () => {
    handler = () => undefined; // never answers
    const controller = new AbortController();
    const pending = seedClient().queryVouchers({ orderId: 'YM1' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await yahooError(pending)).kind).toBe('network');
    const deadline = await yahooError(
      seedClient().queryVouchers({ orderId: 'YM1' }, { signal: AbortSignal.timeout(50) }),
    );
    expect(deadline.kind).toBe('timeout');
  });

  it('logs nothing, whatever happens', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(() => undefined),
    );
    handler = (_req, res) => json(res, 200, '{"total":1,"vouchers":[{"buyerDetails":{"phone":"0912063990"}}]}');
    await seedClient()
      .queryVouchers({ orderId: 'YM1' })
      .catch(() => undefined);
    handler = (_req, res) => json(res, 200, REDEEM_OK);
    await seedClient().redeem([{ orderId: 'YM1', serialNumber: 'S1', redeemAt: 'x' }]);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('refuses an empty batch and empty filters before sending anything', async () => {
    handler = (_req, res) => json(res, 200, REDEEM_OK);
    await expect(seedClient().redeem([])).rejects.toThrow(RangeError);
    await expect(seedClient().queryVouchers({ serialNumber: '' })).rejects.toThrow(RangeError);
    expect(captured).toHaveLength(0);
  });
});
