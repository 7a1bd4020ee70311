/**
 * The settings form as data: what the clerk edited, what goes to updateSettings, and which
 * fields are wrong. The request is checked with the contract's own schema before it is sent,
 * so the form and main cannot disagree about what is valid.
 */
import { z } from 'zod';
import { SettingsUpdateSchema, type SettingsUpdate, type SettingsView } from '../../../shared/contract.js';
import type { MessageKey } from '../../../shared/i18n/index.js';

// The CSP forbids eval; without this zod would probe `new Function` and log a violation.
z.config({ jitless: true });

export interface SettingsDraft {
  yahooBaseUrl: string;
  yahooApiKey: string;
  /** Always starts empty: the stored secret is never sent to the renderer. */
  sharedSecret: string;
  clearSecret: boolean;
  stationName: string;
  operatorName: string;
  soundOn: boolean;
  allowOfflineRedeem: boolean;
  /** A number input gives undefined (or null) while empty or not a number; the schema then refuses it. */
  retentionDays: number | null | undefined;
  syncWindowDays: number | null | undefined;
  waugEnvironment: WaugEnvironment;
  /** Used only when the environment is 'custom'. */
  waugBaseUrl: string;
  waugClientId: string;
  /** Write-only, like the Yahoo secret: always starts empty. */
  waugClientSecret: string;
  clearWaugSecret: boolean;
}

export type WaugEnvironment = SettingsView['waugEnvironment'];
export const WAUG_ENVIRONMENTS: readonly WaugEnvironment[] = ['beta', 'production', 'custom'];
/** Shown under the environment choice so the clerk sees where calls go (API-NOTES §2 "Environments"); main owns the real table. */
export const WAUG_HOSTS: Readonly<Record<Exclude<WaugEnvironment, 'custom'>, string>> = {
  beta: 'https://beta-partner-api.waug.com',
  production: 'https://partner-api.waug.com',
};

export type SettingsField =
  | 'yahooBaseUrl'
  | 'yahooApiKey'
  | 'sharedSecret'
  | 'stationName'
  | 'operatorName'
  | 'locale'
  | 'soundOn'
  | 'allowOfflineRedeem'
  | 'retentionDays'
  | 'syncWindowDays'
  | 'waugEnvironment'
  | 'waugBaseUrl'
  | 'waugClientId'
  | 'waugClientSecret';

export const SETTINGS_FIELDS: readonly SettingsField[] = [
  'yahooBaseUrl',
  'yahooApiKey',
  'sharedSecret',
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
  'waugClientSecret',
];

export const FIELD_ERROR_KEYS: Record<SettingsField, MessageKey> = {
  yahooBaseUrl: 'settings.invalid.yahooBaseUrl',
  yahooApiKey: 'settings.invalid.yahooApiKey',
  sharedSecret: 'settings.invalid.sharedSecret',
  stationName: 'settings.invalid.stationName',
  operatorName: 'settings.invalid.operatorName',
  locale: 'settings.invalid.locale',
  soundOn: 'settings.invalid.soundOn',
  allowOfflineRedeem: 'settings.invalid.allowOfflineRedeem',
  retentionDays: 'settings.invalid.retentionDays',
  syncWindowDays: 'settings.invalid.syncWindowDays',
  waugEnvironment: 'settings.invalid.waugEnvironment',
  waugBaseUrl: 'settings.invalid.waugBaseUrl',
  waugClientId: 'settings.invalid.waugClientId',
  waugClientSecret: 'settings.invalid.waugClientSecret',
};

export type FieldErrors = Partial<Record<SettingsField, true>>;

export function draftFromView(view: SettingsView): SettingsDraft {
  return {
    yahooBaseUrl: view.yahooBaseUrl,
    yahooApiKey: view.yahooApiKey,
    sharedSecret: '',
    clearSecret: false,
    stationName: view.stationName,
    operatorName: view.operatorName,
    soundOn: view.soundOn,
    allowOfflineRedeem: view.allowOfflineRedeem,
    retentionDays: view.retentionDays,
    syncWindowDays: view.syncWindowDays,
    waugEnvironment: view.waugEnvironment,
    waugBaseUrl: view.waugBaseUrl,
    waugClientId: view.waugClientId,
    waugClientSecret: '',
    clearWaugSecret: false,
  };
}

