/**
 * The outbox against the real Yahoo sandbox over HTTP, with its fault knobs: every queued
 * redemption ends delivered, confirmed by query, or a conflict; nothing reaches Yahoo twice.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NO_FAULTS, startYahooSandbox, type YahooSandbox } from '../../electron/core/sandbox/yahoo/index.js';
import type { VoucherStatus } from '../../shared/domain/voucher.js';
import { startSandboxCore, type SandboxCore } from '../helpers/sandboxCore.js';

let sandbox: YahooSandbox;
let desk: SandboxCore;

beforeAll(async () => {
  sandbox = await startYahooSandbox({ voucherCount: 50 });
  desk = await startSandboxCore(sandbox, { timeoutMs: 700 });
});

afterAll(async () => {
  await desk?.close();
  await sandbox?.close();
});

afterEach(async () => {
  sandbox.setFaults(NO_FAULTS);
  await desk.call('setWorkOffline', { workOffline: false });
});

/** A fresh UNUSED voucher at the sandbox, looked up once so the desk has it cached. */
async function cachedVoucher(): Promise<string> {
  const v = sandbox.addVoucher({ serialNumber: `OB${Math.random().toString(36).slice(2, 12).toUpperCase()}` });
  await desk.call('lookupVoucher', { serial: v.serialNumber, prefer: 'remote' });
  return v.serialNumber;
}

const ledgerFor = (serial: string) => sandbox.ledger.filter((l) => l.serialNumber === serial);
const redeemCalls = () => sandbox.requests.filter((r) => r.path.endsWith('/redeem')).length;

async function entry(redemptionId: string) {
  const all = await desk.call('listOutbox', { filter: 'all', limit: 1000 });
  return all.find((e) => e.redemptionId === redemptionId);
}

async function queueOffline(serial: string): Promise<string> {
  await desk.call('setWorkOffline', { workOffline: true });
  const result = await desk.call('redeemVoucher', { serial });
  expect(result.outcome).toBe('queued');
  return result.redemptionId;
}

