/**
 * The voucher's life cycle from its beginning, in Chromium over the real core and sandboxes:
 * the Yahoo sandbox "sells" a voucher by calling the merchant's serve endpoint (signed), the
 * serial appears at the desk at once from the cache and is redeemed; a cancel from Yahoo while
 * another voucher is on screen changes the card live.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, scanAndTimeCard, startRig, type Rig } from './harness.js';

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const POLL = { timeout: 20_000 };

describe('a voucher from sale to redemption', () => {
  it('sells in the sandbox, shows at the desk from the cache, redeems, and follows a cancel live', async () => {
    rig = await startRig({ locale: 'en' });
    const { page, sandbox, core } = rig;
    const serve = await core.startMerchantServer({ port: 0, host: '127.0.0.1' });
    try {
      const sale = await sandbox.sell({ merchantUrl: serve.url, productId: 'p093568055654', specId: '1', quantity: 2 });
      expect(sale.status).toBe(200);
      const [first, second] = sale.vouchers.map((voucher) => voucher.serialNumber);
      expect(first).toMatch(/^VD[2-9A-HJKMNP-Y]{16}$/);

      // The serial is in the desk's cache the moment the sale is answered: no Yahoo round trip.
      const cached = await core.handlers.lookupVoucher({ serial: first!, prefer: 'cache' });
      expect(cached).toMatchObject({ kind: 'found', source: 'cache', voucher: { status: 'UNUSED' } });
      const ms = await scanAndTimeCard(page, first!);
      await page.getByTestId('redeem-button').click();
      await page.getByTestId('confirm-redeem').click();
      await expect.poll(() => page.getByTestId('result-banner').getAttribute('data-outcome'), POLL).toBe('redeemed');
      expect(sandbox.ledger.map((entry) => entry.serialNumber)).toContain(first);
      console.log(`sold serial ${first} shown ${ms.toFixed(1)} ms after Enter, redeemed`);

      // A typo in our serial form is caught at the desk before any call.
      const typo = second!.slice(0, -1) + (second!.endsWith('2') ? '3' : '2');
      const input = page.getByTestId('scan-input');
      await input.fill(typo);
      await input.press('Enter');
      await expect.poll(() => page.getByTestId('scan-error').getAttribute('data-problem'), POLL).toBe('bad_check');

      // Yahoo cancels the second voucher while its card is on screen: the card changes live.
      await scanAndTimeCard(page, second!);
      await page.getByTestId('redeem-button').waitFor();
      const cancel = await sandbox.cancel({
        merchantUrl: serve.url,
        orderId: sale.orderId,
        orderItemIds: [sale.orderItemIds[1]!],
      });
      expect(cancel.status).toBe(200);
      await expect.poll(() => page.getByTestId('voucher-card').getAttribute('data-status'), POLL).toBe('CANCELLED');
      expect(await page.getByTestId('redeem-button').count()).toBe(0);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'cancelled-live-en.png') });
    } finally {
      await serve.close();
    }
  });
});
