/**
 * Builds the core from the adapters a shell passes in. This is the one object the Electron
 * shell, the CLI and the browser shell hold; it never imports 'electron'.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EventName } from '../../shared/channels.js';
import type {
  AppStatus,
  BookingDraftSummary,
  DeskHandlers,
  EventPayload,
  ServeStatus,
  SyncStatus,
} from '../../shared/contract.js';
import {
  createSettingsService,
  type EnvOverrides,
  type WaugCredentials,
  type YahooCredentials,
} from './config/deskSettings.js';
import { createManagerPin } from './config/managerPin.js';
import type { SecretCipher } from './config/secrets.js';
import type { SettingsStore } from './config/settings.js';
import { createCounter, type Counter } from './counter/counter.js';
import { createBookingService, type BookingDrainStats } from './bookings/service.js';
import { createWaugWebhookHandler, WAUG_WEBHOOK_PATH } from './webhooks/waug.js';
import { WAUG_WEBHOOK_TOKEN_PARAM } from './webhooks/token.js';
import { mappingsOf } from './db/mappings.js';
import type { SerialEntry, VoucherChange } from './db/serials.js';
import { openDeskStore, type DeskStore } from './db/store.js';
import type { Logger } from './log/logger.js';
import { createWaugReachability } from './orders/reachability.js';
import { createOrderService } from './orders/service.js';
import { createCatalogService, type CatalogSchedule } from './catalog/service.js';
import { createSerialService } from './serials/service.js';
import { createCounterBookingService, type ImportedBooking } from './counterBooking/service.js';
import type { IssuancePolicy } from './counterBooking/issuance.js';
import type { MerchantCredentials } from './serve/auth.js';
import { createServeController } from './serve/controller.js';
import { createRouteTable } from './serve/routes.js';
import type { MerchantServer, MerchantServerOptions } from './serve/server.js';
import { yahooMerchantRoutes } from './serve/yahooEndpoints.js';
import type { BackoffPolicy } from './sync/backoff.js';
import { createConnectivityMonitor, type ConnectivityOptions } from './sync/connectivity.js';
import { createOutboxWorker, type DrainStats, type OutboxWorker } from './sync/outbox.js';
import { createSyncService, type SyncService } from './sync/service.js';
import type { WaugApi, WaugOrderRequest } from './waug/api.js';
import type { YahooApi } from './yahoo/api.js';

/** A Yahoo client the core may drop when settings change; close() releases its sockets. */
export type ClosableYahooApi = YahooApi & { close?(): void };
/** The same for WAUG. */
export type ClosableWaugApi = WaugApi & { close?(): void };

/** The built-in Yahoo simulator, as the shells start it for the demo (electron/core/demo.ts). */
export interface DemoSandbox {
  baseUrl: string;
  apiKey: string;
  sharedSecret: string;
  /** The WAUG sandbox linked to it (same clock, orders linked to its vouchers), when running. */
  waug?: { baseUrl: string; clientId: string; clientSecret: string };
  /**
   * Issue 5: the sandboxes play the other side against the merchant server: WAUG webhooks go to
   * `webhookUrl`, and the Yahoo sandbox sells a mapped voucher now (and every `sellEveryMs`).
   */
  playOtherSide?(merchant: {
    merchantUrl: string;
    webhookUrl: string;
    sellEveryMs?: number;
  }): Promise<{ sold: string[]; status: number }>;
  /** Closes both. */
  close(): Promise<void> | void;
}