describe('outbox against the sandbox', () => {
  it('work offline: redeem is queued with no call to Yahoo; back online it is delivered automatically', async () => {
    const serial = await cachedVoucher();
    const before = sandbox.requests.length;
    const id = await queueOffline(serial);
    expect(sandbox.requests.length).toBe(before);
    expect(await desk.call('getSyncStatus', {})).toMatchObject({
      connectivity: 'offline',
      workOffline: true,
      queued: 1,
    });
    const card = await desk.call('lookupVoucher', { serial, prefer: 'remote' });
    expect(card).toMatchObject({
      kind: 'found',
      source: 'cache',
      localRedemption: { redemptionId: id, state: 'queued' },
    });

    await desk.call('setWorkOffline', { workOffline: false }); // recovery kicks the outbox
    await expect.poll(async () => (await entry(id))?.state, { timeout: 5000 }).toBe('delivered');
    expect(ledgerFor(serial)).toHaveLength(1);
    expect(ledgerFor(serial)[0]?.redeemAt).toContain(id);
    expect((await desk.call('getSyncStatus', {})).queued).toBe(0);
  });

  it('5xx and a flaky Yahoo: retried with backoff until delivered, exactly one ledger entry', async () => {
    const serials = [await cachedVoucher(), await cachedVoucher(), await cachedVoucher()];
    const ids = [];
    for (const serial of serials) ids.push(await queueOffline(serial));
    await desk.call('setWorkOffline', { workOffline: true });
    sandbox.setFaults({ status5xx: true });
    await desk.call('setWorkOffline', { workOffline: false });
    const first = await desk.core.deliverOutbox();
    expect(first.delivered).toBe(0);
    for (const id of ids) expect((await entry(id))?.state).toBe('queued');
    expect((await entry(ids[0]!))?.lastError).toMatch(/http 500/);

    sandbox.setFaults({ status5xx: false, errorRate: 0.5 });
    for (let round = 0; round < 30 && (await desk.call('getSyncStatus', {})).queued > 0; round++) {
      await desk.core.deliverOutbox();
    }
    for (const [i, id] of ids.entries()) {
      expect(['delivered', 'confirmed']).toContain((await entry(id))?.state);
      expect(ledgerFor(serials[i]!)).toHaveLength(1);
    }
  });

  it('a connection cut after Yahoo applied it: confirmed by query, never resent', async () => {
    const serial = await cachedVoucher();
    const id = await queueOffline(serial);
    sandbox.setFaults({ resetAfterApply: true });
    await desk.call('setWorkOffline', { workOffline: false });
    await desk.core.deliverOutbox(); // the send applies and is cut; so is the query
    expect(ledgerFor(serial)).toHaveLength(1);
    expect(await entry(id)).toMatchObject({ state: 'queued' });
    sandbox.setFaults(NO_FAULTS);
    const sends = redeemCalls();
    const stats = await desk.core.deliverOutbox();
    expect(stats).toMatchObject({ delivered: 1, confirmedByQuery: 1 });
    expect(redeemCalls()).toBe(sends);
    expect(await entry(id)).toMatchObject({ state: 'confirmed' });
    expect(ledgerFor(serial)).toHaveLength(1);
  });

  it('Yahoo hangs: the send times out, the row waits, then is delivered once Yahoo answers', async () => {
    const serial = await cachedVoucher();
    const id = await queueOffline(serial);
    sandbox.setFaults({ hang: true });
    await desk.call('setWorkOffline', { workOffline: false });
    await desk.core.deliverOutbox();
    expect(await entry(id)).toMatchObject({ state: 'queued' });
    expect((await entry(id))?.lastError).toMatch(/timeout/);
    expect(ledgerFor(serial)).toHaveLength(0);
    sandbox.setFaults(NO_FAULTS);
    await desk.call('lookupVoucher', { serial: 'NOSUCH00001', prefer: 'remote' }); // Yahoo answers again
    await expect.poll(async () => (await entry(id))?.state, { timeout: 8000 }).toMatch(/^(delivered|confirmed)$/);
    expect(ledgerFor(serial)).toHaveLength(1);
  });

  it.each([
    ['USED', 'used'],
    ['REFUNDED', 'refunded'],
    ['CANCELLED', 'cancelled'],
    ['REFUNDPENDING', 'refund_pending'],
  ] as [VoucherStatus, string][])(
    'a voucher made %s at Yahoo before delivery ends as a conflict (%s), kept for a person',
    async (status, reason) => {
      const serial = await cachedVoucher();
      const id = await queueOffline(serial);
      sandbox.setVoucherStatus(serial, status);
      await desk.call('setWorkOffline', { workOffline: false });
      await desk.core.deliverOutbox();
      expect(await entry(id)).toMatchObject({
        state: 'conflict',
        conflict: { reason, yahooStatus: status, resolution: null },
      });
      expect(ledgerFor(serial)).toHaveLength(0);
      const open = await desk.call('listOutbox', { filter: 'open', limit: 100 });
      expect(open.map((e) => e.redemptionId)).toContain(id);
      const card = await desk.call('lookupVoucher', { serial, prefer: 'cache' });
      expect(card).toMatchObject({ localRedemption: { redemptionId: id, state: 'conflict' } });

      const resolved = await desk.call('resolveConflict', {
        redemptionId: id,
        resolution: 'collected_payment',
        note: 'customer paid cash',
      });
      expect(resolved.conflict).toMatchObject({ resolution: 'collected_payment', note: 'customer paid cash' });
      expect((await desk.call('listOutbox', { filter: 'open', limit: 100 })).map((e) => e.redemptionId)).not.toContain(
        id,
      );
      expect((await desk.call('listOutbox', { filter: 'conflicts', limit: 100 })).map((e) => e.redemptionId)).toContain(
        id,
      );
    },
  );

  it('an expired voucher at delivery time is a conflict (expired)', async () => {
    const v = sandbox.addVoucher({
      serialNumber: 'OBEXPIRESOON1',
      expireTime: new Date(Date.now() + 1500).toISOString(),
    });
    await desk.call('lookupVoucher', { serial: v.serialNumber, prefer: 'remote' });
    const id = await queueOffline(v.serialNumber);
    await new Promise((r) => setTimeout(r, 1600));
    await desk.call('setWorkOffline', { workOffline: false });
    await desk.core.deliverOutbox();
    expect(await entry(id)).toMatchObject({ state: 'conflict', conflict: { reason: 'expired' } });
  });

  it('sync reports what it delivered and what it pulled', async () => {
    const serial = await cachedVoucher();
    await queueOffline(serial);
    await desk.call('setWorkOffline', { workOffline: false });
    const summary = await desk.call('syncNow', {});
    expect(summary.error).toBeNull();
    expect(summary.pulled).toBeGreaterThan(0);
    expect(summary.delivered).toBeGreaterThanOrEqual(0);
    expect(summary.stillQueued).toBe(0);
    expect(ledgerFor(serial)).toHaveLength(1);
    const status = await desk.call('getSyncStatus', {});
    expect(status.lastSyncAt).not.toBeNull();
    expect(status.lastSyncError).toBeNull();
  });

  it('sync while working offline stops early with a network error and says so', async () => {
    await desk.call('setWorkOffline', { workOffline: true });
    const summary = await desk.call('syncNow', {});
    expect(summary.error?.code).toBe('network');
    expect((await desk.call('getSyncStatus', {})).lastSyncError).toMatch(/offline/i);
  });
});
