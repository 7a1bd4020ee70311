/**
 * Durability (issue 3 item 6): a desk in a child process is SIGKILLed at random moments of its
 * redeem and replay paths, many times, against the sandbox with faults on (latency, 503s, answers
 * cut after the redeem applied). A last child without faults flushes the outbox. Then the
 * sandbox's ledger is checked against the desk's database:
 *  - every acknowledged redemption has its row, and none that was acknowledged as redeemed or
 *    queued is lost (each ends delivered or confirmed);
 *  - every ledger entry names a redemption that is delivered/confirmed locally for that serial;
 *  - no serial is delivered twice; no conflict is invented (one desk, nobody else redeems).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startYahooSandbox, type YahooSandbox } from '../../electron/core/sandbox/yahoo/index.js';
import { tempDir } from '../helpers/tempDir.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DRIVER = join(ROOT, 'test', 'helpers', 'killDriver.ts');
const KILLS_WANTED = 32;
const TIME_BUDGET_MS = 70_000;

let sandbox: YahooSandbox;
let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
  sandbox = await startYahooSandbox({ voucherCount: 20, seed: 7 });
  dir = tempDir('voucher-desk-kill-');
});

afterAll(async () => {
  await sandbox?.close();
  dir?.remove();
});

interface ChildRun {
  lines: string[];
  killed: boolean;
  code: number | null;
}

function runChild(mode: 'redeem' | 'flush', serials: string[], killAfterMs: number | null): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', DRIVER], {
      cwd: ROOT,
      env: {
        ...process.env,
        KILL_SANDBOX_URL: sandbox.baseUrl,
        KILL_API_KEY: sandbox.apiKey,
        KILL_SHARED_SECRET: sandbox.sharedSecret,
        KILL_DATA_DIR: dir.path,
        KILL_SERIALS: serials.join(','),
        KILL_MODE: mode,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let buffer = '';
    let stderr = '';
    let killed = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        lines.push(line);
        if (line === 'READY' && killAfterMs !== null) {
          timer = setTimeout(() => {
            if (child.exitCode === null && !lines.includes('DONE')) {
              killed = true;
              child.kill('SIGKILL');
            }
          }, killAfterMs);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (!killed && code !== 0) reject(new Error(`driver exited ${code}: ${stderr.slice(0, 2000)}`));
      else resolve({ lines, killed, code });
    });
  });
}

it('SIGKILLed at random points many times: nothing acknowledged is lost, nothing delivered twice', async () => {
  const serials = Array.from(
    { length: 400 },
    (_, i) => sandbox.addVoucher({ serialNumber: `KILL${String(i).padStart(6, '0')}` }).serialNumber,
  );
  const acks = new Map<string, { outcome: string; id: string }[]>();
  const acked = new Set<string>();
  let kills = 0;
  let runs = 0;
  const started = Date.now();
  let cursor = 0;

  while (kills < KILLS_WANTED && Date.now() - started < TIME_BUDGET_MS) {
    // Faults vary by round so that both the clerk's redeem and the outbox replay are cut.
    sandbox.setFaults({
      latencyMs: 10 + Math.floor(Math.random() * 60),
      errorRate: Math.random() < 0.5 ? 0.2 : 0,
      resetAfterApply: Math.random() < 0.3,
    });
    // Serials not yet acknowledged first (a killed redeem is tried again), then fresh ones.
    const retry = serials.slice(0, cursor).filter((s) => !acked.has(s));
    const fresh = serials.slice(cursor, cursor + 8);
    cursor += fresh.length;
    const batch = [...retry.slice(0, 4), ...fresh];
    const run = await runChild('redeem', batch, 150 + Math.floor(Math.random() * 900));
    runs += 1;
    if (run.killed) kills += 1;
    for (const line of run.lines) {
      const match = /^ACK (\S+) (\S+) (R-[0-9a-f]+)$/.exec(line);
      if (!match) continue;
      const [, serial, outcome, id] = match as unknown as [string, string, string, string];
      acked.add(serial);
      acks.set(serial, [...(acks.get(serial) ?? []), { outcome, id }]);
    }
  }

  sandbox.setFaults({ latencyMs: 0, errorRate: 0, resetAfterApply: false });
  const flush = await runChild('flush', [], null);
  expect(flush.lines).toContain('DONE');
  console.log(
    `durability kill test: ${kills} kills in ${runs} runs, ${acked.size} serials acknowledged, ${sandbox.ledger.length} ledger entries`,
  );
  expect(kills).toBeGreaterThanOrEqual(30);

  const db = new Database(join(dir.path, 'voucher-desk.sqlite'), { readonly: true });
  try {
    type Row = { id: string; serial_number: string; state: string; conflict_reason: string | null };
    const rows = db.prepare(`SELECT id, serial_number, state, conflict_reason FROM redemptions`).all() as Row[];
    const byId = new Map(rows.map((r) => [r.id, r]));

    // Every acknowledged redemption has its row; redeemed or queued ones ended delivered.
    let honoured = 0;
    for (const [serial, list] of acks) {
      for (const ack of list) {
        const row = byId.get(ack.id);
        expect(row, `ACK ${serial} ${ack.outcome} ${ack.id} has no row`).toBeDefined();
        expect(row?.serial_number).toBe(serial);
        if (ack.outcome === 'redeemed' || ack.outcome === 'queued') {
          honoured += 1;
          expect(row?.state, `${ack.id} (${ack.outcome}) was lost`).toBe('redeemed');
        }
      }
    }
    expect(honoured).toBeGreaterThan(0);

    // Every ledger entry names a redemption delivered locally for that serial; none twice.
    const ledgerSerials = new Set<string>();
    for (const entry of sandbox.ledger) {
      const id = /R-[0-9a-f]{8}/.exec(entry.redeemAt)?.[0];
      expect(id, `ledger entry ${entry.redeemAt} names no redemption`).toBeDefined();
      const row = byId.get(id!);
      expect(row, `ledger names ${id}, unknown locally`).toBeDefined();
      expect(row?.state).toBe('redeemed');
      expect(row?.serial_number).toBe(entry.serialNumber);
      expect(ledgerSerials.has(entry.serialNumber), `${entry.serialNumber} is in the ledger twice`).toBe(false);
      ledgerSerials.add(entry.serialNumber);
    }
    const redeemed = rows.filter((r) => r.state === 'redeemed');
    expect(new Set(redeemed.map((r) => r.serial_number)).size).toBe(redeemed.length);
    expect(redeemed.map((r) => r.serial_number).sort()).toEqual([...ledgerSerials].sort());

    // Nothing left waiting, and no conflict invented.
    expect(rows.filter((r) => r.state === 'pending')).toEqual([]);
    expect(rows.filter((r) => r.state === 'conflict')).toEqual([]);
  } finally {
    db.close();
  }
}, 120_000);
