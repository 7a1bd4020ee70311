/**
 * pullVouchers against an in-memory Yahoo that filters by time windows like the real one
 * (inclusive, whole seconds), answers at most `cap` vouchers with the full `total`, and can fail
 * or be cut short on cue.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskStore } from '../../electron/core/db/store.js';
import { syncStateOf } from '../../electron/core/db/syncState.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import {
  CREATED_WINDOW_S,
  DAY_S,
  MIN_SPLIT_SPAN_S,
  planWindows,
  pullVouchers,
  RESUME_MAX_AGE_MS,
  splitSpan,
  UNUSED_HORIZON_S,
  UNUSED_WINDOW_S,
  windowQuery,
} from '../../electron/core/sync/pull.js';
import {
  YahooError,
  type RedeemedVoucher,
  type VoucherPage,
  type VoucherQuery,
  type YahooApi,
} from '../../electron/core/yahoo/api.js';
import type { Voucher } from '../../shared/domain/voucher.js';
import { createTestStore } from '../helpers/db.js';
import { makeVoucher } from '../helpers/vouchers.js';

const NOW = new Date('2025-06-01T02:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString();

type YahooVoucher = Voucher & { createdTime: string };

function timeIn(value: string | null, start: Date | undefined, end: Date | undefined): boolean {
  if (start === undefined && end === undefined) return true;
  if (value === null) return false;
  const t = Date.parse(value);
  return (start === undefined || t >= start.getTime()) && (end === undefined || t <= end.getTime());
}

class WindowedYahoo implements YahooApi {
  readonly vouchers: YahooVoucher[] = [];
  readonly queries: VoucherQuery[] = [];
  cap = 500;
  /** Thrown by the call with that index (0-based), once. */
  readonly faults = new Map<number, Error>();
  /** Lets a test answer a stale copy for some queries. */
  transform: ((v: YahooVoucher, q: VoucherQuery) => Voucher) | null = null;

  add(createdS: number, overrides: Partial<Voucher> = {}): YahooVoucher {
    const v = { ...makeVoucher(overrides), createdTime: iso(createdS) };
    this.vouchers.push(v);
    return v;
  }

  async queryVouchers(q: VoucherQuery): Promise<VoucherPage> {
    const index = this.queries.push(q) - 1;
    const fault = this.faults.get(index);
    if (fault) {
      this.faults.delete(index);
      throw fault;
    }
    const matches = this.vouchers.filter(
      (v) =>
        (q.status === undefined || q.status.includes(v.status)) &&
        timeIn(v.createdTime, q.createdTimeStart, q.createdTimeEnd) &&
        timeIn(v.expireTime, q.expiredTimeStart, q.expiredTimeEnd),
    );
    const key = q.sort?.replace('-', '') === 'expiredTime' ? 'expireTime' : 'createdTime';
    matches.sort((a, b) => (a[key] ?? '').localeCompare(b[key] ?? '') || a.serialNumber.localeCompare(b.serialNumber));
    return {
      total: matches.length,
      vouchers: matches.slice(0, this.cap).map((v) => {
        const { createdTime: _created, ...plain } = v;
        return structuredClone(this.transform ? this.transform(v, q) : plain);
      }),
    };
  }

  async redeem(): Promise<RedeemedVoucher[]> {
    throw new Error('not used here');
  }

  /** The vouchers a pull anchored at nowS with windowDays should bring in. */
  inScope(nowS: number, windowDays: number): YahooVoucher[] {
    return this.vouchers.filter((v) => {
      const created = Date.parse(v.createdTime) / 1000;
      const recent = created > nowS - windowDays * DAY_S && created <= nowS;
      const live = v.status === 'UNUSED' && v.expireTime !== null && Date.parse(v.expireTime) / 1000 >= nowS;
      return recent || live;
    });
  }
}

const queryKey = (q: VoucherQuery) =>
  JSON.stringify([q.status, q.createdTimeStart, q.createdTimeEnd, q.expiredTimeStart, q.expiredTimeEnd]);

let store: DeskStore;
afterEach(() => store?.close());

const cachedSerials = (s: DeskStore) =>
  (s.db.prepare(`SELECT serial_number FROM vouchers ORDER BY serial_number`).pluck().all() as string[]).sort();

