/** The merchant server on a real core: started by the CLI's way and by setServe, events, the cache. */
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServeStatus } from '../../shared/contract.js';
import { startYahooSandbox, type YahooSandbox } from '../../electron/core/sandbox/yahoo/index.js';
import { MERCHANT_PATHS } from '../../electron/core/serve/constants.js';
import type { VoucherChange } from '../../electron/core/db/serials.js';
import { startSandboxCore, type SandboxCore } from '../helpers/sandboxCore.js';
import { signedRequest } from '../fixtures/yahoo/http.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let sandbox: YahooSandbox | null = null;
let desk: SandboxCore | null = null;
afterEach(async () => {
  await desk?.close();
  await sandbox?.close();
  desk = null;
  sandbox = null;
});

describe('serve on the core', () => {
  it('issues with the Yahoo credentials, pushes voucherChanged, and the counter finds the serial in the cache', async () => {
    sandbox = await startYahooSandbox({ voucherCount: 50 });
    desk = await startSandboxCore(sandbox);
    const changes: VoucherChange[] = [];
    desk.core.onVoucherChanged((c) => changes.push(c));
    const server = await desk.core.startMerchantServer({ port: 0, host: '127.0.0.1' });
    const body = {
      storeId: 'top1',
      transactionId: '1',
      orderId: 'YM2025060100001',
      productId: 'p1',
      specId: '1',
      quantity: 1,
      orderItems: [{ orderItemId: 'YS2025060100001', price: 70, originalPrice: 100 }],
    };
    const answer = await signedRequest({ ...sandbox, baseUrl: server.url }, 'POST', MERCHANT_PATHS.serialNumbers, {
      body: Buffer.from(JSON.stringify(body)),
    });
    expect(answer.status).toBe(200);
    const serial = (JSON.parse(answer.text) as { vouchers: { serialNumber: string }[] }).vouchers[0]!.serialNumber;
    expect(changes).toEqual([{ serialNumber: serial, voucherId: null, status: 'UNUSED' }]);
    const found = await desk.call('lookupVoucher', { serial, prefer: 'cache' });
    expect(found).toMatchObject({
      kind: 'found',
      source: 'cache',
      voucher: { serialNumber: serial, status: 'UNUSED' },
    });
    expect(desk.core.listSerials('YM2025060100001')).toMatchObject([
      { orderItemId: 'YS2025060100001', serialNumber: serial },
    ]);
    expect((await desk.call('getServeStatus', {})).requests).toBe(1);
    await server.close();
    expect(await desk.call('getServeStatus', {})).toMatchObject({ running: false, url: null });
  });

  it('setServe persists the choice, pushes serveStatusChanged, and reports a port in use', async () => {
    sandbox = await startYahooSandbox({ voucherCount: 50 });
    desk = await startSandboxCore(sandbox);
    const seen: ServeStatus[] = [];
    desk.core.onServeStatusChanged((s) => seen.push(s));
    const port = await freePort();
    const on = await desk.call('setServe', { enabled: true, port });
    expect(on).toMatchObject({ running: true, url: `http://127.0.0.1:${port}` });
    // A second core on the same port cannot start: the error is in the status, not thrown.
    const other = await startSandboxCore(sandbox);
    try {
      const clash = await other.call('setServe', { enabled: true, port });
      expect(clash).toMatchObject({ running: false });
      expect(clash.error).toMatch(/in use/);
    } finally {
      await other.close();
    }
    const off = await desk.call('setServe', { enabled: false, port });
    expect(off.running).toBe(false);
    expect(seen.map((s) => s.running)).toEqual([true, false]);
  });
});
