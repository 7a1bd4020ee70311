/**
 * Offline redemption and the outbox worker, over a temp database and an in-memory Yahoo:
 * every branch of delivery, the local "already used" guard, re-validation of rows read back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { VoucherStatus } from '../../shared/domain/voucher.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import { createOutboxWorker, type OutboxWorker } from '../../electron/core/sync/outbox.js';
import { counterHarness } from '../helpers/counter.js';
import { yahooError } from '../helpers/fakeYahoo.js';
import { deskError } from '../helpers/rejection.js';
import { makeVoucher } from '../helpers/vouchers.js';

let h: ReturnType<typeof counterHarness>;
let worker: OutboxWorker;
let logSink: ReturnType<typeof createMemorySink>;
afterEach(async () => {
  await worker?.stop();
  h?.close();
});

function setup(options: { random?: () => number } = {}) {
  h = counterHarness();
  logSink = createMemorySink();
  worker = createOutboxWorker({
    redemptions: h.store.redemptions,
    delivery: h.counter.delivery,
    locks: h.counter.locks,
    yahoo: () => h.yahoo,
    offline: () => false,
    now: h.clock.now,
    log: createLogger({ sink: logSink }),
    random: options.random ?? (() => 0.5),
    timers: { setTimeout: () => 0, clearTimeout: () => {} },
  });
}

async function cached(overrides: Parameters<typeof makeVoucher>[0] = {}) {
  const v = makeVoucher(overrides);
  h.yahoo.add(v);
  await h.counter.lookupVoucher(v.serialNumber, 'remote');
  h.clock.advance(1000);
  return v;
}

/** Redeemed while the desk is offline: queued, no call to Yahoo. */
async function queued(overrides: Parameters<typeof makeVoucher>[0] = {}) {
  const v = await cached(overrides);
  h.setOffline(true);
  const result = await h.counter.redeemVoucher(v.serialNumber);
  h.setOffline(false);
  expect(result.outcome).toBe('queued');
  return { v, id: result.redemptionId };
}

const auditOf = (id: string) =>
  h.store.audit
    .recent(200)
    .filter((e) => e.redemptionId === id)
    .reverse()
    .map((e) => e.outcome);

describe('redeeming offline', () => {
  it('queues a cached redeemable voucher: row and audit in one transaction, before any call, with a nonce', async () => {
    setup();
    const v = await cached();
    const calls = h.yahoo.calls.length;
    h.setOffline(true);
    const result = await h.counter.redeemVoucher(v.serialNumber);
    expect(result).toMatchObject({
      outcome: 'queued',
      status: null,
      reason: null,
      voucher: { serialNumber: v.serialNumber },
    });
    expect(h.yahoo.calls.length).toBe(calls);
    const row = h.store.redemptions.get(result.redemptionId);
    expect(row).toMatchObject({ state: 'pending', honoured: true, mayHaveApplied: false, attempts: 0 });
    expect(row?.nonce).toMatch(/^[0-9a-f-]{36}$/);
    expect(auditOf(result.redemptionId)).toEqual(['queued']);
    expect(h.outboxChanges()).toBeGreaterThan(0);
    expect(await h.counter.lookupVoucher(v.serialNumber, 'remote')).toMatchObject({
      source: 'cache',
      localRedemption: { redemptionId: result.redemptionId, state: 'queued' },
    });
    expect(h.counter.listShiftRedemptions('Front desk 1', '2000-01-01T00:00:00Z')[0]?.outcome).toBe('queued');
  });

  it('refuses a second local redemption of a queued serial, without asking Yahoo', async () => {
    setup();
    const { v, id } = await queued();
    const calls = h.yahoo.calls.length;
    const again = await h.counter.redeemVoucher(v.serialNumber);
    expect(again).toMatchObject({ outcome: 'rejected', reason: 'used', status: null });
    expect(again.redemptionId).not.toBe(id);
    expect(h.yahoo.calls.length).toBe(calls);
    expect(h.store.audit.recent(1)[0]?.detail).toBe(`already queued at this desk as ${id}`);
    expect(h.store.redemptions.pending()).toHaveLength(1);
  });

  it('offline with an uncached voucher: the existing network error, nothing queued', async () => {
    setup();
    h.setOffline(true);
    h.yahoo.offline = true;
    const error = await deskError(h.counter.redeemVoucher('NOTCACHED1'));
    expect(error.code).toBe('network');
    expect(error.message).toMatch(/not in this desk’s cache/);
    expect(h.store.redemptions.pending()).toEqual([]);
  });

  it('offline redemption switched off: the send is tried and fails with network, nothing queued', async () => {
    setup();
    const v = await cached();
    h.setAllowOffline(false);
    h.setOffline(true);
    h.yahoo.offline = true;
    expect((await deskError(h.counter.redeemVoucher(v.serialNumber))).code).toBe('network');
    expect(h.store.redemptions.pending()).toEqual([]);
  });

  it('a send that never left is queued (not sent, so no query is needed later)', async () => {
    setup();
    const v = await cached();
    h.yahoo.redeemScripts.push('refused-before-send');
    const result = await h.counter.redeemVoucher(v.serialNumber);
    expect(result.outcome).toBe('queued');
    expect(h.store.redemptions.get(result.redemptionId)).toMatchObject({
      honoured: true,
      mayHaveApplied: false,
      attempts: 1,
    });
    expect(auditOf(result.redemptionId)).toEqual(['sending', 'queued']);
    const stats = await worker.drain();
    expect(stats).toMatchObject({ delivered: 1, confirmedByQuery: 0 });
    expect(h.yahoo.count('redeem')).toBe(2);
  });

  it('an ambiguous send whose query fails too is queued as maybe-applied; the worker queries first and confirms', async () => {
    setup();
    const v = await cached();
    h.yahoo.redeemScripts.push('apply-then-timeout');
    h.yahoo.queryFaults.push(yahooError('network'));
    const result = await h.counter.redeemVoucher(v.serialNumber);
    expect(result.outcome).toBe('queued');
    expect(h.store.redemptions.get(result.redemptionId)).toMatchObject({ honoured: true, mayHaveApplied: true });
    const stats = await worker.drain();
    expect(stats).toMatchObject({ delivered: 1, confirmedByQuery: 1 });
    expect(h.yahoo.count('redeem')).toBe(1); // never resent
    expect(h.store.redemptions.get(result.redemptionId)).toMatchObject({ state: 'redeemed', confirmedByQuery: true });
  });
});

