/**
 * The Electron shell: app lifecycle and the one window. Everything that matters lives in
 * the core (electron/core/app.ts); this file only supplies Electron's adapters and locks
 * the window down.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow } from 'electron';
import { EVENT_CHANNELS, type EventName } from '../../shared/channels.js';
import { createCore, type Core } from '../core/app.js';
import { createFileLogger } from '../core/log/logger.js';
import { createElectronSettingsStore, createSafeStorageCipher } from './adapters.js';
import { pushEvent, registerIpc } from './ipc.js';
import { hardenSessions } from './security.js';

// Renderer URL: the dev server in `electron-vite dev`, the built file otherwise.
const appEntryUrl =
  !app.isPackaged && process.env['ELECTRON_RENDERER_URL']
    ? process.env['ELECTRON_RENDERER_URL']
    : pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;

let mainWindow: BrowserWindow | null = null;
let core: Core | null = null;

if (!app.requestSingleInstanceLock()) {
  // Two instances would share one SQLite file and one outbox: refuse the second.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  const log = createFileLogger(join(app.getPath('userData'), 'logs', 'voucher-desk.log'));
  hardenSessions(appEntryUrl);
  core = await createCore({
    dataDir: app.getPath('userData'),
    settingsStore: createElectronSettingsStore(),
    secretCipher: createSafeStorageCipher(),
    env: process.env,
    log,
    version: app.getVersion(),
    startDemoSandbox: async () => (await import('../core/demo.js')).startDemoSandboxes(),
    restoreServe: true,
  });
  registerIpc(core, appEntryUrl, log);
  mainWindow = createWindow();
  // Every push event of the contract goes to the window, by name.
  for (const event of Object.keys(EVENT_CHANNELS) as EventName[]) {
    core.onEvent(event, (payload) => {
      if (mainWindow) pushEvent(mainWindow.webContents, event, payload);
    });
  }
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Voucher Desk',
    autoHideMenuBar: true,
    webPreferences: {
      // Reviewed: the preload exposes exactly the calls of shared/channels.ts, nothing generic.
      preload: join(import.meta.dirname, '../preload/index.cjs'), // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
      // Middle-click must not open links in new windows (electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(appEntryUrl);
  return window;
}

app.on('window-all-closed', () => app.quit());
app.on('before-quit', () => {
  void core?.close();
});
