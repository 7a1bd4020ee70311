/**
 * The order behind a voucher, in Chromium over the real core, Yahoo sandbox and WAUG sandbox:
 * find a voucher, see its WAUG order and goods, and request a refund as a manager.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_WAUG } from '../../electron/core/sandbox/waug/seed.js';
import { DEMO_SERIALS } from '../../electron/core/sandbox/yahoo/seed.js';
import { SCREENSHOT_DIR, scanAndTimeCard, startRig, type Rig } from './harness.js';

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const POLL = { timeout: 20_000 };
const MANAGER_PIN = '2468';

async function setManagerPin(rig: Rig): Promise<void> {
  const { page } = rig;
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-manager-pin-new').fill(MANAGER_PIN);
  await page.getByTestId('settings-manager-pin-repeat').fill(MANAGER_PIN);
  await page.getByTestId('settings-manager-pin-save').click();
  await expect.poll(async () => (await rig.core.handlers.getSettings({})).hasManagerPin, POLL).toBe(true);
  await page.getByTestId('nav-counter').click();
}

/** Milliseconds from the click on "open order" to the detail showing that order. */
async function openOrderDetail(rig: Rig, orderNumber: string): Promise<number> {
  const { page } = rig;
  const started = Date.now();
  await page.getByTestId('open-order-detail').click();
  const detail = page.getByTestId('order-detail');
  await expect.poll(() => detail.textContent(), POLL).toContain(orderNumber);
  return Date.now() - started;
}

describe('the WAUG order behind a voucher', () => {
  it('shows the order and its goods on the voucher card, and a manager requests a refund', async () => {
    rig = await startRig({ locale: 'en', waug: true });
    const { page } = rig;
    const waug = rig.waug!;
    const linked = DEMO_WAUG.unusedA;
    await setManagerPin(rig);

    await scanAndTimeCard(page, DEMO_SERIALS.unusedA);
    const panel = page.getByTestId('waug-order-panel');
    await expect.poll(() => panel.textContent(), POLL).toContain(linked.orderNumber);
    await expect
      .poll(() => page.getByTestId('waug-goods-row').first().getAttribute('data-status'), POLL)
      .toBe('STATUS_CONFIRMED');

    const remoteMs = await openOrderDetail(rig, linked.orderNumber);
    await page.getByTestId('goods-timeline').first().waitFor();
    expect(await page.getByTestId('timeline-step').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('voucher-issuance').first().getAttribute('data-state')).toBe('issued');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'order-detail-en.png') });

    // A wrong PIN is refused and nothing is sent to WAUG.
    await page.getByTestId('refund-button').click();
    const dialog = page.getByTestId('refund-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('refund-reason').fill('Customer cannot travel on the booked day');
    await dialog.getByTestId('refund-pin').fill('0000');
    await dialog.getByTestId('refund-confirm').click();
    await page.getByTestId('refund-error').waitFor();
    expect(waug.getOrder(linked.orderNumber)?.orderStatus).toBe('STATUS_PAID');

    await dialog.getByTestId('refund-pin').fill(MANAGER_PIN);
    await dialog.getByTestId('refund-confirm').click();
    await expect
      .poll(() => page.getByTestId('order-status').getAttribute('data-status'), POLL)
      .toBe('STATUS_REFUND_REQUESTED');
    expect(waug.getOrder(linked.orderNumber)?.orderStatus).toBe('STATUS_REFUND_REQUESTED');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'refund-requested-en.png') });

    // The same order opened again comes from the cache first.
    await page.getByTestId('nav-counter').click();
    await scanAndTimeCard(page, DEMO_SERIALS.unusedB);
    await scanAndTimeCard(page, DEMO_SERIALS.unusedA);
    await expect.poll(() => panel.textContent(), POLL).toContain(linked.orderNumber);
    const cachedMs = await openOrderDetail(rig, linked.orderNumber);
    writeFileSync(
      join(SCREENSHOT_DIR, '..', 'e2e-order-timings.json'),
      JSON.stringify({ openOrderDetailMs: { remote: remoteMs, cached: cachedMs } }, null, 2),
    );
    console.log(`open order detail: remote ${remoteMs} ms, cached ${cachedMs} ms (click to shown, via Playwright)`);
  });

  it('does not offer a refund when a goods of the order is non-refundable, and says why', async () => {
    rig = await startRig({ locale: 'en', waug: true });
    const { page } = rig;
    await setManagerPin(rig);
    await scanAndTimeCard(page, DEMO_SERIALS.unusedB);
    await openOrderDetail(rig, DEMO_WAUG.unusedB.orderNumber);
    await page.getByTestId('refund-unavailable').waitFor();
    expect(await page.getByTestId('refund-button').count()).toBe(0);
    expect((await page.getByTestId('refund-unavailable').textContent())?.length ?? 0).toBeGreaterThan(10);
  });
});
