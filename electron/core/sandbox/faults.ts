/**
 * What the Yahoo and WAUG sandboxes share: the fault knobs (their schema, the order they apply
 * in, the spoiled answers), the admin-header check, the 413-style drain, and the HTTP server's
 * start and close. The vendor specifics (error bodies, envelope, codes, routes) stay in each
 * sandbox. Never imports electron.
 */
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * The knobs both sandboxes have. They apply to vendor routes only (never to /__sandbox/*), in
 * this order: hang → latencyMs → status5xx → errorRate → (the sandbox's own work) →
 * resetAfterApply → malformedBody.
 */
export interface SandboxFaults<Kind extends string> {
  /** Delay before handling, in ms. */
  latencyMs: number;
  /** Probability 0..1 of answering 503 (seeded, so repeatable). */
  errorRate: number;
  /** Read the request, then never answer. */
  hang: boolean;
  /** Apply the change, then destroy the socket without answering. */
  resetAfterApply: boolean;
  /** Answer 500. */
  status5xx: boolean;
  /** Spoil the answer (see sendMalformedBody). */
  malformedBody: Kind | null;
}

/** Every shared knob off. */
export const NO_SANDBOX_FAULTS: Readonly<SandboxFaults<never>> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  hang: false,
  resetAfterApply: false,
  status5xx: false,
  malformedBody: null,
});

/** The strict, partial patch schema of the shared knobs plus `extra` ones. */
export function faultsPatchSchema<Kind extends string, Extra extends z.ZodRawShape = Record<never, never>>(
  malformedKinds: readonly [Kind, ...Kind[]],
  extra?: Extra,
) {
  return z
    .object({
      latencyMs: z.number().int().min(0).max(600_000),
      errorRate: z.number().min(0).max(1),
      hang: z.boolean(),
      resetAfterApply: z.boolean(),
      status5xx: z.boolean(),
      malformedBody: z.enum(malformedKinds as [Kind, ...Kind[]]).nullable(),
      ...(extra ?? ({} as Extra)),
    })
    .partial()
    .strict();
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether the request carries the admin header, equal to `secret`. */
export function isAdmin(req: http.IncomingMessage, header: string, secret: string): boolean {
  const value = req.headers[header];
  return typeof value === 'string' && safeEqual(value, secret);
}

/**
 * Applies hang → latencyMs → status5xx → errorRate. Resolves true when the request should go on
 * to the sandbox's own work, false when it was answered (or is never to be). `closed` is checked
 * after the latency; `rng` draws 0..1 for errorRate.
 */
export async function applyFaultsBefore(
  active: SandboxFaults<string>,
  closed: () => boolean,
  rng: { next(): number },
  sendStatus5xx: () => void,
  sendUnavailable: () => void,
): Promise<boolean> {
  if (active.hang) return false; // answered never; close() cuts it
  if (active.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, active.latencyMs));
  if (closed()) return false;
  if (active.status5xx) {
    sendStatus5xx();
    return false;
  }
  if (active.errorRate > 0 && rng.next() < active.errorRate) {
    sendUnavailable();
    return false;
  }
  return true;
}

/**
 * Applies resetAfterApply → malformedBody after the work is done. Returns true when it took care
 * of the answer (the socket destroyed, or `spoil` called), false when the answer is to be sent.
 */
export function applyFaultsAfter<Kind extends string>(
  active: SandboxFaults<Kind>,
  req: http.IncomingMessage,
  spoil: (kind: Kind) => void,
): boolean {
  if (active.resetAfterApply) {
    req.socket.destroy();
    return true;
  }
  if (active.malformedBody !== null) {
    spoil(active.malformedBody);
    return true;
  }
  return false;
}

export interface JsonAnswer {
  status: number;
  json: string;
}

/** Writes a JSON answer unless one was already sent; `headers` go first (e.g. Date). */
export function sendJson(
  res: http.ServerResponse,
  answer: JsonAnswer,
  headers: http.OutgoingHttpHeaders = {},
  extra: http.OutgoingHttpHeaders = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const bytes = Buffer.from(answer.json, 'utf8');
  res.writeHead(answer.status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': bytes.length,
    ...extra,
  });
  res.end(bytes);
}

export type SharedMalformedKind = 'not-json' | 'wrong-shape' | 'truncated' | 'oversized';

export interface MalformedStyle {
  /** Headers that go first on every spoiled answer (e.g. Date). */
  headers: () => http.OutgoingHttpHeaders;
  /** The 'wrong-shape' body (HTTP 200). */
  wrongShapeJson: string;
  /** The first bytes of the 'oversized' body. */
  oversizedPrefix: string;
  /** The size of the 'oversized' body. */
  oversizedBytes: number;
}

/**
 * Sends `answer` spoiled as `kind`: an HTML page, JSON of the wrong shape, the answer cut short
 * mid-body (then the socket destroyed), or a chunked JSON body over the client's cap.
 */
export function sendMalformedBody(
  res: http.ServerResponse,
  answer: JsonAnswer,
  kind: SharedMalformedKind,
  style: MalformedStyle,
): void {
  switch (kind) {
    case 'not-json': {
      const html = Buffer.from('<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>');
      res.writeHead(200, {
        ...style.headers(),
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': html.length,
      });
      res.end(html);
      return;
    }
    case 'wrong-shape':
      sendJson(res, { status: 200, json: style.wrongShapeJson }, style.headers());
      return;
    case 'truncated': {
      const bytes = Buffer.from(answer.json, 'utf8');
      res.writeHead(answer.status, {
        ...style.headers(),
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': bytes.length,
      });
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
      return;
    }
    case 'oversized': {
      res.writeHead(200, { ...style.headers(), 'Content-Type': 'application/json; charset=utf-8' }); // chunked: no length up front
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let written = 0;
      const pump = (): void => {
        while (!res.destroyed && written < style.oversizedBytes) {
          const first = written === 0 ? Buffer.from(style.oversizedPrefix) : chunk;
          written += first.length;
          if (!res.write(first)) {
            res.once('drain', pump);
            return;
          }
        }
        if (!res.destroyed) res.end('"}');
      };
      pump();
      return;
    }
  }
}

/**
 * After a body over the cap: reads (and drops) the rest first, so the client is not cut off
 * mid-upload and really sees the refusal; past 8× the cap, gives up and drops the connection.
 */
export function drainThenRefuse(req: http.IncomingMessage, maxBodyBytes: number, refuse: () => void): void {
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > 8 * maxBodyBytes) req.socket.destroy();
  });
  if (req.readableEnded) refuse();
  else req.once('end', refuse);
}

/** Keeps `list` under `max` entries before one more is pushed: a demo can run for days. */
export function pushCapped<T>(list: T[], max: number, entry: T): void {
  if (list.length >= max) list.splice(0, list.length - max + 1);
  list.push(entry);
}

export interface SandboxServer {
  readonly baseUrl: string;
  /** Stops listening and cuts every connection (hung requests included). */
  close(): Promise<void>;
}

/**
 * Starts the HTTP server: `handle` per request (`onError` when it throws), a bare 400 on
 * unparseable requests, listening on host:port (default 127.0.0.1, any free port).
 */
export async function startSandboxServer(
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>,
  onError: (res: http.ServerResponse) => void,
  listen: { host?: string | undefined; port?: number | undefined },
): Promise<SandboxServer> {
  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      onError(res);
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port ?? 0, listen.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    baseUrl: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
