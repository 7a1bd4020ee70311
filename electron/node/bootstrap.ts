/**
 * Builds the core for the two plain-Node shells (command line and browser shell).
 * Under Node there is no OS keystore, so secrets are never persisted: they come from the
 * environment or are held in memory for the life of the process.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../core/app.js';
import { createMemoryOnlyCipher } from '../core/config/secrets.js';
import { createConfSettingsStore } from '../core/config/settings.js';
import { createFileLogger, type Logger } from '../core/log/logger.js';
import { APP_VERSION } from './version.js';

export interface NodeCoreOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** Start the built-in Yahoo and WAUG sandboxes when no Yahoo credentials are configured (the demo). */
  demo?: boolean;
  /** The periodic background sync; one-shot commands turn it off. */
  backgroundSync?: CoreOptions['backgroundSync'];
  /**
   * Behave as the desk application (the browser shell): restart the merchant endpoints if the
   * merchant turned them on, and in demo mode let the sandboxes play the whole life cycle.
   * One-shot CLI commands leave it off so they never take the port.
   */
  asDeskApp?: boolean;
}

export async function createNodeCore(options: NodeCoreOptions): Promise<{ core: Core; log: Logger }> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const log = createFileLogger(join(options.dataDir, 'logs', 'voucher-desk.log'));
  const core = await createCore({
    dataDir: options.dataDir,
    settingsStore: createConfSettingsStore(options.dataDir),
    secretCipher: createMemoryOnlyCipher(),
    env: options.env ?? process.env,
    log,
    version: APP_VERSION,
    ...(options.backgroundSync === undefined ? {} : { backgroundSync: options.backgroundSync }),
    ...(options.asDeskApp ? { restoreServe: true } : {}),
    ...(options.demo === false
      ? {}
      : { startDemoSandbox: async () => (await import('../core/demo.js')).startDemoSandboxes() }),
  });
  return { core, log };
}