export type CoreMode = AppStatus['mode'];
export type WaugMode = AppStatus['waugMode'];

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
  /** Defaults to the real WAUG client (electron/core/waug/client.ts), imported on first use. */
  createWaugApi?: (credentials: WaugCredentials) => ClosableWaugApi | Promise<ClosableWaugApi>;
  /** WAUG reachability judging (tests). */
  waugReachability?: { offlineAfter?: number; retryMs?: number };
  /** Started when no Yahoo credentials are configured: the core then runs in 'demo' mode. */
  startDemoSandbox?: () => Promise<DemoSandbox>;
  /**
   * The background sync (pull, deliver, purge): once shortly after start and then every
   * intervalMs. On by default; false for one-shot commands and tests that count Yahoo calls.
   */
  backgroundSync?: false | { intervalMs?: number; firstAfterMs?: number };
  /**
   * The daily WAUG catalog sync (catalog/service.ts scheduleDaily). Default: on when the
   * background sync is, so one-shot commands and tests that pass backgroundSync: false stay quiet.
   */
  catalogSync?: false | Partial<CatalogSchedule>;
  /**
   * The counter bookings' background work at start (purge, settling interrupted creates,
   * following recent issuances). Default: on when the background sync is, so a one-shot command
   * does not start polling WAUG for drafts it never touches.
   */
  bookingRecovery?: boolean;
  /** Outbox delivery tuning (tests and the bench). */
  outbox?: { concurrency?: number; backoff?: BackoffPolicy; random?: () => number };
  /** Connectivity judging and the offline probe (tests). */
  connectivity?: ConnectivityOptions;
  /** Start the merchant server at start when Settings enabled it (the desktop app; not one-shot commands). */
  restoreServe?: boolean;
  /**
   * Demo mode: start the merchant server on a free loopback port, map the demo product and let
   * the sandboxes sell, book and send webhooks (demo.ts). Default: as restoreServe (the desktop app).
   */
  demoLifecycle?: boolean | { sellEveryMs?: number };
  /** WAUG booking retries (tests). */
  bookings?: { backoff?: BackoffPolicy };
  /** How a counter booking's voucher issuance is followed (tests). */
  counterBooking?: { issuance?: Partial<IssuancePolicy> };
}

export interface Core {
  handlers: DeskHandlers;
  onStatusChanged(listener: (status: AppStatus) => void): () => void;
  /** Pushed as the 'syncStatusChanged' event: connectivity, the outbox counts, a sync's progress. */
  onSyncStatusChanged(listener: (status: SyncStatus) => void): () => void;
  /** A cached voucher changed outside the desk's own calls (Yahoo issued, cancelled or notified). */
  onVoucherChanged(listener: (change: VoucherChange) => void): () => void;
  /** The merchant server started, stopped or failed. */
  onServeStatusChanged(listener: (status: ServeStatus) => void): () => void;
  /** Starts the merchant endpoints without persisting the choice (CLI `serve`); throws when it cannot. */
  startMerchantServer(options: MerchantServerOptions): Promise<MerchantServer>;
  /** Serials issued for a Yahoo order (CLI `serials`). */
  listSerials(orderId: string): SerialEntry[];
  /** A WAUG order in the cache changed (webhook, booking): the 'orderChanged' event. */
  onOrderChanged(listener: (change: { orderNumber: string }) => void): () => void;
  /** The WAUG catalog cache changed (a full sync: goodsId null; one goods re-read): 'catalogChanged'. */
  onCatalogChanged(listener: (change: { goodsId: string | null }) => void): () => void;
  /** Tries every queued WAUG booking once now; for the CLI and tests. */
  drainBookings(): Promise<BookingDrainStats>;
  /** A counter booking draft changed (state, voucher issuance): the 'bookingDraftChanged' event. */
  onBookingDraftChanged(listener: (summary: BookingDraftSummary) => void): () => void;
  /** CLI `book --file`: a draft under the request's own partner number, or the order already booked under it. */
  importBookingRequest(request: WaugOrderRequest): Promise<ImportedBooking>;
  /** The URL (on the merchant server's base URL) to give WAUG for its webhooks, token included. */
  waugWebhookUrl(baseUrl: string): string;
  /**
   * Any push event of the contract, by its name. The shells forward every name in
   * EVENT_CHANNELS through this, so a new event cannot be forgotten by one of them.
   */
  onEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Tries every queued redemption once now (what `sync` does after pulling); for the CLI and tests. */
  deliverOutbox(): Promise<DrainStats>;
  close(): Promise<void>;
}

/** A successful Yahoo call kicks the outbox at most this often. */
const SUCCESS_KICK_MIN_GAP_MS = 5_000;

