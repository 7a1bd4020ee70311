import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppStatus } from '../../shared/contract.js';
import {
  createCore,
  DEMO_DB_FILE,
  LIVE_DB_FILE,
  type Core,
  type CoreOptions,
  type DemoSandbox,
} from '../../electron/core/app.js';
import { createMemoryOnlyCipher } from '../../electron/core/config/secrets.js';
import { createMemorySettingsStore } from '../../electron/core/config/settings.js';
import { dispatch } from '../../electron/core/dispatch.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import { manualClock } from '../helpers/clock.js';
import { FakeYahoo } from '../helpers/fakeYahoo.js';
import { tempDir } from '../helpers/tempDir.js';
import { makeVoucher } from '../helpers/vouchers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function setup(overrides: Partial<CoreOptions> = {}) {
  const dir = tempDir();
  const clock = manualClock();
  const yahoos: { baseUrl: string; api: FakeYahoo }[] = [];
  const shared = new FakeYahoo(clock.now);
  const sink = createMemorySink();
  const options: CoreOptions = {
    dataDir: dir.path,
    settingsStore: createMemorySettingsStore(),
    secretCipher: createMemoryOnlyCipher(),
    env: {},
    now: clock.now,
    log: createLogger({ sink }),
    version: '9.9.9',
    backgroundSync: false,
    createYahooApi: (credentials) => {
      yahoos.push({ baseUrl: credentials.baseUrl, api: shared });
      return shared;
    },
    ...overrides,
  };
  return { dir, clock, yahoos, shared, options, sink };
}

async function start(options: CoreOptions, dir: { remove(): void }): Promise<Core> {
  const core = await createCore(options);
  cleanups.push(() => dir.remove());
  cleanups.push(() => core.close());
  return core;
}

function fakeSandbox(): DemoSandbox & { close: ReturnType<typeof vi.fn> } {
  return {
    baseUrl: 'http://127.0.0.1:1',
    apiKey: 'demo-key',
    sharedSecret: 'demo-secret',
    close: vi.fn(async () => {}),
  };
}