/** A mix across statuses, creation days and expiries, some in scope, some not. */
function seedMix(yahoo: WindowedYahoo, count: number): void {
  const statuses = ['UNUSED', 'USED', 'REFUNDPENDING', 'REFUNDED', 'CANCELLED'] as const;
  for (let i = 0; i < count; i += 1) {
    const status = statuses[i % statuses.length]!;
    const created = NOW_S - ((i * 7919) % (90 * DAY_S)) - 1;
    const expired = i % 11 === 0;
    const expire = expired ? NOW_S - ((i % 20) + 1) * DAY_S : NOW_S + ((i * 104_729) % (4 * 365 * DAY_S)) + 1;
    yahoo.add(created, {
      status,
      expireTime: iso(expire),
      statusAppliedTime: iso(created + 3600),
    });
  }
}

describe('window planning', () => {
  it('covers UNUSED by expiry from now on (monthly, then open-ended) and the last N days by creation, without gaps or overlaps', () => {
    const windows = planWindows(NOW_S, 30);
    const unused = windows.filter((w) => w.scope === 'unused');
    const created = windows.filter((w) => w.scope === 'created');
    expect(unused).toHaveLength(Math.ceil(UNUSED_HORIZON_S / UNUSED_WINDOW_S) + 1);
    expect(created).toHaveLength(30);

    expect(unused[0]!.startS).toBe(NOW_S);
    for (let i = 1; i < unused.length; i += 1) expect(unused[i]!.startS).toBe(unused[i - 1]!.endS! + 1);
    expect(unused.at(-2)!.endS).toBe(NOW_S + UNUSED_HORIZON_S - 1);
    expect(unused.at(-1)!.endS).toBeNull();

    expect(created[0]!.endS).toBe(NOW_S);
    for (let i = 1; i < created.length; i += 1) expect(created[i]!.endS).toBe(created[i - 1]!.startS - 1);
    for (const w of created) expect(w.endS! - w.startS + 1).toBe(CREATED_WINDOW_S);
    expect(created.at(-1)!.startS).toBe(NOW_S - 30 * DAY_S + 1);

    // Work order: UNUSED by expiry ascending, then created newest first.
    const order = [...windows].sort((a, b) => a.ordRank - b.ordRank || a.ordKey - b.ordKey);
    expect(order).toEqual(windows);
  });

  it('plans only the UNUSED scope for windowDays 0', () => {
    expect(planWindows(NOW_S, 0).every((w) => w.scope === 'unused')).toBe(true);
  });

  it('splits a window into two adjacent halves that keep the work order, down to one minute', () => {
    const [a, b] = splitSpan({ scope: 'created', startS: 1000, endS: 1000 + DAY_S - 1 })!;
    expect(a).toMatchObject({ startS: 1000, endS: 1000 + DAY_S / 2 - 1 });
    expect(b).toMatchObject({ startS: 1000 + DAY_S / 2, endS: 1000 + DAY_S - 1 });
    expect(b.ordKey).toBeLessThan(a.ordKey); // newest half first

    const [c, d] = splitSpan({ scope: 'unused', startS: 0, endS: 60 })!; // 61 s
    expect([c.startS, c.endS, d.startS, d.endS]).toEqual([0, 29, 30, 60]);
    expect(c.ordKey).toBeLessThan(d.ordKey); // soonest expiry first
    expect(splitSpan({ scope: 'unused', startS: 0, endS: MIN_SPLIT_SPAN_S - 1 })).toBeNull();
    expect(splitSpan({ scope: 'created', startS: 5, endS: 5 })).toBeNull();

    const [bounded, open] = splitSpan({ scope: 'unused', startS: NOW_S, endS: null })!;
    expect(bounded).toMatchObject({ startS: NOW_S, endS: NOW_S + UNUSED_HORIZON_S - 1 });
    expect(open).toMatchObject({ startS: NOW_S + UNUSED_HORIZON_S, endS: null });
    expect(splitSpan({ scope: 'unused', startS: 253_402_300_000, endS: null })).toBeNull();
  });

  it('asks Yahoo for UNUSED by expiry, and for every status by creation', () => {
    expect(windowQuery({ scope: 'unused', startS: 10, endS: 20 })).toEqual({
      status: ['UNUSED'],
      expiredTimeStart: new Date(10_000),
      expiredTimeEnd: new Date(20_000),
      sort: 'expiredTime',
    });
    expect(windowQuery({ scope: 'unused', startS: 10, endS: null })).not.toHaveProperty('expiredTimeEnd');
    expect(windowQuery({ scope: 'created', startS: 10, endS: 20 })).toEqual({
      createdTimeStart: new Date(10_000),
      createdTimeEnd: new Date(20_000),
      sort: 'createdTime',
    });
  });
});

