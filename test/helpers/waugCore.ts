/**
 * A core on its own temp data folder with WAUG live against a WAUG sandbox over real HTTP (and,
 * when given, Yahoo live against a Yahoo sandbox), the background sync off.
 */
import { join } from 'node:path';
import { createCore, LIVE_DB_FILE, type CoreOptions } from '../../electron/core/app.js';
import { createMemoryOnlyCipher } from '../../electron/core/config/secrets.js';
import { createConfSettingsStore } from '../../electron/core/config/settings.js';
import { openDatabase, type Db } from '../../electron/core/db/open.js';
import { dispatch } from '../../electron/core/dispatch.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import type { WaugSandbox } from '../../electron/core/sandbox/waug/index.js';
import type { YahooSandbox } from '../../electron/core/sandbox/yahoo/index.js';
import { createWaugClient } from '../../electron/core/waug/client.js';
import { createYahooClient } from '../../electron/core/yahoo/client.js';
import type { SandboxCore } from './sandboxCore.js';
import { tempDir } from './tempDir.js';

export interface WaugCore extends SandboxCore {
  /** A second connection to the live database (WAL), for making the cache stale on purpose. */
  openDb(): Db;
}

export async function startWaugCore(
  waug: Pick<WaugSandbox, 'baseUrl' | 'clientId' | 'clientSecret'>,
  options: {
    yahoo?: Pick<YahooSandbox, 'baseUrl' | 'apiKey' | 'sharedSecret'>;
    waugTimeoutMs?: number;
    core?: Partial<CoreOptions>;
  } = {},
): Promise<WaugCore> {
  const dir = tempDir('voucher-desk-orders-');
  const sink = createMemorySink();
  const log = createLogger({ sink, level: 'debug' });
  const core = await createCore({
    dataDir: dir.path,
    settingsStore: createConfSettingsStore(dir.path),
    secretCipher: createMemoryOnlyCipher(),
    env: {
      WAUG_BASE_URL: waug.baseUrl,
      WAUG_CLIENT_ID: waug.clientId,
      WAUG_CLIENT_SECRET: waug.clientSecret,
      ...(options.yahoo
        ? {
            YAHOO_BASE_URL: options.yahoo.baseUrl,
            YAHOO_API_KEY: options.yahoo.apiKey,
            YAHOO_SHARED_SECRET: options.yahoo.sharedSecret,
          }
        : {}),
    },
    log,
    version: 'test',
    backgroundSync: false,
    outbox: { random: () => 0 },
    createYahooApi: (credentials) => createYahooClient(credentials),
    createWaugApi: (credentials) =>
      createWaugClient({
        ...credentials,
        ...(options.waugTimeoutMs === undefined ? {} : { timeoutMs: options.waugTimeoutMs }),
      }),
    ...options.core,
  });
  const raw = (name: Parameters<SandboxCore['raw']>[0], request: unknown) =>
    dispatch(core.handlers, name, request, log);
  const extra: Db[] = [];
  return {
    core,
    dataDir: dir.path,
    logLines: sink.lines,
    raw,
    async call(name, request) {
      const result = await raw(name, request);
      if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
      return result.value as never;
    },
    openDb() {
      const db = openDatabase(join(dir.path, LIVE_DB_FILE));
      extra.push(db);
      return db;
    },
    async close() {
      for (const db of extra) if (db.open) db.close();
      await core.close();
      dir.remove();
    },
  };
}
