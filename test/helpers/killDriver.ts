/**
 * A desk in a child process, for the durability kill test (test/integration/durability-kill.test.ts).
 * Env: KILL_SANDBOX_URL, KILL_API_KEY, KILL_SHARED_SECRET, KILL_DATA_DIR, KILL_SERIALS (comma-separated),
 * KILL_MODE ('redeem' or 'flush').
 *
 * redeem: opens the core (its outbox starts replaying at once), prints READY, redeems each serial
 * and prints "ACK <serial> <outcome> <redemptionId>" only after the core answered, then delivers
 * the outbox and prints DONE. flush: delivers until nothing is queued, then prints DONE.
 * The parent SIGKILLs it at random moments; nothing here cleans up on purpose.
 */
import { createCore } from '../../electron/core/app.js';
import { createMemoryOnlyCipher } from '../../electron/core/config/secrets.js';
import { createConfSettingsStore } from '../../electron/core/config/settings.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import { createYahooClient } from '../../electron/core/yahoo/client.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const say = (line: string): void => {
  process.stdout.write(`${line}\n`); // a pipe: written synchronously on Linux, so a printed ACK is out before a kill
};

async function main(): Promise<void> {
  const dataDir = env('KILL_DATA_DIR');
  const core = await createCore({
    dataDir,
    settingsStore: createConfSettingsStore(dataDir),
    secretCipher: createMemoryOnlyCipher(),
    env: {
      YAHOO_BASE_URL: env('KILL_SANDBOX_URL'),
      YAHOO_API_KEY: env('KILL_API_KEY'),
      YAHOO_SHARED_SECRET: env('KILL_SHARED_SECRET'),
      VOUCHER_DESK_STATION: 'Kill desk',
    },
    log: createLogger({ sink: createMemorySink() }),
    version: 'kill-test',
    backgroundSync: false,
    outbox: { backoff: { baseMs: 50, capMs: 500 } },
    connectivity: { probeIntervalMs: 200 },
    createYahooApi: (credentials) => createYahooClient({ ...credentials, timeoutMs: 1500 }),
  });
  say('READY');
  if (process.env['KILL_MODE'] === 'flush') {
    for (let round = 0; round < 50; round++) {
      const stats = await core.deliverOutbox();
      if (stats.stillQueued === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const status = await core.handlers.getSyncStatus({});
    say(`FLUSHED queued=${status.queued} conflicts=${status.conflicts}`);
  } else {
    const serials = (process.env['KILL_SERIALS'] ?? '').split(',').filter(Boolean);
    for (const serial of serials) {
      try {
        const result = await core.handlers.redeemVoucher({ serial });
        say(`ACK ${serial} ${result.outcome} ${result.redemptionId}`);
      } catch (error) {
        say(`ERR ${serial} ${(error as { code?: string }).code ?? 'unknown'}`);
      }
    }
    await core.deliverOutbox();
  }
  say('DONE');
  await core.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`driver failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
