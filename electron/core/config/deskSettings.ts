/**
 * Settings and the credential vault. Values are validated with zod whenever they are read,
 * so a corrupt or hand-edited file falls back to defaults (logged by key, never by value).
 * The secrets (Yahoo's shared secret, WAUG's client secret) are write-only from the UI:
 * encrypted at rest when the shell has an OS keystore, otherwise held in memory for the session
 * and never written anywhere. The manager PIN is kept only as a salted hash (managerPin.ts).
 * The WAUG booking contact is read and written through its own store (bookings/contact.ts),
 * the one place it is kept.
 */
import { z } from 'zod';
import { LOCALES, type Locale, type SettingsUpdate, type SettingsView } from '../../../shared/contract.js';
import { createBookingContactStore, type BookingContactStore } from '../bookings/contact.js';
import type { Logger } from '../log/logger.js';
import { WAUG_ENVIRONMENTS } from '../waug/constants.js';
import { isWebhookToken, newWebhookToken } from '../webhooks/token.js';
import { isPinHash, MANAGER_PIN_KEY } from './managerPin.js';
import type { SecretCipher } from './secrets.js';
import type { SettingsStore } from './settings.js';

/** The environment variables the core honours; the shell passes them in. */
export interface EnvOverrides {
  YAHOO_BASE_URL?: string | undefined;
  YAHOO_API_KEY?: string | undefined;
  YAHOO_SHARED_SECRET?: string | undefined;
  VOUCHER_DESK_STATION?: string | undefined;
  /** Overrides the WAUG environment: set, it means 'custom' with this base URL. */
  WAUG_BASE_URL?: string | undefined;
  WAUG_CLIENT_ID?: string | undefined;
  WAUG_CLIENT_SECRET?: string | undefined;
  /** Pins the WAUG webhook token where no OS keystore can keep it across restarts (a headless serve). */
  WAUG_WEBHOOK_TOKEN?: string | undefined;
}

export type WaugEnvironmentSetting = SettingsView['waugEnvironment'];

export interface Settings {
  yahooBaseUrl: string;
  yahooApiKey: string;
  stationName: string;
  operatorName: string;
  locale: Locale;
  soundOn: boolean;
  /** ISO-8601 UTC, or null before the first shift. */
  shiftStartedAt: string | null;
  /** Redeem cached UNUSED vouchers while Yahoo is unreachable, queued for delivery. */
  allowOfflineRedeem: boolean;
  /** Personal data of used or expired vouchers is purged after this many days. */
  retentionDays: number;
  /** How far back the background sync pulls vouchers by creation time. */
  syncWindowDays: number;
  /** The clerk's "work offline" switch: no calls to Yahoo at all while on. Survives a restart. */
  workOffline: boolean;
  /** WAUG's BETA or PRODUCTION host (API-NOTES §2), or waugBaseUrl when 'custom'. */
  waugEnvironment: WaugEnvironmentSetting;
  waugBaseUrl: string;
  waugClientId: string;
}

export interface WaugCredentials {
  /** The host the client talks to, resolved from the environment setting. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface YahooCredentials {
  baseUrl: string;
  apiKey: string;
  sharedSecret: string;
}

export const DEFAULT_SETTINGS: Settings = {
  yahooBaseUrl: '',
  yahooApiKey: '',
  stationName: 'Front desk 1',
  operatorName: '',
  locale: 'zh-TW',
  soundOn: true,
  shiftStartedAt: null,
  allowOfflineRedeem: true,
  retentionDays: 90,
  syncWindowDays: 30,
  workOffline: false,
  waugEnvironment: 'beta',
  waugBaseUrl: '',
  waugClientId: '',
};

/** The key the encrypted secret is stored under; only used with an 'encrypted' cipher. */
export const ENCRYPTED_SECRET_KEY = 'sharedSecretEncrypted';
/** The same for WAUG's client secret. */
export const ENCRYPTED_WAUG_SECRET_KEY = 'waugClientSecretEncrypted';
/** The same for the token that authenticates WAUG's webhooks (webhooks/token.ts). */
export const ENCRYPTED_WEBHOOK_TOKEN_KEY = 'waugWebhookTokenEncrypted';
/** Where an earlier build kept that token in plain text; removed on sight. */
const PLAIN_WEBHOOK_TOKEN_KEY = 'waugWebhookToken';

type SecretKey = typeof ENCRYPTED_SECRET_KEY | typeof ENCRYPTED_WAUG_SECRET_KEY | typeof ENCRYPTED_WEBHOOK_TOKEN_KEY;

const SETTING_SCHEMAS = {
  yahooBaseUrl: z.string().max(500),
  yahooApiKey: z.string().max(200),
  stationName: z.string().trim().min(1).max(60),
  operatorName: z.string().max(60),
  locale: z.enum(LOCALES),
  soundOn: z.boolean(),
  shiftStartedAt: z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)))
    .nullable(),
  allowOfflineRedeem: z.boolean(),
  retentionDays: z.number().int().min(1).max(3650),
  syncWindowDays: z.number().int().min(1).max(365),
  workOffline: z.boolean(),
  waugEnvironment: z.enum(['beta', 'production', 'custom']),
  waugBaseUrl: z.string().max(500),
  waugClientId: z.string().max(200),
} satisfies { [K in keyof Settings]: z.ZodType<Settings[K]> };

