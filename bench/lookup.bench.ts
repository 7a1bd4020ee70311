/**
 * Cached lookup latency through the counter's scan path (prefer 'cache') at 10k, 100k and 1M
 * cached vouchers, next to a raw better-sqlite3 indexed select on the same file; and what
 * synchronous=FULL costs a redemption write. Prints figures; never passes or fails on time.
 *
 *   npx tsx bench/lookup.bench.ts
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createCounter } from '../electron/core/counter/counter.js';
import { openDatabase } from '../electron/core/db/open.js';
import { openDeskStore, storeFromDb } from '../electron/core/db/store.js';
import { migrate } from '../electron/core/db/migrate.js';
import { silentLogger } from '../electron/core/log/logger.js';

const TIERS = [10_000, 100_000, 1_000_000];
const SAMPLES = 20_000;
const WARMUP = 2_000;
const WRITES = 300;

const dir = mkdtempSync(join(tmpdir(), 'voucher-desk-bench-'));
const file = join(dir, 'bench.sqlite');

function serialOf(i: number): string {
  return `B${i.toString(36).toUpperCase().padStart(9, '0')}`;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function summary(samples: Float64Array): {
  p50: number;
  p99: number;
  p999: number;
} {
  const sorted = Float64Array.from(samples).sort();
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
  };
}

/** Deterministic pseudo-random picks, so each tier reads the same kind of spread. */
function picks(count: number, n: number, seed: number): string[] {
  let x = seed >>> 0 || 1;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.push(serialOf((x >>> 0) % n));
  }
  return out;
}

/** Bulk load: one transaction per 100k rows, journal and sync off (a bench file, not a till). */
function fill(from: number, to: number): number {
  const started = performance.now();
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    `INSERT INTO vouchers (voucher_id, product_id, spec_id, price, serial_number, order_id, order_item_id, title,
      redemption_desc, buyer_name, buyer_phone, executed_by, status, refund_type, redemption_type,
      status_applied_time, delivered_time, expire_time, start_time, fetched_at)
     VALUES (?, 'p12345679', '1', '200', ?, ?, ?, '雙人下午茶套餐', NULL, '楊于慧', '0912063990', NULL, ?, NULL, NULL,
      '2025-05-01T00:00:00.000Z', '2025-05-01T00:00:00.000Z', '2030-12-31T15:59:59.000Z', '2025-05-01T00:00:00.000Z',
      '2025-06-01T00:00:00.000Z')`,
  );
  const batch = db.transaction((a: number, b: number) => {
    for (let i = a; i < b; i++) {
      insert.run(String(9_000_000_000_000 + i), serialOf(i), `YM${i}`, `YS${i}`, i % 5 === 0 ? 'USED' : 'UNUSED');
    }
  });
  for (let a = from; a < to; a += 100_000) batch(a, Math.min(to, a + 100_000));
  db.close();
  return performance.now() - started;
}

const fmt = (us: number) => `${us.toFixed(1).padStart(7)} µs`;