describe('pullVouchers', () => {
  it('brings in exactly the vouchers in scope, each window once, and reports progress', async () => {
    store = createTestStore();
    const yahoo = new WindowedYahoo();
    seedMix(yahoo, 3000);
    const progress: { done: number; total: number | null }[] = [];
    const result = await pullVouchers(store, yahoo, { windowDays: 30, now: NOW, onProgress: (p) => progress.push(p) });

    const expected = yahoo.inScope(NOW_S, 30);
    expect(expected.length).toBeGreaterThan(1000);
    expect(expected.length).toBeLessThan(3000);
    expect(cachedSerials(store)).toEqual(expected.map((v) => v.serialNumber).sort());
    const planned = planWindows(NOW_S, 30).length;
    expect(result).toMatchObject({ windows: planned, resumed: false, overflowed: 0 });
    expect(yahoo.queries).toHaveLength(planned);
    expect(new Set(yahoo.queries.map(queryKey)).size).toBe(planned);
    expect(progress[0]).toEqual({ done: 0, total: planned });
    expect(progress.at(-1)).toEqual({ done: planned, total: planned });
    // A recent UNUSED voucher is in two windows (by expiry and by creation): pulled counts both.
    expect(result.pulled).toBeGreaterThanOrEqual(expected.length);

    const state = syncStateOf(store.db);
    expect(state.unfinishedRun()).toBeNull();
    expect(state.lastFinishedRun()).toMatchObject({ state: 'done', pulled: result.pulled, windowDays: 30 });
  });

  it('keeps buyer name and phone (search needs them) and the exact voucher fields', async () => {
    store = createTestStore();
    const yahoo = new WindowedYahoo();
    const v = yahoo.add(NOW_S - 3600, {
      voucherId: '18446744073709551615',
      buyerDetails: { name: '陳怡君', phone: '0922333444' },
    });
    await pullVouchers(store, yahoo, { windowDays: 2, now: NOW });
    const { createdTime: _c, ...plain } = v;
    expect(store.vouchers.getBySerial(v.serialNumber)?.voucher).toEqual(plain);
  });

  it('splits a window whose total exceeds the page, recursively, until every voucher is in', async () => {
    store = createTestStore();
    const yahoo = new WindowedYahoo();
    // 1 300 vouchers created within one hour yesterday: the day window overflows, then its halves…
    for (let i = 0; i < 1300; i += 1) yahoo.add(NOW_S - DAY_S - 3600 + ((i * 37) % 3600), { status: 'USED' });
    const result = await pullVouchers(store, yahoo, { windowDays: 3, now: NOW });

    expect(store.vouchers.count()).toBe(1300);
    expect(result.overflowed).toBe(0);
    const windows = syncStateOf(store.db).windows(syncStateOf(store.db).lastFinishedRun()!.id);
    const split = windows.filter((w) => w.state === 'split');
    expect(split.length).toBeGreaterThanOrEqual(3);
    for (const w of windows.filter((x) => x.state === 'done')) expect(w.total).toBeLessThanOrEqual(500);
    // Leaves tile the original day exactly.
    const day = windows.filter((w) => w.scope === 'created' && w.state === 'done').sort((a, b) => a.startS - b.startS);
    for (let i = 1; i < day.length; i += 1) expect(day[i]!.startS).toBe(day[i - 1]!.endS! + 1);
    expect(result.windows).toBe(windows.filter((w) => w.state !== 'split').length);
    expect(yahoo.queries).toHaveLength(windows.length); // every window asked once, split ones included
  });

  it('records a one-minute window that still overflows, keeps what came back, warns without personal data, and finishes', async () => {
    store = createTestStore();
    const yahoo = new WindowedYahoo();
    const second = NOW_S - 2 * DAY_S; // 620 vouchers created in the same second
    for (let i = 0; i < 620; i += 1)
      yahoo.add(second, { status: 'CANCELLED', buyerDetails: { name: '王小明', phone: '0987654321' } });
    const sink = createMemorySink();
    const log = createLogger({ sink, level: 'debug' });
    const result = await pullVouchers(store, yahoo, { windowDays: 5, now: NOW, log });

    expect(result.overflowed).toBe(1);
    expect(store.vouchers.count()).toBe(500);
    const run = syncStateOf(store.db).lastFinishedRun()!;
    const overflow = syncStateOf(store.db)
      .windows(run.id)
      .filter((w) => w.state === 'overflow');
    expect(overflow).toHaveLength(1);
    expect(overflow[0]!.endS! - overflow[0]!.startS + 1).toBeLessThanOrEqual(MIN_SPLIT_SPAN_S);
    expect(overflow[0]).toMatchObject({ total: 620, fetched: 500 });
    const lines = sink.lines.join('\n');
    expect(lines).toMatch(/overflows/);
    expect(lines).not.toMatch(/王小明|0987654321/);
    expect(yahoo.queries.length).toBeLessThan(200); // log2(1 day / 1 min) levels, not a loop
  });

  it('resumes an aborted pull at the first pending window, without asking for a done window again', async () => {
    store = createTestStore();
    const yahoo = new WindowedYahoo();
    seedMix(yahoo, 2000);
    const controller = new AbortController();
    const first = pullVouchers(store, yahoo, {
      windowDays: 30,
      now: NOW,
      signal: controller.signal,
      onProgress: ({ done }) => {
        if (done === 25) controller.abort();
      },
    });
    const error = await first.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(YahooError);
    expect(error).toMatchObject({ kind: 'network', details: { mayHaveApplied: false } });
    const askedFirst = yahoo.queries.map(queryKey);
    expect(askedFirst).toHaveLength(25);
    const run = syncStateOf(store.db).unfinishedRun();
    expect(run).not.toBeNull();
    expect(syncStateOf(store.db).progress(run!.id)).toMatchObject({ done: 25 });

    const later = new Date(NOW.getTime() + 10 * 60_000);
    const second = await pullVouchers(store, yahoo, { windowDays: 30, now: later });
    expect(second.resumed).toBe(true);
    const planned = planWindows(NOW_S, 30).length;
    expect(second.windows).toBe(planned - 25);
    const askedSecond = yahoo.queries.slice(25).map(queryKey);
    expect(askedSecond.filter((k) => askedFirst.includes(k))).toEqual([]);
    // The plan stays anchored at the first call's now.
    expect(cachedSerials(store)).toEqual(
      yahoo
        .inScope(NOW_S, 30)
        .map((v) => v.serialNumber)
        .sort(),
    );
    expect(syncStateOf(store.db).unfinishedRun()).toBeNull();
    expect(syncStateOf(store.db).getRun(run!.id)).toMatchObject({ state: 'done' });
  });

  it('saves progress and propagates a Yahoo error; the next pull resumes and completes', async () => {
    store = createTestStore();
    const yahoo = new WindowedYahoo();
    seedMix(yahoo, 1500);
    yahoo.faults.set(
      40,
      new YahooError('upstream', 'Yahoo query: HTTP 503', { mayHaveApplied: false, httpStatus: 503 }),
    );
    await expect(pullVouchers(store, yahoo, { windowDays: 30, now: NOW })).rejects.toMatchObject({
      name: 'YahooError',
      kind: 'upstream',
    });
    const run = syncStateOf(store.db).unfinishedRun()!;
    expect(syncStateOf(store.db).progress(run.id).done).toBe(40);
    const before = store.vouchers.count();
    expect(before).toBeGreaterThan(0);

    const second = await pullVouchers(store, yahoo, { windowDays: 30, now: new Date(NOW.getTime() + 60_000) });
    expect(second).toMatchObject({ resumed: true, windows: planWindows(NOW_S, 30).length - 40 });
    expect(yahoo.queries).toHaveLength(planWindows(NOW_S, 30).length + 1); // the failed call was asked again, once
    expect(store.vouchers.count()).toBe(yahoo.inScope(NOW_S, 30).length);
  });

  it('commits a window with its vouchers or not at all (a failing write leaves the window pending)', async () => {
    store = createTestStore();
    const yahoo = new WindowedYahoo();
    yahoo.add(NOW_S - 100, { status: 'USED' });
    const original = store.vouchers.upsertMany;
    let calls = 0;
    store.vouchers.upsertMany = (vs, at) => {
      calls += 1;
      const counts = original(vs, at);
      if (vs.length > 0) throw new Error('disk full');
      return counts;
    };
    await expect(pullVouchers(store, yahoo, { windowDays: 1, now: NOW })).rejects.toThrow(/disk full/);
    expect(calls).toBeGreaterThan(0);
    expect(store.vouchers.count()).toBe(0);
    const state = syncStateOf(store.db);
    const run = state.unfinishedRun()!;
    expect(state.nextPending(run.id)).toMatchObject({ scope: 'created', endS: NOW_S });

    store.vouchers.upsertMany = original;
    expect(await pullVouchers(store, yahoo, { windowDays: 1, now: NOW })).toMatchObject({ resumed: true, windows: 1 });
    expect(store.vouchers.count()).toBe(1);
  });

  it('starts a new plan when the unfinished run is older than 6 hours, or planned for another windowDays', async () => {
    store = createTestStore();
    const yahoo = new WindowedYahoo();
    seedMix(yahoo, 200);
    yahoo.faults.set(3, new YahooError('network', 'Yahoo query: could not connect', { mayHaveApplied: false }));
    await expect(pullVouchers(store, yahoo, { windowDays: 30, now: NOW })).rejects.toBeInstanceOf(YahooError);
    const stale = syncStateOf(store.db).unfinishedRun()!;

    const muchLater = new Date(NOW.getTime() + RESUME_MAX_AGE_MS + 1000);
    yahoo.faults.set(yahoo.queries.length + 2, new YahooError('network', 'x', { mayHaveApplied: false }));
    await expect(pullVouchers(store, yahoo, { windowDays: 30, now: muchLater })).rejects.toBeInstanceOf(YahooError);
    expect(syncStateOf(store.db).getRun(stale.id)).toMatchObject({ state: 'abandoned' });
    const second = syncStateOf(store.db).unfinishedRun()!;
    expect(second.id).not.toBe(stale.id);

    const other = await pullVouchers(store, yahoo, { windowDays: 7, now: muchLater });
    expect(other.resumed).toBe(false);
    expect(other.windows).toBe(planWindows(0, 7).length);
    expect(syncStateOf(store.db).getRun(second.id)).toMatchObject({ state: 'abandoned' });
  });

  it('lets a pull that is already running be joined instead of run twice', async () => {
    store = createTestStore();
    const yahoo = new WindowedYahoo();
    seedMix(yahoo, 100);
    const a = pullVouchers(store, yahoo, { windowDays: 3, now: NOW });
    const b = pullVouchers(store, yahoo, { windowDays: 3, now: NOW });
    expect(b).toBe(a);
    await a;
    expect(yahoo.queries).toHaveLength(planWindows(NOW_S, 3).length);
  });

  it('never lets an older status from a later window overwrite a newer one', async () => {
    store = createTestStore();
    const yahoo = new WindowedYahoo();
    // A refund was declined at t3, so Yahoo says UNUSED again; a lagging answer still says REFUNDPENDING at t2.
    const t2 = iso(NOW_S - 3000);
    const t3 = iso(NOW_S - 1000);
    const y = yahoo.add(NOW_S - DAY_S / 2, { status: 'UNUSED', statusAppliedTime: t3 });
    yahoo.transform = (v, q) =>
      v.serialNumber === y.serialNumber && q.createdTimeStart !== undefined
        ? { ...v, status: 'REFUNDPENDING', statusAppliedTime: t2 }
        : v;
    // Redeemed at this desk a moment ago; Yahoo's UNUSED window still has the voucher's earlier state.
    const x = yahoo.add(NOW_S - 2 * DAY_S, { status: 'UNUSED', statusAppliedTime: iso(NOW_S - 2 * DAY_S) });
    store.vouchers.upsert({ ...x, status: 'USED', statusAppliedTime: iso(NOW_S - 60) }, NOW.toISOString());

    await pullVouchers(store, yahoo, { windowDays: 3, now: NOW });
    // Y: the UNUSED window (first) brought t3; the created window's t2 answer changed nothing.
    expect(yahoo.queries.findIndex((q) => q.status !== undefined)).toBeLessThan(
      yahoo.queries.findIndex((q) => q.createdTimeStart !== undefined),
    );
    expect(store.vouchers.getBySerial(y.serialNumber)?.voucher).toMatchObject({
      status: 'UNUSED',
      statusAppliedTime: t3,
    });
    expect(store.vouchers.getBySerial(x.serialNumber)?.voucher).toMatchObject({ status: 'USED' });
  });

  it('stamps fetched_at from now onwards', async () => {
    store = createTestStore();
    const yahoo = new WindowedYahoo();
    const v = yahoo.add(NOW_S - 10, {});
    await pullVouchers(store, yahoo, { windowDays: 1, now: NOW });
    const fetchedAt = Date.parse(store.vouchers.getBySerial(v.serialNumber)!.fetchedAt);
    expect(fetchedAt).toBeGreaterThanOrEqual(NOW.getTime());
    expect(fetchedAt).toBeLessThan(NOW.getTime() + 60_000);
  });

  it('refuses a nonsensical windowDays', async () => {
    store = createTestStore();
    const yahoo = new WindowedYahoo();
    await expect(pullVouchers(store, yahoo, { windowDays: -1, now: NOW })).rejects.toThrow(RangeError);
    await expect(pullVouchers(store, yahoo, { windowDays: 1.5, now: NOW })).rejects.toThrow(RangeError);
  });
});
