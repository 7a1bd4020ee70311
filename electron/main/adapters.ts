/**
 * Electron-only facilities, wrapped in the core's small adapter interfaces so the core
 * itself never imports 'electron' and runs unchanged under plain Node.
 */
import { safeStorage } from 'electron';
import Store from 'electron-store';
import type { SecretCipher } from '../core/config/secrets.js';
import type { SettingsStore } from '../core/config/settings.js';

export function createElectronSettingsStore(): SettingsStore {
  const store = new Store<Record<string, unknown>>({ name: 'settings', clearInvalidConfig: true });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}

/**
 * safeStorage encrypts with the OS keystore (Keychain, DPAPI, libsecret/kwallet). On Linux
 * without a keyring it falls back to a hard-coded key ('basic_text'), which is not
 * encryption worth the name: we then keep secrets in memory only.
 */
export function createSafeStorageCipher(): SecretCipher {
  const usable =
    safeStorage.isEncryptionAvailable() &&
    (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text');
  if (!usable) {
    return {
      kind: 'memory-only',
      encrypt: () => {
        throw new Error('No OS keystore: secrets are kept in memory only');
      },
      decrypt: () => {
        throw new Error('No OS keystore: secrets are kept in memory only');
      },
    };
  }
  return {
    kind: 'encrypted',
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (stored) => safeStorage.decryptString(Buffer.from(stored, 'base64')),
  };
}
