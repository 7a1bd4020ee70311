/**
 * Window hardening, applied to every web contents the app ever creates (Electron security
 * checklist items 1–17): no navigation away from the app, no new windows, no webviews,
 * no permissions except the camera for QR scanning, and a CSP header on every response.
 */
import { app, session, type WebContents } from 'electron';
import { isAppUrl } from './appUrl.js';
import { CONTENT_SECURITY_POLICY } from './csp.js';

/** Permissions the renderer may get. The camera is for reading QR codes at the counter. */
const ALLOWED_PERMISSIONS = new Set(['media']);

export function hardenSessions(appEntryUrl: string): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((contents, permission, callback) => {
    callback(ALLOWED_PERMISSIONS.has(permission) && isAppUrl(contents.getURL(), appEntryUrl));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => {
    return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingOrigin, appEntryUrl);
  });
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, appEntryUrl)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url, appEntryUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    // Nothing opens a window: not links, not window.open, not middle-clicks.
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
