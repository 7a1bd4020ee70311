import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSettingsService,
  DEFAULT_SETTINGS,
  ENCRYPTED_SECRET_KEY,
} from '../../electron/core/config/deskSettings.js';
import { createMemoryOnlyCipher, type SecretCipher } from '../../electron/core/config/secrets.js';
import { createConfSettingsStore, createMemorySettingsStore } from '../../electron/core/config/settings.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import { tempDir } from '../helpers/tempDir.js';

const SECRET = 'sup3r-s3cret-shared-value';
const dirs: { remove(): void }[] = [];
afterEach(() => {
  while (dirs.length) dirs.pop()!.remove();
});

function fileStore() {
  const dir = tempDir();
  dirs.push(dir);
  return createConfSettingsStore(dir.path);
}

/** A stand-in for safeStorage: reversible, and visibly not the plain text. */
function fakeEncryptedCipher(): SecretCipher {
  return {
    kind: 'encrypted',
    encrypt: (plain) => 'enc:' + Buffer.from([...plain].reverse().join('')).toString('base64'),
    decrypt: (stored) => [...Buffer.from(stored.slice(4), 'base64').toString()].reverse().join(''),
  };
}

const quietLog = () => {
  const sink = createMemorySink();
  return { sink, log: createLogger({ sink, level: 'debug' }) };
};

describe('settings and credential vault', () => {
  it('starts from defaults', () => {
    const s = createSettingsService({
      store: createMemorySettingsStore(),
      cipher: createMemoryOnlyCipher(),
      log: quietLog().log,
    });
    expect(s.read()).toEqual(DEFAULT_SETTINGS);
    expect(s.view()).toMatchObject({
      stationName: 'Front desk 1',
      locale: 'zh-TW',
      soundOn: true,
      hasSharedSecret: false,
      secretStorage: 'memory-only',
    });
    expect(s.yahooCredentials()).toBeNull();
  });

  it('memory-only: the secret is usable for the session but never written to the settings file', () => {
    const store = fileStore();
    const s = createSettingsService({
      store,
      cipher: createMemoryOnlyCipher(),
      log: quietLog().log,
    });
    const { yahooChanged } = s.update({
      yahooBaseUrl: 'https://yahoo.example',
      yahooApiKey: 'key-1',
      sharedSecret: SECRET,
      stationName: 'Desk 2',
    });
    expect(yahooChanged).toBe(true);
    expect(s.yahooCredentials()).toEqual({
      baseUrl: 'https://yahoo.example',
      apiKey: 'key-1',
      sharedSecret: SECRET,
    });
    expect(s.view().hasSharedSecret).toBe(true);
    expect(JSON.stringify(s.view())).not.toContain(SECRET);

    const bytes = readFileSync(store.path);
    expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
    expect(bytes.includes(Buffer.from('Desk 2'))).toBe(true);

    // A new session over the same file has no secret.
    const next = createSettingsService({
      store: createConfSettingsStore(store.path.replace(/\/settings\.json$/, '')),
      cipher: createMemoryOnlyCipher(),
      log: quietLog().log,
    });
    expect(next.view()).toMatchObject({
      stationName: 'Desk 2',
      hasSharedSecret: false,
    });
    expect(next.yahooCredentials()).toBeNull();
  });

  it('encrypted: only ciphertext is stored, and it reads back through the cipher', () => {
    const store = fileStore();
    const cipher = fakeEncryptedCipher();
    const s = createSettingsService({ store, cipher, log: quietLog().log });
    s.update({
      yahooBaseUrl: 'https://yahoo.example',
      yahooApiKey: 'key-1',
      sharedSecret: SECRET,
    });
    const text = readFileSync(store.path, 'utf8');
    expect(text).not.toContain(SECRET);
    const stored = JSON.parse(text)[ENCRYPTED_SECRET_KEY] as string;
    expect(stored).toBe(cipher.encrypt(SECRET));

    const next = createSettingsService({ store, cipher, log: quietLog().log });
    expect(next.yahooCredentials()?.sharedSecret).toBe(SECRET);
    expect(next.view().secretStorage).toBe('encrypted');

    next.update({ sharedSecret: '' });
    expect(next.view().hasSharedSecret).toBe(false);
    expect(readFileSync(store.path, 'utf8')).not.toContain(ENCRYPTED_SECRET_KEY);
  });

  it('an undecryptable stored secret reads as not set', () => {
    const store = createMemorySettingsStore({
      [ENCRYPTED_SECRET_KEY]: 'garbage',
    });
    const { sink, log } = quietLog();
    const s = createSettingsService({
      store,
      cipher: {
        kind: 'encrypted',
        encrypt: (p) => p,
        decrypt: () => {
          throw new Error('keystore changed');
        },
      },
      log,
    });
    expect(s.hasSharedSecret()).toBe(false);
    expect(sink.lines.join('\n')).toContain('could not be decrypted');
  });

  it('env overrides win over stored values and are never written', () => {
    const store = fileStore();
    const s = createSettingsService({
      store,
      cipher: createMemoryOnlyCipher(),
      env: {
        YAHOO_BASE_URL: 'http://127.0.0.1:9',
        YAHOO_API_KEY: 'env-key',
        YAHOO_SHARED_SECRET: SECRET,
        VOUCHER_DESK_STATION: 'Kiosk 3',
      },
      log: quietLog().log,
    });
    s.update({ stationName: 'Desk 2', yahooApiKey: 'ui-key' });
    expect(s.read().stationName).toBe('Kiosk 3');
    expect(s.yahooCredentials()).toEqual({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 'env-key',
      sharedSecret: SECRET,
    });
    expect(readFileSync(store.path, 'utf8')).not.toContain(SECRET);
  });

  it('falls back to defaults for invalid values, logging the key but not the value', () => {
    const store = createMemorySettingsStore({
      locale: 'klingon',
      soundOn: 'loud',
      stationName: '',
      operatorName: 'Amy',
    });
    const { sink, log } = quietLog();
    const s = createSettingsService({
      store,
      cipher: createMemoryOnlyCipher(),
      log,
    });
    expect(s.read()).toMatchObject({
      locale: 'zh-TW',
      soundOn: true,
      stationName: 'Front desk 1',
      operatorName: 'Amy',
    });
    const text = sink.lines.join('\n');
    expect(text).toContain('"key":"locale"');
    expect(text).not.toContain('klingon');
    expect(text).not.toContain('loud');
  });

  it('survives a settings file that is not JSON', () => {
    const store = fileStore();
    store.set('stationName', 'Desk 2');
    writeFileSync(store.path, '{ this is not json');
    const s = createSettingsService({
      store,
      cipher: createMemoryOnlyCipher(),
      log: quietLog().log,
    });
    expect(s.read()).toEqual(DEFAULT_SETTINGS);
    s.update({ stationName: 'Desk 4' });
    expect(JSON.parse(readFileSync(store.path, 'utf8'))).toMatchObject({
      stationName: 'Desk 4',
    });
  });

  it('startShift records the operator and the time', () => {
    const s = createSettingsService({
      store: createMemorySettingsStore(),
      cipher: createMemoryOnlyCipher(),
      log: quietLog().log,
    });
    s.startShift('Amy', new Date('2025-06-01T01:00:00Z'));
    expect(s.read()).toMatchObject({
      operatorName: 'Amy',
      shiftStartedAt: '2025-06-01T01:00:00.000Z',
    });
  });
});