export const BACKGROUND_SYNC_DEFAULTS = Object.freeze({ intervalMs: 10 * 60_000, firstAfterMs: 5_000 });

/** The live database; the demo keeps its own so sandbox vouchers never mix with real ones. */
export const LIVE_DB_FILE = 'voucher-desk.sqlite';
export const DEMO_DB_FILE = 'demo.sqlite';

interface Workspace {
  store: DeskStore;
  counter: Counter;
  outbox: OutboxWorker;
}

const defaultCreateYahooApi = async (credentials: YahooCredentials): Promise<ClosableYahooApi> => {
  const { createYahooClient } = await import('./yahoo/client.js');
  return createYahooClient({
    baseUrl: credentials.baseUrl,
    apiKey: credentials.apiKey,
    sharedSecret: credentials.sharedSecret,
  });
};

const defaultCreateWaugApi = async (credentials: WaugCredentials): Promise<ClosableWaugApi> => {
  const { createWaugClient } = await import('./waug/client.js');
  return createWaugClient({
    baseUrl: credentials.baseUrl,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
  });
};

export async function createCore(options: CoreOptions): Promise<Core> {
  const now = options.now ?? (() => new Date());
  const log = options.log.child({ component: 'core' });
  const createYahooApi = options.createYahooApi ?? defaultCreateYahooApi;
  const createWaugApi = options.createWaugApi ?? defaultCreateWaugApi;
  const settings = createSettingsService({
    store: options.settingsStore,
    cipher: options.secretCipher,
    env: options.env ?? {},
    log: log.child({ component: 'settings' }),
  });

  let mode: CoreMode = 'unconfigured';
  let waugMode: WaugMode = 'unconfigured';
  let yahoo: ClosableYahooApi | null = null;
  let waug: ClosableWaugApi | null = null;
  let sandbox: DemoSandbox | null = null;
  let closed = false;
  const workspaces = new Map<string, Workspace>();
  let current: Workspace;
  const listeners = new Set<(status: AppStatus) => void>();

  if (settings.read().shiftStartedAt === null) settings.startShift(settings.read().operatorName, now());

  const connectivity = createConnectivityMonitor(options.connectivity);
  connectivity.setWorkOffline(settings.read().workOffline);
  const random = options.outbox?.random ?? Math.random;

  const identity = () => {
    const s = settings.read();
    return { station: s.stationName, operator: s.operatorName };
  };

  const waugReachability = createWaugReachability({
    workOffline: () => connectivity.workOffline,
    ...options.waugReachability,
  });
  const pin = createManagerPin({ store: options.settingsStore, now });
  const orders = createOrderService({
    store: () => current.store,
    waug: () => waug,
    reachability: waugReachability,
    pin,
    identity: () => {
      const s = settings.read();
      return { station: s.stationName, operator: s.operatorName };
    },
    now,
    log: log.child({ component: 'orders' }),
  });

  // The WAUG catalog cache (issue 6): browsed offline, re-read on GOODS_UPDATE and before an order.
  const catalogListeners = new Set<(change: { goodsId: string | null }) => void>();
  const catalog = createCatalogService({
    store: () => current.store,
    waug: () => waug,
    reachability: waugReachability,
    now,
    log: log.child({ component: 'catalog' }),
    onChanged: (goodsId) => {
      for (const listener of catalogListeners) {
        try {
          listener({ goodsId });
        } catch (error) {
          log.error('catalogChanged listener failed', { error });
        }
      }
    },
  });

  // WAUG bookings for mapped order items, and WAUG's webhooks (issue 5).
  const orderListeners = new Set<(change: { orderNumber: string }) => void>();
  const emitOrderChanged = (orderNumber: string): void => {
    for (const listener of orderListeners) {
      try {
        listener({ orderNumber });
      } catch (error) {
        log.error('orderChanged listener failed', { error });
      }
    }
  };
  const bookingContact = settings.bookingContact;
  let demoContact: (() => ReturnType<typeof bookingContact.read>) | null = null;
  const bookings = createBookingService({
    store: () => current.store,
    waug: () => waug,
    contact: () => bookingContact.read() ?? (mode === 'demo' && demoContact ? demoContact() : null),
    now,
    log: log.child({ component: 'bookings' }),
    random,
    ...(options.bookings?.backoff === undefined ? {} : { backoff: options.bookings.backoff }),
    onChange: () => sync.changed(),
    onOrderChanged: emitOrderChanged,
  });
  const waugWebhooks = createWaugWebhookHandler({
    store: () => current.store,
    waug: () => waug,
    catalog,
    token: () => settings.webhookToken(),
    now,
    log: log.child({ component: 'webhooks' }),
    onOrderChanged: emitOrderChanged,
  });

  // Booking at the counter (issue 6): drafts, validation, one order per draft, voucher followed.
  const draftListeners = new Set<(summary: BookingDraftSummary) => void>();
  const counterBooking = createCounterBookingService({
    store: () => current.store,
    waug: () => waug,
    reachability: waugReachability,
    catalog,
    locale: () => settings.read().locale,
    now,
    log: log.child({ component: 'counter-booking' }),
    onOrderChanged: emitOrderChanged,
    onDraftChanged: (summary) => {
      for (const listener of draftListeners) {
        try {
          listener(summary);
        } catch (error) {
          log.error('bookingDraftChanged listener failed', { error });
        }
      }
    },
    ...(options.counterBooking?.issuance === undefined ? {} : { issuance: options.counterBooking.issuance }),
  });
  // Every order change (webhook, booking, issuance followed) reaches the draft that booked it.
  orderListeners.add(({ orderNumber }) => counterBooking.orderChanged(orderNumber));

  const sync: SyncService = createSyncService({
    bookingCounts: () => bookings.counts(),
    workspace: () => current,
    yahoo: () => yahoo,
    connectivity,
    settings,
    now,
    log: log.child({ component: 'sync' }),
    pullOrders: () => (waug === null ? null : (days) => orders.syncRecent(days)),
  });

  // Yahoo → merchant endpoints (serve). Yahoo signs with the credentials we use to call it: the
  // live ones, or the demo sandbox's in demo mode. WAUG's webhook routes register into serveRoutes.
  const serials = createSerialService({
    store: () => current.store,
    now,
    log,
    titleFor: (productId, specId) => mappingsOf(current.store.db).get(productId, specId)?.label ?? null,
  });
  const merchantCredentials = (): MerchantCredentials | null => {
    if (mode === 'live') {
      const credentials = settings.yahooCredentials();
      return credentials && { apiKey: credentials.apiKey, sharedSecret: credentials.sharedSecret };
    }
    if (mode === 'demo' && sandbox) return { apiKey: sandbox.apiKey, sharedSecret: sandbox.sharedSecret };
    return null;
  };
  const serveRoutes = createRouteTable(yahooMerchantRoutes({ credentials: merchantCredentials, serials, now }));
  const waugWebhookUrl = (baseUrl: string): string =>
    `${baseUrl.replace(/\/+$/, '')}${WAUG_WEBHOOK_PATH}?${WAUG_WEBHOOK_TOKEN_PARAM}=${settings.webhookToken()}`;
  const serve = createServeController({
    routes: serveRoutes,
    settingsStore: options.settingsStore,
    log,
    now,
    webhookUrl: waugWebhookUrl,
  });
  serveRoutes.register(waugWebhooks.route);
  serials.onSerialsIssued((issued) => void bookings.onSerialsIssued(issued));

  async function closeWorkspace(ws: Workspace): Promise<void> {
    await ws.outbox.stop();
    ws.counter.flushAudit();
    ws.store.close();
  }

  async function workspace(file: string, fresh = false): Promise<Workspace> {
    const path = join(options.dataDir, file);
    const open = workspaces.get(path);
    if (open && !fresh) return open;
    if (open) {
      workspaces.delete(path);
      await closeWorkspace(open);
    }
    if (fresh) for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    const store = openDeskStore(path);
    const counter = createCounter({
      store,
      yahoo: () => yahoo,
      identity,
      now,
      log: log.child({ component: 'counter' }),
      offline: () => connectivity.offline,
      allowOfflineRedeem: () => settings.read().allowOfflineRedeem,
      onOutboxChanged: () => {
        sync.outboxChanged();
        created.outbox.kick();
      },
      random,
    });
    // The worker needs the counter's delivery and locks, and the counter kicks the worker.
    const created = { store, counter } as Workspace;
    created.outbox = createOutboxWorker({
      redemptions: store.redemptions,
      delivery: counter.delivery,
      locks: counter.locks,
      // Only the workspace in use talks to Yahoo: live rows never go to the demo sandbox, nor back.
      yahoo: () => (current === created ? yahoo : null),
      offline: () => connectivity.offline,
      now,
      log: log.child({ component: 'outbox' }),
      random,
      ...(options.outbox?.concurrency === undefined ? {} : { concurrency: options.outbox.concurrency }),
      ...(options.outbox?.backoff === undefined ? {} : { backoff: options.outbox.backoff }),
      onChange: () => sync.outboxChanged(),
    });
    workspaces.set(path, created);
    return created;
  }

  function status(): AppStatus {
    const s = settings.read();
    return {
      mode,
      waugMode,
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
    connectivity.reset();
  }

  function dropWaug(): void {
    waug?.close?.();
    waug = null;
    waugReachability.reset();
  }

  /**
   * WAUG: 'live' with credentials; 'demo' against the demo's WAUG sandbox while the Yahoo side is
   * in demo mode; otherwise 'unconfigured' (order calls answer not_configured).
   */
  async function configureWaug(): Promise<void> {
    dropWaug();
    const credentials = settings.waugCredentials();
    const demo = mode === 'demo' ? sandbox?.waug : undefined;
    const target = credentials ?? demo ?? null;
    waugMode = 'unconfigured';
    if (target === null) {
      if (mode === 'demo') log.warn('demo mode without the WAUG sandbox: orders are not available');
      return;
    }
    try {
      waug = waugReachability.wrap(await createWaugApi(target));
      waugMode = credentials ? 'live' : 'demo';
    } catch (error) {
      log.error('could not build the WAUG client; check the settings', { error });
    }
  }

  async function stopSandbox(): Promise<void> {
    const running = sandbox;
    sandbox = null;
    if (running) await running.close();
  }

  /** Both partners, Yahoo first (WAUG's demo mode follows Yahoo's). */
  async function configure(): Promise<void> {
    await configureYahoo();
    await configureWaug();
  }

  /** Chooses live, demo or unconfigured from the current credentials, and (re)builds the client. */
  async function configureYahoo(): Promise<void> {
    const credentials = settings.yahooCredentials();
    dropYahoo();
    if (credentials) {
      await stopSandbox();
      current = await workspace(LIVE_DB_FILE);
      try {
        yahoo = connectivity.wrap(await createYahooApi(credentials));
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
        current = await workspace(DEMO_DB_FILE, startedNow);
        yahoo = connectivity.wrap(
          await createYahooApi({
            baseUrl: sandbox.baseUrl,
            apiKey: sandbox.apiKey,
            sharedSecret: sandbox.sharedSecret,
          }),
        );
        mode = 'demo';
        log.info('running in demo mode against the built-in Yahoo sandbox');
        return;
      } catch (error) {
        log.error('could not start the demo sandbox', { error });
        await stopSandbox().catch(() => {});
      }
    }
    current = await workspace(LIVE_DB_FILE);
    mode = 'unconfigured';
  }

  // Settings changes and close() run one at a time, so the client is never half rebuilt.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => {});
    return run;
  };

  current = await workspace(LIVE_DB_FILE);
  await serially(configure);
  // The connection is back: waiting redemptions need not wait out their backoff.
  connectivity.onChange(({ recovered }) => {
    if (recovered) current.outbox.kick({ ignoreBackoff: true });
  });
  // Yahoo answered a call while redemptions wait: try them (at most every few seconds).
  let lastSuccessKick = 0;
  connectivity.onSuccess(() => {
    const t = Date.now();
    if (t - lastSuccessKick < SUCCESS_KICK_MIN_GAP_MS) return;
    if (current.store.db.open && current.store.redemptions.counts().queued === 0) return;
    lastSuccessKick = t;
    current.outbox.kick({ ignoreBackoff: true });
  });
  current.outbox.kick();
  if (options.restoreServe) await serve.restore();
  bookings.kick();
  if (options.bookingRecovery ?? options.backgroundSync !== false) counterBooking.start();
  const demoLifecycle = options.demoLifecycle ?? options.restoreServe === true;
  // (configure() set these; the casts undo TypeScript's narrowing to their initial values.)
  const demo = (mode as CoreMode) === 'demo' ? (sandbox as DemoSandbox | null) : null;
  if (demoLifecycle && demo?.playOtherSide) {
    // The whole life cycle from one command: sale → serial → booking → webhook → redemption.
    const { DEMO_BOOKING_CONTACT, DEMO_MAPPING } = await import('./demo.js');
    demoContact = () => DEMO_BOOKING_CONTACT;
    const mappings = mappingsOf(current.store.db);
    if (mappings.get(DEMO_MAPPING.yahooProductId, DEMO_MAPPING.yahooSpecId) === null)
      mappings.set(DEMO_MAPPING, now().toISOString());
    const running = serve.status().running ? serve.status() : await serve.start({ port: 0, host: '127.0.0.1' });
    if (running.running && running.url !== null) {
      const sellEveryMs = typeof demoLifecycle === 'object' ? demoLifecycle.sellEveryMs : undefined;
      await demo
        .playOtherSide?.({
          merchantUrl: running.url,
          webhookUrl: waugWebhookUrl(running.url),
          ...(sellEveryMs === undefined ? {} : { sellEveryMs }),
        })
        .catch((error: unknown) => log.warn('demo: the sandboxes could not play the other side', { error }));
    }
  }
  const background =
    options.backgroundSync === false ? null : { ...BACKGROUND_SYNC_DEFAULTS, ...(options.backgroundSync ?? {}) };
  const timers: ReturnType<typeof setTimeout>[] = [];
  if (background) {
    const runInBackground = () => {
      void sync.syncNow().catch((error: unknown) => log.error('background sync failed', { error }));
    };
    const first = setTimeout(runInBackground, background.firstAfterMs);
    first.unref();
    const every = setInterval(runInBackground, background.intervalMs);
    every.unref();
    timers.push(first, every);
  }
  const catalogSchedule = options.catalogSync ?? (options.backgroundSync === false ? false : {});
  if (catalogSchedule !== false) catalog.scheduleDaily(catalogSchedule);

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
      // The PIN first: a wrong current PIN refuses the whole update, nothing else is saved.
      if (update.managerPin !== undefined) await pin.change(update.managerPin.next, update.managerPin.current);
      const { yahooChanged, waugChanged } = settings.update(update);
      if (yahooChanged) {
        await serially(configure);
        current.outbox.kick();
      } else if (waugChanged) {
        await serially(configureWaug);
      }
      if (yahooChanged || waugChanged || update.waugBookingContact !== undefined)
        bookings.kick({ ignoreBackoff: true });
      emitStatus();
      sync.changed();
      return settings.view();
    },
    searchVouchers: async ({ query, limit }) => sync.search(query, limit),
    getSyncStatus: async () => sync.status(),
    setWorkOffline: async ({ workOffline }) => {
      settings.setWorkOffline(workOffline);
      connectivity.setWorkOffline(workOffline);
      return sync.status();
    },
    syncNow: () => sync.syncNow(),
    listOutbox: async ({ filter, limit }) => sync.listOutbox(filter, limit),
    resolveConflict: async (request) => sync.resolveConflict(request),
    getOrder: (request) => orders.getOrder(request),
    searchOrders: async (request) => orders.searchOrders(request),
    syncOrders: (request) => orders.syncOrders(request),
    requestRefund: (request) => orders.requestRefund(request),
    listMappings: async () => bookings.listMappings(),
    setMapping: async (mapping) => bookings.setMapping(mapping),
    removeMapping: async ({ yahooProductId, yahooSpecId }) => bookings.removeMapping(yahooProductId, yahooSpecId),
    listBookings: async ({ filter, limit }) => bookings.listBookings(filter, limit),
    retryBooking: async ({ orderItemId }) => bookings.retryBooking(orderItemId),
    getServeStatus: async () => serve.status(),
    setServe: (request) => serve.set(request),
    listGoods: async (request) => catalog.listGoods(request),
    getGoods: (request) => catalog.getGoods(request),
    getGoodsPrices: (request) => catalog.getGoodsPrices(request),
    syncCatalog: () => catalog.syncCatalog(),
    newBookingDraft: (request) => counterBooking.newDraft(request),
    saveBookingDraft: async ({ draftId, body }) => counterBooking.saveDraft(draftId, body),
    getBookingDraft: async ({ draftId }) => counterBooking.getDraft(draftId),
    listBookingDrafts: async ({ filter, limit }) => counterBooking.listDrafts(filter, limit),
    discardBookingDraft: async ({ draftId }) => counterBooking.discardDraft(draftId),
    validateBooking: ({ draftId }) => counterBooking.validate(draftId),
    createBooking: ({ draftId, confirmedTotal }) => counterBooking.create(draftId, confirmedTotal),
  };

  const core: Core = {
    handlers,
    onEvent(event, listener) {
      // Each event's own subscription; the cast is safe because the payload types are the contract's.
      const subscribe: { [E in EventName]: (l: (payload: EventPayload<E>) => void) => () => void } = {
        statusChanged: (l) => core.onStatusChanged(l),
        syncStatusChanged: (l) => core.onSyncStatusChanged(l),
        voucherChanged: (l) => core.onVoucherChanged(l),
        orderChanged: (l) => core.onOrderChanged(l),
        serveStatusChanged: (l) => core.onServeStatusChanged(l),
        catalogChanged: (l) => core.onCatalogChanged(l),
        bookingDraftChanged: (l) => core.onBookingDraftChanged(l),
      };
      return (subscribe[event] as (l: (payload: EventPayload<typeof event>) => void) => () => void)(listener);
    },
    onStatusChanged(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    onSyncStatusChanged: (listener) => sync.onChange(listener),
    onVoucherChanged: (listener) => serials.onVoucherChanged(listener),
    onServeStatusChanged: (listener) => serve.onChange(listener),
    async startMerchantServer(serverOptions) {
      const started = await serve.start(serverOptions);
      if (!started.running || started.url === null) throw new Error(started.error ?? 'merchant server did not start');
      return { url: started.url, close: async () => void (await serve.stop()) };
    },
    listSerials: (orderId) => serials.listByOrder(orderId),
    onOrderChanged(listener) {
      orderListeners.add(listener);
      return () => {
        orderListeners.delete(listener);
      };
    },
    onCatalogChanged(listener) {
      catalogListeners.add(listener);
      return () => {
        catalogListeners.delete(listener);
      };
    },
    drainBookings: () => bookings.drain(),
    onBookingDraftChanged(listener) {
      draftListeners.add(listener);
      return () => {
        draftListeners.delete(listener);
      };
    },
    importBookingRequest: (request) => counterBooking.importOrderRequest(request),
    waugWebhookUrl,
    deliverOutbox: () => current.outbox.drain(),
    close: () =>
      serially(async () => {
        if (closed) return;
        closed = true;
        listeners.clear();
        await serve.close();
        await bookings.stop();
        await counterBooking.stop();
        draftListeners.clear();
        orderListeners.clear();
        await catalog.stop();
        catalogListeners.clear();
        for (const t of timers) clearTimeout(t);
        await sync.stop();
        connectivity.stop();
        for (const ws of workspaces.values()) await ws.outbox.stop();
        dropYahoo();
        dropWaug();
        for (const ws of workspaces.values()) await closeWorkspace(ws);
        workspaces.clear();
        await stopSandbox();
      }),
  };
  return core;
}
