/**
 * The WAUG booking contact in Settings (issue 5): the merchant's own contact round-trips through
 * getSettings/updateSettings, is checked with the one shared schema (bad_input otherwise), is
 * cleared by null, and lives in the booking contact store's one key, where the booking service
 * reads it. And the merchant endpoints' status carries the WAUG webhook URL while running, never
 * written to the log.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore, type CoreOptions } from '../../electron/core/app.js';
import {
  BOOKING_CONTACT_KEY,
  BookingContactSchema as CoreBookingContactSchema,
  createBookingContactStore,
} from '../../electron/core/bookings/contact.js';
import { createSettingsService } from '../../electron/core/config/deskSettings.js';
import { createMemoryOnlyCipher } from '../../electron/core/config/secrets.js';
import { createMemorySettingsStore } from '../../electron/core/config/settings.js';
import { dispatch } from '../../electron/core/dispatch.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import type { WaugApi } from '../../electron/core/waug/api.js';
import { BookingContactSchema } from '../../shared/domain/bookingContact.js';
import { SettingsUpdateSchema } from '../../shared/contract.js';
import { manualClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/tempDir.js';

const CONTACT = { name: 'VOUCHER DESK', mobile: '886223456789', email: 'desk@example.com' };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function core(overrides: Partial<CoreOptions> = {}) {
  const dir = tempDir();
  const store = createMemorySettingsStore();
  const sink = createMemorySink();
  const options: CoreOptions = {
    dataDir: dir.path,
    settingsStore: store,
    secretCipher: createMemoryOnlyCipher(),
    env: {},
    now: manualClock().now,
    log: createLogger({ sink, level: 'debug' }),
    version: 'test',
    backgroundSync: false,
    createYahooApi: () => ({ queryVouchers: vi.fn(), redeem: vi.fn() }),
    createWaugApi: () => ({}) as WaugApi,
    ...overrides,
  };
  const c = await createCore(options);
  cleanups.push(() => dir.remove());
  cleanups.push(() => c.close());
  return { core: c, store, sink, log: options.log };
}

describe('the booking contact in Settings', () => {
  it('has one definition: the contract and the core use the shared schema', () => {
    expect(CoreBookingContactSchema).toBe(BookingContactSchema);
    const shape = SettingsUpdateSchema.shape.waugBookingContact.unwrap().unwrap();
    expect(shape).toBe(BookingContactSchema);
  });

  it('round-trips through getSettings/updateSettings, normalised, in the booking contact key', async () => {
    const { core: c, store, log } = await core();
    expect((await c.handlers.getSettings({})).waugBookingContact).toBeNull();
    const saved = await dispatch(
      c.handlers,
      'updateSettings',
      { waugBookingContact: { name: ' voucher desk ', mobile: ' 886223456789', email: 'desk@example.com ' } },
      log,
    );
    expect(saved).toEqual({ ok: true, value: expect.objectContaining({ waugBookingContact: CONTACT }) });
    expect((await c.handlers.getSettings({})).waugBookingContact).toEqual(CONTACT);
    // One storage place: the booking contact store's key, which the booking service reads.
    expect(store.get(BOOKING_CONTACT_KEY)).toEqual(CONTACT);
    expect(createBookingContactStore(store).read()).toEqual(CONTACT);
    // Other settings in the same update are untouched by it, and it by them.
    await c.handlers.updateSettings({ stationName: 'Desk 2' });
    expect((await c.handlers.getSettings({})).waugBookingContact).toEqual(CONTACT);
  });

  it('reads a contact written through the booking contact store (as the booking service sees it)', async () => {
    const { core: c, store } = await core();
    createBookingContactStore(store).write({ ...CONTACT, name: 'Desk Two' });
    expect((await c.handlers.getSettings({})).waugBookingContact).toEqual({ ...CONTACT, name: 'DESK TWO' });
  });

  it.each([
    ['a name not in Latin letters', { ...CONTACT, name: '王小明' }, 'waugBookingContact.name'],
    ['an empty name', { ...CONTACT, name: '  ' }, 'waugBookingContact.name'],
    ['a mobile with +', { ...CONTACT, mobile: '+886223456789' }, 'waugBookingContact.mobile'],
    ['a mobile without the country code', { ...CONTACT, mobile: '0223456789' }, 'waugBookingContact.mobile'],
    ['a bad email', { ...CONTACT, email: 'desk@' }, 'waugBookingContact.email'],
    ['an extra field', { ...CONTACT, buyer: 'x' }, 'waugBookingContact'],
    ['a missing field', { name: CONTACT.name, mobile: CONTACT.mobile }, 'waugBookingContact.email'],
  ])('refuses %s with bad_input and keeps the stored contact', async (_label, contact, where) => {
    const { core: c, store, log } = await core();
    await c.handlers.updateSettings({ waugBookingContact: CONTACT });
    const result = await dispatch(c.handlers, 'updateSettings', { stationName: 'X', waugBookingContact: contact }, log);
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    if (!result.ok) expect(result.error.message).toContain(where);
    expect(store.get(BOOKING_CONTACT_KEY)).toEqual(CONTACT);
    expect((await c.handlers.getSettings({})).stationName).toBe('Front desk 1');
  });

  it('is cleared by null', async () => {
    const { core: c, store, log } = await core();
    await c.handlers.updateSettings({ waugBookingContact: CONTACT });
    const cleared = await dispatch(c.handlers, 'updateSettings', { waugBookingContact: null }, log);
    expect(cleared).toMatchObject({ ok: true, value: { waugBookingContact: null } });
    expect(store.get(BOOKING_CONTACT_KEY)).toBeUndefined();
    expect(createBookingContactStore(store).read()).toBeNull();
  });

  it('the settings service shares the store the booking service reads', () => {
    const store = createMemorySettingsStore();
    const s = createSettingsService({
      store,
      cipher: createMemoryOnlyCipher(),
      log: createLogger({ sink: createMemorySink() }),
    });
    expect(s.update({ waugBookingContact: CONTACT })).toEqual({ yahooChanged: false, waugChanged: false });
    expect(s.bookingContact.read()).toEqual(CONTACT);
    expect(s.view().waugBookingContact).toEqual(CONTACT);
    s.bookingContact.clear();
    expect(s.view().waugBookingContact).toBeNull();
  });
});

describe('the merchant endpoints status', () => {
  it('carries the WAUG webhook URL while running, null when stopped, and never logs it', async () => {
    const { core: c, store, sink } = await core();
    expect(await c.handlers.getServeStatus({})).toMatchObject({ running: false, waugWebhookUrl: null });
    const pushed: (string | null)[] = [];
    c.onServeStatusChanged((s) => pushed.push(s.waugWebhookUrl));
    const server = await c.startMerchantServer({ port: 0, host: '127.0.0.1' });
    const status = await c.handlers.getServeStatus({});
    expect(status.running).toBe(true);
    expect(status.waugWebhookUrl).toBe(c.waugWebhookUrl(server.url));
    const token = new URL(status.waugWebhookUrl!).searchParams.get('token');
    expect(token).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    // A secret: with no OS keystore (this cipher) it lives in memory only, never in the store.
    expect(JSON.stringify([...store.data.entries()])).not.toContain(String(token));
    expect(c.waugWebhookUrl(server.url)).toContain(String(token));
    expect(status.waugWebhookUrl!.startsWith(server.url)).toBe(true);
    await server.close();
    expect(await c.handlers.getServeStatus({})).toMatchObject({ running: false, waugWebhookUrl: null });
    expect(pushed).toEqual([status.waugWebhookUrl, null]);
    expect(sink.lines.join('\n')).not.toContain(String(token));
  });
});

describe('the WAUG webhook token at rest', () => {
  it('is kept encrypted where a keystore exists, stays the same across restarts, and a plain legacy copy is removed', async () => {
    const store = createMemorySettingsStore({ waugWebhookToken: 'legacy-plain-token-legacy-plain-token' });
    // A reversible stand-in for safeStorage: what matters is that only its output is stored.
    const cipher = {
      kind: 'encrypted' as const,
      encrypt: (plain: string) => `enc:${Buffer.from(plain).toString('base64')}`,
      decrypt: (stored: string) => Buffer.from(stored.slice(4), 'base64').toString(),
    };
    const first = await core({ settingsStore: store, secretCipher: cipher });
    const url = first.core.waugWebhookUrl('http://127.0.0.1:8788');
    const token = new URL(url).searchParams.get('token')!;
    expect(store.data.has('waugWebhookToken')).toBe(false);
    expect(JSON.stringify([...store.data.entries()])).not.toContain(token);
    expect(String(store.data.get('waugWebhookTokenEncrypted'))).toMatch(/^enc:/);

    const second = await core({ settingsStore: store, secretCipher: cipher });
    expect(second.core.waugWebhookUrl('http://127.0.0.1:8788')).toBe(url);
  });

  it('can be pinned by WAUG_WEBHOOK_TOKEN where no keystore exists (a headless serve)', async () => {
    const pinned = 'pinned-token-pinned-token-pinned-token';
    const { core: c, store } = await core({ env: { WAUG_WEBHOOK_TOKEN: pinned } });
    expect(c.waugWebhookUrl('http://127.0.0.1:8788')).toContain(pinned);
    expect(JSON.stringify([...store.data.entries()])).not.toContain(pinned);
  });
});
