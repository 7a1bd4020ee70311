/**
 * Sync ingest rate: 200k vouchers pulled through pullVouchers (window by window, each window's
 * newest-wins upserts and its "done" mark in one transaction) from an in-process Yahoo with no
 * HTTP, next to a raw transactional better-sqlite3 INSERT of the same rows, in the same window-sized
 * transactions, on the same schema (migrated, WAL, synchronous=FULL). Then a re-pull of the same
 * data (every row already cached), cache search latency per rule, and the retention purge.
 * Prints figures; never passes or fails on time.
 *
 *   npx tsx bench/ingest.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDeskStore } from '../electron/core/db/store.js';
import { searchVouchers } from '../electron/core/db/search.js';
import { voucherToRow } from '../electron/core/db/vouchers.js';
import { DAY_S, pullVouchers } from '../electron/core/sync/pull.js';
import { purgePersonalData } from '../electron/core/sync/retention.js';
import type { RedeemedVoucher, VoucherPage, VoucherQuery, YahooApi } from '../electron/core/yahoo/api.js';
import type { Voucher, VoucherStatus } from '../shared/domain/voucher.js';

const VOUCHERS = 200_000;
/** 400 vouchers a day: one 1-day window each, under Yahoo's 500-voucher page. */
const DAYS = 500;
const NOW = new Date('2025-06-01T02:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const SEARCHES = 2_000;

const dir = mkdtempSync(join(tmpdir(), 'voucher-desk-ingest-'));
const iso = (s: number) => new Date(s * 1000).toISOString();

const SURNAMES = ['陳', '林', '黃', '張', '李', '王', '吳', '劉', '蔡', '楊'];
const GIVEN = ['怡君', '志明', '淑芬', '雅婷', '宗翰', '家豪', '美玲', '俊傑', '欣怡', '冠宇'];
const STATUSES: VoucherStatus[] = ['USED', 'UNUSED', 'REFUNDED', 'CANCELLED', 'REFUNDPENDING'];

/** Vouchers created evenly over DAYS days; the UNUSED ones have expired, so every voucher is pulled exactly once. */
function makeData(): { vouchers: Voucher[]; createdS: Float64Array } {
  const vouchers: Voucher[] = [];
  const createdS = new Float64Array(VOUCHERS);
  const span = DAYS * DAY_S;
  for (let i = 0; i < VOUCHERS; i++) {
    const created = NOW_S - span + 1 + Math.floor((i * span) / VOUCHERS);
    createdS[i] = created;
    const status = STATUSES[i % STATUSES.length]!;
    vouchers.push({
      voucherId: String(4_000_000_000 + i),
      productId: 'p093568055654',
      specId: '1',
      price: '600',
      serialNumber: `${1 + (i % 9)}${String(i).padStart(11, '0')}`,
      orderId: `YM${String(25_000_000_000_000 + Math.floor(i / 2))}`,
      orderItemId: `YS${String(25_000_000_000_000 + i)}`,
      title: '台北101觀景台 全票',
      redemptionDesc: '請於89樓售票口出示序號兌換入場券，限當日使用一次。',
      buyerDetails: {
        name: SURNAMES[i % SURNAMES.length]! + GIVEN[Math.floor(i / 10) % GIVEN.length]!,
        phone: `09${String((i * 7_919) % 100_000_000).padStart(8, '0')}`,
      },
      executedBy: status === 'USED' ? 'partner:store-front-desk' : 'system:VoucherOrderConsumerApp',
      status,
      refundType: null,
      redemptionType: null,
      statusAppliedTime: iso(created + 3600),
      deliveredTime: iso(created + 60),
      expireTime: iso(status === 'UNUSED' ? NOW_S - DAY_S : created + 365 * DAY_S),
      startTime: iso(created),
    });
  }
  return { vouchers, createdS };
}

/** In-process Yahoo: binary search on creation time, at most 500 per answer. Its own time is measured. */
class MemoryYahoo implements YahooApi {
  queries = 0;
  ms = 0;
  constructor(
    private readonly vouchers: Voucher[],
    private readonly createdS: Float64Array,
  ) {}

  private lowerBound(t: number): number {
    let lo = 0;
    let hi = this.createdS.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.createdS[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  async queryVouchers(q: VoucherQuery): Promise<VoucherPage> {
    const t0 = performance.now();
    this.queries += 1;
    let page: VoucherPage = { total: 0, vouchers: [] };
    if (q.createdTimeStart !== undefined) {
      const from = this.lowerBound(q.createdTimeStart.getTime() / 1000);
      const to =
        q.createdTimeEnd === undefined ? this.createdS.length : this.lowerBound(q.createdTimeEnd.getTime() / 1000 + 1);
      page = { total: to - from, vouchers: this.vouchers.slice(from, Math.min(to, from + 500)) };
    }
    // (No voucher here is UNUSED and unexpired: the expiry windows answer empty pages.)
    this.ms += performance.now() - t0;
    return page;
  }

  async redeem(): Promise<RedeemedVoucher[]> {
    throw new Error('not in this bench');
  }
}

function windowsOf(createdS: Float64Array): [number, number][] {
  // The same day windows the pull uses, as index ranges, for the raw insert's transactions.
  const out: [number, number][] = [];
  let from = 0;
  for (let day = DAYS - 1; day >= 0; day--) {
    const end = NOW_S - day * DAY_S;
    let to = from;
    while (to < createdS.length && createdS[to]! <= end) to++;
    if (to > from) out.push([from, to]);
    from = to;
  }
  return out;
}

const rate = (n: number, ms: number) =>
  `${Math.round(n / (ms / 1000))
    .toLocaleString('en-US')
    .padStart(9)} vouchers/s`;
const fmtUs = (us: number) => `${us.toFixed(1).padStart(7)} µs`;

function percentiles(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  return { p50: at(50), p99: at(99) };
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`Voucher Desk ingest bench — Node ${process.version}, SQLite files in ${dir}`);
  const { vouchers, createdS } = makeData();
  console.log(
    `${VOUCHERS.toLocaleString('en-US')} vouchers created over ${DAYS} days (~${VOUCHERS / DAYS} per 1-day window)\n`,
  );

  // 1. Raw INSERT of the same rows, same schema, same transaction sizes (first, so any warm-up cost is its).
  const raw = openDeskStore(join(dir, 'raw.sqlite'));
  const columns = Object.keys(voucherToRow(vouchers[0]!, NOW.toISOString()));
  const insert = raw.db.prepare(
    `INSERT INTO vouchers (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  const fetchedAt = NOW.toISOString();
  const rows = vouchers.map((v) => Object.values(voucherToRow(v, fetchedAt)));
  const batch = raw.db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) insert.run(rows[i]!);
  });
  const windows = windowsOf(createdS);
  let t0 = performance.now();
  for (const [from, to] of windows) batch(from, to);
  const rawMs = performance.now() - t0;
  raw.close();

  // 2. Through the sync pull.
  const store = openDeskStore(join(dir, 'pull.sqlite'));
  const yahoo = new MemoryYahoo(vouchers, createdS);
  t0 = performance.now();
  const result = await pullVouchers(store, yahoo, { windowDays: DAYS, now: NOW });
  const pullMs = performance.now() - t0;
  if (store.vouchers.count() !== VOUCHERS || result.pulled !== VOUCHERS) throw new Error('bench: pull lost vouchers');
  const ingestMs = pullMs - yahoo.ms;

  console.log(`First pull (empty cache), ${result.windows} windows, ${yahoo.queries} queries:`);
  console.log(`  pullVouchers         ${(pullMs / 1000).toFixed(2).padStart(6)} s  ${rate(VOUCHERS, pullMs)}`);
  console.log(
    `    of which in Yahoo  ${(yahoo.ms / 1000).toFixed(2).padStart(6)} s  (in-process fake; the rest is ingest: ${rate(VOUCHERS, ingestMs).trim()})`,
  );
  console.log(
    `  raw INSERT           ${(rawMs / 1000).toFixed(2).padStart(6)} s  ${rate(VOUCHERS, rawMs)}  (${windows.length} transactions)`,
  );
  console.log(
    `  ratio pull/raw       ${(rawMs / pullMs).toFixed(2)} of the raw rate (ingest alone ${(rawMs / ingestMs).toFixed(2)}); target ≥ 0.5`,
  );

  // 3. The same data again: every voucher already cached (the steady state of a daily sync).
  const again = new MemoryYahoo(vouchers, createdS);
  t0 = performance.now();
  await pullVouchers(store, again, { windowDays: DAYS, now: new Date(NOW.getTime() + 1000) });
  const repullMs = performance.now() - t0;
  console.log(
    `\nRe-pull (all cached, newest-wins refreshes fetched_at): ${(repullMs / 1000).toFixed(2)} s  ${rate(VOUCHERS, repullMs)}`,
  );

  // 4. Search, from the cache, per rule.
  console.log(`\nCache search at ${VOUCHERS.toLocaleString('en-US')} vouchers, ${SEARCHES} queries each, limit 20:`);
  const probes: [string, (i: number) => string][] = [
    ['serial', (i) => vouchers[(i * 7_907) % VOUCHERS]!.serialNumber],
    ['order', (i) => vouchers[(i * 7_907) % VOUCHERS]!.orderId],
    ['phone (last 4)', (i) => vouchers[(i * 7_907) % VOUCHERS]!.buyerDetails.phone!.slice(-4)],
    ['phone (last 3)', (i) => vouchers[(i * 7_907) % VOUCHERS]!.buyerDetails.phone!.slice(-3)],
    ['name (full)', (i) => vouchers[(i * 7_907) % VOUCHERS]!.buyerDetails.name!],
    ['name (surname: ~20k match)', (i) => SURNAMES[i % SURNAMES.length]!],
  ];
  for (const [label, make] of probes) {
    const samples: number[] = [];
    let truncated = 0;
    for (let i = 0; i < SEARCHES; i++) {
      const q = make(i);
      const s0 = performance.now();
      const r = searchVouchers(store, q, 20);
      samples.push((performance.now() - s0) * 1000);
      if (r.hits.length === 0) throw new Error(`bench: search ${label} found nothing`);
      if (r.truncated) truncated++;
    }
    const p = percentiles(samples);
    console.log(
      `  ${label.padEnd(28)} p50 ${fmtUs(p.p50)}  p99 ${fmtUs(p.p99)}  (${truncated} of ${SEARCHES} truncated)`,
    );
  }

  // 5. Retention purge (USED/REFUNDED/CANCELLED or expired, older than 90 days).
  t0 = performance.now();
  const purged = purgePersonalData(store, NOW, 90);
  const purgeMs = performance.now() - t0;
  t0 = performance.now();
  const again0 = purgePersonalData(store, NOW, 90);
  const purgeAgainMs = performance.now() - t0;
  console.log(
    `\nRetention purge: ${purged.toLocaleString('en-US')} rows cleared in ${purgeMs.toFixed(0)} ms; run again (${again0} rows) ${purgeAgainMs.toFixed(0)} ms`,
  );
  store.close();
  console.log(`\nTotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