describe('the outbox worker, per branch', () => {
  it('delivers a queued row: same redeemAt, audited', async () => {
    setup();
    const { id } = await queued();
    const stats = await worker.drain();
    expect(stats).toMatchObject({ attempted: 1, delivered: 1, stillQueued: 0 });
    expect(h.yahoo.calls.at(-1)).toMatchObject({ op: 'redeem', redeemAt: `Front desk 1 · ${id}` });
    expect(auditOf(id)).toEqual(['queued', 'sending', 'redeemed']);
  });

  it('ambiguous, then USED and unclaimed: confirmed by query', async () => {
    setup();
    const { id } = await queued();
    h.yahoo.redeemScripts.push('apply-then-timeout');
    expect(await worker.drain()).toMatchObject({ delivered: 1, confirmedByQuery: 1 });
    expect(h.store.redemptions.get(id)).toMatchObject({ state: 'redeemed', confirmedByQuery: true });
  });

  it('ambiguous, then still UNUSED: not applied, resent on the next try', async () => {
    setup();
    const { id } = await queued();
    h.yahoo.redeemScripts.push('timeout-not-applied');
    expect(await worker.drain()).toMatchObject({ delivered: 0, stillQueued: 1 });
    expect(h.store.redemptions.get(id)).toMatchObject({ state: 'pending', mayHaveApplied: false });
    expect(await worker.drain()).toMatchObject({ delivered: 1 });
    expect(h.yahoo.count('redeem')).toBe(2);
  });

  it('network failure: stays queued, next try by backoff with jitter', async () => {
    setup({ random: () => 0.5 });
    const { id } = await queued();
    h.yahoo.redeemScripts.push('refused-before-send');
    expect(await worker.drain()).toMatchObject({ delivered: 0, stillQueued: 1 });
    const row = h.store.redemptions.get(id)!;
    expect(row).toMatchObject({ state: 'pending', attempts: 1, mayHaveApplied: false, lastError: 'yahoo network' });
    // 1 try so far: half of base 2 s.
    expect(Date.parse(row.nextAttemptAt!) - h.clock.now().getTime()).toBe(1000);
    expect(auditOf(id).at(-1)).toBe('waiting');
  });

  it.each([
    ['USED', 'used'],
    ['REFUNDPENDING', 'refund_pending'],
    ['REFUNDED', 'refunded'],
    ['CANCELLED', 'cancelled'],
  ] as [VoucherStatus, string][])('12001 and the voucher %s at Yahoo: conflict (%s)', async (status, reason) => {
    setup();
    const { v, id } = await queued();
    h.yahoo.setStatus(v.serialNumber, status, 'Front desk 9 · R-00000000');
    expect(await worker.drain()).toMatchObject({ conflicts: 1, delivered: 0 });
    expect(h.store.redemptions.get(id)).toMatchObject({
      state: 'conflict',
      yahooStatus: status,
      conflict: { reason, resolution: null },
    });
    expect(auditOf(id).at(-1)).toBe('conflict');
    expect(h.store.redemptions.counts()).toEqual({ queued: 0, unresolvedConflicts: 1 });
  });

  it('12001 because the voucher expired meanwhile: conflict (expired)', async () => {
    setup();
    const { v, id } = await queued();
    h.yahoo.get(v.serialNumber)!.expireTime = h.clock.now().toISOString();
    h.clock.advance(1000);
    await worker.drain();
    expect(h.store.redemptions.get(id)?.conflict?.reason).toBe('expired');
  });

  it('12001 and Yahoo no longer knows the voucher: conflict (not_found)', async () => {
    setup();
    const { v, id } = await queued();
    h.yahoo.vouchers.delete(v.serialNumber);
    await worker.drain();
    expect(h.store.redemptions.get(id)).toMatchObject({ state: 'conflict', conflict: { reason: 'not_found' } });
  });

  it('a maybe-applied row USED but claimed by another redemption of this desk is a conflict, not ours', async () => {
    setup();
    const { v, id } = await queued();
    h.store.db.prepare(`UPDATE redemptions SET may_have_applied = 1 WHERE id = ?`).run(id);
    h.yahoo.setStatus(v.serialNumber, 'USED', 'Front desk 2 · R-0badc0de');
    await worker.drain();
    expect(h.store.redemptions.get(id)).toMatchObject({ state: 'conflict', conflict: { reason: 'used' } });
  });

  it('rows the clerk never saw answered are only settled: applied → confirmed, not applied → failed, never sent → failed', async () => {
    setup();
    const applied = await cached();
    const notApplied = await cached();
    const neverSent = await cached();
    const insert = (serial: string, id: string, mayHaveApplied: boolean, orderId: string) =>
      h.store.redemptions.insert({
        id,
        nonce: `n-${id}`,
        serialNumber: serial,
        voucherId: null,
        orderId,
        orderItemId: null,
        station: 'Front desk 1',
        operator: 'Amy',
        redeemAt: `Front desk 1 · ${id}`,
        createdAt: h.clock.now().toISOString(),
        state: 'pending',
        reason: null,
        attempts: mayHaveApplied ? 1 : 0,
        mayHaveApplied,
      });
    insert(applied.serialNumber, 'R-0000000a', true, applied.orderId);
    h.yahoo.setStatus(applied.serialNumber, 'USED', null); // the desk died before reading Yahoo's answer
    insert(notApplied.serialNumber, 'R-0000000b', true, notApplied.orderId);
    insert(neverSent.serialNumber, 'R-0000000c', false, neverSent.orderId);
    const stats = await worker.drain();
    expect(stats).toMatchObject({ delivered: 1, confirmedByQuery: 1, failed: 2 });
    expect(h.store.redemptions.get('R-0000000a')?.state).toBe('redeemed');
    expect(h.store.redemptions.get('R-0000000b')?.state).toBe('failed');
    expect(h.store.redemptions.get('R-0000000c')?.state).toBe('failed');
    expect(h.yahoo.count('redeem')).toBe(0); // settling never sends
  });

  it('one attempt in flight per voucher: a serial held by the clerk is skipped and tried later', async () => {
    setup();
    const { v, id } = await queued();
    const release = h.counter.locks.tryAcquire(v.serialNumber)!;
    expect(await worker.drain()).toMatchObject({ attempted: 0, stillQueued: 1 });
    release();
    expect(await worker.drain()).toMatchObject({ delivered: 1 });
    expect(h.store.redemptions.get(id)?.state).toBe('redeemed');
  });

  it('a corrupted row is reported and left alone; the other rows are still delivered', async () => {
    setup();
    const { id } = await queued();
    const bad = await cached();
    h.store.db
      .prepare(
        `INSERT INTO redemptions (id, nonce, serial_number, order_id, station, operator, redeem_at, created_at, state, attempts, honoured)
         VALUES ('R-NOTHEX', 'n-bad', ?, ?, 'Front desk 1', 'Amy', 'x', '2025-06-01T00:00:00.000Z', 'pending', 0, 1)`,
      )
      .run(bad.serialNumber, bad.orderId);
    const stats = await worker.drain();
    expect(stats).toMatchObject({ delivered: 1, corrupt: 1 });
    expect(h.store.redemptions.get(id)?.state).toBe('redeemed');
    expect(worker.corrupt.map((c) => c.id)).toEqual(['R-NOTHEX']);
    expect(logSink.lines.join('\n')).toMatch(/failed validation/);
    expect(h.yahoo.calls.filter((c) => c.serial === bad.serialNumber && c.op === 'redeem')).toEqual([]);
    // Still there, untouched: failed work is never deleted.
    expect(h.store.db.prepare(`SELECT state FROM redemptions WHERE id = 'R-NOTHEX'`).pluck().get()).toBe('pending');
  });

  it('the kick runs a pass on its own', async () => {
    setup();
    const { id } = await queued();
    worker.kick();
    await expect.poll(() => h.store.redemptions.get(id)?.state).toBe('redeemed');
  });
});
