/**
 * What the status bar says about connectivity and sync, as data. Pure, so the wording rules
 * (which state wins, how old the last sync is, how full the progress bar is) are tested in Node.
 */
import type { LookupResult, SyncStatus } from '../../../shared/contract.js';
import { ERROR_CODES, type ErrorCode } from '../../../shared/errors.js';
import type { Translator } from '../../../shared/i18n/index.js';

/** The indicator's state, and its data-state attribute. The clerk's switch wins over the measured state. */
export type ConnectivityState = 'online' | 'degraded' | 'offline' | 'work-offline';

export function connectivityState(status: Pick<SyncStatus, 'connectivity' | 'workOffline'>): ConnectivityState {
  return status.workOffline ? 'work-offline' : status.connectivity;
}

export type SinceSync =
  | { kind: 'never' }
  | { kind: 'just_now' }
  | { kind: 'minutes'; minutes: number }
  | { kind: 'hours'; hours: number }
  | { kind: 'days'; days: number };

/** How long ago the last successful sync was. A time in the future (clock skew) reads as "just now". */
export function sinceLastSync(lastSyncAt: string | null, now: Date): SinceSync {
  if (lastSyncAt === null) return { kind: 'never' };
  const at = Date.parse(lastSyncAt);
  if (Number.isNaN(at)) return { kind: 'never' };
  const minutes = Math.floor(Math.max(0, now.getTime() - at) / 60_000);
  if (minutes < 1) return { kind: 'just_now' };
  if (minutes < 60) return { kind: 'minutes', minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return { kind: 'hours', hours };
  return { kind: 'days', days: Math.floor(hours / 24) };
}

export function describeLastSync(tr: Translator, lastSyncAt: string | null, now: Date): string {
  const since = sinceLastSync(lastSyncAt, now);
  switch (since.kind) {
    case 'never':
      return tr.t('sync.never');
    case 'just_now':
      return tr.t('sync.justNow');
    case 'minutes':
      return tr.t('sync.minutes', { minutes: since.minutes });
    case 'hours':
      return tr.t('sync.hours', { hours: since.hours });
    case 'days':
      return tr.t('sync.days', { days: since.days });
  }
}

export type SyncProgress = NonNullable<SyncStatus['sync']>;

/** 0–100 when the total is known, null for an indeterminate bar. */
export function progressPercent(progress: SyncProgress): number | null {
  if (progress.total === null || progress.total <= 0) return null;
  return Math.min(100, Math.max(0, Math.round((progress.done / progress.total) * 100)));
}

export function describeProgress(tr: Translator, progress: SyncProgress): string {
  const phase = tr.t(progress.phase === 'pulling' ? 'sync.phase.pulling' : 'sync.phase.delivering');
  return progress.total === null
    ? tr.t('sync.progressOpen', { phase, done: progress.done })
    : tr.t('sync.progress', { phase, done: progress.done, total: progress.total });
}

function isErrorCode(value: string): value is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * Main reports problems (lastSyncError, an outbox entry's lastError) as text. When the text is,
 * or starts with, one of our error codes ("timeout", "network: ECONNRESET"), the clerk gets the
 * catalog's words for it; anything else is shown as received rather than hidden.
 */
export function problemInWords(tr: Translator, text: string): string {
  const trimmed = text.trim();
  const code = /^([a-z_]+)(?=$|[\s:(])/.exec(trimmed)?.[1];
  if (code !== undefined && isErrorCode(code)) return tr.error(code);
  return trimmed;
}

/**
 * Decides when lists held by the UI must be re-read: `revision` is bumped by main on every
 * outbox change. The first revision seen is the baseline (the lists load themselves at start).
 */
export class RevisionGate {
  #seen: number | null = null;

  /** True when this revision differs from the last one seen. */
  observe(revision: number): boolean {
    const changed = this.#seen !== null && this.#seen !== revision;
    this.#seen = revision;
    return changed;
  }
}

type Found = Extract<LookupResult, { kind: 'found' }>;

/** After an outbox change, only a card that says "waiting for Yahoo" can be out of date. */
export function needsRevisit(found: Found | null): found is Found {
  return found !== null && found.localRedemption?.state === 'queued';
}

/** The WAUG booking counts differ: a booking was queued, booked or failed. */
export function bookingCountsMoved(
  before: Pick<SyncStatus, 'bookingsQueued' | 'bookingsFailed'>,
  after: Pick<SyncStatus, 'bookingsQueued' | 'bookingsFailed'>,
): boolean {
  return before.bookingsQueued !== after.bookingsQueued || before.bookingsFailed !== after.bookingsFailed;
}
