/**
 * The demo from one command (issue 5 item 5): a core in demo mode with the demo life cycle on
 * starts the merchant server on a free loopback port, maps the demo product, lets the Yahoo
 * sandbox sell one voucher (signed), books it in the WAUG sandbox, and the desk finds the sold
 * voucher in its cache and redeems it. Also: Yahoo's cancel and notification calls from the sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app.js';
import { createMemoryOnlyCipher } from '../../electron/core/config/secrets.js';
import { createMemorySettingsStore } from '../../electron/core/config/settings.js';
import { dispatch } from '../../electron/core/dispatch.js';
import { DEMO_MAPPING, startDemoSandboxes } from '../../electron/core/demo.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import type { Request, Response } from '../../shared/contract.js';
import type { InvokeName } from '../../shared/channels.js';
import { tempDir } from '../helpers/tempDir.js';

let core: Core;
const dir = tempDir('voucher-desk-demo-');
const log = createLogger({ sink: createMemorySink() });

async function call<N extends InvokeName>(name: N, request: Request<N>): Promise<Response<N>> {
  const result = await dispatch(core.handlers, name, request, log);
  if (!result.ok) throw new Error(`${name}: ${result.error.code}: ${result.error.message}`);
  return result.value as Response<N>;
}

async function until<T>(what: () => Promise<T | undefined | null | false>, ms = 8_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await what();
    if (value) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeAll(async () => {
  core = await createCore({
    dataDir: dir.path,
    settingsStore: createMemorySettingsStore(),
    secretCipher: createMemoryOnlyCipher(),
    env: {},
    log,
    version: 'test',
    backgroundSync: false,
    startDemoSandbox: () => startDemoSandboxes(),
    demoLifecycle: { sellEveryMs: 0 },
  });
});

afterAll(async () => {
  await core?.close();
  dir.remove();
});

describe('the demo life cycle', () => {
  it('maps, sells, books and lets the desk redeem the sold voucher from its cache', async () => {
    expect((await call('getAppStatus', {})).mode).toBe('demo');
    expect((await call('getServeStatus', {})).url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await call('listMappings', {})).toEqual([DEMO_MAPPING]);
    const booking = await until(async () => {
      const [row] = await call('listBookings', { filter: 'all', limit: 10 });
      return row?.state === 'booked' ? row : undefined;
    });
    expect(booking.waugOrderNumber).toMatch(/^WG/);
    const found = await call('lookupVoucher', { serial: booking.serialNumber, prefer: 'cache' });
    expect(found).toMatchObject({ kind: 'found', source: 'cache' });
    const order = await call('getOrder', { partnerOrderNumber: booking.orderItemId, prefer: 'cache' });
    expect(order).toMatchObject({ kind: 'found', order: { orderNumber: booking.waugOrderNumber } });
    const redeemed = await call('redeemVoucher', { serial: booking.serialNumber });
    expect(redeemed.outcome).toBe('redeemed');
  });
});
