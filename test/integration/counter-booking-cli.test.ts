/**
 * `book --file order.json [--json]` as a real process (issue 6 item 4), live against a WAUG
 * sandbox this test runs (Yahoo credentials pointing nowhere: booking needs no Yahoo): the same
 * file twice books once (an edited file is answered with the order booked, flagged), a changed
 * price is printed and not booked, `--json` prints no form values, and bad files get a clear line
 * and the documented exit code.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWaugSandbox, type WaugSandbox } from '../../electron/core/sandbox/waug/index.js';
import { createWaugClient } from '../../electron/core/waug/client.js';
import { tempDir } from '../helpers/tempDir.js';

const root = tempDir('voucher-desk-cli-book-');
let waug: WaugSandbox;
let useDate: string;
let price: string;
let runs = 0;

beforeAll(async () => {
  waug = await startWaugSandbox({ demoOrders: false, webhookScanEveryMs: 0 });
  useDate = DateTime.now().setZone('Asia/Seoul').plus({ days: 4 }).toFormat('yyyy-MM-dd');
  const client = createWaugClient({ baseUrl: waug.baseUrl, clientId: waug.clientId, clientSecret: waug.clientSecret });
  const prices = await client.getGoodsPrices('107278', { startDate: useDate, endDate: useDate });
  price = prices.find((p) => p.goodsOptionItemId === '61800')!.price;
  client.close();
});
afterAll(async () => {
  await waug?.close();
  root.remove();
});

function cli(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (/^(YAHOO_|WAUG_|VOUCHER_DESK_)/.test(key)) delete env[key];
  Object.assign(env, {
    YAHOO_BASE_URL: 'http://127.0.0.1:9',
    YAHOO_API_KEY: 'k'.repeat(20),
    YAHOO_SHARED_SECRET: 's'.repeat(20),
    WAUG_BASE_URL: waug.baseUrl,
    WAUG_CLIENT_ID: waug.clientId,
    WAUG_CLIENT_SECRET: waug.clientSecret,
  });
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'electron/cli/index.ts', ...args, '--data-dir', dataDir],
      { env, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A file as a merchant's script writes it: ids and prices as numbers (as in the seed), and a partner number. */
function orderFile(name: string, overrides: Record<string, unknown> = {}, unitPrice?: string): string {
  const path = join(root.path, `${name}.json`);
  const body = {
    partnerOrderNumber: `SHOP-${name}`,
    locale: 'en',
    orderGoods: [
      {
        goodsId: 107278,
        useDate,
        orderOptions: [
          { goodsOptionId: 28900, goodsOptionItemId: 61800, quantity: 2, price: '__PRICE__', goodsOptionTimeslotId: 0 },
        ],
        orderInfos: [],
      },
    ],
    orderInfos: [
      { fieldId: 4, groupCategory: 'ORDER', values: ['HONG GILDONG'] },
      { fieldId: 2, groupCategory: 'ORDER', values: ['886912345678'] },
      { fieldId: 8, groupCategory: 'ORDER', values: ['guest@example.com'] },
    ],
    ...overrides,
  };
  // The price goes in as a bare JSON number, digit for digit.
  writeFileSync(path, JSON.stringify(body).replace('"__PRICE__"', unitPrice ?? price));
  return path;
}

function dataDir(name: string): string {
  runs += 1;
  return join(root.path, `data-${name}-${runs}`);
}

