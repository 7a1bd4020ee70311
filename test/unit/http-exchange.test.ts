/**
 * HttpExchange on its own, against a bare local server: what each transport failure is called,
 * and whether the request counts as sent (which decides mayHaveApplied for the partner clients).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ExchangeError,
  failureDetails,
  HttpExchange,
  socketFailure,
  type ExchangeRequest,
} from '../../electron/core/http/exchange.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;

let server: http.Server;
let baseUrl: URL;
let handler: Handler = () => undefined;
let received: { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer }[] = [];
const exchanges: HttpExchange[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

afterEach(() => {
  for (const exchange of exchanges.splice(0)) exchange.close();
  received = [];
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function exchange(maxResponseBytes = 1024, base = baseUrl): HttpExchange {
  const created = new HttpExchange({ baseUrl: base, maxSockets: 4, maxResponseBytes });
  exchanges.push(created);
  return created;
}

function request(overrides: Partial<ExchangeRequest> = {}): ExchangeRequest {
  return {
    method: 'GET',
    target: '/v1/thing?x=1',
    headers: {},
    body: null,
    mutating: false,
    deadline: performance.now() + 5_000,
    ...overrides,
  };
}

const POST = { method: 'POST', body: Buffer.from('{"a":1}'), mutating: true } as const;

/** The ExchangeError the exchange rejects with (anything else fails the test). */
async function failure(pending: Promise<unknown>): Promise<ExchangeError> {
  try {
    await pending;
  } catch (caught) {
    if (caught instanceof ExchangeError) return caught;
    throw caught;
  }
  throw new Error('the exchange was expected to fail');
}

/** Answers 200, except that the first request arriving on a reused socket finds it destroyed. */
function dropFirstReusedSocket(): Handler {
  const seen = new WeakSet<object>();
  let dropped = false;
  return (req, res) => {
    if (seen.has(req.socket) && !dropped) {
      dropped = true;
      req.socket.destroy();
      return;
    }
    seen.add(req.socket);
    json(res, 200, '{}');
  };
}

