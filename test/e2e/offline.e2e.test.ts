/**
 * Offline-first at the counter, in Chromium over the real core and sandbox: a redemption made
 * while offline is queued, then delivered on reconnect; one that Yahoo refuses on delivery
 * becomes a conflict that a person resolves in the UI, and it stays on record.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SERIALS } from '../../electron/core/sandbox/yahoo/seed.js';
import { SCREENSHOT_DIR, scanAndTimeCard, startRig, type Rig } from './harness.js';

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const POLL = { timeout: 20_000 };

async function setWorkOffline(rig: Rig, on: boolean): Promise<void> {
  const { page } = rig;
  const indicator = page.getByTestId('connectivity-indicator');
  const isOffline = async () => (await indicator.getAttribute('data-state')) === 'work-offline';
  if ((await isOffline()) !== on) await page.getByTestId('work-offline-toggle').click();
  await expect.poll(isOffline, POLL).toBe(on);
}

async function redeemShownVoucher(rig: Rig): Promise<string | null> {
  const { page } = rig;
  await page.getByTestId('redeem-button').click();
  await page.getByTestId('confirm-redeem').click();
  const banner = page.getByTestId('result-banner');
  await banner.waitFor();
  return banner.getAttribute('data-outcome');
}

describe('offline at the counter', () => {
  it('queues a redemption while offline and delivers it exactly once on reconnect', async () => {
    rig = await startRig({ locale: 'en' });
    const { page, sandbox } = rig;

    // Seen once online, so the desk has it cached.
    await scanAndTimeCard(page, DEMO_SERIALS.unusedA);
    await scanAndTimeCard(page, DEMO_SERIALS.unusedB);

    await setWorkOffline(rig, true);
    await scanAndTimeCard(page, DEMO_SERIALS.unusedA);
    expect(await page.getByTestId('voucher-card').getAttribute('data-source')).toBe('cache');
    expect(await redeemShownVoucher(rig)).toBe('queued');
    await expect.poll(() => page.getByTestId('queued-count').textContent(), POLL).toContain('1');
    expect(sandbox.ledger).toHaveLength(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'offline-queued-en.png') });

    // Scanning it again on this desk says it is already redeemed here, waiting for Yahoo.
    await scanAndTimeCard(page, DEMO_SERIALS.unusedB);
    await scanAndTimeCard(page, DEMO_SERIALS.unusedA);
    await page.getByTestId('voucher-local-redemption').waitFor();
    expect(await page.getByTestId('redeem-button').count()).toBe(0);

    await setWorkOffline(rig, false);
    await expect.poll(() => sandbox.ledger.map((entry) => entry.serialNumber), POLL).toEqual([DEMO_SERIALS.unusedA]);
    await expect.poll(() => page.getByTestId('queued-count').textContent(), POLL).toContain('0');
    await expect.poll(() => page.locator('[data-testid="shift-row"][data-outcome="redeemed"]').count(), POLL).toBe(1);
    expect(sandbox.ledger).toHaveLength(1);
  });

  it('turns a refused delivery into a conflict that a person resolves, and keeps it on record', async () => {
    rig = await startRig({ locale: 'en' });
    const { page, sandbox } = rig;

    await scanAndTimeCard(page, DEMO_SERIALS.unusedC);
    await setWorkOffline(rig, true);
    await scanAndTimeCard(page, DEMO_SERIALS.unusedC);
    expect(await redeemShownVoucher(rig)).toBe('queued');

    // Meanwhile the voucher is used somewhere else.
    sandbox.setVoucherStatus(DEMO_SERIALS.unusedC, 'USED');
    await setWorkOffline(rig, false);
    await expect.poll(() => page.getByTestId('conflict-count').textContent(), POLL).toContain('1');
    expect(sandbox.ledger).toHaveLength(0);

    await page.getByTestId('conflict-count').click();
    const row = page.locator(`[data-testid="outbox-row"][data-serial="${DEMO_SERIALS.unusedC}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('conflict');
    expect((await row.getByTestId('conflict-explanation').textContent())?.length ?? 0).toBeGreaterThan(20);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'conflict-en.png') });

    await row.getByTestId('resolve-conflict').click();
    const dialog = page.getByTestId('resolve-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('resolve-resolution').selectOption('contacted_buyer');
    await dialog.getByTestId('resolve-note').fill('Called the buyer; it was their partner at desk 1.');
    await dialog.getByTestId('resolve-confirm').click();

    await expect.poll(() => page.getByTestId('conflict-count').textContent(), POLL).toContain('0');
    // Resolved, never deleted: it is still listed with its resolution.
    await page.getByTestId('outbox-tab-conflicts').click();
    await expect.poll(() => row.textContent(), POLL).toContain('Called the buyer');
    const outbox = await rig.core.handlers.listOutbox({ filter: 'conflicts', limit: 10 });
    expect(outbox[0]?.conflict).toMatchObject({ resolution: 'contacted_buyer', resolvedBy: 'Mei' });
  });
});
