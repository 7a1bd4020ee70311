/**
 * The browser shell: serves the built renderer on 127.0.0.1 and carries the same IPC
 * contract over HTTP, so the real UI runs in plain Chromium where no Electron binary exists
 * (and in the end-to-end tests). It is a local, single-user channel:
 *  - every call must carry the per-launch token (constant-time compared);
 *  - Host and Origin must be this server, which defeats DNS rebinding and other sites;
 *  - bodies are capped, and payloads are validated by the same dispatcher as Electron IPC.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { EVENT_CHANNELS, INVOKE_CHANNELS, type EventName, type InvokeName } from '../../shared/channels.js';
import type { IpcResult } from '../../shared/errors.js';
import type { Core } from '../core/app.js';
import { dispatch } from '../core/dispatch.js';
import type { Logger } from '../core/log/logger.js';
import { CONTENT_SECURITY_POLICY } from '../main/csp.js';

export const TOKEN_HEADER = 'x-desk-token';
const MAX_RPC_BODY_BYTES = 64 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface WebShellOptions {
  core: Core;
  rendererDir: string;
  log: Logger;
  host?: string;
  port?: number;
  token?: string;
}

export interface WebShell {
  /** The URL to open, token included in the fragment (never sent to the server in requests). */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const eventStreams = new Set<ServerResponse>();
  const invokeNames = new Set<string>(Object.keys(INVOKE_CHANNELS));
  let allowedHosts: Set<string> = new Set();

  const tokenMatches = (candidate: string | undefined | null): boolean => {
    if (!candidate) return false;
    const bytes = Buffer.from(candidate);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log.error('web.request_failed', { error: String(error) });
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'Internal error' } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts.has(req.headers.host ?? '')) return sendText(res, 421, 'Unknown host');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.has(stripScheme(origin)))
      return sendText(res, 403, 'Cross-origin refused');
    const url = new URL(req.url ?? '/', 'http://local');

    if (url.pathname.startsWith('/rpc/')) {
      if (req.method !== 'POST') return sendText(res, 405, 'Use POST');
      const name = url.pathname.slice('/rpc/'.length);
      if (!tokenMatches(headerValue(req, TOKEN_HEADER))) return sendJson(res, 401, forbidden('Bad or missing token'));
      if (!invokeNames.has(name)) return sendJson(res, 404, forbidden('Unknown call'));
      const body = await readBody(req, MAX_RPC_BODY_BYTES);
      if (body === 'too_large') {
        // The rest of the body is never read: answer, then drop the connection.
        res.setHeader('Connection', 'close');
        res.once('finish', () => req.socket.destroy());
        return sendJson(res, 413, { ok: false, error: { code: 'too_large', message: 'Request too large' } });
      }
      let payload: unknown;
      try {
        payload = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch {
        return sendJson(res, 400, { ok: false, error: { code: 'bad_input', message: 'Body is not JSON' } });
      }
      return sendJson(res, 200, await dispatch(options.core.handlers, name as InvokeName, payload, options.log));
    }

    if (url.pathname === '/events') {
      if (!tokenMatches(url.searchParams.get('token'))) return sendText(res, 401, 'Bad or missing token');
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      eventStreams.add(res);
      req.on('close', () => eventStreams.delete(res));
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed');
    return serveStatic(url.pathname, res);
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const root = normalize(options.rendererDir + sep);
    const file = normalize(join(root, relative));
    if (!file.startsWith(root)) return sendText(res, 403, 'Outside the app');
    try {
      const info = await stat(file);
      if (!info.isFile()) return sendText(res, 404, 'Not found');
      const content = await readFile(file);
      res.writeHead(200, {
        'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
      });
      res.end(content);
    } catch {
      sendText(res, 404, 'Not found');
    }
  }

  // Every push event of the contract goes to every open event stream, by name.
  const subscriptions = (Object.keys(EVENT_CHANNELS) as EventName[]).map((event) =>
    options.core.onEvent(event, (payload) => broadcast(event, payload)),
  );
  function broadcast(event: EventName, payload: unknown): void {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const stream of eventStreams) stream.write(frame);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`${host}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`]);
  const origin = `http://${host}:${port}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    close: async () => {
      for (const unsubscribe of subscriptions) unsubscribe();
      for (const stream of eventStreams) stream.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function forbidden(message: string): IpcResult<never> {
  return { ok: false, error: { code: 'forbidden', message } };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function stripScheme(origin: string): string {
  return origin.replace(/^https?:\/\//, '');
}

/** Reads a body up to `limit` bytes; past it, stops buffering and reports 'too_large'. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve('too_large');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}
