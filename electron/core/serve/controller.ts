/**
 * The one merchant server a core runs: started by the CLI (`serve`, not persisted) or from
 * Settings (setServe: persisted as enabled/port/host and restarted at app start when enabled).
 * Keeps the ServeStatus (running, url, last error, requests answered since start, and the
 * WAUG webhook URL to hand out) and tells listeners when it changes. The webhook URL carries
 * the webhook token: it goes into the status only, never into a log line.
 */
import { z } from 'zod';
import type { ServeStatus } from '../../../shared/contract.js';
import type { SettingsStore } from '../config/settings.js';
import type { Logger } from '../log/logger.js';
import type { RouteTable } from './routes.js';
import { startMerchantServer, type MerchantServer, type MerchantServerOptions } from './server.js';

/** Where setServe keeps its choice in the settings store. */
export const SERVE_SETTINGS_KEY = 'serve';

export const DEFAULT_SERVE_PORT = 8788;
export const DEFAULT_SERVE_HOST = '127.0.0.1';

const persistedSchema = z.object({
  enabled: z.boolean(),
  port: z.number().int().min(1).max(65535),
  host: z.string().min(1).max(100),
});
export type ServeSetting = z.infer<typeof persistedSchema>;

export interface ServeController {
  status(): ServeStatus;
  /** Starts (or restarts on new options) without persisting anything. */
  start(options: MerchantServerOptions): Promise<ServeStatus>;
  stop(): Promise<ServeStatus>;
  /** Persists the choice, then starts or stops accordingly. A failed start is in status().error. */
  set(setting: ServeSetting): Promise<ServeStatus>;
  /** At app start: starts the server when Settings say so. Never throws. */
  restore(): Promise<ServeStatus>;
  onChange(listener: (status: ServeStatus) => void): () => void;
  close(): Promise<void>;
}

export function createServeController(options: {
  routes: RouteTable;
  settingsStore: SettingsStore;
  log: Logger;
  now?: () => Date;
  /** The full WAUG webhook URL (token included) for the server's base URL. */
  webhookUrl?: (serverUrl: string) => string;
}): ServeController {
  const log = options.log.child({ component: 'serve' });
  let server: MerchantServer | null = null;
  let error: string | null = null;
  let requests = 0;
  const listeners = new Set<(status: ServeStatus) => void>();

  const status = (): ServeStatus => ({
    running: server !== null,
    url: server?.url ?? null,
    error,
    requests,
    waugWebhookUrl: server !== null && options.webhookUrl ? options.webhookUrl(server.url) : null,
  });
  const changed = (): void => {
    const snapshot = status();
    for (const listener of listeners) {
      try {
        listener(snapshot);
      } catch (e) {
        log.error('serveStatusChanged listener failed', { error: e });
      }
    }
  };

  // One change at a time, so a start never races a stop.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => {});
    return run;
  };

  async function stopNow(): Promise<void> {
    const running = server;
    server = null;
    if (running) await running.close();
  }

  async function startNow(serverOptions: MerchantServerOptions): Promise<ServeStatus> {
    await stopNow();
    requests = 0;
    try {
      server = await startMerchantServer(
        {
          routes: options.routes,
          log: options.log,
          ...(options.now ? { now: options.now } : {}),
          onRequest: () => {
            requests += 1;
          },
        },
        serverOptions,
      );
      error = null;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      error =
        code === 'EADDRINUSE'
          ? `Port ${serverOptions.port} is already in use.`
          : code === 'EADDRNOTAVAIL'
            ? `This computer has no address ${serverOptions.host ?? DEFAULT_SERVE_HOST}.`
            : `Could not start: ${e instanceof Error ? e.message : String(e)}`.slice(0, 200);
      log.error('merchant server did not start', { error: e });
    }
    changed();
    return status();
  }

  function persisted(): ServeSetting | null {
    const parsed = persistedSchema.safeParse(options.settingsStore.get(SERVE_SETTINGS_KEY));
    return parsed.success ? parsed.data : null;
  }

  return {
    status,
    start: (serverOptions) => serially(() => startNow(serverOptions)),
    stop: () =>
      serially(async () => {
        await stopNow();
        error = null;
        changed();
        return status();
      }),
    set: (setting) =>
      serially(async () => {
        options.settingsStore.set(SERVE_SETTINGS_KEY, persistedSchema.parse(setting));
        if (setting.enabled) return startNow({ port: setting.port, host: setting.host });
        await stopNow();
        error = null;
        changed();
        return status();
      }),
    restore: () =>
      serially(async () => {
        const setting = persisted();
        if (setting?.enabled !== true) return status();
        return startNow({ port: setting.port, host: setting.host });
      }),
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close: () =>
      serially(async () => {
        listeners.clear();
        await stopNow();
      }),
  };
}
