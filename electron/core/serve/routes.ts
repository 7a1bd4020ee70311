/**
 * The merchant server's route table.
 *
 * HOW TO ADD A ROUTE (the WAUG webhooks do it this way):
 *
 *   import { type MerchantRoute, merchantJson } from '../serve/routes.js';
 *   const route: MerchantRoute = {
 *     name: 'waug.orderUpdate',            // for logs and counts; never the body
 *     method: 'POST',
 *     path: '/v1/waug/webhooks/order',     // exact match on the path, query ignored
 *     maxBodyBytes: 64 * 1024,             // optional; default MERCHANT_MAX_BODY_BYTES (256 KiB)
 *     async handle(request) {              // request.body is the raw capped Buffer,
 *       …verify, parse, apply…             // request.requestTarget the path?query as received
 *       return merchantJson(200, { ok: true });
 *     },
 *   };
 *   const unregister = routes.register(route);   // `routes` is the core's table (app.ts: serveRoutes)
 *
 * The server does the rest for every route: 404/405 for unknown paths and methods, the body cap
 * (413 before the handler runs), request counting, and a 500 (logged with the route name and a
 * correlation id, never the body) when a handler throws. Those generic refusals use Yahoo's error
 * shape (MERCHANT_ERRORS); a route answers whatever its caller expects. Authentication is the
 * route's own business: Yahoo's routes wrap their handler in auth.ts's verifyYahooCall.
 * Registering the same method and path twice throws. Routes may be added while the server runs.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { MERCHANT_ERRORS, MERCHANT_MAX_BODY_BYTES, type MerchantErrorName } from './constants.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteRequest {
  method: HttpMethod;
  /** Parsed from the request target (the host part is a placeholder). */
  url: URL;
  /** The request target exactly as received (path + '?' + query): what a signature covers. */
  requestTarget: string;
  headers: IncomingHttpHeaders;
  /** The raw body bytes (empty for none), already within the route's cap. */
  body: Buffer;
  /** When the request arrived. */
  receivedAt: Date;
}

export interface RouteAnswer {
  status: number;
  /** Serialised with JSON.stringify and sent as application/json. */
  json: unknown;
  headers?: Record<string, string>;
}

export interface MerchantRoute {
  name: string;
  method: HttpMethod;
  path: string;
  maxBodyBytes?: number;
  handle(request: RouteRequest): Promise<RouteAnswer> | RouteAnswer;
}

export type RouteMatch = { kind: 'route'; route: MerchantRoute } | { kind: 'method_not_allowed' } | { kind: 'none' };

export interface RouteTable {
  /** Adds a route; answers a function that removes it again. */
  register(route: MerchantRoute): () => void;
  match(method: string, path: string): RouteMatch;
  list(): readonly MerchantRoute[];
}

export function createRouteTable(initial: readonly MerchantRoute[] = []): RouteTable {
  const byKey = new Map<string, MerchantRoute>();
  const key = (method: string, path: string) => `${method} ${path}`;
  const table: RouteTable = {
    register(route) {
      const k = key(route.method, route.path);
      if (byKey.has(k)) throw new Error(`route already registered: ${k}`);
      if (route.maxBodyBytes !== undefined && !(route.maxBodyBytes > 0)) throw new Error(`bad maxBodyBytes for ${k}`);
      byKey.set(k, route);
      return () => {
        if (byKey.get(k) === route) byKey.delete(k);
      };
    },
    match(method, path) {
      const route = byKey.get(key(method, path));
      if (route) return { kind: 'route', route };
      for (const r of byKey.values()) if (r.path === path) return { kind: 'method_not_allowed' };
      return { kind: 'none' };
    },
    list: () => [...byKey.values()],
  };
  for (const route of initial) table.register(route);
  return table;
}

export function routeBodyCap(route: MerchantRoute): number {
  return route.maxBodyBytes ?? MERCHANT_MAX_BODY_BYTES;
}

export function merchantJson(status: number, json: unknown): RouteAnswer {
  return { status, json };
}

/** A refusal in Yahoo's error shape, {"error":{"code":N,"message":"…"}}. `detail` must never quote the request. */
export function merchantError(name: MerchantErrorName, detail?: string): RouteAnswer {
  const error = MERCHANT_ERRORS[name];
  const message = detail ? `${error.message} ${detail}` : error.message;
  return { status: error.status, json: { error: { code: error.code, message } } };
}
