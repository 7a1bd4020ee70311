import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../shared/contract.js';
import { buildSettingsUpdate, draftFromView, fieldsNamedIn, validateSettingsUpdate } from './settingsForm.js';

const saved: SettingsView = {
  yahooBaseUrl: 'https://yahoo.example',
  yahooApiKey: 'key',
  hasSharedSecret: true,
  secretStorage: 'encrypted',
  stationName: 'Front desk 1',
  operatorName: 'Amy',
  locale: 'zh-TW',
  soundOn: true,
  allowOfflineRedeem: true,
  retentionDays: 90,
  syncWindowDays: 30,
  waugEnvironment: 'beta',
  waugBaseUrl: '',
  waugClientId: 'desk-client',
  hasWaugClientSecret: true,
  hasManagerPin: false,
  waugBookingContact: null,
};

describe('settings form', () => {
  it('never pre-fills the secret', () => {
    expect(draftFromView(saved).sharedSecret).toBe('');
  });

  it('sends nothing when nothing changed: an empty secret box keeps the secret', () => {
    expect(buildSettingsUpdate(draftFromView(saved), saved)).toEqual({});
  });

  it('sends only changed fields, trimmed', () => {
    const draft = { ...draftFromView(saved), stationName: '  Front desk 2 ', soundOn: false };
    expect(buildSettingsUpdate(draft, saved)).toEqual({ stationName: 'Front desk 2', soundOn: false });
  });

  it('replaces the secret when one is typed, and clears it with an empty string on request', () => {
    expect(buildSettingsUpdate({ ...draftFromView(saved), sharedSecret: 's3cret' }, saved)).toEqual({
      sharedSecret: 's3cret',
    });
    expect(buildSettingsUpdate({ ...draftFromView(saved), sharedSecret: 'ignored', clearSecret: true }, saved)).toEqual(
      {
        sharedSecret: '',
      },
    );
  });

  it('validates with the contract schema and names the bad fields', () => {
    expect(validateSettingsUpdate({ yahooBaseUrl: 'ftp://x' })).toEqual({ yahooBaseUrl: true });
    expect(validateSettingsUpdate({ stationName: '' })).toEqual({ stationName: true });
    expect(validateSettingsUpdate({ yahooBaseUrl: '', stationName: 'A' })).toEqual({});
  });

  it('finds field names in a bad_input message from main', () => {
    expect(fieldsNamedIn('yahooBaseUrl: must be an http(s) URL; stationName: too short')).toEqual({
      yahooBaseUrl: true,
      stationName: true,
    });
    expect(fieldsNamedIn('something else')).toEqual({});
  });

  it('sends the offline settings when changed, and refuses days out of range or empty', () => {
    const draft = { ...draftFromView(saved), allowOfflineRedeem: false, retentionDays: 365, syncWindowDays: 7 };
    const update = buildSettingsUpdate(draft, saved);
    expect(update).toEqual({ allowOfflineRedeem: false, retentionDays: 365, syncWindowDays: 7 });
    expect(validateSettingsUpdate(update)).toEqual({});

    expect(validateSettingsUpdate({ retentionDays: 0, syncWindowDays: 366 })).toEqual({
      retentionDays: true,
      syncWindowDays: true,
    });
    expect(validateSettingsUpdate({ retentionDays: 3650, syncWindowDays: 365 })).toEqual({});
    expect(validateSettingsUpdate({ retentionDays: 1.5 })).toEqual({ retentionDays: true });
    // An emptied number box (undefined or null from the input) is refused, not silently skipped.
    const emptied = buildSettingsUpdate(
      { ...draftFromView(saved), retentionDays: undefined, syncWindowDays: null },
      saved,
    );
    expect(validateSettingsUpdate(emptied)).toEqual({ retentionDays: true, syncWindowDays: true });
  });

  it('finds the new field names in a bad_input message from main', () => {
    expect(fieldsNamedIn('retentionDays: too big')).toEqual({ retentionDays: true });
  });

  it('never pre-fills the WAUG secret, and sends it like the Yahoo one', () => {
    expect(draftFromView(saved).waugClientSecret).toBe('');
    expect(buildSettingsUpdate({ ...draftFromView(saved), waugClientSecret: 'w-secret' }, saved)).toEqual({
      waugClientSecret: 'w-secret',
    });
    expect(
      buildSettingsUpdate({ ...draftFromView(saved), waugClientSecret: 'ignored', clearWaugSecret: true }, saved),
    ).toEqual({ waugClientSecret: '' });
  });

  it('sends the WAUG address only for a custom environment', () => {
    const production = { ...draftFromView(saved), waugEnvironment: 'production' as const, waugBaseUrl: 'https://x' };
    expect(buildSettingsUpdate(production, saved)).toEqual({ waugEnvironment: 'production' });
    const custom = { ...draftFromView(saved), waugEnvironment: 'custom' as const, waugBaseUrl: ' https://waug.test ' };
    expect(buildSettingsUpdate(custom, saved)).toEqual({ waugEnvironment: 'custom', waugBaseUrl: 'https://waug.test' });
    expect(buildSettingsUpdate({ ...draftFromView(saved), waugClientId: ' id2 ' }, saved)).toEqual({
      waugClientId: 'id2',
    });
  });

  it('validates the WAUG fields with the contract, and wants an address for a custom environment', () => {
    expect(validateSettingsUpdate({ waugBaseUrl: 'not a url' })).toEqual({ waugBaseUrl: true });
    expect(validateSettingsUpdate({ waugClientId: 'x'.repeat(201) })).toEqual({ waugClientId: true });
    expect(validateSettingsUpdate({ waugClientSecret: 'x'.repeat(501) })).toEqual({ waugClientSecret: true });
    const custom = { ...draftFromView(saved), waugEnvironment: 'custom' as const, waugBaseUrl: '' };
    expect(validateSettingsUpdate(buildSettingsUpdate(custom, saved), custom)).toEqual({ waugBaseUrl: true });
    const beta = draftFromView(saved);
    expect(validateSettingsUpdate(buildSettingsUpdate(beta, saved), beta)).toEqual({});
    expect(fieldsNamedIn('waugBaseUrl: must be an http(s) URL')).toEqual({ waugBaseUrl: true });
  });
});
