/**
 * WAUG settings and the manager PIN: environments and env overrides, the client secret kept like
 * Yahoo's (encrypted or memory-only, never plain on disk), the PIN only as a hash, and the core's
 * waugMode following the credentials.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore, type CoreOptions, type DemoSandbox } from '../../electron/core/app.js';
import { createSettingsService, ENCRYPTED_WAUG_SECRET_KEY } from '../../electron/core/config/deskSettings.js';
import { createMemoryOnlyCipher, type SecretCipher } from '../../electron/core/config/secrets.js';
import { createConfSettingsStore, createMemorySettingsStore } from '../../electron/core/config/settings.js';
import { dispatch } from '../../electron/core/dispatch.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import type { WaugApi } from '../../electron/core/waug/api.js';
import { WAUG_ENVIRONMENTS } from '../../electron/core/waug/constants.js';
import { manualClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/tempDir.js';

const WAUG_SECRET = 'waug-cl1ent-s3cret-value';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function fileStore() {
  const dir = tempDir();
  cleanups.push(dir.remove);
  return createConfSettingsStore(dir.path);
}

function fakeEncryptedCipher(): SecretCipher {
  return {
    kind: 'encrypted',
    encrypt: (plain) => 'enc:' + Buffer.from([...plain].reverse().join('')).toString('base64'),
    decrypt: (stored) => [...Buffer.from(stored.slice(4), 'base64').toString()].reverse().join(''),
  };
}

const service = (options: Partial<Parameters<typeof createSettingsService>[0]> = {}) => {
  const sink = createMemorySink();
  return {
    sink,
    s: createSettingsService({
      store: createMemorySettingsStore(),
      cipher: createMemoryOnlyCipher(),
      log: createLogger({ sink, level: 'debug' }),
      ...options,
    }),
  };
};

describe('WAUG settings', () => {
  it('default to BETA and need a client id and secret before they are credentials', () => {
    const { s } = service();
    expect(s.view()).toMatchObject({
      waugEnvironment: 'beta',
      waugBaseUrl: '',
      waugClientId: '',
      hasWaugClientSecret: false,
      hasManagerPin: false,
    });
    expect(s.waugCredentials()).toBeNull();
    expect(s.update({ waugClientId: 'desk-1' })).toEqual({ yahooChanged: false, waugChanged: false });
    expect(s.update({ waugClientSecret: WAUG_SECRET })).toEqual({ yahooChanged: false, waugChanged: true });
    expect(s.waugCredentials()).toEqual({
      baseUrl: WAUG_ENVIRONMENTS.BETA,
      clientId: 'desk-1',
      clientSecret: WAUG_SECRET,
    });
    s.update({ waugEnvironment: 'production' });
    expect(s.waugCredentials()?.baseUrl).toBe(WAUG_ENVIRONMENTS.PRODUCTION);
    // 'custom' without a base URL is not usable.
    expect(s.update({ waugEnvironment: 'custom' }).waugChanged).toBe(true);
    expect(s.waugCredentials()).toBeNull();
    s.update({ waugBaseUrl: 'https://waug.proxy.example/api' });
    expect(s.waugCredentials()?.baseUrl).toBe('https://waug.proxy.example/api');
    expect(JSON.stringify(s.view())).not.toContain(WAUG_SECRET);
    s.update({ waugClientSecret: '' });
    expect(s.view().hasWaugClientSecret).toBe(false);
    expect(s.waugCredentials()).toBeNull();
  });

  it('take WAUG_BASE_URL (implying custom), WAUG_CLIENT_ID and WAUG_CLIENT_SECRET from the environment', () => {
    const { s } = service({
      env: { WAUG_BASE_URL: 'http://127.0.0.1:9', WAUG_CLIENT_ID: 'env-id', WAUG_CLIENT_SECRET: 'env-secret' },
    });
    expect(s.view()).toMatchObject({
      waugEnvironment: 'custom',
      waugBaseUrl: 'http://127.0.0.1:9',
      waugClientId: 'env-id',
      hasWaugClientSecret: true,
    });
    expect(s.waugCredentials()).toEqual({
      baseUrl: 'http://127.0.0.1:9',
      clientId: 'env-id',
      clientSecret: 'env-secret',
    });
  });

  it('memory-only: the client secret works for the session and is never written to the settings file', () => {
    const store = fileStore();
    const sink = createMemorySink();
    const s = createSettingsService({ store, cipher: createMemoryOnlyCipher(), log: createLogger({ sink }) });
    s.update({ waugClientId: 'desk-1', waugClientSecret: WAUG_SECRET, stationName: 'Desk 2' });
    expect(s.waugCredentials()?.clientSecret).toBe(WAUG_SECRET);
    const bytes = readFileSync(store.path, 'utf8');
    expect(bytes).toContain('Desk 2'); // the file was written
    expect(bytes).not.toContain(WAUG_SECRET);
    expect(bytes).not.toContain(ENCRYPTED_WAUG_SECRET_KEY);
    expect(sink.lines.join('\n')).not.toContain(WAUG_SECRET);
    // A new process has no secret.
    const again = createSettingsService({ store, cipher: createMemoryOnlyCipher(), log: createLogger({ sink }) });
    expect(again.view().hasWaugClientSecret).toBe(false);
  });

  it('encrypted: only ciphertext reaches the file, and it survives a restart', () => {
    const store = fileStore();
    const log = createLogger({ sink: createMemorySink() });
    const s = createSettingsService({ store, cipher: fakeEncryptedCipher(), log });
    s.update({ waugClientId: 'desk-1', waugClientSecret: WAUG_SECRET });
    const bytes = readFileSync(store.path, 'utf8');
    expect(bytes).toContain(ENCRYPTED_WAUG_SECRET_KEY);
    expect(bytes).not.toContain(WAUG_SECRET);
    const again = createSettingsService({ store, cipher: fakeEncryptedCipher(), log });
    expect(again.waugCredentials()?.clientSecret).toBe(WAUG_SECRET);
  });
});

describe('the core with WAUG settings', () => {
  async function core(overrides: Partial<CoreOptions> = {}) {
    const dir = tempDir();
    const store = createConfSettingsStore(dir.path);
    const clients: string[] = [];
    const sink = createMemorySink();
    const options: CoreOptions = {
      dataDir: dir.path,
      settingsStore: store,
      secretCipher: createMemoryOnlyCipher(),
      env: {},
      now: manualClock().now,
      log: createLogger({ sink }),
      version: 'test',
      backgroundSync: false,
      createYahooApi: () => ({ queryVouchers: vi.fn(), redeem: vi.fn() }),
      createWaugApi: (credentials) => {
        clients.push(credentials.baseUrl);
        return {} as WaugApi;
      },
      ...overrides,
    };
    const c = await createCore(options);
    cleanups.push(() => dir.remove());
    cleanups.push(() => c.close());
    return { core: c, store, clients, log: options.log, sink };
  }

  it('is unconfigured for WAUG until credentials arrive, then live; order calls say not_configured before', async () => {
    const { core: c, clients, log } = await core();
    expect((await c.handlers.getAppStatus({})).waugMode).toBe('unconfigured');
    const result = await dispatch(c.handlers, 'getOrder', { orderNumber: 'WG1' }, log);
    expect(result).toMatchObject({ ok: false, error: { code: 'not_configured' } });
    const search = await dispatch(c.handlers, 'searchOrders', {}, log);
    expect(search).toMatchObject({ ok: false, error: { code: 'not_configured' } });
    await c.handlers.updateSettings({ waugClientId: 'id', waugClientSecret: 'secret' });
    expect((await c.handlers.getAppStatus({})).waugMode).toBe('live');
    expect(clients).toEqual([WAUG_ENVIRONMENTS.BETA]);
  });

  it('runs WAUG in demo mode against the demo sandbox’s WAUG, and closes it with the Yahoo one', async () => {
    const close = vi.fn(async () => {});
    const sandbox: DemoSandbox = {
      baseUrl: 'http://127.0.0.1:1',
      apiKey: 'k',
      sharedSecret: 's',
      waug: { baseUrl: 'http://127.0.0.1:2', clientId: 'demo', clientSecret: 'demo-secret' },
      close,
    };
    const { core: c, clients } = await core({ startDemoSandbox: async () => sandbox });
    expect(await c.handlers.getAppStatus({})).toMatchObject({ mode: 'demo', waugMode: 'demo' });
    expect(clients).toEqual(['http://127.0.0.1:2']);
    await c.close();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('sets the manager PIN as a hash only, and a wrong current PIN refuses the whole update', async () => {
    const { core: c, store, log } = await core();
    const view = await c.handlers.updateSettings({ managerPin: { next: '80417263' } });
    expect(view.hasManagerPin).toBe(true);
    const bytes = readFileSync((store as { path: string }).path, 'utf8');
    expect(bytes).not.toContain('80417263');
    expect(bytes).toMatch(/"managerPinHash": "scrypt\$/);

    const wrong = await dispatch(
      c.handlers,
      'updateSettings',
      { stationName: 'Changed', managerPin: { current: '11111111', next: '2222' } },
      log,
    );
    expect(wrong).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect((await c.handlers.getSettings({})).stationName).toBe('Front desk 1');
    const missing = await dispatch(c.handlers, 'updateSettings', { managerPin: { next: '2222' } }, log);
    expect(missing).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    const ok = await dispatch(c.handlers, 'updateSettings', { managerPin: { current: '80417263', next: '2222' } }, log);
    expect(ok).toMatchObject({ ok: true, value: { hasManagerPin: true } });
  });
});
