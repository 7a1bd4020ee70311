/**
 * A complete booking at the counter (issue 6), in Chromium over the real core and the WAUG
 * sandbox: pick the goods, a date, three participants (2 adults + 1 child), fill the ORDER,
 * GOODS and EACH fields, validate, confirm the total, book, and follow the voucher until issued.
 * The time from opening the goods to the created order is written to test-results.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { slotKey } from '../../shared/domain/bookingForm.js';
import { SCREENSHOT_DIR, startRig, type Rig } from './harness.js';

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const POLL = { timeout: 20_000 };
/** Taroko Gorge day tour: ORDER contact, GOODS hotel/pickup/requests, EACH traveller name + birth date. */
const TOUR = { goodsId: '107402', adultItem: '61870', childItem: '61871' };
/** Taipei 101 observatory: ORDER contact fields only. */
const TICKET = { goodsId: '107278', item: '61800' };
/** Its own file: counter.e2e.test.ts rewrites e2e-timings.json in every run. */
const TIMING_FILE = resolve('test-results/e2e-booking-timing.json');

function recordTiming(name: string, ms: number): void {
  mkdirSync(resolve('test-results'), { recursive: true });
  writeFileSync(TIMING_FILE, JSON.stringify({ [name]: ms }, null, 2));
  console.log(`${name}: ${ms} ms`);
}

