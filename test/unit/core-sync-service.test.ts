/** The core's offline-first handlers over a FakeYahoo: sync status, work offline, the outbox list, conflicts. */
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/contract.js';
import { createCore, type Core } from '../../electron/core/app.js';
import { createMemoryOnlyCipher } from '../../electron/core/config/secrets.js';
import { createMemorySettingsStore } from '../../electron/core/config/settings.js';
import { dispatch } from '../../electron/core/dispatch.js';
import { migrate } from '../../electron/core/db/migrate.js';
import { storeFromDb } from '../../electron/core/db/store.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import { manualClock } from '../helpers/clock.js';
import { createTestDb } from '../helpers/db.js';
import { FakeYahoo } from '../helpers/fakeYahoo.js';
import { tempDir } from '../helpers/tempDir.js';
import { makeVoucher } from '../helpers/vouchers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function start() {
  const dir = tempDir();
  const clock = manualClock();
  const yahoo = new FakeYahoo(clock.now);
  const log = createLogger({ sink: createMemorySink() });
  const settingsStore = createMemorySettingsStore();
  const core: Core = await createCore({
    dataDir: dir.path,
    settingsStore,
    secretCipher: createMemoryOnlyCipher(),
    env: { YAHOO_BASE_URL: 'https://yahoo.example', YAHOO_API_KEY: 'k', YAHOO_SHARED_SECRET: 's' },
    now: clock.now,
    log,
    version: 'test',
    backgroundSync: false,
    createYahooApi: () => yahoo,
  });
  cleanups.push(() => dir.remove());
  cleanups.push(() => core.close());
  await core.handlers.startShift({ operatorName: 'Amy' });
  const call = (name: string, payload: unknown) => dispatch(core.handlers, name, payload, log);
  return { core, yahoo, clock, call, settingsStore };
}

/** A voucher queued while working offline, then made `status` at Yahoo and delivered: a conflict. */
async function conflictOf(desk: Awaited<ReturnType<typeof start>>) {
  const v = makeVoucher({ buyerDetails: { name: '楊于慧', phone: '0912063990' } });
  desk.yahoo.add(v);
  await desk.core.handlers.lookupVoucher({ serial: v.serialNumber, prefer: 'remote' });
  await desk.core.handlers.setWorkOffline({ workOffline: true });
  const queued = await desk.core.handlers.redeemVoucher({ serial: v.serialNumber });
  desk.yahoo.setStatus(v.serialNumber, 'REFUNDED');
  await desk.core.handlers.setWorkOffline({ workOffline: false });
  await desk.core.deliverOutbox();
  return { v, id: queued.redemptionId };
}

describe('sync status and work offline', () => {
  it('work offline persists, answers offline, queues redemptions and pushes syncStatusChanged', async () => {
    const desk = await start();
    const pushed: SyncStatus[] = [];
    desk.core.onSyncStatusChanged((s) => pushed.push(s));
    const v = makeVoucher();
    desk.yahoo.add(v);
    await desk.core.handlers.lookupVoucher({ serial: v.serialNumber, prefer: 'remote' });
    expect(await desk.core.handlers.getSyncStatus({})).toMatchObject({
      connectivity: 'online',
      workOffline: false,
      queued: 0,
      conflicts: 0,
      cachedVouchers: 1,
      sync: null,
    });
    const off = await desk.core.handlers.setWorkOffline({ workOffline: true });
    expect(off).toMatchObject({ connectivity: 'offline', workOffline: true });
    expect(desk.settingsStore.get('workOffline')).toBe(true);
    const calls = desk.yahoo.calls.length;
    expect((await desk.core.handlers.redeemVoucher({ serial: v.serialNumber })).outcome).toBe('queued');
    expect(desk.yahoo.calls.length).toBe(calls);
    const status = await desk.core.handlers.getSyncStatus({});
    expect(status.queued).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(pushed.at(-1)).toMatchObject({ queued: 1, workOffline: true });
    expect(pushed.at(-1)!.revision).toBeGreaterThan(0);
  });
});