function json(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

describe('HttpExchange', () => {
  it('answers with status and body, whatever the status, and frames a JSON body', async () => {
    handler = (_req, res) => json(res, 404, '{"none":true}');
    const answer = await exchange().send(request({ ...POST, headers: { Authorization: 'Bearer t' } }));
    expect(answer.status).toBe(404);
    expect(answer.body.toString()).toBe('{"none":true}');
    const [seen] = received;
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe('/v1/thing?x=1');
    expect(seen?.body.toString()).toBe('{"a":1}');
    expect(seen?.headers).toMatchObject({
      accept: 'application/json',
      authorization: 'Bearer t',
      'content-type': 'application/json; charset=utf-8',
      'content-length': '7',
    });
  });

  it('says "no body" on a bodiless POST, and nothing about a body on a GET', async () => {
    handler = (_req, res) => json(res, 200, '{}');
    await exchange().send(request({ method: 'POST', body: null }));
    await exchange().send(request());
    expect(received[0]?.headers['content-length']).toBe('0');
    expect(received[1]?.headers['content-length']).toBeUndefined();
    expect(received[1]?.headers['content-type']).toBeUndefined();
  });

  it('shows the status line and headers to onResponse before the body, and counts attempts', async () => {
    handler = (_req, res) => json(res, 200, '{}');
    const seen: [number, string | undefined][] = [];
    let attempts = 0;
    await exchange().send(
      request({
        onResponse: (status, headers) => seen.push([status, headers['content-type']]),
        onAttempt: () => (attempts += 1),
      }),
    );
    expect(seen).toEqual([[200, 'application/json']]);
    expect(attempts).toBe(1);
  });

  it('times out a hung POST after sending it: timeout, sent, may have applied', async () => {
    handler = () => undefined; // never answers
    const started = performance.now();
    const error = await failure(exchange().send(request({ ...POST, deadline: performance.now() + 150 })));
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('no complete answer within the time limit');
    expect(error.details).toEqual({ sent: true, mayHaveApplied: true });
  });

  it('a GET that times out was sent but cannot have applied anything', async () => {
    handler = () => undefined;
    const error = await failure(exchange().send(request({ deadline: performance.now() + 100 })));
    expect(error.details).toEqual({ sent: true, mayHaveApplied: false });
  });

  it('refuses an answer whose Content-Length is over the cap, keeping the status', async () => {
    handler = (_req, res) => json(res, 200, 'x'.repeat(2000));
    const error = await failure(exchange(1000).send(request()));
    expect(error.kind).toBe('too_large');
    expect(error.message).toBe('answer of 2000 bytes is over the 1000-byte cap');
    expect(error.details.httpStatus).toBe(200);
  });

  it('stops reading a streamed answer (no Content-Length) once it passes the cap', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }); // chunked
      res.write('x'.repeat(600));
      setTimeout(() => res.end('x'.repeat(600)), 20);
    };
    const error = await failure(exchange(1000).send(request()));
    expect(error.kind).toBe('too_large');
    expect(error.message).toBe('answer is over the 1000-byte cap');
  });

  it('calls an answer cut short malformed; after a 2xx a POST may have applied, after a 4xx not', async () => {
    const cutAt = (status: number): Handler => {
      return (_req, res) => {
        res.writeHead(status, { 'Content-Length': 100 });
        res.write('{"partial":');
        setTimeout(() => res.socket?.destroy(), 20);
      };
    };
    handler = cutAt(200);
    const after2xx = await failure(exchange().send(request(POST)));
    expect(after2xx.kind).toBe('malformed');
    expect(after2xx.message).toBe('answer was cut short (HTTP 200)');
    expect(after2xx.details).toMatchObject({ sent: true, mayHaveApplied: true, httpStatus: 200 });

    handler = cutAt(400);
    const after4xx = await failure(exchange().send(request(POST)));
    expect(after4xx.details).toMatchObject({ sent: true, mayHaveApplied: false, httpStatus: 400 });
  });

  it('maps a refused connection to network, not sent, naming the code', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await failure(exchange(1024, new URL(`http://127.0.0.1:${port}`)).send(request(POST)));
    expect(error.kind).toBe('network');
    expect(error.message).toBe('could not connect (ECONNREFUSED)');
    expect(error.details).toMatchObject({ sent: false, mayHaveApplied: false });
    expect(error.details.httpStatus).toBeUndefined();
  });

  it('a connection cut after the POST arrived: network, sent, may have applied', async () => {
    handler = (req) => req.socket.destroy();
    const error = await failure(exchange().send(request(POST)));
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/^connection broke/);
    expect(error.details).toMatchObject({ sent: true, mayHaveApplied: true });
  });

  it('never sends when the signal is already aborted, and names a caller timeout as timeout', async () => {
    handler = (_req, res) => json(res, 200, '{}');
    const cancelled = await failure(exchange().send(request({ ...POST, signal: AbortSignal.abort() })));
    expect(cancelled.kind).toBe('network');
    expect(cancelled.message).toBe('cancelled by the caller');
    expect(cancelled.details).toMatchObject({ sent: false, mayHaveApplied: false });

    handler = () => undefined;
    const timedOut = await failure(exchange().send(request({ signal: AbortSignal.timeout(50) })));
    expect(timedOut.kind).toBe('timeout');
    expect(timedOut.message).toBe('timed out (caller deadline)');
    expect(received.map((r) => r.method)).toEqual(['GET']);
  });

  it('asks again once when a GET meets a kept-alive socket the server dropped; never a POST', async () => {
    handler = dropFirstReusedSocket();
    let attempts = 0;
    const onAttempt = (): void => {
      attempts += 1;
    };
    const getter = exchange();
    await getter.send(request({ onAttempt }));
    expect((await getter.send(request({ onAttempt }))).status).toBe(200);
    expect(attempts).toBe(3);
    expect(received).toHaveLength(3);

    received = [];
    handler = dropFirstReusedSocket();
    const poster = exchange();
    await poster.send(request(POST));
    const error = await failure(poster.send(request(POST)));
    expect(error.kind).toBe('network');
    expect(error.details.mayHaveApplied).toBe(true);
    expect(received).toHaveLength(2);
  });

  it('refuses a base URL that is not http or https', () => {
    expect(() => new HttpExchange({ baseUrl: new URL('ftp://x'), maxSockets: 1, maxResponseBytes: 1 })).toThrow(
      RangeError,
    );
  });
});

describe('socketFailure', () => {
  it.each([
    ['ETIMEDOUT', 'timeout', 'connection timed out'],
    ['ENOTFOUND', 'network', 'could not connect (ENOTFOUND)'],
    ['ECONNRESET', 'network', 'connection broke (ECONNRESET)'],
    ['', 'network', 'connection broke'],
  ])('%s → %s', (code, kind, message) => {
    expect(socketFailure(code)).toEqual({ kind, message });
  });
});

describe('failureDetails', () => {
  it('keeps mayHaveApplied, status and cause, drops sent, and leaves absent fields absent', () => {
    const cause = new Error('x');
    const full = new ExchangeError('malformed', 'm', { sent: true, mayHaveApplied: true, httpStatus: 200, cause });
    expect(failureDetails(full)).toStrictEqual({ mayHaveApplied: true, httpStatus: 200, cause });
    const bare = new ExchangeError('network', 'm', { sent: false, mayHaveApplied: false });
    expect(failureDetails(bare)).toStrictEqual({ mayHaveApplied: false });
  });
});
