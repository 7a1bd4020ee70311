/**
 * The daily catalog sync (catalog/service.ts scheduleDaily) through the core against the WAUG
 * sandbox: it runs shortly after start when the cache is older than a day (here: never synced),
 * not again while it is fresh, never while the clerk works offline; closing the core during a
 * sync stops it cleanly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListGoodsResult } from '../../shared/contract.js';
import { startWaugSandbox, type WaugSandbox } from '../../electron/core/sandbox/waug/index.js';
import { createWaugClient } from '../../electron/core/waug/client.js';
import { startWaugCore, type WaugCore } from '../helpers/waugCore.js';

let waug: WaugSandbox;

beforeAll(async () => {
  waug = await startWaugSandbox({ webhookScanEveryMs: 0, rateLimit: { limit: null, windowMs: 10_000 } });
});
afterAll(async () => {
  await waug?.close();
});

const listings = () => waug.requests.filter((r) => r.method === 'GET' && r.path === '/v1/goods').length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function deskWith(schedule: {
  firstAfterMs: number;
  checkEveryMs: number;
  maxAgeMs?: number;
}): Promise<WaugCore> {
  return startWaugCore(waug, {
    core: {
      catalogSync: schedule,
      createWaugApi: (credentials) => createWaugClient({ ...credentials, rateLimit: { limit: null } }),
    },
  });
}

async function until(check: () => Promise<boolean>, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('the daily catalog sync', () => {
  it('syncs a never-synced cache shortly after start, then not again while it is fresh', async () => {
    const before = listings();
    const desk = await deskWith({ firstAfterMs: 20, checkEveryMs: 40, maxAgeMs: 60_000 });
    try {
      await until(async () => ((await desk.call('listGoods', {})) as ListGoodsResult).syncedAt !== null, 10_000);
      expect(((await desk.call('listGoods', {})) as ListGoodsResult).goods).toHaveLength(28);
      await sleep(300); // several checks later
      expect(listings() - before).toBe(1);
    } finally {
      await desk.close();
    }
  });

  it('syncs again once the last sync is older than maxAgeMs', async () => {
    const before = listings();
    const desk = await deskWith({ firstAfterMs: 20, checkEveryMs: 40, maxAgeMs: 0 });
    try {
      await until(async () => listings() - before >= 2, 10_000);
    } finally {
      await desk.close();
    }
  });

  it('waits while the clerk works offline, and syncs once back online', async () => {
    const before = listings();
    const desk = await deskWith({ firstAfterMs: 50, checkEveryMs: 40, maxAgeMs: 60_000 });
    try {
      await desk.call('setWorkOffline', { workOffline: true });
      await sleep(300);
      expect(listings()).toBe(before);
      expect(((await desk.call('listGoods', {})) as ListGoodsResult).lastSyncError).toBeNull(); // not even tried
      await desk.call('setWorkOffline', { workOffline: false });
      await until(async () => ((await desk.call('listGoods', {})) as ListGoodsResult).syncedAt !== null, 10_000);
    } finally {
      await desk.close();
    }
  });

  it('stops a running sync when the core closes', async () => {
    waug.setFaults({ latencyMs: 30 });
    try {
      const desk = await deskWith({ firstAfterMs: 60_000, checkEveryMs: 60_000 });
      const sync = desk.core.handlers.syncCatalog({});
      await sleep(100);
      const closing = desk.close();
      const summary = await sync;
      await closing;
      expect(summary.error).not.toBeNull();
      expect(summary.goods).toBeLessThan(28);
    } finally {
      waug.setFaults({ latencyMs: 0 });
    }
  });
});