describe('booking at the counter', () => {
  it('books a tour for three participants with EACH fields and follows its voucher until issued', async () => {
    rig = await startRig({
      locale: 'en',
      waug: true,
      waugOptions: { progression: { inProgressAfterMs: 300, confirmedAfterMs: 1_500 } },
    });
    const { page, core } = rig;
    const waug = rig.waug!;
    // The daily catalog sync has run (at start, in the background, in a real shift).
    const synced = await core.handlers.syncCatalog({});
    expect(synced.error).toBeNull();
    expect(synced.goods).toBeGreaterThan(20);
    const ordersBefore = waug.orderCount;

    const started = Date.now();
    await page.getByTestId('nav-book').click();
    await page.getByTestId('booking-new').click();
    await page.getByTestId('goods-search').fill('Taroko');
    await page.getByTestId(`goods-row-${TOUR.goodsId}`).click();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'booking-goods-en.png') });
    await page.getByTestId('goods-book').click();

    // The first orderable day (the calendar disables days without a price).
    const day = page.locator('[data-testid^="calendar-day-"]:not([disabled])').first();
    await day.waitFor(POLL);
    const useDate = ((await day.getAttribute('data-testid')) ?? '').replace('calendar-day-', '');
    expect(useDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await day.click();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'booking-calendar-en.png') });
    await page.getByTestId('booking-next').click();

    await page.getByTestId(`option-inc-${TOUR.adultItem}`).click();
    await page.getByTestId(`option-inc-${TOUR.adultItem}`).click();
    await page.getByTestId(`option-inc-${TOUR.childItem}`).click();
    await page.getByTestId('booking-next').click();

    // ORDER once, GOODS once, EACH once per participant.
    await page.getByTestId(`field-${slotKey('ORDER', '4')}`).fill('chen mei');
    await page.getByTestId(`field-${slotKey('ORDER', '2')}`).fill('886912345678');
    await page.getByTestId(`field-${slotKey('ORDER', '8')}`).fill('mei@example.com');
    await page.getByTestId(`field-${slotKey('GOODS', '67', 0)}`).fill('Silks Place Taroko');
    const travellers = ['CHEN MEI', 'LIN DA WEI', 'LIN XIAO YU'];
    const births = ['1990-04-01', '1988-11-23', '2017-06-15'];
    for (const [unit, name] of travellers.entries()) {
      await page.getByTestId(`field-${slotKey('EACH', '5', 0, unit)}`).fill(name);
      await page.getByTestId(`field-${slotKey('EACH', '9', 0, unit)}`).fill(births[unit] ?? '');
    }
    // A birth date in the future is caught as the clerk types, in words, before WAUG is asked.
    const lastBirth = page.getByTestId(`field-${slotKey('EACH', '9', 0, 2)}`);
    await lastBirth.fill('2099-01-01');
    await lastBirth.blur();
    await expect
      .poll(() => page.getByTestId(`field-error-${slotKey('EACH', '9', 0, 2)}`).textContent(), POLL)
      .toContain('before today');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'booking-form-en.png'), fullPage: true });
    await lastBirth.fill(births[2] ?? '');
    await lastBirth.blur();

    await page.getByTestId('booking-validate').click();
    const total = page.getByTestId('booking-total');
    await expect.poll(() => total.textContent(), POLL).toMatch(/4,?750/); // 1650 × 2 + 1450
    expect(waug.orderCount).toBe(ordersBefore); // validated, not booked
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'booking-confirm-en.png') });
    await page.getByTestId('booking-confirm').click();

    const orderNumber = page.getByTestId('booking-order-number');
    await expect.poll(() => orderNumber.textContent(), POLL).toMatch(/WG\d+/);
    const createdMs = Date.now() - started;
    recordTiming('bookingOpenGoodsToCreatedOrderMs', createdMs);

    // WAUG holds exactly one new order, with the three participants' EACH values.
    expect(waug.orderCount).toBe(ordersBefore + 1);
    const number = ((await orderNumber.textContent()) ?? '').match(/WG\d+/)?.[0] ?? '';
    const order = waug.getOrder(number);
    expect(order?.orderGoods[0]?.useDate).toBe(useDate);
    expect(order?.totalPrice).toBe('4750');

    // Issuance is followed until the activity voucher is issued.
    await expect
      .poll(() => page.getByTestId('booking-voucher-state').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('issued');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'booking-done-en.png') });

    // A change of booking starts from the order: a new draft for the same goods, naming the order
    // it replaces, opened on the calendar; the old order stays booked until a manager refunds it.
    await page.getByTestId('booking-open-order').click();
    await page.getByTestId('order-change-booking').click();
    await expect.poll(() => page.locator('.replaces').textContent(), POLL).toContain(number);
    await page.locator('[data-testid^="calendar-day-"]:not([disabled])').first().waitFor(POLL);
    const drafts = await core.handlers.listBookingDrafts({ filter: 'open', limit: 50 });
    const change = drafts.find((d) => d.state === 'editing');
    expect(change?.goodsName).toContain('Taroko');
    expect((await core.handlers.getBookingDraft({ draftId: change?.draftId ?? '' })).body.replacesOrderNumber).toBe(
      number,
    );
    expect(waug.orderCount).toBe(ordersBefore + 1);
  });

  it('books once when the answer to a create is lost; offline, the catalog stays browsable with its age', async () => {
    rig = await startRig({ locale: 'en', waug: true });
    const { page, core } = rig;
    const waug = rig.waug!;
    expect((await core.handlers.syncCatalog({})).error).toBeNull();
    const ordersBefore = waug.orderCount;

    await page.getByTestId('nav-book').click();
    await page.getByTestId('booking-new').click();
    await page.getByTestId('goods-search').fill('Taipei 101');
    await page.getByTestId(`goods-row-${TICKET.goodsId}`).click();
    await page.getByTestId('goods-book').click();
    await page.locator('[data-testid^="calendar-day-"]:not([disabled])').first().click();
    await page.getByTestId('booking-next').click();
    await page.getByTestId(`option-inc-${TICKET.item}`).click();
    await page.getByTestId('booking-next').click();
    await page.getByTestId(`field-${slotKey('ORDER', '4')}`).fill('CHEN MEI');
    await page.getByTestId(`field-${slotKey('ORDER', '2')}`).fill('886912345678');
    await page.getByTestId(`field-${slotKey('ORDER', '8')}`).fill('mei@example.com');
    await page.getByTestId('booking-validate').click();
    await page.getByTestId('booking-total').waitFor(POLL);

    // WAUG creates the order, then the connection drops before its answer.
    waug.setFaults({ resetAfterApply: true, onlyEndpoint: 'createOrder' });
    await page.getByTestId('booking-confirm').click();
    await expect.poll(() => page.getByTestId('booking-order-number').textContent(), POLL).toMatch(/WG\d+/);

    // Settled by asking WAUG for the partner number: one order, one create sent, none resent.
    expect(waug.orderCount).toBe(ordersBefore + 1);
    const creates = waug.requests.filter((r) => r.method === 'POST' && r.path === '/v1/orders');
    expect(creates).toHaveLength(1);
    expect(creates[0]?.status).toBe(0);
    const partnerNumber = (await page.getByTestId('booking-partner-number').textContent()) ?? '';
    expect(waug.getOrderByPartnerNumber(partnerNumber.trim())?.orderNumber).toMatch(/WG\d+/);

    // Offline, the catalog is still browsable from the cache, with its age and filters.
    waug.setFaults({ resetAfterApply: false, onlyEndpoint: null, hang: true });
    await core.handlers.setWorkOffline({ workOffline: true });
    await page.getByTestId('booking-again').click();
    await page.getByTestId('catalog-offline').waitFor(POLL);
    expect(await page.getByTestId('catalog-age').textContent()).toMatch(/Catalog (synced just now|as of \d+ min ago)/);
    await expect.poll(() => page.getByTestId('catalog-count').getAttribute('data-count'), POLL).toBe('28');
    await page.getByTestId('catalog-refundable-only').check();
    const count = async () => Number(await page.getByTestId('catalog-count').getAttribute('data-count'));
    await expect.poll(count, POLL).toBeLessThan(28); // the list re-reads the cache after the tick
    expect(await count()).toBeGreaterThan(0);
    await page.getByTestId(`goods-row-${TOUR.goodsId}`).click();
    await page.getByTestId('goods-book').waitFor(POLL);
  });
});
