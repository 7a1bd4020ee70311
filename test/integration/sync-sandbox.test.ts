/**
 * pullVouchers against the Yahoo sandbox over HTTP, with the real signing client and a real
 * SQLite file. The sandbox's clock is frozen, so its seeded data can be rebuilt here
 * (seedVouchers with the same clock and seed) and compared voucher for voucher.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskStore } from '../../electron/core/db/store.js';
import { syncStateOf } from '../../electron/core/db/syncState.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import {
  HUGE_VOUCHER_ID,
  DEMO_SERIALS,
  startYahooSandbox,
  type SandboxVoucher,
  type YahooSandbox,
} from '../../electron/core/sandbox/yahoo/index.js';
import { DEFAULT_SEED, DEFAULT_VOUCHER_COUNT, seedVouchers } from '../../electron/core/sandbox/yahoo/seed.js';
import { DAY_S, planWindows, pullVouchers } from '../../electron/core/sync/pull.js';
import { YahooError } from '../../electron/core/yahoo/api.js';
import { createYahooClient, type YahooClient } from '../../electron/core/yahoo/client.js';
import { createTestStore } from '../helpers/db.js';

// Whole seconds, like Yahoo's times.
const FROZEN_MS = Math.floor(Date.now() / 1000) * 1000;
const NOW = new Date(FROZEN_MS);
const NOW_S = FROZEN_MS / 1000;
const WINDOW_DAYS = 30;
const PLANNED = planWindows(NOW_S, WINDOW_DAYS).length;

const open: { close(): unknown }[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function setup(timeoutMs = 8_000): Promise<{ sandbox: YahooSandbox; client: YahooClient; store: DeskStore }> {
  const sandbox = await startYahooSandbox({ now: () => FROZEN_MS });
  open.push(sandbox);
  const client = createYahooClient({
    baseUrl: sandbox.baseUrl,
    apiKey: sandbox.apiKey,
    sharedSecret: sandbox.sharedSecret,
    timeoutMs,
  });
  open.push(client);
  const store = createTestStore();
  open.push(store);
  return { sandbox, client, store };
}

/** What a pull anchored at NOW must bring in: created in the last WINDOW_DAYS days, or UNUSED and unexpired. */
function inScope(vouchers: readonly SandboxVoucher[]): SandboxVoucher[] {
  return vouchers.filter((v) => {
    const created = Date.parse(v.createdTime) / 1000;
    const recent = created > NOW_S - WINDOW_DAYS * DAY_S && created <= NOW_S;
    const live = v.status === 'UNUSED' && v.expireTime !== null && Date.parse(v.expireTime) / 1000 >= NOW_S;
    return recent || live;
  });
}

const seeded = () => seedVouchers(FROZEN_MS, DEFAULT_VOUCHER_COUNT, DEFAULT_SEED);
const cachedSerials = (store: DeskStore) =>
  (store.db.prepare(`SELECT serial_number FROM vouchers`).pluck().all() as string[]).sort();
const answered = (sandbox: YahooSandbox) => sandbox.requests.filter((r) => r.status === 200 || r.status === 404).length;