const SETTING_KEYS = Object.keys(SETTING_SCHEMAS) as (keyof Settings)[];

function envValue(env: EnvOverrides, key: keyof EnvOverrides): string | undefined {
  const value = env[key]?.trim();
  return value ? value : undefined;
}

export interface SettingsService {
  /** The effective settings: stored values, validated, with env overrides applied. */
  read(): Settings;
  view(): SettingsView;
  /**
   * Applies a (schema-parsed) update; returns which partner-facing values changed. The manager
   * PIN is not handled here (it needs an async hash check): see managerPin.ts.
   */
  update(update: SettingsUpdate): { yahooChanged: boolean; waugChanged: boolean };
  startShift(operatorName: string, at: Date): void;
  setWorkOffline(on: boolean): void;
  /** Null unless base URL, API key and shared secret are all present. */
  yahooCredentials(): YahooCredentials | null;
  /** Null unless a host, a client id and a client secret are all present. */
  waugCredentials(): WaugCredentials | null;
  hasSharedSecret(): boolean;
  readonly secretStorage: SecretCipher['kind'];
  /** The merchant's WAUG booking contact, kept in the same settings store under its own key. */
  readonly bookingContact: BookingContactStore;
  /**
   * The WAUG webhook token: env WAUG_WEBHOOK_TOKEN, else the stored one, else a new one. Kept like
   * every secret: encrypted at rest where the OS keystore is usable, otherwise only in memory
   * (a new token each run under plain Node unless the env variable pins it).
   */
  webhookToken(): string;
}

