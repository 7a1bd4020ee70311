/**
 * The order commands of the command line, run as a real process against the demo (the Yahoo and
 * WAUG sandboxes the CLI starts itself), with their exit codes. The runs go in parallel, each on
 * its own copy of one data folder where a manager PIN was set.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS_FILE_NAME } from '../../electron/core/config/settings.js';
import { DEMO_WAUG } from '../../electron/core/sandbox/waug/index.js';
import { waugDayOf } from '../../electron/core/waug/time.js';
import { createNodeCore } from '../../electron/node/bootstrap.js';
import { tempDir } from '../helpers/tempDir.js';

const PIN = '736251';
const root = tempDir('voucher-desk-cli-orders-');
let template: string;
let runs = 0;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Environment without any partner credentials: the CLI runs the demo. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of Object.keys(env)) if (/^(YAHOO_|WAUG_|VOUCHER_DESK_)/.test(key) && !(key in extra)) delete env[key];
  return env;
}

function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  runs += 1;
  const dataDir = join(root.path, `run-${runs}`);
  mkdirSync(dataDir);
  copyFileSync(join(template, `${SETTINGS_FILE_NAME}.json`), join(dataDir, `${SETTINGS_FILE_NAME}.json`));
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'electron/cli/index.ts', ...args, '--data-dir', dataDir],
      { env: cleanEnv(extraEnv), timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  template = join(root.path, 'template');
  const { core } = await createNodeCore({ dataDir: template, env: {}, demo: false, backgroundSync: false });
  await core.handlers.updateSettings({ managerPin: { next: PIN } });
  await core.close();
});
afterAll(() => root.remove());

describe('order commands', () => {
  it('look orders up, pull a range, and request refunds, with the documented exit codes', async () => {
    const today = waugDayOf(Date.now());
    const from = waugDayOf(Date.now() - 20 * 86_400_000);
    const [byNumber, byPartner, missing, range, refunded, refusedLocally, wrongPin, noReason] = await Promise.all([
      cli(['order', DEMO_WAUG.unusedA.orderNumber, '--json']),
      cli(['order', '--partner', DEMO_WAUG.unusedB.partnerOrderNumber]),
      cli(['order', 'WG0000000000000']),
      cli(['orders', '--from', from, '--to', today, '--json']),
      cli(['refund', DEMO_WAUG.unusedA.orderNumber, '--reason', 'Customer cannot travel', '--json'], {
        VOUCHER_DESK_MANAGER_PIN: PIN,
      }),
      cli(['refund', DEMO_WAUG.unusedB.orderNumber, '--reason', 'x', '--pin', PIN]),
      cli(['refund', DEMO_WAUG.unusedA.orderNumber, '--reason', 'x', '--pin', '000000']),
      cli(['refund', DEMO_WAUG.unusedA.orderNumber], { VOUCHER_DESK_MANAGER_PIN: PIN }),
    ]);

    expect(byNumber.code, byNumber.stderr).toBe(0);
    expect(JSON.parse(byNumber.stdout)).toMatchObject({
      orderNumber: DEMO_WAUG.unusedA.orderNumber,
      partnerOrderNumber: DEMO_WAUG.unusedA.partnerOrderNumber,
      source: 'remote',
      refundable: true,
    });

    expect(byPartner.code, byPartner.stderr).toBe(0);
    expect(byPartner.stdout).toContain(`${DEMO_WAUG.unusedB.orderNumber}  STATUS_PAID  NOT REFUNDABLE`);
    expect(byPartner.stdout).toContain('(non-refundable)');

    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('WAUG has no order WG0000000000000');

    expect(range.code, range.stderr).toBe(0);
    const listed = JSON.parse(range.stdout) as { pulled: number; orders: { orderNumber: string }[] };
    expect(listed.pulled).toBeGreaterThan(10);
    expect(listed.orders).toHaveLength(listed.pulled);

    expect(refunded.code, refunded.stderr).toBe(0);
    expect(JSON.parse(refunded.stdout)).toMatchObject({
      orderNumber: DEMO_WAUG.unusedA.orderNumber,
      orderStatus: 'STATUS_REFUND_REQUESTED',
      refundable: false,
    });

    expect(refusedLocally.code).toBe(4);
    expect(refusedLocally.stderr).toMatch(/non-refundable/);

    expect(wrongPin.code).toBe(1);
    expect(wrongPin.stderr).toContain('Wrong manager PIN');

    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason');

    for (const run of [byNumber, byPartner, missing, range, refunded, refusedLocally, wrongPin, noReason]) {
      expect(run.stdout + run.stderr).not.toContain(PIN);
    }
  }, 60_000);
});
