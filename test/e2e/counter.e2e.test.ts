/**
 * The clerk's path, in Chromium, through the browser shell, over the real core and the real
 * Yahoo sandbox: scan → card → redeem → feedback, in zh-TW and in English.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEMO_SERIALS } from '../../electron/core/sandbox/yahoo/seed.js';
import { CATALOGS } from '../../shared/i18n/index.js';
import { SCREENSHOT_DIR, scanAndTimeCard, startRig, type Rig } from './harness.js';

const timings: Record<string, number[]> = { remote: [], cached: [] };
let rig: Rig | null = null;

afterEach(async () => {
  await rig?.close();
  rig = null;
});

afterAll(() => {
  const summary = Object.fromEntries(
    Object.entries(timings).map(([kind, values]) => [
      kind,
      { runs: values.length, maxMs: Math.max(...values), values },
    ]),
  );
  writeFileSync(join(SCREENSHOT_DIR, '..', 'e2e-timings.json'), JSON.stringify(summary, null, 2));
  console.log('Enter → card (ms):', JSON.stringify(summary));
});

describe('counter in Traditional Chinese (the default)', () => {
  it('scans a voucher, shows it at once, redeems it with one confirmation and loud feedback', async () => {
    rig = await startRig();
    const { page, sandbox } = rig;
    const zh = CATALOGS['zh-TW'];

    await expect.poll(() => page.getByTestId('scan-input').evaluate((el) => el === document.activeElement)).toBe(true);

    timings.remote!.push(await scanAndTimeCard(page, DEMO_SERIALS.unusedA));
    const card = page.getByTestId('voucher-card');
    await expect.poll(() => card.textContent()).toContain(DEMO_SERIALS.unusedA);
    await expect.poll(() => page.getByTestId('voucher-status').textContent()).toContain(zh['voucherStatus.UNUSED']);
    // The phone is masked to its last 3 digits before it ever reaches the page.
    const phone = (await page.getByTestId('voucher-phone').textContent()) ?? '';
    expect(phone.replace(/\D/g, '')).toHaveLength(3);
    expect(await page.content()).not.toMatch(/09\d{8}/);

    await page.screenshot({ path: join(SCREENSHOT_DIR, 'card-zh-TW.png') });
    await page.getByTestId('redeem-button').click();
    await page.getByTestId('confirm-dialog').waitFor();
    await page.keyboard.press('Enter');

    const banner = page.getByTestId('result-banner');
    await banner.waitFor();
    await expect.poll(() => banner.getAttribute('data-outcome')).toBe('redeemed');
    expect(await banner.textContent()).toContain(zh['result.redeemed']);
    expect(sandbox.ledger.map((entry) => entry.serialNumber)).toEqual([DEMO_SERIALS.unusedA]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'redeemed-zh-TW.png') });

    // The shift list shows it, and the input is ready for the next customer.
    await expect.poll(() => page.getByTestId('shift-row').count()).toBe(1);
    await expect.poll(() => page.getByTestId('scan-input').evaluate((el) => el === document.activeElement)).toBe(true);

    // A second scan of the same voucher: refused, with the reason in words.
    await scanAndTimeCard(page, DEMO_SERIALS.unusedB);
    timings.cached!.push(await scanAndTimeCard(page, DEMO_SERIALS.unusedA));
    await expect.poll(() => page.getByTestId('voucher-status').textContent()).toContain(zh['voucherStatus.USED']);
    expect(await page.getByTestId('redeem-button').count()).toBe(0);
    expect(await page.getByTestId('voucher-reason').textContent()).toContain(zh['refusal.used']);
  });

  it('refuses a mistyped serial at once, without asking Yahoo', async () => {
    rig = await startRig();
    const { page } = rig;
    const input = page.getByTestId('scan-input');
    await input.fill('AB#12');
    await input.press('Enter');
    await page.getByTestId('scan-error').waitFor();
    expect(await page.getByTestId('voucher-card').count()).toBe(0);
  });

  it('shows every refusal reason, and never offers redeem for them', async () => {
    rig = await startRig();
    const { page } = rig;
    const zh = CATALOGS['zh-TW'];
    const cases = [
      [DEMO_SERIALS.used, 'refusal.used'],
      [DEMO_SERIALS.refundPending, 'refusal.refund_pending'],
      [DEMO_SERIALS.refunded, 'refusal.refunded'],
      [DEMO_SERIALS.cancelled, 'refusal.cancelled'],
      [DEMO_SERIALS.expired, 'refusal.expired'],
    ] as const;
    for (const [serial, key] of cases) {
      timings.remote!.push(await scanAndTimeCard(page, serial));
      await expect.poll(() => page.getByTestId('voucher-reason').textContent()).toContain(zh[key]);
      expect(await page.getByTestId('redeem-button').count()).toBe(0);
    }
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'refused-zh-TW.png') });
  });

  it('tells the clerk the real reason when the voucher was used elsewhere after the lookup', async () => {
    rig = await startRig();
    const { page, sandbox } = rig;
    const zh = CATALOGS['zh-TW'];
    await scanAndTimeCard(page, DEMO_SERIALS.unusedC);
    await page.getByTestId('redeem-button').waitFor();
    sandbox.setVoucherStatus(DEMO_SERIALS.unusedC, 'USED');
    await page.getByTestId('redeem-button').click();
    await page.getByTestId('confirm-redeem').click();
    const banner = page.getByTestId('result-banner');
    await expect.poll(() => banner.getAttribute('data-outcome')).toBe('rejected');
    expect(await banner.textContent()).toContain(zh['refusal.used']);
    expect(sandbox.ledger).toHaveLength(0);
  });
});

describe('counter in English', () => {
  it('switches language in Settings and redeems with English feedback', async () => {
    rig = await startRig();
    const { page } = rig;
    const en = CATALOGS.en;

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-form').waitFor();
    await page.getByTestId('settings-locale').selectOption('en');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('nav-counter').click();

    timings.remote!.push(await scanAndTimeCard(page, DEMO_SERIALS.hugeId));
    // voucherId 2^64−1 survives from Yahoo's JSON to the screen digit for digit.
    expect(await page.getByTestId('voucher-card').textContent()).toContain('18446744073709551615');
    await expect.poll(() => page.getByTestId('voucher-status').textContent()).toContain(en['voucherStatus.UNUSED']);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'card-en.png') });

    await page.getByTestId('redeem-button').click();
    await page.getByTestId('confirm-redeem').click();
    const banner = page.getByTestId('result-banner');
    await expect.poll(() => banner.getAttribute('data-outcome')).toBe('redeemed');
    expect(await banner.textContent()).toContain(en['result.redeemed']);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'redeemed-en.png') });
  });
});