describe('pulling vouchers from the Yahoo sandbox', () => {
  it('brings in every seeded voucher in scope, and only those, with their data intact', async () => {
    const { sandbox, client, store } = await setup();
    const result = await pullVouchers(store, client, { windowDays: WINDOW_DAYS, now: NOW });

    const all = seeded();
    expect(all).toHaveLength(sandbox.voucherCount);
    const expected = inScope(all);
    expect(expected.length).toBeGreaterThan(1000);
    expect(expected.length).toBeLessThan(all.length);
    expect(cachedSerials(store)).toEqual(expected.map((v) => v.serialNumber).sort());
    expect(result).toMatchObject({ windows: PLANNED, resumed: false, overflowed: 0 });
    expect(sandbox.requests).toHaveLength(PLANNED);

    // Digit for digit, including the 2^64−1 voucher id; the buyer kept for search.
    const huge = store.vouchers.getBySerial(DEMO_SERIALS.hugeId)!.voucher;
    expect(huge.voucherId).toBe(HUGE_VOUCHER_ID);
    const { createdTime: _c, ...plain } = sandbox.getVoucher(DEMO_SERIALS.unusedA)!;
    expect(store.vouchers.getBySerial(DEMO_SERIALS.unusedA)!.voucher).toEqual(plain);
  });

  it('splits windows whose total exceeds the 500-voucher page, and records a one-minute window it cannot split', async () => {
    const { sandbox, client, store } = await setup();
    // 1 200 vouchers created within two hours yesterday, and 600 in one second three days ago.
    const busyStart = NOW_S - DAY_S - 2 * 3600;
    for (let i = 0; i < 1200; i += 1) {
      sandbox.addVoucher({
        serialNumber: `SPLIT${String(i).padStart(6, '0')}`,
        status: 'USED',
        createdTime: new Date((busyStart + ((i * 13) % 7200)) * 1000).toISOString(),
        buyerDetails: { name: '周杰倫', phone: '0900111222' },
      });
    }
    const sameSecond = new Date((NOW_S - 3 * DAY_S) * 1000).toISOString();
    for (let i = 0; i < 600; i += 1) {
      sandbox.addVoucher({
        serialNumber: `BURST${String(i).padStart(6, '0')}`,
        status: 'CANCELLED',
        createdTime: sameSecond,
      });
    }
    const sink = createMemorySink();
    const result = await pullVouchers(store, client, {
      windowDays: WINDOW_DAYS,
      now: NOW,
      log: createLogger({ sink }),
    });

    const serials = cachedSerials(store);
    expect(serials.filter((s) => s.startsWith('SPLIT'))).toHaveLength(1200);
    expect(serials.filter((s) => s.startsWith('BURST'))).toHaveLength(500);
    expect(serials.length).toBe(inScope(seeded()).length + 1200 + 500);
    expect(result.overflowed).toBe(1);

    const windows = syncStateOf(store.db).windows(syncStateOf(store.db).lastFinishedRun()!.id);
    const split = windows.filter((w) => w.state === 'split');
    expect(split.length).toBeGreaterThan(10);
    for (const w of windows.filter((x) => x.state === 'done')) expect(w.total).toBeLessThanOrEqual(500);
    expect(sandbox.requests).toHaveLength(windows.length);
    expect(sink.lines.join('\n')).toMatch(/overflows/);
    expect(sink.lines.join('\n')).not.toMatch(/周杰倫|0900111222/);
  });

  it('is interrupted by 503s (errorRate), keeps its progress, and resumes until complete without re-asking done windows', async () => {
    const { sandbox, client, store } = await setup();
    sandbox.setFaults({ errorRate: 0.15 });
    let failures = 0;
    let resumedCalls = 0;
    let when = FROZEN_MS;
    for (let attempt = 0; attempt < 100; attempt += 1) {
      when += 1000;
      try {
        const result = await pullVouchers(store, client, { windowDays: WINDOW_DAYS, now: new Date(when) });
        if (result.resumed) resumedCalls += 1;
        break;
      } catch (error) {
        expect(error).toBeInstanceOf(YahooError);
        expect(error).toMatchObject({ kind: 'upstream', details: { httpStatus: 503 } });
        failures += 1;
      }
    }
    expect(failures).toBeGreaterThan(0);
    expect(resumedCalls).toBe(1);
    expect(syncStateOf(store.db).unfinishedRun()).toBeNull();
    expect(cachedSerials(store)).toEqual(
      inScope(seeded())
        .map((v) => v.serialNumber)
        .sort(),
    );
    // Every window was answered exactly once; only the refused calls were asked again.
    expect(answered(sandbox)).toBe(PLANNED);
    expect(sandbox.requests.filter((r) => r.status === 503)).toHaveLength(failures);
  });

  it('is cut by a hanging Yahoo (client timeout), then resumes and completes', async () => {
    const { sandbox, client, store } = await setup(400);
    const first = pullVouchers(store, client, {
      windowDays: WINDOW_DAYS,
      now: NOW,
      onProgress: ({ done }) => {
        if (done === 20) sandbox.setFaults({ hang: true });
      },
    });
    await expect(first).rejects.toMatchObject({ name: 'YahooError', kind: 'timeout' });
    const run = syncStateOf(store.db).unfinishedRun()!;
    expect(syncStateOf(store.db).progress(run.id).done).toBe(20);

    sandbox.setFaults({ hang: false });
    const second = await pullVouchers(store, client, { windowDays: WINDOW_DAYS, now: new Date(FROZEN_MS + 5000) });
    expect(second).toMatchObject({ resumed: true, windows: PLANNED - 20 });
    expect(answered(sandbox)).toBe(PLANNED);
    expect(cachedSerials(store)).toHaveLength(inScope(seeded()).length);
  });

  it('is cancelled by its abort signal mid-request, then resumes', async () => {
    const { sandbox, client, store } = await setup();
    sandbox.setFaults({ latencyMs: 30 });
    const controller = new AbortController();
    const before = sandbox.requests.length;
    await expect(
      pullVouchers(store, client, {
        windowDays: WINDOW_DAYS,
        now: NOW,
        signal: controller.signal,
        // Abort while the next query is waiting out the sandbox's latency.
        onProgress: ({ done }) => {
          if (done === 5) setTimeout(() => controller.abort(), 10);
        },
      }),
    ).rejects.toMatchObject({ name: 'YahooError', kind: 'network' });
    const done = syncStateOf(store.db).progress(syncStateOf(store.db).unfinishedRun()!.id).done;
    expect(done).toBeGreaterThanOrEqual(5);
    expect(done).toBeLessThan(PLANNED);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the abandoned request finishes on the sandbox
    expect(sandbox.requests.length - before).toBe(done + 1);

    sandbox.setFaults({ latencyMs: 0 });
    const second = await pullVouchers(store, client, { windowDays: WINDOW_DAYS, now: NOW });
    expect(second).toMatchObject({ resumed: true, windows: PLANNED - done });
    expect(cachedSerials(store)).toHaveLength(inScope(seeded()).length);
  });
});
