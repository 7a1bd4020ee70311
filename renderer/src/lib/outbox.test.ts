import { describe, expect, it } from 'vitest';
import { CONFLICT_RESOLUTIONS, type OutboxEntry } from '../../../shared/contract.js';
import { REFUSAL_REASONS } from '../../../shared/domain/voucher.js';
import { createTranslator, SUPPORTED_LOCALES } from '../../../shared/i18n/index.js';
import {
  arrangeOutbox,
  checkResolution,
  chipKind,
  conflictAdvice,
  explainConflict,
  inFilter,
  isUnresolvedConflict,
  RESOLUTION_KEYS,
  type ConflictReason,
} from './outbox.js';

const entry = (id: string, extra: Partial<OutboxEntry> = {}): OutboxEntry => ({
  redemptionId: id,
  serialNumber: `S${id}`,
  title: 'Lunch',
  buyerNameMasked: '楊*慧',
  station: 'Front desk 2',
  operatorName: 'Mei',
  createdAt: '2025-01-05T07:00:00.000Z',
  state: 'queued',
  attempts: 0,
  nextAttemptAt: null,
  lastError: null,
  completedAt: null,
  conflict: null,
  ...extra,
});

const conflict = (reason: ConflictReason, resolved = false): NonNullable<OutboxEntry['conflict']> => ({
  reason,
  yahooStatus: reason === 'used' ? 'USED' : null,
  resolution: resolved ? 'contacted_buyer' : null,
  note: resolved ? 'Called the buyer' : null,
  resolvedAt: resolved ? '2025-01-05T09:00:00.000Z' : null,
  resolvedBy: resolved ? 'Mei' : null,
});

const queued = entry('R-1', { createdAt: '2025-01-05T07:00:00.000Z' });
const delivered = entry('R-2', { state: 'delivered', createdAt: '2025-01-05T07:30:00.000Z' });
const open = entry('R-3', { state: 'conflict', conflict: conflict('used'), createdAt: '2025-01-05T06:00:00.000Z' });
const resolved = entry('R-4', {
  state: 'conflict',
  conflict: conflict('refunded', true),
  createdAt: '2025-01-05T08:00:00.000Z',
});
const failed = entry('R-5', { state: 'failed', createdAt: '2025-01-05T08:30:00.000Z' });
const all = [queued, delivered, open, resolved, failed];

describe('outbox filters', () => {
  it('open: waiting entries and conflicts nobody resolved yet', () => {
    expect(all.filter((e) => inFilter(e, 'open')).map((e) => e.redemptionId)).toEqual(['R-1', 'R-3']);
  });

  it('conflicts: every conflict, resolved ones included', () => {
    expect(all.filter((e) => inFilter(e, 'conflicts')).map((e) => e.redemptionId)).toEqual(['R-3', 'R-4']);
  });

  it('all: everything', () => {
    expect(all.filter((e) => inFilter(e, 'all'))).toHaveLength(all.length);
  });

  it('a conflict without details still counts as an unresolved conflict', () => {
    expect(isUnresolvedConflict(entry('R-6', { state: 'conflict' }))).toBe(true);
    expect(isUnresolvedConflict(resolved)).toBe(false);
  });
});

describe('arrangeOutbox', () => {
  it('puts unresolved conflicts first, then newest first, and drops rows outside the tab', () => {
    expect(arrangeOutbox(all, 'all').map((e) => e.redemptionId)).toEqual(['R-3', 'R-5', 'R-4', 'R-2', 'R-1']);
    expect(arrangeOutbox(all, 'conflicts').map((e) => e.redemptionId)).toEqual(['R-3', 'R-4']);
  });

  it('does not change the list it was given', () => {
    const copy = [...all];
    arrangeOutbox(all, 'all');
    expect(all).toEqual(copy);
  });
});

describe('chipKind', () => {
  it('reads a resolved conflict as resolved, everything else by its state', () => {
    expect(chipKind(resolved)).toBe('resolved');
    expect(chipKind(open)).toBe('conflict');
    expect(chipKind(delivered)).toBe('delivered');
  });
});

describe('conflict advice', () => {
  const reasons: ConflictReason[] = [...REFUSAL_REASONS, 'not_found'];

  it('has its own what-happened and what-to-do for every reason', () => {
    const whats = new Set(reasons.map((r) => conflictAdvice(r).what));
    const todos = new Set(reasons.map((r) => conflictAdvice(r).todo));
    expect(whats.size).toBe(reasons.length);
    expect(todos.size).toBe(reasons.length);
    expect(conflictAdvice(null).what).toBe('conflict.unknown.what');
  });

  for (const locale of SUPPORTED_LOCALES) {
    const tr = createTranslator(locale);
    it(`${locale}: explains each reason in words, with the time and the redemption id to quote`, () => {
      for (const reason of reasons) {
        const text = explainConflict(entry('R-42', { state: 'conflict', conflict: conflict(reason) }), tr);
        expect(text.what.length, reason).toBeGreaterThan(20);
        expect(text.what).toContain(tr.dateTime('2025-01-05T07:00:00.000Z'));
        expect(text.todo).not.toMatch(/[{}]/);
      }
      const refund = explainConflict(entry('R-42', { state: 'conflict', conflict: conflict('refund_pending') }), tr);
      expect(refund.todo).toContain('R-42');
      expect(explainConflict(open, tr).yahooStatus).toContain(tr.status('USED'));
    });
  }

  it('tells the clerk to check for the same customer when it was used elsewhere', () => {
    const text = explainConflict(open, createTranslator('en'));
    expect(text.todo).toContain('same customer');
    expect(text.what).toContain('used somewhere else');
  });
});

describe('checkResolution', () => {
  it('needs a resolution from the contract’s list and a non-empty note', () => {
    expect(checkResolution({ redemptionId: 'R-3', resolution: 'same_customer', note: 'Same family' })).toEqual({});
    expect(checkResolution({ redemptionId: 'R-3', resolution: '', note: '' })).toEqual({
      resolution: true,
      note: true,
    });
    expect(checkResolution({ redemptionId: 'R-3', resolution: 'written_off', note: '   ' })).toEqual({ note: true });
    expect(checkResolution({ redemptionId: 'R-3', resolution: 'written_off', note: 'x'.repeat(501) })).toEqual({
      note: true,
    });
  });

  it('has words for every resolution', () => {
    for (const locale of SUPPORTED_LOCALES) {
      const tr = createTranslator(locale);
      for (const resolution of CONFLICT_RESOLUTIONS) expect(tr.t(RESOLUTION_KEYS[resolution])).not.toBe('');
    }
  });
});