describe('book --file', () => {
  it('books a file once: the second run answers the same order and sends nothing', async () => {
    const dir = dataDir('twice');
    const file = orderFile('TWICE-1');
    const before = waug.orderCount;
    const first = await cli(['book', '--file', file], dir);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Booked under partner number SHOP-TWICE-1.');
    const order = waug.getOrderByPartnerNumber('SHOP-TWICE-1');
    expect(order).toBeDefined();
    expect(first.stdout).toContain(order!.orderNumber);
    expect(waug.orderCount).toBe(before + 1);

    const second = await cli(['book', '--file', file, '--json'], dir);
    expect(second.code, second.stderr).toBe(0);
    const json = JSON.parse(second.stdout);
    expect(json).toMatchObject({
      kind: 'created',
      alreadyBooked: true,
      order: { orderNumber: order!.orderNumber, partnerOrderNumber: 'SHOP-TWICE-1' },
      draft: { state: 'created', partnerOrderNumber: 'SHOP-TWICE-1' },
    });
    // The form values are personal data: not in a script's output.
    expect(json.draft).not.toHaveProperty('body');
    for (const value of ['HONG GILDONG', '886912345678', 'guest@example.com'])
      expect(second.stdout).not.toContain(value);
    expect(waug.orderCount).toBe(before + 1);

    // Another desk (another data folder) with the same file: WAUG's order is the answer.
    const elsewhere = await cli(['book', '--file', file], dataDir('elsewhere'));
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
    expect(elsewhere.stdout).toContain('Already booked under partner number SHOP-TWICE-1');
    expect(elsewhere.stdout).not.toContain('Check:');
    expect(waug.orderCount).toBe(before + 1);

    // The file edited since (3 tickets, not 2): WAUG's order under the number is the answer, flagged.
    const edited = orderFile('TWICE-1-EDITED', {
      partnerOrderNumber: 'SHOP-TWICE-1',
      orderGoods: [
        {
          goodsId: 107278,
          useDate,
          orderOptions: [
            {
              goodsOptionId: 28900,
              goodsOptionItemId: 61800,
              quantity: 3,
              price: '__PRICE__',
              goodsOptionTimeslotId: 0,
            },
          ],
          orderInfos: [],
        },
      ],
    });
    const changed = await cli(['book', '--file', edited], dataDir('edited'));
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toContain('Already booked under partner number SHOP-TWICE-1');
    expect(changed.stdout).toMatch(/Check: WAUG holds an earlier version of this booking/);
    expect(changed.stdout).toContain(order!.orderNumber);
    expect(waug.orderCount).toBe(before + 1);
  }, 120_000);

  it('does not book at a changed price: prints old → new and exits 5', async () => {
    const stale = String(Number(price) - 50);
    const [text, json] = await Promise.all([
      cli(['book', '--file', orderFile('STALE-1', {}, stale)], dataDir('stale')),
      cli(['book', '--file', orderFile('STALE-2', {}, stale), '--json'], dataDir('stale')),
    ]);
    expect(text.code, text.stderr).toBe(5);
    expect(text.stdout).toContain(`× 2: ${stale} → ${price}`);
    expect(text.stdout).toContain(`New total: ${Number(price) * 2} TWD`);
    expect(json.code).toBe(5);
    const changed = JSON.parse(json.stdout);
    expect(changed).toMatchObject({
      kind: 'price_changed',
      reason: 'reread',
      changes: [{ oldPrice: stale, newPrice: price, quantity: 2 }],
      newTotal: String(Number(price) * 2),
      draft: { partnerOrderNumber: 'SHOP-STALE-2', state: 'editing' },
    });
    expect(changed.draft).not.toHaveProperty('body');
    expect(json.stdout).not.toContain('HONG GILDONG');
    expect(waug.getOrderByPartnerNumber('SHOP-STALE-1')).toBeUndefined();
    expect(waug.getOrderByPartnerNumber('SHOP-STALE-2')).toBeUndefined();
  }, 120_000);

  it('refuses bad files with a clear line and exit code 2, and invalid details with their place', async () => {
    const notJson = join(root.path, 'broken.json');
    writeFileSync(notJson, '{"partnerOrderNumber": ');
    const huge = join(root.path, 'huge.json');
    writeFileSync(huge, `{"pad":"${'x'.repeat(1024 * 1024)}"}`);
    // JSON.stringify leaves an undefined key out: a file without a partner number.
    const noPartner = orderFile('NOPARTNER', { partnerOrderNumber: undefined });
    const [missing, broken, tooBig, digits, withoutPartner, noEmail, noFile] = await Promise.all([
      cli(['book', '--file', join(root.path, 'nowhere.json')], dataDir('bad')),
      cli(['book', '--file', notJson], dataDir('bad')),
      cli(['book', '--file', huge], dataDir('bad')),
      cli(['book', '--file', orderFile('DIGITS', { partnerOrderNumber: '202601010001' })], dataDir('bad')),
      cli(['book', '--file', noPartner], dataDir('bad')),
      cli(
        [
          'book',
          '--file',
          orderFile('NOEMAIL', {
            orderInfos: [
              { fieldId: 4, groupCategory: 'ORDER', values: ['HONG GILDONG'] },
              { fieldId: 2, groupCategory: 'ORDER', values: ['886912345678'] },
            ],
          }),
        ],
        dataDir('bad'),
      ),
      cli(['book'], dataDir('bad')),
    ]);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/Cannot read the booking file/) });
    expect(broken).toMatchObject({ code: 2, stderr: expect.stringMatching(/is not valid JSON/) });
    expect(tooBig).toMatchObject({ code: 2, stderr: expect.stringMatching(/larger than 1 MiB/) });
    expect(digits).toMatchObject({ code: 2, stderr: expect.stringMatching(/all digits, like a Yahoo orderItemId/) });
    expect(withoutPartner).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/partnerOrderNumber is required: it is the idempotency key/),
    });
    expect(noEmail.code, noEmail.stderr).toBe(2);
    expect(noEmail.stdout).toContain('orderInfos ORDER field 8: Required');
    expect(noFile).toMatchObject({ code: 2, stderr: expect.stringMatching(/needs --file/) });
    for (const partner of ['SHOP-NOEMAIL', '202601010001'])
      expect(waug.getOrderByPartnerNumber(partner)).toBeUndefined();
  }, 120_000);
});
