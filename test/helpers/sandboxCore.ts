/**
 * A core on its own temp data folder, live against a Yahoo sandbox over real HTTP, with the
 * background sync off (tests decide when to sync) and quick outbox retries.
 */
import { createCore, type Core, type CoreOptions } from '../../electron/core/app.js';
import { createMemoryOnlyCipher } from '../../electron/core/config/secrets.js';
import { createConfSettingsStore } from '../../electron/core/config/settings.js';
import { dispatch } from '../../electron/core/dispatch.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import type { YahooSandbox } from '../../electron/core/sandbox/yahoo/index.js';
import { createYahooClient } from '../../electron/core/yahoo/client.js';
import type { InvokeName } from '../../shared/channels.js';
import type { Request, Response } from '../../shared/contract.js';
import { tempDir } from './tempDir.js';

export interface SandboxCore {
  core: Core;
  dataDir: string;
  logLines: string[];
  /** Through the dispatcher, like the UI; throws on {ok:false}. */
  call<N extends InvokeName>(name: N, request: Request<N>): Promise<Response<N>>;
  /** Through the dispatcher; answers the raw IpcResult. */
  raw(name: InvokeName, request: unknown): ReturnType<typeof dispatch>;
  close(): Promise<void>;
}

export async function startSandboxCore(
  sandbox: Pick<YahooSandbox, 'baseUrl' | 'apiKey' | 'sharedSecret'>,
  options: {
    station?: string;
    timeoutMs?: number;
    dataDir?: string;
    core?: Partial<CoreOptions>;
  } = {},
): Promise<SandboxCore> {
  const dir = options.dataDir === undefined ? tempDir('voucher-desk-it-') : null;
  const dataDir = options.dataDir ?? dir!.path;
  const sink = createMemorySink();
  const log = createLogger({ sink, level: 'debug' });
  const core = await createCore({
    dataDir,
    settingsStore: createConfSettingsStore(dataDir),
    secretCipher: createMemoryOnlyCipher(),
    env: {
      YAHOO_BASE_URL: sandbox.baseUrl,
      YAHOO_API_KEY: sandbox.apiKey,
      YAHOO_SHARED_SECRET: sandbox.sharedSecret,
      ...(options.station ? { VOUCHER_DESK_STATION: options.station } : {}),
    },
    log,
    version: 'test',
    backgroundSync: false,
    outbox: { random: () => 0 },
    createYahooApi: (credentials) =>
      createYahooClient({ ...credentials, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) }),
    ...options.core,
  });
  const raw = (name: InvokeName, request: unknown) => dispatch(core.handlers, name, request, log);
  return {
    core,
    dataDir,
    logLines: sink.lines,
    raw,
    async call(name, request) {
      const result = await raw(name, request);
      if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
      return result.value as never;
    },
    async close() {
      await core.close();
      dir?.remove();
    },
  };
}
