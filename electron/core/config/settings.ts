/**
 * Where settings are kept. Electron passes an electron-store backed store (electron-store
 * imports 'electron' at load time); under Node the same interface is backed by conf, its base.
 */
import Conf from 'conf';

export interface SettingsStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

export const SETTINGS_FILE_NAME = 'settings';

/** A conf-backed store in `dataDir/settings.json`. An unreadable file reads as empty. */
export function createConfSettingsStore(dataDir: string): SettingsStore & { readonly path: string } {
  const conf = new Conf<Record<string, unknown>>({
    cwd: dataDir,
    configName: SETTINGS_FILE_NAME,
    projectName: 'voucher-desk',
    clearInvalidConfig: true,
    accessPropertiesByDotNotation: false,
    configFileMode: 0o600,
  });
  return {
    path: conf.path,
    get: (key) => {
      try {
        return conf.get(key);
      } catch {
        return undefined;
      }
    },
    set: (key, value) => conf.set(key, value),
    delete: (key) => conf.delete(key),
  };
}

/** A plain in-memory store; for tests. */
export function createMemorySettingsStore(initial: Record<string, unknown> = {}): SettingsStore & {
  readonly data: Map<string, unknown>;
} {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get: (key) => data.get(key),
    set: (key, value) => void data.set(key, value),
    delete: (key) => void data.delete(key),
  };
}
