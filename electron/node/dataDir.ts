import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the command line and the browser shell keep the database and settings when neither
 * --data-dir nor VOUCHER_DESK_DATA_DIR is given: the same folder Electron uses as userData
 * for an app named "voucher-desk", so the desktop app and the CLI share one cache.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['VOUCHER_DESK_DATA_DIR'];
  if (explicit) return explicit;
  switch (process.platform) {
    case 'win32':
      return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'voucher-desk');
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'voucher-desk');
    default:
      return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'voucher-desk');
  }
}