export function createSettingsService(options: {
  store: SettingsStore;
  cipher: SecretCipher;
  env?: EnvOverrides;
  log: Logger;
}): SettingsService {
  const { store, cipher, log } = options;
  const env = options.env ?? {};
  /** Secrets set during this session when they cannot be kept encrypted. Never persisted. */
  const memorySecrets = new Map<SecretKey, string>();
  const reported = new Set<string>();
  const bookingContact = createBookingContactStore(store);

  const warnOnce = (key: string, message: string): void => {
    if (reported.has(`${key}:${message}`)) return;
    reported.add(`${key}:${message}`);
    log.warn(message, { key });
  };

  function readKey<K extends keyof Settings>(key: K): Settings[K] {
    const raw = store.get(key);
    if (raw === undefined) return DEFAULT_SETTINGS[key];
    const parsed = SETTING_SCHEMAS[key].safeParse(raw);
    if (parsed.success) return parsed.data as Settings[K];
    warnOnce(key, 'settings value is invalid; using the default');
    return DEFAULT_SETTINGS[key];
  }

  function storedSecret(key: SecretKey): string | null {
    if (cipher.kind !== 'encrypted') return memorySecrets.get(key) ?? null;
    const stored = store.get(key);
    if (stored === undefined || stored === null || stored === '') return null;
    if (typeof stored !== 'string') {
      warnOnce(key, 'stored secret is unreadable; treating it as not set');
      return null;
    }
    try {
      return cipher.decrypt(stored);
    } catch {
      warnOnce(key, 'stored secret could not be decrypted; treating it as not set');
      return null;
    }
  }

  function sharedSecret(): string | null {
    return envValue(env, 'YAHOO_SHARED_SECRET') ?? storedSecret(ENCRYPTED_SECRET_KEY);
  }

  function waugSecret(): string | null {
    return envValue(env, 'WAUG_CLIENT_SECRET') ?? storedSecret(ENCRYPTED_WAUG_SECRET_KEY);
  }

  /** Read once and kept until this service writes: the scan path reads the station on every audit. */
  let cached: Settings | null = null;

  function read(): Settings {
    cached ??= readFromStore();
    return { ...cached };
  }

  function readFromStore(): Settings {
    const settings = {} as Record<keyof Settings, unknown>;
    for (const key of SETTING_KEYS) settings[key] = readKey(key);
    const result = settings as Settings;
    result.yahooBaseUrl = envValue(env, 'YAHOO_BASE_URL') ?? result.yahooBaseUrl;
    result.yahooApiKey = envValue(env, 'YAHOO_API_KEY') ?? result.yahooApiKey;
    result.stationName = envValue(env, 'VOUCHER_DESK_STATION') ?? result.stationName;
    const waugBaseUrl = envValue(env, 'WAUG_BASE_URL');
    if (waugBaseUrl !== undefined) {
      result.waugEnvironment = 'custom';
      result.waugBaseUrl = waugBaseUrl;
    }
    result.waugClientId = envValue(env, 'WAUG_CLIENT_ID') ?? result.waugClientId;
    return result;
  }

  function writeSecret(key: SecretKey, secret: string): void {
    if (secret === '') {
      memorySecrets.delete(key);
      store.delete(key);
      return;
    }
    if (cipher.kind === 'encrypted') {
      store.set(key, cipher.encrypt(secret));
      memorySecrets.delete(key);
    } else {
      memorySecrets.set(key, secret);
    }
  }

  function webhookToken(): string {
    if (store.get(PLAIN_WEBHOOK_TOKEN_KEY) !== undefined) store.delete(PLAIN_WEBHOOK_TOKEN_KEY);
    const fromEnv = envValue(env, 'WAUG_WEBHOOK_TOKEN');
    if (fromEnv !== undefined && isWebhookToken(fromEnv)) return fromEnv;
    const stored = storedSecret(ENCRYPTED_WEBHOOK_TOKEN_KEY);
    if (stored !== null && isWebhookToken(stored)) return stored;
    const token = newWebhookToken();
    writeSecret(ENCRYPTED_WEBHOOK_TOKEN_KEY, token);
    return token;
  }

  function yahooCredentials(): YahooCredentials | null {
    const s = read();
    const secret = sharedSecret();
    if (!s.yahooBaseUrl || !s.yahooApiKey || !secret) return null;
    return {
      baseUrl: s.yahooBaseUrl,
      apiKey: s.yahooApiKey,
      sharedSecret: secret,
    };
  }

  function waugCredentials(): WaugCredentials | null {
    const s = read();
    const secret = waugSecret();
    const baseUrl =
      s.waugEnvironment === 'custom'
        ? s.waugBaseUrl
        : WAUG_ENVIRONMENTS[s.waugEnvironment === 'production' ? 'PRODUCTION' : 'BETA'];
    if (!baseUrl || !s.waugClientId || !secret) return null;
    return { baseUrl, clientId: s.waugClientId, clientSecret: secret };
  }

  return {
    secretStorage: cipher.kind,
    bookingContact,
    webhookToken,
    read,
    view() {
      const s = read();
      return {
        yahooBaseUrl: s.yahooBaseUrl,
        yahooApiKey: s.yahooApiKey,
        hasSharedSecret: sharedSecret() !== null,
        secretStorage: cipher.kind,
        stationName: s.stationName,
        operatorName: s.operatorName,
        locale: s.locale,
        soundOn: s.soundOn,
        allowOfflineRedeem: s.allowOfflineRedeem,
        retentionDays: s.retentionDays,
        syncWindowDays: s.syncWindowDays,
        waugEnvironment: s.waugEnvironment,
        waugBaseUrl: s.waugBaseUrl,
        waugClientId: s.waugClientId,
        hasWaugClientSecret: waugSecret() !== null,
        hasManagerPin: isPinHash(store.get(MANAGER_PIN_KEY)),
        waugBookingContact: bookingContact.read(),
      };
    },
    update(update) {
      const before = yahooCredentials();
      const waugBefore = waugCredentials();
      for (const key of [
        'yahooBaseUrl',
        'yahooApiKey',
        'stationName',
        'operatorName',
        'locale',
        'soundOn',
        'allowOfflineRedeem',
        'retentionDays',
        'syncWindowDays',
        'waugEnvironment',
        'waugBaseUrl',
        'waugClientId',
      ] as const) {
        const value = update[key];
        if (value !== undefined) store.set(key, value);
      }
      if (update.sharedSecret !== undefined) writeSecret(ENCRYPTED_SECRET_KEY, update.sharedSecret);
      if (update.waugClientSecret !== undefined) writeSecret(ENCRYPTED_WAUG_SECRET_KEY, update.waugClientSecret);
      if (update.waugBookingContact === null) bookingContact.clear();
      else if (update.waugBookingContact !== undefined) bookingContact.write(update.waugBookingContact);
      cached = null;
      const after = yahooCredentials();
      const yahooChanged =
        before?.baseUrl !== after?.baseUrl ||
        before?.apiKey !== after?.apiKey ||
        before?.sharedSecret !== after?.sharedSecret;
      const waugAfter = waugCredentials();
      const waugChanged =
        waugBefore?.baseUrl !== waugAfter?.baseUrl ||
        waugBefore?.clientId !== waugAfter?.clientId ||
        waugBefore?.clientSecret !== waugAfter?.clientSecret;
      return { yahooChanged, waugChanged };
    },
    startShift(operatorName, at) {
      store.set('operatorName', operatorName);
      store.set('shiftStartedAt', at.toISOString());
      cached = null;
    },
    setWorkOffline(on) {
      store.set('workOffline', on);
      cached = null;
    },
    yahooCredentials,
    waugCredentials,
    hasSharedSecret: () => sharedSecret() !== null,
  };
}
