import { describe, expect, it } from 'vitest';
import type { LookupResult } from '../../../shared/contract.js';
import { createTranslator, SUPPORTED_LOCALES } from '../../../shared/i18n/index.js';
import {
  connectivityState,
  describeLastSync,
  describeProgress,
  needsRevisit,
  problemInWords,
  progressPercent,
  RevisionGate,
  sinceLastSync,
} from './sync.js';

const now = new Date('2025-01-05T08:00:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

describe('connectivityState', () => {
  it('shows the measured state, unless the clerk chose to work offline', () => {
    expect(connectivityState({ connectivity: 'online', workOffline: false })).toBe('online');
    expect(connectivityState({ connectivity: 'degraded', workOffline: false })).toBe('degraded');
    expect(connectivityState({ connectivity: 'offline', workOffline: false })).toBe('offline');
    expect(connectivityState({ connectivity: 'online', workOffline: true })).toBe('work-offline');
  });
});

describe('sinceLastSync', () => {
  it('counts minutes, then hours, then days', () => {
    expect(sinceLastSync(null, now)).toEqual({ kind: 'never' });
    expect(sinceLastSync('not a time', now)).toEqual({ kind: 'never' });
    expect(sinceLastSync(ago(30_000), now)).toEqual({ kind: 'just_now' });
    expect(sinceLastSync(ago(3 * 60_000 + 5_000), now)).toEqual({ kind: 'minutes', minutes: 3 });
    expect(sinceLastSync(ago(59 * 60_000), now)).toEqual({ kind: 'minutes', minutes: 59 });
    expect(sinceLastSync(ago(60 * 60_000), now)).toEqual({ kind: 'hours', hours: 1 });
    expect(sinceLastSync(ago(47 * 3_600_000), now)).toEqual({ kind: 'hours', hours: 47 });
    expect(sinceLastSync(ago(3 * 86_400_000), now)).toEqual({ kind: 'days', days: 3 });
  });

  it('reads a time slightly in the future (clock skew) as just now', () => {
    expect(sinceLastSync(new Date(now.getTime() + 20_000).toISOString(), now)).toEqual({ kind: 'just_now' });
  });

  it('says it in words in both languages', () => {
    expect(describeLastSync(createTranslator('en'), ago(3 * 60_000), now)).toBe('Synced 3 min ago');
    expect(describeLastSync(createTranslator('zh-TW'), ago(3 * 60_000), now)).toBe('3 分鐘前同步');
    expect(describeLastSync(createTranslator('en'), null, now)).toBe('Not synced yet');
    expect(describeLastSync(createTranslator('en'), ago(2 * 3_600_000), now)).toBe('Synced 2 hours ago');
  });
});

describe('sync progress', () => {
  it('gives a bounded percentage, or none when the total is unknown', () => {
    expect(progressPercent({ phase: 'pulling', done: 50, total: 200 })).toBe(25);
    expect(progressPercent({ phase: 'pulling', done: 250, total: 200 })).toBe(100);
    expect(progressPercent({ phase: 'delivering', done: 3, total: null })).toBeNull();
    expect(progressPercent({ phase: 'delivering', done: 0, total: 0 })).toBeNull();
  });

  it('names the phase and the counts', () => {
    const en = createTranslator('en');
    expect(describeProgress(en, { phase: 'pulling', done: 50, total: 200 })).toBe('Fetching vouchers: 50 of 200');
    expect(describeProgress(en, { phase: 'delivering', done: 3, total: null })).toBe('Sending redemptions: 3');
  });
});

describe('problemInWords', () => {
  for (const locale of SUPPORTED_LOCALES) {
    const tr = createTranslator(locale);
    it(`${locale}: turns an error code, alone or leading a message, into the catalog's words`, () => {
      expect(problemInWords(tr, 'timeout')).toBe(tr.error('timeout'));
      expect(problemInWords(tr, 'network: ECONNRESET')).toBe(tr.error('network'));
      expect(problemInWords(tr, 'auth (401)')).toBe(tr.error('auth'));
    });
  }

  it('shows anything else as received', () => {
    const en = createTranslator('en');
    expect(problemInWords(en, '  Yahoo said 502 Bad Gateway ')).toBe('Yahoo said 502 Bad Gateway');
    expect(problemInWords(en, 'timeouts happen')).toBe('timeouts happen');
  });
});

describe('RevisionGate', () => {
  it('takes the first revision as the baseline and reports each change after it', () => {
    const gate = new RevisionGate();
    expect(gate.observe(4)).toBe(false);
    expect(gate.observe(4)).toBe(false);
    expect(gate.observe(5)).toBe(true);
    expect(gate.observe(5)).toBe(false);
    // A restarted core may count from scratch: still a change.
    expect(gate.observe(1)).toBe(true);
  });
});

describe('needsRevisit', () => {
  type Found = Extract<LookupResult, { kind: 'found' }>;
  const card = (local: Found['localRedemption']) => ({ localRedemption: local }) as Found;

  it('re-reads only a card that is still waiting for Yahoo', () => {
    expect(needsRevisit(null)).toBe(false);
    expect(needsRevisit(card(null))).toBe(false);
    expect(needsRevisit(card({ redemptionId: 'R-1', state: 'queued', at: now.toISOString() }))).toBe(true);
    expect(needsRevisit(card({ redemptionId: 'R-1', state: 'redeemed', at: now.toISOString() }))).toBe(false);
    expect(needsRevisit(card({ redemptionId: 'R-1', state: 'conflict', at: now.toISOString() }))).toBe(false);
  });
});
