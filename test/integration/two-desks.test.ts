/**
 * Two desks, two databases, one Yahoo (the sandbox). Both redeem the same voucher while
 * offline; the later delivery must surface a conflict, and Yahoo must hold one redemption.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startYahooSandbox, type YahooSandbox } from '../../electron/core/sandbox/yahoo/index.js';
import { startSandboxCore, type SandboxCore } from '../helpers/sandboxCore.js';

let sandbox: YahooSandbox;
let deskA: SandboxCore;
let deskB: SandboxCore;

beforeAll(async () => {
  sandbox = await startYahooSandbox({ voucherCount: 20 });
  deskA = await startSandboxCore(sandbox, { station: 'Desk A' });
  deskB = await startSandboxCore(sandbox, { station: 'Desk B' });
});

afterAll(async () => {
  await deskA?.close();
  await deskB?.close();
  await sandbox?.close();
});

it('both redeem S offline; A delivers first, B ends in a conflict (used); the ledger has one entry', async () => {
  const serial = sandbox.addVoucher({ serialNumber: 'TWODESK0001' }).serialNumber;
  for (const desk of [deskA, deskB]) {
    expect(await desk.call('lookupVoucher', { serial, prefer: 'remote' })).toMatchObject({
      kind: 'found',
      verdict: { redeemable: true },
    });
    await desk.call('setWorkOffline', { workOffline: true });
  }
  const a = await deskA.call('redeemVoucher', { serial });
  const b = await deskB.call('redeemVoucher', { serial });
  expect(a.outcome).toBe('queued');
  expect(b.outcome).toBe('queued');
  expect(sandbox.ledger.filter((l) => l.serialNumber === serial)).toHaveLength(0);

  await deskA.call('setWorkOffline', { workOffline: false });
  const statsA = await deskA.core.deliverOutbox();
  expect(sandbox.ledger.filter((l) => l.serialNumber === serial)).toHaveLength(1);
  const [entryA] = await deskA.call('listOutbox', { filter: 'all', limit: 10 });
  expect(entryA).toMatchObject({ redemptionId: a.redemptionId, state: 'delivered' });
  expect(statsA.conflicts).toBe(0);

  await deskB.call('setWorkOffline', { workOffline: false });
  await deskB.core.deliverOutbox();
  const [entryB] = await deskB.call('listOutbox', { filter: 'all', limit: 10 });
  expect(entryB).toMatchObject({
    redemptionId: b.redemptionId,
    state: 'conflict',
    conflict: { reason: 'used', yahooStatus: 'USED', resolution: null },
  });
  expect(await deskB.call('getSyncStatus', {})).toMatchObject({ conflicts: 1, queued: 0 });

  const ledger = sandbox.ledger.filter((l) => l.serialNumber === serial);
  expect(ledger).toHaveLength(1);
  expect(ledger[0]?.redeemAt).toBe(`Desk A · ${a.redemptionId}`);
});
