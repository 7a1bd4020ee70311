/**
 * The end-to-end rig: the real core (temp data dir) against the real Yahoo sandbox over
 * HTTP, served by the real browser shell, driven in Debian's Chromium by Playwright.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createNodeCore } from '../../electron/node/bootstrap.js';
import { startWebShell, type WebShell } from '../../electron/web/server.js';
import { startYahooSandbox, type YahooSandbox } from '../../electron/core/sandbox/yahoo/index.js';
import { startWaugSandbox, type WaugSandbox, type WaugSandboxOptions } from '../../electron/core/sandbox/waug/index.js';
import type { Core } from '../../electron/core/app.js';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = resolve('test-results/screenshots');

export interface Rig {
  sandbox: YahooSandbox;
  /** Started only with `waug: true`. */
  waug: WaugSandbox | null;
  core: Core;
  shell: WebShell;
  browser: Browser;
  page: Page;
  dataDir: string;
  close(): Promise<void>;
}

export async function startRig(
  options: { locale?: 'zh-TW' | 'en'; stationName?: string; waug?: boolean; waugOptions?: WaugSandboxOptions } = {},
): Promise<Rig> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install it: bash scripts/install-system-deps.sh`);
  }
  const sandbox = await startYahooSandbox();
  const waug = options.waug ? await startWaugSandbox(options.waugOptions) : null;
  const dataDir = mkdtempSync(join(tmpdir(), 'voucher-desk-e2e-'));
  const { core, log } = await createNodeCore({
    dataDir,
    demo: false,
    env: {
      YAHOO_BASE_URL: sandbox.baseUrl,
      YAHOO_API_KEY: sandbox.apiKey,
      YAHOO_SHARED_SECRET: sandbox.sharedSecret,
      VOUCHER_DESK_STATION: options.stationName ?? 'Front desk 2',
      ...(waug
        ? { WAUG_BASE_URL: waug.baseUrl, WAUG_CLIENT_ID: waug.clientId, WAUG_CLIENT_SECRET: waug.clientSecret }
        : {}),
    },
  });
  if (options.locale) await core.handlers.updateSettings({ locale: options.locale });
  await core.handlers.startShift({ operatorName: 'Mei' });
  const shell = await startWebShell({ core, log, rendererDir: resolve('out/renderer'), port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(shell.url);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    sandbox,
    waug,
    core,
    shell,
    browser,
    page,
    dataDir,
    close: async () => {
      await browser.close();
      await shell.close();
      await core.close();
      await sandbox.close();
      await waug?.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (pageErrors.length > 0) throw new Error(`The page reported errors:\n${pageErrors.join('\n')}`);
    },
  };
}

/**
 * Types a serial as a keyboard-wedge scanner does (fast keystrokes, then Enter) and returns
 * the milliseconds from the Enter keydown to the voucher card showing that serial, measured
 * inside the page so Playwright's own round trips are not counted.
 */
export async function scanAndTimeCard(page: Page, serial: string): Promise<number> {
  const input = page.getByTestId('scan-input');
  await input.fill('');
  await input.pressSequentially(serial, { delay: 5 });
  await page.evaluate((expected) => {
    const timing = new Promise<number>((resolvePromise, reject) => {
      let started: number | null = null;
      const shown = () => {
        const card = document.querySelector('[data-testid="voucher-card"]');
        return card !== null && (card.textContent ?? '').includes(expected);
      };
      const observer = new MutationObserver(() => {
        if (started !== null && shown()) {
          observer.disconnect();
          resolvePromise(performance.now() - started);
        }
      });
      document.addEventListener(
        'keydown',
        (event) => {
          if (event.key === 'Enter') {
            started = performance.now();
            observer.observe(document.body, { childList: true, subtree: true, characterData: true });
          }
        },
        { capture: true, once: true },
      );
      setTimeout(() => {
        observer.disconnect();
        reject(new Error(`no card for ${expected} within 10 s`));
      }, 10_000);
    });
    (window as unknown as { __cardTiming: Promise<number> }).__cardTiming = timing;
  }, serial);
  await input.press('Enter');
  return page.evaluate(() => (window as unknown as { __cardTiming: Promise<number> }).__cardTiming);
}