async function measureTier(n: number): Promise<void> {
  // The app's own connection: WAL, FULL, migrated, with no Yahoo at all (the scan path must not need it).
  const store = openDeskStore(file);
  const counter = createCounter({
    store,
    yahoo: () => null,
    identity: () => ({ station: 'Bench desk', operator: 'bench' }),
    now: () => new Date('2025-06-01T02:00:00.000Z'),
    log: silentLogger,
  });
  const serials = picks(SAMPLES + WARMUP, n, n);

  const viaCore = new Float64Array(SAMPLES);
  for (let i = 0; i < serials.length; i++) {
    const t0 = performance.now();
    const result = await counter.lookupVoucher(serials[i]!, 'cache');
    const t1 = performance.now();
    if (result.kind !== 'found' || result.source !== 'cache')
      throw new Error(`bench: ${serials[i]} not answered from the cache`);
    if (i >= WARMUP) viaCore[i - WARMUP] = (t1 - t0) * 1000;
    // At the counter each scan is its own IPC message: the event loop turns between scans and
    // the queued lookup audit entries are written then, after the answers (counter/context.ts).
    // This tight loop would otherwise write a full batch of 256 inside one timed call, which the
    // scan path never does; let the loop turn (untimed) before a batch fills.
    if (i % 200 === 199) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  counter.flushAudit();

  const raw = store.db.prepare('SELECT * FROM vouchers WHERE serial_number = ?');
  const viaRaw = new Float64Array(SAMPLES);
  for (let i = 0; i < serials.length; i++) {
    const t0 = performance.now();
    const row = raw.get(serials[i]!);
    const t1 = performance.now();
    if (row === undefined) throw new Error('bench: raw miss');
    if (i >= WARMUP) viaRaw[i - WARMUP] = (t1 - t0) * 1000;
  }
  store.close();

  const c = summary(viaCore);
  const r = summary(viaRaw);
  const size = (statSync(file).size / 1024 / 1024).toFixed(0);
  console.log(
    `${String(n).padStart(9)} vouchers (${size.padStart(4)} MB) | lookupVoucher p50 ${fmt(c.p50)} p99 ${fmt(c.p99)} p99.9 ${fmt(c.p999)}` +
      ` | raw select p50 ${fmt(r.p50)} p99 ${fmt(r.p99)} | ratio p50 ${(c.p50 / r.p50).toFixed(1)}× p99 ${(c.p99 / r.p99).toFixed(1)}×`,
  );
}

/** One redemption write as the counter does it before calling Yahoo: the pending row and its audit entry, one transaction. */
function measureWrites(synchronous: 'FULL' | 'NORMAL'): {
  p50: number;
  p99: number;
} {
  const writeFile = join(dir, `writes-${synchronous}.sqlite`);
  const db = openDatabase(writeFile, { synchronous });
  migrate(db);
  const store = storeFromDb(db);
  const times = new Float64Array(WRITES);
  for (let i = 0; i < WRITES; i++) {
    const id = `R-${i.toString(16).padStart(8, '0')}`;
    const t0 = performance.now();
    db.transaction(() => {
      store.redemptions.insert({
        id,
        nonce: randomUUID(),
        serialNumber: serialOf(i),
        voucherId: String(i),
        orderId: `YM${i}`,
        orderItemId: null,
        station: 'Bench desk',
        operator: 'bench',
        redeemAt: `Bench desk · ${id}`,
        createdAt: new Date().toISOString(),
        state: 'pending',
        reason: null,
        attempts: 1,
      });
      store.audit.append({
        at: new Date().toISOString(),
        station: 'Bench desk',
        operator: 'bench',
        action: 'redeem',
        serialNumber: serialOf(i),
        voucherId: String(i),
        redemptionId: id,
        outcome: 'sending',
        detail: null,
      });
    })();
    times[i] = (performance.now() - t0) * 1000;
  }
  store.close();
  const s = summary(times);
  return { p50: s.p50, p99: s.p99 };
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`Voucher Desk lookup bench — Node ${process.version}, SQLite file in ${dir}`);
  console.log(`${SAMPLES} random cached lookups per tier after ${WARMUP} warm-up; times per call.\n`);
  const setup = openDeskStore(file);
  setup.close();
  let have = 0;
  for (const n of TIERS) {
    const ms = fill(have, n);
    console.log(`  (loaded ${n - have} more vouchers in ${(ms / 1000).toFixed(1)} s)`);
    have = n;
    await measureTier(n);
  }

  console.log(`\nRedemption write (pending row + audit entry, one transaction), ${WRITES} commits each:`);
  const full = measureWrites('FULL');
  const normal = measureWrites('NORMAL');
  console.log(`  synchronous=FULL   p50 ${fmt(full.p50)}  p99 ${fmt(full.p99)}`);
  console.log(`  synchronous=NORMAL p50 ${fmt(normal.p50)}  p99 ${fmt(normal.p99)}`);
  console.log(
    `  FULL costs ${(full.p50 - normal.p50).toFixed(1)} µs more per commit at p50 (${(full.p50 / normal.p50).toFixed(1)}×).`,
  );
  console.log(`\nTotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
