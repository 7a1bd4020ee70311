/**
 * The browser shell's transport: the same contract as Electron IPC, guarded by a token,
 * Host/Origin checks and a body cap. Real core, real sandbox, real HTTP.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/app.js';
import { startYahooSandbox, type YahooSandbox } from '../../electron/core/sandbox/yahoo/index.js';
import { createNodeCore } from '../../electron/node/bootstrap.js';
import { startWebShell, TOKEN_HEADER, type WebShell } from '../../electron/web/server.js';

let sandbox: YahooSandbox;
let core: Core;
let shell: WebShell;
let dataDir: string;
let rendererDir: string;

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const url = new URL(path, shell.origin);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: { host: url.host, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const rpc = (name: string, body: unknown, headers: Record<string, string> = {}) =>
  send(`/rpc/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: shell.token, ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  sandbox = await startYahooSandbox();
  dataDir = mkdtempSync(join(tmpdir(), 'vd-web-'));
  rendererDir = join(dataDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Voucher Desk</title>');
  writeFileSync(join(dataDir, 'secret.txt'), 'outside the renderer folder');
  ({ core } = await createNodeCore({
    dataDir,
    demo: false,
    env: { YAHOO_BASE_URL: sandbox.baseUrl, YAHOO_API_KEY: sandbox.apiKey, YAHOO_SHARED_SECRET: sandbox.sharedSecret },
  }));
  shell = await startWebShell({ core, log: silentLog(), rendererDir, port: 0 });
});

afterAll(async () => {
  await shell?.close();
  await core?.close();
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function silentLog() {
  const noop = () => {};
  return { debug: noop, info: noop, warn: noop, error: noop } as unknown as Parameters<typeof startWebShell>[0]['log'];
}

describe('browser shell transport', () => {
  it('answers a contract call with the token, exactly as IPC would', async () => {
    const res = await rpc('getAppStatus', {});
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { ok: boolean; value: { mode: string } };
    expect(body).toMatchObject({ ok: true, value: { mode: 'live' } });
  });

  it('refuses a call without the token, or with a wrong one of the same length', async () => {
    const missing = await send('/rpc/getAppStatus', { method: 'POST', body: '{}' });
    expect(missing.status).toBe(401);
    const wrong = await rpc('getAppStatus', {}, { [TOKEN_HEADER]: 'x'.repeat(shell.token.length) });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin', async () => {
    const rebound = await rpc('getAppStatus', {}, { host: 'evil.example:80' });
    expect(rebound.status).toBe(421);
    const crossSite = await rpc('getAppStatus', {}, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
  });

  it('refuses calls that are not in the contract', async () => {
    const res = await rpc('deleteEverything', {});
    expect(res.status).toBe(404);
  });

  it('validates payloads with the contract schema and answers bad_input, never a stack', async () => {
    const res = await rpc('lookupVoucher', { serial: 42 });
    const body = JSON.parse(res.body) as { ok: boolean; error: { code: string; message: string } };
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('bad_input');
    expect(body.error.message).not.toMatch(/at .*\.ts/);
  });

  it('answers non-JSON with bad_input', async () => {
    const res = await send('/rpc/getAppStatus', {
      method: 'POST',
      headers: { [TOKEN_HEADER]: shell.token },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('refuses a 10 MB body with too_large and stays up', async () => {
    const huge = Buffer.alloc(10 * 1024 * 1024, 0x61);
    const res = await send('/rpc/lookupVoucher', {
      method: 'POST',
      headers: { [TOKEN_HEADER]: shell.token },
      body: huge,
    }).catch((error: NodeJS.ErrnoException) => ({ status: -1, headers: {}, body: error.code ?? '' }));
    // Either the 413 arrives, or the server cut the upload short (EPIPE/ECONNRESET): never 200.
    expect([413, -1]).toContain(res.status);
    const after = await rpc('getAppStatus', {});
    expect(after.status).toBe(200);
  });

  it('serves the renderer with the CSP header and never a file outside its folder', async () => {
    const index = await send('/');
    expect(index.status).toBe(200);
    expect(String(index.headers['content-security-policy'])).toContain("script-src 'self'");
    const traversal = await send('/..%2fsecret.txt');
    expect(traversal.status).not.toBe(200);
    expect(traversal.body).not.toContain('outside the renderer folder');
  });

  it('streams status events only with the token', async () => {
    const refused = await send('/events?token=nope');
    expect(refused.status).toBe(401);
  });
});
