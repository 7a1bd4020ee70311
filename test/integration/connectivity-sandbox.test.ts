/**
 * Connectivity judged from real calls to the sandbox: Yahoo stops answering → offline after a
 * few calls; lookups then answer from the cache at once; redemptions are queued; the probe
 * notices Yahoo is back and the outbox delivers without anyone asking.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NO_FAULTS, startYahooSandbox, type YahooSandbox } from '../../electron/core/sandbox/yahoo/index.js';
import { startSandboxCore, type SandboxCore } from '../helpers/sandboxCore.js';

let sandbox: YahooSandbox;
let desk: SandboxCore;

beforeAll(async () => {
  sandbox = await startYahooSandbox({ voucherCount: 20 });
  desk = await startSandboxCore(sandbox, {
    timeoutMs: 400,
    core: { connectivity: { probeIntervalMs: 150, probeTimeoutMs: 300 } },
  });
});

afterAll(async () => {
  await desk?.close();
  await sandbox?.close();
});

it('offline after Yahoo stops answering: instant cached lookups, queued redemptions, automatic delivery on recovery', async () => {
  const serial = sandbox.addVoucher({ serialNumber: 'CONN000001' }).serialNumber;
  expect(await desk.call('lookupVoucher', { serial, prefer: 'remote' })).toMatchObject({ source: 'remote' });
  expect((await desk.call('getSyncStatus', {})).connectivity).toBe('online');

  sandbox.setFaults({ hang: true });
  // Each of these waits for the 400 ms timeout, then falls back to the cache.
  for (let i = 0; i < 2; i++) {
    expect(await desk.call('lookupVoucher', { serial, prefer: 'remote' })).toMatchObject({ source: 'cache' });
  }
  expect((await desk.call('getSyncStatus', {})).connectivity).toBe('offline');

  // Offline: a scan does not wait for Yahoo's timeout.
  const requests = sandbox.requests.length;
  const t0 = performance.now();
  const scan = await desk.call('lookupVoucher', { serial, prefer: 'remote' });
  expect(performance.now() - t0).toBeLessThan(100);
  expect(scan).toMatchObject({ source: 'cache', kind: 'found' });
  expect(sandbox.requests.length).toBeLessThanOrEqual(requests + 1); // at most a probe in between

  const queued = await desk.call('redeemVoucher', { serial });
  expect(queued.outcome).toBe('queued');
  expect(sandbox.ledger).toHaveLength(0);

  sandbox.setFaults(NO_FAULTS); // Yahoo is back: the probe notices, the outbox delivers
  await expect
    .poll(async () => (await desk.call('listOutbox', { filter: 'all', limit: 10 }))[0]?.state, { timeout: 8000 })
    .toBe('delivered');
  expect(sandbox.ledger.map((l) => l.serialNumber)).toEqual([serial]);
  expect((await desk.call('getSyncStatus', {})).connectivity).not.toBe('offline');
});