describe('listOutbox and resolveConflict', () => {
  it('lists a conflict with a masked name and no phone, resolves it once, and never deletes it', async () => {
    const desk = await start();
    const { id } = await conflictOf(desk);
    const open = await desk.call('listOutbox', {});
    expect(open).toMatchObject({ ok: true });
    const [entry] = (open as { ok: true; value: Record<string, unknown>[] }).value;
    expect(entry).toMatchObject({
      redemptionId: id,
      state: 'conflict',
      buyerNameMasked: '楊*慧',
      operatorName: 'Amy',
      conflict: { reason: 'refunded', yahooStatus: 'REFUNDED', resolution: null },
    });
    expect(JSON.stringify(open)).not.toContain('0912063990');
    expect(JSON.stringify(open)).not.toContain('楊于慧');
    expect((await desk.core.handlers.getSyncStatus({})).conflicts).toBe(1);

    desk.clock.advance(60_000);
    const resolved = await desk.call('resolveConflict', {
      redemptionId: id,
      resolution: 'contacted_buyer',
      note: 'Called the buyer',
    });
    expect(resolved).toMatchObject({
      ok: true,
      value: {
        state: 'conflict',
        conflict: {
          resolution: 'contacted_buyer',
          note: 'Called the buyer',
          resolvedBy: 'Amy',
          resolvedAt: desk.clock.now().toISOString(),
        },
      },
    });
    expect((await desk.core.handlers.getSyncStatus({})).conflicts).toBe(0);
    expect(await desk.call('listOutbox', { filter: 'open' })).toEqual({ ok: true, value: [] });
    const all = await desk.core.handlers.listOutbox({ filter: 'conflicts', limit: 10 });
    expect(all.map((e) => e.redemptionId)).toEqual([id]);

    // Only once: a resolved conflict is not resolved again.
    expect(
      await desk.call('resolveConflict', { redemptionId: id, resolution: 'written_off', note: 'again' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad_input' },
    });
  });

  it('refuses to resolve what is not a conflict, or does not exist, with bad_input', async () => {
    const desk = await start();
    const v = makeVoucher();
    desk.yahoo.add(v);
    const redeemed = await desk.core.handlers.redeemVoucher({ serial: v.serialNumber });
    expect(redeemed.outcome).toBe('redeemed');
    for (const redemptionId of [redeemed.redemptionId, 'R-00000000']) {
      expect(await desk.call('resolveConflict', { redemptionId, resolution: 'written_off', note: 'x' })).toMatchObject({
        ok: false,
        error: { code: 'bad_input' },
      });
    }
    expect(
      await desk.call('resolveConflict', { redemptionId: redeemed.redemptionId, resolution: 'nonsense', note: 'x' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad_input' },
    });
    const [entry] = await desk.core.handlers.listOutbox({ filter: 'all', limit: 10 });
    expect(entry).toMatchObject({ state: 'delivered', conflict: null });
  });
});

describe('migration 0020', () => {
  it('keeps issue 2 rows valid; a pending one becomes a maybe-applied row to settle by query', () => {
    const t = createTestDb({ upTo: 10 });
    cleanups.push(t.close);
    const insert = t.db.prepare(
      `INSERT INTO redemptions (id, nonce, serial_number, order_id, station, operator, redeem_at, created_at, state, completed_at, attempts)
       VALUES (?, ?, 'S1', 'YM1', 'Desk', 'Amy', 'Desk · x', '2025-06-01T00:00:00.000Z', ?, ?, 1)`,
    );
    insert.run('R-00000001', 'n1', 'pending', null);
    insert.run('R-00000002', 'n2', 'redeemed', '2025-06-01T00:00:01.000Z');
    migrate(t.db);
    const store = storeFromDb(t.db);
    expect(store.redemptions.get('R-00000001')).toMatchObject({
      state: 'pending',
      mayHaveApplied: true,
      honoured: false,
    });
    expect(store.redemptions.get('R-00000002')).toMatchObject({
      state: 'redeemed',
      confirmedByQuery: false,
      conflict: null,
    });
    expect(() => t.db.prepare(`UPDATE redemptions SET state = 'conflict' WHERE id = 'R-00000002'`).run()).toThrow(
      /CHECK/,
    );
    const plan = t.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT * FROM redemptions WHERE state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY created_at LIMIT 5`,
      )
      .all('2030') as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX redemptions_due/);
  });
});
