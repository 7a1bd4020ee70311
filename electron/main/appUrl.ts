/**
 * Is `url` part of our own app? The renderer is a file:// page in production and the
 * electron-vite dev server in development. Pure (no Electron import) so it is unit-tested.
 */
export function isAppUrl(url: string, appEntryUrl: string): boolean {
  try {
    const candidate = new URL(url);
    const entry = new URL(appEntryUrl);
    if (entry.protocol === 'file:') return candidate.protocol === 'file:' && candidate.pathname === entry.pathname;
    return candidate.origin === entry.origin;
  } catch {
    return false;
  }
}
