/**
 * `goods [--json]` run as a real process (issue 6 item 4): against the demo's own sandboxes, and
 * live against sandboxes started here — synced while WAUG answers, then printed from the cache
 * with its age once WAUG is gone; an empty cache with WAUG gone is a clear failure.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListGoodsResult } from '../../shared/contract.js';
import { startWaugSandbox, type WaugSandbox } from '../../electron/core/sandbox/waug/index.js';
import { startYahooSandbox, type YahooSandbox } from '../../electron/core/sandbox/yahoo/index.js';
import { tempDir } from '../helpers/tempDir.js';

const root = tempDir('voucher-desk-cli-goods-');
let yahoo: YahooSandbox;
let waug: WaugSandbox;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment without any partner settings of the machine, plus `extra`. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (/^(YAHOO_|WAUG_|VOUCHER_DESK_)/.test(key)) delete env[key];
  return { ...env, ...extra };
}

function cli(args: string[], dataDir: string, extraEnv: Record<string, string> = {}): Promise<Run> {
  mkdirSync(dataDir, { recursive: true });
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'electron/cli/index.ts', ...args, '--data-dir', dataDir],
      { env: cleanEnv(extraEnv), timeout: 45_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const live = (waugBaseUrl: string) => ({
  YAHOO_BASE_URL: yahoo.baseUrl,
  YAHOO_API_KEY: yahoo.apiKey,
  YAHOO_SHARED_SECRET: yahoo.sharedSecret,
  WAUG_BASE_URL: waugBaseUrl,
  WAUG_CLIENT_ID: waug.clientId,
  WAUG_CLIENT_SECRET: waug.clientSecret,
});
/** Nothing listens there: WAUG cannot be reached. */
const GONE = 'http://127.0.0.1:1';

beforeAll(async () => {
  yahoo = await startYahooSandbox();
  waug = await startWaugSandbox({ webhookScanEveryMs: 0 });
});
afterAll(async () => {
  await waug?.close();
  await yahoo?.close();
  root.remove();
});

describe('goods', () => {
  it('syncs and lists the catalog; prints the cache with its age when WAUG is gone', async () => {
    const liveDir = join(root.path, 'live');
    const [demo, synced, badArgs] = await Promise.all([
      cli(['goods', '--json'], join(root.path, 'demo')),
      cli(['goods'], liveDir, live(waug.baseUrl)),
      cli(['goods', 'extra'], join(root.path, 'bad')),
    ]);

    expect(demo.code, demo.stderr).toBe(0);
    const listed = JSON.parse(demo.stdout) as ListGoodsResult;
    expect(listed.goods).toHaveLength(28);
    expect(listed).toMatchObject({ syncing: false, lastSyncError: null });
    expect(listed.syncedAt).not.toBeNull();
    expect(listed.goods.every((g) => g.fromPrice !== null)).toBe(true);

    expect(synced.code, synced.stderr).toBe(0);
    const lines = synced.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^28 goods, as of \S+ \(0 min ago\)$/);
    expect(lines[1]).toMatch(/^GOODS ID\s+NAME\s+CITY\s+CUR\s+FROM\s+REFUNDABLE\s+INSTANT$/);
    expect(lines).toHaveLength(30);
    expect(synced.stdout).toMatch(/\n107278\s+台北101.*Taipei\s+TWD\s+\d+\s+yes\s+yes\n/);
    expect(synced.stderr).toBe('');

    expect(badArgs.code).toBe(2);
    expect(badArgs.stderr).toContain('"goods" takes no arguments');

    const [offline, empty] = await Promise.all([
      cli(['goods', '--json'], liveDir, live(GONE)),
      cli(['goods'], join(root.path, 'empty'), live(GONE)),
    ]);
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stderr).toContain('WAUG could not be reached: the catalog from this desk’s cache');
    const cached = JSON.parse(offline.stdout) as ListGoodsResult;
    expect(cached.goods).toHaveLength(28);
    expect(cached.syncedAt).toBe(lines[0]!.split(' ')[4]);
    expect(cached.lastSyncError).toContain('could not be reached');

    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('The catalog cache is empty');
    expect(empty.stdout).toBe('');
  }, 90_000);
});
