/**
 * Outbox drain (issue 3 item 9): 1,000 redemptions queued while working offline, then delivered
 * to the sandbox over local HTTP. Prints the time and the Yahoo calls it took; never asserts.
 *   npx tsx bench/outbox.bench.ts
 */
import { createCore } from '../electron/core/app.js';
import { createMemoryOnlyCipher } from '../electron/core/config/secrets.js';
import { createConfSettingsStore } from '../electron/core/config/settings.js';
import { createLogger, createMemorySink } from '../electron/core/log/logger.js';
import { startYahooSandbox } from '../electron/core/sandbox/yahoo/index.js';
import { tempDir } from '../test/helpers/tempDir.js';

const QUEUED = 1000;

async function drain(concurrency: number, faults: { errorRate?: number; latencyMs?: number }): Promise<void> {
  const sandbox = await startYahooSandbox({ voucherCount: 20 });
  const dir = tempDir('voucher-desk-bench-');
  const core = await createCore({
    dataDir: dir.path,
    settingsStore: createConfSettingsStore(dir.path),
    secretCipher: createMemoryOnlyCipher(),
    env: { YAHOO_BASE_URL: sandbox.baseUrl, YAHOO_API_KEY: sandbox.apiKey, YAHOO_SHARED_SECRET: sandbox.sharedSecret },
    log: createLogger({ sink: createMemorySink() }),
    version: 'bench',
    backgroundSync: false,
    outbox: { concurrency },
  });
  try {
    const now = Math.floor(Date.now() / 1000) * 1000; // Yahoo keeps whole seconds
    // Created a minute apart, as real orders are: the pull splits its windows by creation time.
    const serials = Array.from(
      { length: QUEUED },
      (_, i) =>
        sandbox.addVoucher({
          serialNumber: `BENCH${String(i).padStart(6, '0')}`,
          createdTime: new Date(now - (i + 1) * 60_000).toISOString(),
        }).serialNumber,
    );
    const pulled = await core.handlers.syncNow({}); // the desk caches them, as the background sync would
    await core.handlers.setWorkOffline({ workOffline: true });
    const queueStart = performance.now();
    for (const serial of serials) {
      const result = await core.handlers.redeemVoucher({ serial });
      if (result.outcome !== 'queued') throw new Error(`${serial}: ${result.outcome}`);
    }
    const queueMs = performance.now() - queueStart;

    sandbox.setFaults(faults);
    const callsBefore = sandbox.requests.length;
    const t0 = performance.now();
    await core.handlers.setWorkOffline({ workOffline: false });
    let rounds = 0;
    while ((await core.handlers.getSyncStatus({})).queued > 0 && rounds < 100) {
      await core.deliverOutbox();
      rounds += 1;
    }
    const ms = performance.now() - t0;
    const calls = sandbox.requests.slice(callsBefore);
    const redeems = calls.filter((r) => r.path.endsWith('/redeem')).length;
    const status = await core.handlers.getSyncStatus({});
    const label = `concurrency ${concurrency}${faults.errorRate ? `, errorRate ${faults.errorRate}` : ''}${faults.latencyMs ? `, latency ${faults.latencyMs} ms` : ''}`;
    console.log(
      `outbox drain (${label}): ${QUEUED} queued in ${queueMs.toFixed(0)} ms (${(queueMs / QUEUED).toFixed(2)} ms each, pulled ${pulled.pulled}); ` +
        `drained in ${ms.toFixed(0)} ms (${((QUEUED / ms) * 1000).toFixed(0)}/s), ${calls.length} Yahoo calls ` +
        `(${redeems} redeem, ${calls.length - redeems} query), ledger ${sandbox.ledger.length}, still queued ${status.queued}, conflicts ${status.conflicts}`,
    );
  } finally {
    await core.close();
    await sandbox.close();
    dir.remove();
  }
}

await drain(2, {});
await drain(4, {});
await drain(2, { errorRate: 0.1 });
await drain(2, { latencyMs: 5 });