describe('createCore', () => {
  it('without credentials or a demo sandbox is unconfigured, and Yahoo calls say so', async () => {
    const { options, dir } = setup();
    const core = await start(options, dir);
    const status = await core.handlers.getAppStatus({});
    expect(status).toMatchObject({
      mode: 'unconfigured',
      version: '9.9.9',
      stationName: 'Front desk 1',
      locale: 'zh-TW',
      soundOn: true,
    });
    expect(status.shiftStartedAt).toBe('2025-06-01T02:00:00.000Z');
    const result = await dispatch(core.handlers, 'lookupVoucher', { serial: 'ABC123' }, options.log);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'not_configured' },
    });
  });

  it('with env credentials runs live against the client built from them', async () => {
    const { options, dir, yahoos, shared } = setup({
      env: {
        YAHOO_BASE_URL: 'https://yahoo.example',
        YAHOO_API_KEY: 'k',
        YAHOO_SHARED_SECRET: 's',
        VOUCHER_DESK_STATION: 'Kiosk 3',
      },
    });
    const v = makeVoucher();
    shared.add(v);
    const core = await start(options, dir);
    expect(await core.handlers.getAppStatus({})).toMatchObject({
      mode: 'live',
      stationName: 'Kiosk 3',
    });
    expect(yahoos.map((y) => y.baseUrl)).toEqual(['https://yahoo.example']);
    const redeemed = await dispatch(core.handlers, 'redeemVoucher', { serial: v.serialNumber }, options.log);
    expect(redeemed).toMatchObject({
      ok: true,
      value: { outcome: 'redeemed' },
    });
    expect(shared.calls.at(-1)?.redeemAt).toMatch(/^Kiosk 3 · R-[0-9a-f]{8}$/);
    expect(readdirSync(dir.path)).toContain(LIVE_DB_FILE);
  });

  it('starts the demo sandbox when nothing is configured, and leaves it when real credentials arrive', async () => {
    const sandbox = fakeSandbox();
    const { options, dir, yahoos } = setup({
      startDemoSandbox: async () => sandbox,
    });
    const core = await start(options, dir);
    const statuses: AppStatus[] = [];
    core.onStatusChanged((s) => statuses.push(s));
    expect((await core.handlers.getAppStatus({})).mode).toBe('demo');
    expect(yahoos.map((y) => y.baseUrl)).toEqual(['http://127.0.0.1:1']);
    expect(readdirSync(dir.path)).toContain(DEMO_DB_FILE);

    // A partial configuration changes nothing about the mode.
    await core.handlers.updateSettings({
      yahooBaseUrl: 'https://yahoo.example',
      yahooApiKey: 'key',
    });
    expect((await core.handlers.getAppStatus({})).mode).toBe('demo');

    const view = await core.handlers.updateSettings({
      sharedSecret: 'real-secret',
    });
    expect(view).toMatchObject({
      hasSharedSecret: true,
      secretStorage: 'memory-only',
      yahooBaseUrl: 'https://yahoo.example',
    });
    expect(JSON.stringify(view)).not.toContain('real-secret');
    expect(sandbox.close).toHaveBeenCalledTimes(1);
    expect(yahoos.map((y) => y.baseUrl)).toEqual(['http://127.0.0.1:1', 'https://yahoo.example']);
    expect(statuses.at(-1)?.mode).toBe('live');
  });

  it('returns to demo when the secret is cleared', async () => {
    const started: DemoSandbox[] = [];
    const { options, dir } = setup({
      startDemoSandbox: async () => {
        const s = fakeSandbox();
        started.push(s);
        return s;
      },
      env: { YAHOO_BASE_URL: 'https://yahoo.example', YAHOO_API_KEY: 'k' },
    });
    const core = await start(options, dir);
    expect((await core.handlers.getAppStatus({})).mode).toBe('demo');
    await core.handlers.updateSettings({ sharedSecret: 'x' });
    expect((await core.handlers.getAppStatus({})).mode).toBe('live');
    await core.handlers.updateSettings({ sharedSecret: '' });
    expect((await core.handlers.getAppStatus({})).mode).toBe('demo');
    expect(started).toHaveLength(2);
  });

  it('falls back to unconfigured when the demo sandbox cannot start', async () => {
    const { options, dir, sink } = setup({
      startDemoSandbox: async () => {
        throw new Error('port in use');
      },
    });
    const core = await start(options, dir);
    expect((await core.handlers.getAppStatus({})).mode).toBe('unconfigured');
    expect(sink.lines.join('\n')).toContain('could not start the demo sandbox');
  });

  it('startShift sets operator and shift start, pushes the status, and scopes the shift list', async () => {
    const { options, dir, clock, shared } = setup({
      env: {
        YAHOO_BASE_URL: 'https://yahoo.example',
        YAHOO_API_KEY: 'k',
        YAHOO_SHARED_SECRET: 's',
      },
    });
    const before = makeVoucher();
    const after = makeVoucher();
    shared.add(before, after);
    const core = await start(options, dir);
    await core.handlers.redeemVoucher({ serial: before.serialNumber });
    clock.advance(60_000);
    const pushed: AppStatus[] = [];
    const unsubscribe = core.onStatusChanged((s) => pushed.push(s));
    const status = await core.handlers.startShift({ operatorName: 'Ben' });
    expect(status).toMatchObject({
      operatorName: 'Ben',
      shiftStartedAt: clock.now().toISOString(),
    });
    expect(pushed).toEqual([status]);
    unsubscribe();
    clock.advance(1000);
    await core.handlers.redeemVoucher({ serial: after.serialNumber });
    const list = await core.handlers.listShiftRedemptions({});
    expect(list.map((r) => [r.serialNumber, r.operatorName, r.outcome])).toEqual([
      [after.serialNumber, 'Ben', 'redeemed'],
    ]);
    await core.handlers.startShift({ operatorName: 'Cat' });
    expect(pushed).toHaveLength(1);
  });

  it('getSettings never reveals the secret, and settings survive through the store', async () => {
    const store = createMemorySettingsStore();
    const { options, dir } = setup({ settingsStore: store });
    const core = await start(options, dir);
    await core.handlers.updateSettings({
      stationName: 'Desk 7',
      locale: 'en',
      soundOn: false,
      sharedSecret: 'abc',
      allowOfflineRedeem: false,
      retentionDays: 30,
    });
    expect(await core.handlers.getSettings({})).toEqual({
      allowOfflineRedeem: false,
      retentionDays: 30,
      syncWindowDays: 30,
      yahooBaseUrl: '',
      yahooApiKey: '',
      hasSharedSecret: true,
      secretStorage: 'memory-only',
      stationName: 'Desk 7',
      operatorName: '',
      locale: 'en',
      soundOn: false,
      waugEnvironment: 'beta',
      waugBaseUrl: '',
      waugClientId: '',
      hasWaugClientSecret: false,
      hasManagerPin: false,
      waugBookingContact: null,
    });
    expect([...store.data.values()]).not.toContain('abc');
  });

  it('close() closes the client and the sandbox and is idempotent', async () => {
    const sandbox = fakeSandbox();
    const { options, dir, shared } = setup({
      startDemoSandbox: async () => sandbox,
    });
    const core = await createCore(options);
    cleanups.push(() => dir.remove());
    await core.close();
    await core.close();
    expect(sandbox.close).toHaveBeenCalledTimes(1);
    expect(shared.closed).toBe(true);
  });
});
