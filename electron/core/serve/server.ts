/**
 * The merchant-side HTTP server (`serve`): node:http on the same core and database as the desk.
 * It routes (routes.ts), caps bodies, counts requests and turns a thrown handler into a logged
 * 500. It never logs a body (buyer data) or a query string (the ApiKey): method, route name,
 * status and duration only.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BodyIncompleteError, BodyTooLargeError, readCappedBody } from '../http/body.js';
import type { Logger } from '../log/logger.js';
import { merchantError, routeBodyCap, type HttpMethod, type RouteAnswer, type RouteTable } from './routes.js';

export interface MerchantServerDeps {
  routes: RouteTable;
  log: Logger;
  now?: () => Date;
  /** Called once per answered request (refusals included), e.g. to count them. */
  onRequest?: (record: { route: string | null; status: number; ms: number }) => void;
}

export interface MerchantServerOptions {
  port: number;
  /** Default 127.0.0.1: another interface only when the merchant means it. */
  host?: string;
}

export interface MerchantServer {
  /** e.g. http://127.0.0.1:8788 */
  readonly url: string;
  close(): Promise<void>;
}

const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

function send(res: http.ServerResponse, answer: RouteAnswer, extra: Record<string, string> = {}): void {
  const body = JSON.stringify(answer.json);
  res.writeHead(answer.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...answer.headers,
    ...extra,
  });
  res.end(body);
}

export async function startMerchantServer(
  deps: MerchantServerDeps,
  options: MerchantServerOptions,
): Promise<MerchantServer> {
  const now = deps.now ?? (() => new Date());
  const log = deps.log.child({ component: 'serve' });
  const sockets = new Set<Socket>();

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    let routeName: string | null = null;
    res.once('finish', () => {
      const ms = performance.now() - started;
      deps.onRequest?.({ route: routeName, status: res.statusCode, ms });
      log.debug('answered', { method: req.method, route: routeName, status: res.statusCode, ms: Math.round(ms) });
    });

    const requestTarget = req.url ?? '/';
    let url: URL;
    try {
      url = new URL(requestTarget, 'http://merchant.invalid');
    } catch {
      return send(res, merchantError('notFound'), { Connection: 'close' });
    }
    const method = req.method ?? 'GET';
    const match = METHODS.has(method)
      ? deps.routes.match(method, url.pathname)
      : { kind: 'method_not_allowed' as const };
    if (match.kind !== 'route') {
      req.resume();
      return send(res, merchantError(match.kind === 'none' ? 'notFound' : 'methodNotAllowed'), { Connection: 'close' });
    }
    const route = match.route;
    routeName = route.name;
    const cap = routeBodyCap(route);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > cap) {
      req.resume();
      return send(res, merchantError('bodyTooLarge'), { Connection: 'close' });
    }
    let body: Buffer;
    try {
      body = await readCappedBody(req, cap);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        // The rest of the body still flows (and is dropped); the connection closes after the answer.
        return send(res, merchantError('bodyTooLarge'), { Connection: 'close' });
      }
      if (error instanceof BodyIncompleteError) {
        res.destroy();
        return;
      }
      throw error;
    }
    let answer: RouteAnswer;
    try {
      answer = await route.handle({
        method: method as HttpMethod,
        url,
        requestTarget,
        headers: req.headers,
        body,
        receivedAt: now(),
      });
    } catch (error) {
      const correlationId = randomUUID();
      log.error('route handler failed', { route: route.name, correlationId, error });
      answer = merchantError('internal', `(ref ${correlationId})`);
    }
    if (!res.destroyed) send(res, answer);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error('merchant request failed', { error });
      if (!res.headersSent && !res.destroyed) send(res, merchantError('internal'), { Connection: 'close' });
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  const url = `http://${urlHost}:${address.port}`;
  log.info('merchant endpoints listening', { url });

  let closing: Promise<void> | null = null;
  return {
    url,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests in flight get a moment to finish; then their sockets go too.
        const force = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, 2_000);
        force.unref();
      });
      return closing;
    },
  };
}
