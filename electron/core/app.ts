/**
 * Builds the core from the adapters a shell passes in. This is the one object the Electron
 * shell, the CLI and the browser shell hold; it never imports 'electron'.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AppStatus, DeskHandlers } from '../../shared/contract.js';
import { createSettingsService, type EnvOverrides, type YahooCredentials } from './config/deskSettings.js';
import type { SecretCipher } from './config/secrets.js';
import type { SettingsStore } from './config/settings.js';
import { createCounter, type Counter } from './counter/counter.js';
import { openDeskStore, type DeskStore } from './db/store.js';
import type { Logger } from './log/logger.js';
import type { YahooApi } from './yahoo/api.js';

/** A Yahoo client the core may drop when settings change; close() releases its sockets. */
export type ClosableYahooApi = YahooApi & { close?(): void };

/** The built-in Yahoo simulator, as the shells start it for the demo. */
export interface DemoSandbox {
  baseUrl: string;
  apiKey: string;
  sharedSecret: string;
  close(): Promise<void> | void;
}

export type CoreMode = AppStatus['mode'];

export interface CoreOptions {
  /** Folder for the SQLite files (created by the shell). */
  dataDir: string;
  settingsStore: SettingsStore;
  secretCipher: SecretCipher;
  /** YAHOO_BASE_URL, YAHOO_API_KEY, YAHOO_SHARED_SECRET, VOUCHER_DESK_STATION; the shell passes process.env. */
  env?: EnvOverrides;
  now?: () => Date;
  log: Logger;
  version: string;
  /** Defaults to the real HTTP client (electron/core/yahoo/client.ts), imported on first use. */
  createYahooApi?: (credentials: YahooCredentials) => ClosableYahooApi | Promise<ClosableYahooApi>;
  /** Started when no Yahoo credentials are configured: the core then runs in 'demo' mode. */
  startDemoSandbox?: () => Promise<DemoSandbox>;
}

export interface Core {
  handlers: DeskHandlers;
  onStatusChanged(listener: (status: AppStatus) => void): () => void;
  close(): Promise<void>;
}

/** The live database; the demo keeps its own so sandbox vouchers never mix with real ones. */
export const LIVE_DB_FILE = 'voucher-desk.sqlite';
export const DEMO_DB_FILE = 'demo.sqlite';

interface Workspace {
  store: DeskStore;
  counter: Counter;
}

const defaultCreateYahooApi = async (credentials: YahooCredentials): Promise<ClosableYahooApi> => {
  const { createYahooClient } = await import('./yahoo/client.js');
  return createYahooClient({
    baseUrl: credentials.baseUrl,
    apiKey: credentials.apiKey,
    sharedSecret: credentials.sharedSecret,
  });
};

export async function createCore(options: CoreOptions): Promise<Core> {
  const now = options.now ?? (() => new Date());
  const log = options.log.child({ component: 'core' });
  const createYahooApi = options.createYahooApi ?? defaultCreateYahooApi;
  const settings = createSettingsService({
    store: options.settingsStore,
    cipher: options.secretCipher,
    env: options.env ?? {},
    log: log.child({ component: 'settings' }),
  });

  let mode: CoreMode = 'unconfigured';
  let yahoo: ClosableYahooApi | null = null;
  let sandbox: DemoSandbox | null = null;
  let closed = false;
  const workspaces = new Map<string, Workspace>();
  let current: Workspace;
  const listeners = new Set<(status: AppStatus) => void>();

  if (settings.read().shiftStartedAt === null) settings.startShift(settings.read().operatorName, now());

  const identity = () => {
    const s = settings.read();
    return { station: s.stationName, operator: s.operatorName };
  };

  function workspace(file: string, fresh = false): Workspace {
    const path = join(options.dataDir, file);
    const open = workspaces.get(path);
    if (open && !fresh) return open;
    if (open) {
      open.counter.flushAudit();
      open.store.close();
      workspaces.delete(path);
    }
    if (fresh) for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    const store = openDeskStore(path);
    const counter = createCounter({
      store,
      yahoo: () => yahoo,
      identity,
      now,
      log: log.child({ component: 'counter' }),
    });
    const created = { store, counter };
    workspaces.set(path, created);
    return created;
  }

  function status(): AppStatus {
    const s = settings.read();
    return {
      mode,
      version: options.version,
      stationName: s.stationName,
      operatorName: s.operatorName,
      locale: s.locale,
      soundOn: s.soundOn,
      shiftStartedAt: s.shiftStartedAt ?? now().toISOString(),
    };
  }

  function emitStatus(): void {
    const snapshot = status();
    for (const listener of listeners) {
      try {
        listener(snapshot);
      } catch (error) {
        log.error('status listener failed', { error });
      }
    }
  }

  function dropYahoo(): void {
    yahoo?.close?.();
    yahoo = null;
  }

  async function stopSandbox(): Promise<void> {
    const running = sandbox;
    sandbox = null;
    if (running) await running.close();
  }

  /** Chooses live, demo or unconfigured from the current credentials, and (re)builds the client. */
  async function configure(): Promise<void> {
    const credentials = settings.yahooCredentials();
    dropYahoo();
    if (credentials) {
      await stopSandbox();
      current = workspace(LIVE_DB_FILE);
      try {
        yahoo = await createYahooApi(credentials);
        mode = 'live';
      } catch (error) {
        log.error('could not build the Yahoo client; check the settings', {
          error,
        });
        mode = 'unconfigured';
      }
      return;
    }
    if (options.startDemoSandbox) {
      try {
        const startedNow = sandbox === null;
        sandbox ??= await options.startDemoSandbox();
        // A new sandbox starts from its seed data, so the demo cache and redemptions start afresh too.
        current = workspace(DEMO_DB_FILE, startedNow);
        yahoo = await createYahooApi({
          baseUrl: sandbox.baseUrl,
          apiKey: sandbox.apiKey,
          sharedSecret: sandbox.sharedSecret,
        });
        mode = 'demo';
        log.info('running in demo mode against the built-in Yahoo sandbox');
        return;
      } catch (error) {
        log.error('could not start the demo sandbox', { error });
        await stopSandbox().catch(() => {});
      }
    }
    current = workspace(LIVE_DB_FILE);
    mode = 'unconfigured';
  }

  // Settings changes and close() run one at a time, so the client is never half rebuilt.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => {});
    return run;
  };

  current = workspace(LIVE_DB_FILE);
  await serially(configure);

  const handlers: DeskHandlers = {
    lookupVoucher: ({ serial, prefer }) => current.counter.lookupVoucher(serial, prefer),
    redeemVoucher: ({ serial }) => current.counter.redeemVoucher(serial),
    listShiftRedemptions: async () => {
      const s = status();
      return current.counter.listShiftRedemptions(s.stationName, s.shiftStartedAt);
    },
    startShift: async ({ operatorName }) => {
      settings.startShift(operatorName, now());
      emitStatus();
      return status();
    },
    getAppStatus: async () => status(),
    getSettings: async () => settings.view(),
    updateSettings: async (update) => {
      const { yahooChanged } = settings.update(update);
      if (yahooChanged) await serially(configure);
      emitStatus();
      return settings.view();
    },
  };

  return {
    handlers,
    onStatusChanged(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close: () =>
      serially(async () => {
        if (closed) return;
        closed = true;
        listeners.clear();
        dropYahoo();
        for (const ws of workspaces.values()) {
          ws.counter.flushAudit();
          ws.store.close();
        }
        workspaces.clear();
        await stopSandbox();
      }),
  };
}
