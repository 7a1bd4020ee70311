/**
 * The outbox view as data: which entries each tab shows and in what order, what a conflict
 * means and what to do about it, and whether a resolution may be sent. Pure, tested in Node.
 */
import { z } from 'zod';
import {
  CONFLICT_RESOLUTIONS,
  ResolveConflictRequestSchema,
  type ConflictResolution,
  type OutboxEntry,
} from '../../../shared/contract.js';
import type { MessageKey, Translator } from '../../../shared/i18n/index.js';

// The CSP forbids eval; without this zod would probe `new Function` and log a violation.
z.config({ jitless: true });

export const OUTBOX_FILTERS = ['open', 'conflicts', 'all'] as const;
export type OutboxFilter = (typeof OUTBOX_FILTERS)[number];

export type ConflictReason = NonNullable<OutboxEntry['conflict']>['reason'];

export function isConflict(entry: OutboxEntry): boolean {
  return entry.state === 'conflict' || entry.conflict !== null;
}

export function isUnresolvedConflict(entry: OutboxEntry): boolean {
  return isConflict(entry) && (entry.conflict?.resolution ?? null) === null;
}

/** The contract's filters, applied again here so a list never shows a row its tab does not name. */
export function inFilter(entry: OutboxEntry, filter: OutboxFilter): boolean {
  switch (filter) {
    case 'open':
      return entry.state === 'queued' || isUnresolvedConflict(entry);
    case 'conflicts':
      return isConflict(entry);
    case 'all':
      return true;
  }
}

const time = (iso: string): number => Date.parse(iso) || 0;

/** Conflicts still waiting for a person come first; then newest first. */
export function arrangeOutbox(rows: readonly OutboxEntry[], filter: OutboxFilter): OutboxEntry[] {
  return rows
    .filter((entry) => inFilter(entry, filter))
    .sort((a, b) => {
      const urgent = Number(isUnresolvedConflict(b)) - Number(isUnresolvedConflict(a));
      if (urgent !== 0) return urgent;
      const byTime = time(b.createdAt) - time(a.createdAt);
      return byTime !== 0 ? byTime : b.redemptionId.localeCompare(a.redemptionId);
    });
}

/** The chip: colour family and words. A resolved conflict keeps data-state="conflict" but reads "resolved". */
export type ChipKind = OutboxEntry['state'] | 'resolved';

export function chipKind(entry: OutboxEntry): ChipKind {
  return isConflict(entry) && !isUnresolvedConflict(entry) ? 'resolved' : entry.state;
}

export const CHIP_KEYS: Record<ChipKind, MessageKey> = {
  queued: 'outbox.state.queued',
  delivered: 'outbox.state.delivered',
  confirmed: 'outbox.state.confirmed',
  conflict: 'outbox.state.conflict',
  rejected: 'outbox.state.rejected',
  failed: 'outbox.state.failed',
  resolved: 'outbox.state.resolved',
};

export interface ConflictAdvice {
  what: MessageKey;
  todo: MessageKey;
}

const ADVICE: Record<ConflictReason | 'unknown', ConflictAdvice> = {
  used: { what: 'conflict.used.what', todo: 'conflict.used.todo' },
  refund_pending: { what: 'conflict.refund_pending.what', todo: 'conflict.refund_pending.todo' },
  refunded: { what: 'conflict.refunded.what', todo: 'conflict.refunded.todo' },
  cancelled: { what: 'conflict.cancelled.what', todo: 'conflict.cancelled.todo' },
  expired: { what: 'conflict.expired.what', todo: 'conflict.expired.todo' },
  not_found: { what: 'conflict.not_found.what', todo: 'conflict.not_found.todo' },
  unknown: { what: 'conflict.unknown.what', todo: 'conflict.unknown.todo' },
};

export function conflictAdvice(reason: ConflictReason | null | undefined): ConflictAdvice {
  return reason === null || reason === undefined ? ADVICE.unknown : (ADVICE[reason] ?? ADVICE.unknown);
}

export interface ConflictExplanation {
  what: string;
  todo: string;
  /** "Yahoo now says: Used", when main knows the voucher's status. */
  yahooStatus: string | null;
}

export function explainConflict(entry: OutboxEntry, tr: Translator): ConflictExplanation {
  const advice = conflictAdvice(entry.conflict?.reason);
  const values = { time: tr.dateTime(entry.createdAt), id: entry.redemptionId };
  const status = entry.conflict?.yahooStatus ?? null;
  return {
    what: tr.t(advice.what, values),
    todo: tr.t(advice.todo, values),
    yahooStatus: status === null ? null : tr.t('conflict.yahooStatus', { status: tr.status(status) }),
  };
}

export const RESOLUTION_KEYS: Record<ConflictResolution, MessageKey> = {
  same_customer: 'resolution.same_customer',
  collected_payment: 'resolution.collected_payment',
  contacted_buyer: 'resolution.contacted_buyer',
  written_off: 'resolution.written_off',
};

export function isResolution(value: unknown): value is ConflictResolution {
  return typeof value === 'string' && (CONFLICT_RESOLUTIONS as readonly string[]).includes(value);
}

export interface ResolveDraft {
  redemptionId: string;
  resolution: string;
  note: string;
}

export type ResolveProblems = Partial<Record<'resolution' | 'note', true>>;

/** Checked with the contract's own schema, so the dialog and main agree on what may be sent. */
export function checkResolution(draft: ResolveDraft): ResolveProblems {
  const parsed = ResolveConflictRequestSchema.safeParse(draft);
  if (parsed.success) return {};
  const problems: ResolveProblems = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (field === 'resolution' || field === 'note') problems[field] = true;
  }
  return problems;
}