/** An empty or unreadable number box is sent as NaN, which the schema refuses with the field's name. */
const days = (value: number | null | undefined): number => (typeof value === 'number' ? value : Number.NaN);

/**
 * Only what changed is sent, so saving the form never overwrites a value changed elsewhere
 * meanwhile (e.g. the operator set by "start new shift"). The secret: an empty box keeps it,
 * "clear" sends the empty string (the contract's way of clearing), anything else replaces it.
 * The language is not part of the form: it is applied and saved the moment it is chosen.
 */
export function buildSettingsUpdate(draft: SettingsDraft, saved: SettingsView): SettingsUpdate {
  const update: SettingsUpdate = {};
  if (draft.yahooBaseUrl.trim() !== saved.yahooBaseUrl) update.yahooBaseUrl = draft.yahooBaseUrl.trim();
  if (draft.yahooApiKey.trim() !== saved.yahooApiKey) update.yahooApiKey = draft.yahooApiKey.trim();
  if (draft.stationName.trim() !== saved.stationName) update.stationName = draft.stationName.trim();
  if (draft.operatorName.trim() !== saved.operatorName) update.operatorName = draft.operatorName.trim();
  if (draft.soundOn !== saved.soundOn) update.soundOn = draft.soundOn;
  if (draft.allowOfflineRedeem !== saved.allowOfflineRedeem) update.allowOfflineRedeem = draft.allowOfflineRedeem;
  if (draft.retentionDays !== saved.retentionDays) update.retentionDays = days(draft.retentionDays);
  if (draft.syncWindowDays !== saved.syncWindowDays) update.syncWindowDays = days(draft.syncWindowDays);
  if (draft.clearSecret) update.sharedSecret = '';
  else if (draft.sharedSecret !== '') update.sharedSecret = draft.sharedSecret;
  if (draft.waugEnvironment !== saved.waugEnvironment) update.waugEnvironment = draft.waugEnvironment;
  // The URL box is shown (and sent) only for a custom address; BETA and PRODUCTION have fixed hosts.
  if (draft.waugEnvironment === 'custom' && draft.waugBaseUrl.trim() !== saved.waugBaseUrl)
    update.waugBaseUrl = draft.waugBaseUrl.trim();
  if (draft.waugClientId.trim() !== saved.waugClientId) update.waugClientId = draft.waugClientId.trim();
  if (draft.clearWaugSecret) update.waugClientSecret = '';
  else if (draft.waugClientSecret !== '') update.waugClientSecret = draft.waugClientSecret;
  return update;
}

function isSettingsField(value: unknown): value is SettingsField {
  return typeof value === 'string' && (SETTINGS_FIELDS as readonly string[]).includes(value);
}

/**
 * Checks the request with the contract's schema; an empty result means it may be sent. One rule
 * the schema cannot know (it sees only what changed): a custom WAUG environment needs an address.
 */
export function validateSettingsUpdate(
  update: SettingsUpdate,
  draft?: Pick<SettingsDraft, 'waugEnvironment' | 'waugBaseUrl'>,
): FieldErrors {
  const errors: FieldErrors = {};
  if (draft?.waugEnvironment === 'custom' && draft.waugBaseUrl.trim() === '') errors.waugBaseUrl = true;
  const parsed = SettingsUpdateSchema.safeParse(update);
  if (parsed.success) return errors;
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (isSettingsField(field)) errors[field] = true;
  }
  return errors;
}

/**
 * A bad_input from main carries only a message (WireError has no field list), so the fields
 * it names are picked out of that text. Unrecognised text marks no field; the form then shows
 * the general bad_input words.
 */
export function fieldsNamedIn(message: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of SETTINGS_FIELDS) {
    if (new RegExp(`\\b${field}\\b`).test(message)) errors[field] = true;
  }
  return errors;
}
