/**
 * An ordered goods' status timeline, built from its `history` (every status this desk has seen,
 * with when) and its current status. The WAUG lifecycle PAID → IN_PROGRESS → CONFIRMED is shown
 * as steps, each done, current or still pending; a refund (or a cancellation before payment)
 * is a branch off that line. Pure, so the rules are tested in Node.
 */
import type { WaugOrderGoodsStatus } from '../../../shared/domain/waug.js';

export type StepState = 'done' | 'current' | 'pending' | 'skipped';

export interface TimelineStep {
  status: WaugOrderGoodsStatus;
  state: StepState;
  /** When the goods first reached this status, if this desk saw it. */
  at: string | null;
}

export interface TimelineBranch {
  kind: 'refund' | 'cancel';
  /** The lifecycle step the branch leaves from, when known. */
  from: WaugOrderGoodsStatus | null;
  steps: TimelineStep[];
}

export interface GoodsTimeline {
  main: TimelineStep[];
  branch: TimelineBranch | null;
  /** The full history, oldest first, for the "all changes" list. */
  events: { status: WaugOrderGoodsStatus; at: string }[];
}

export interface HistoryEntry {
  status: WaugOrderGoodsStatus;
  at: string;
}

const LIFECYCLE: readonly WaugOrderGoodsStatus[] = ['STATUS_PAID', 'STATUS_IN_PROGRESS', 'STATUS_CONFIRMED'];
const REFUND_END: readonly WaugOrderGoodsStatus[] = ['STATUS_REFUND_COMPLETED', 'STATUS_PARTIAL_REFUND_COMPLETED'];
const REFUND: readonly WaugOrderGoodsStatus[] = ['STATUS_REFUND_REQUESTED', ...REFUND_END];

const timeOf = (at: string): number => {
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
};

/** Oldest first; equal or unreadable times keep the order they arrived in. */
export function sortHistory(history: readonly HistoryEntry[]): HistoryEntry[] {
  return history
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => timeOf(a.entry.at) - timeOf(b.entry.at) || a.index - b.index)
    .map(({ entry }) => entry);
}

export function buildTimeline(
  history: readonly HistoryEntry[],
  current: WaugOrderGoodsStatus,
  /** Stands in for the time of the current status when the history lacks it. */
  currentSince: string | null = null,
): GoodsTimeline {
  const events = sortHistory(history);
  const firstAt = new Map<WaugOrderGoodsStatus, string>();
  for (const event of events) if (!firstAt.has(event.status)) firstAt.set(event.status, event.at);
  if (!firstAt.has(current) && currentSince !== null) firstAt.set(current, currentSince);
  const seen = (status: WaugOrderGoodsStatus) => firstAt.has(status) || status === current;
  const at = (status: WaugOrderGoodsStatus) => firstAt.get(status) ?? null;

  const waitStep: TimelineStep[] = seen('STATUS_WAIT')
    ? [{ status: 'STATUS_WAIT', state: current === 'STATUS_WAIT' ? 'current' : 'done', at: at('STATUS_WAIT') }]
    : [];

  const currentRank = LIFECYCLE.indexOf(current);
  let main: TimelineStep[];
  if (currentRank >= 0) {
    // On the main line: everything before the current step is done, even one this desk never saw
    // (a goods can go from PAID straight to CONFIRMED between two reads).
    main = LIFECYCLE.map((status, rank) => ({
      status,
      state: rank < currentRank ? 'done' : rank === currentRank ? 'current' : 'pending',
      at: at(status),
    }));
  } else if (current === 'STATUS_WAIT') {
    main = LIFECYCLE.map((status) => ({ status, state: 'pending', at: null }));
  } else {
    // Left the main line (refund or cancel): the steps reached before are done, the rest were never reached.
    const reached = Math.max(-1, ...LIFECYCLE.map((status, rank) => (firstAt.has(status) ? rank : -1)));
    main = LIFECYCLE.map((status, rank) => ({
      status,
      state: rank <= reached ? 'done' : 'skipped',
      at: at(status),
    }));
  }

  return { main: [...waitStep, ...main], branch: branchOf(events, current, firstAt), events };
}

function branchOf(
  events: readonly HistoryEntry[],
  current: WaugOrderGoodsStatus,
  firstAt: ReadonlyMap<WaugOrderGoodsStatus, string>,
): TimelineBranch | null {
  const at = (status: WaugOrderGoodsStatus) => firstAt.get(status) ?? null;
  const lastMainBefore = (status: WaugOrderGoodsStatus): WaugOrderGoodsStatus | null => {
    let from: WaugOrderGoodsStatus | null = null;
    for (const event of events) {
      if (event.status === status) return from;
      if (LIFECYCLE.includes(event.status) || event.status === 'STATUS_WAIT') from = event.status;
    }
    return from;
  };

  if (current === 'STATUS_CANCEL' || firstAt.has('STATUS_CANCEL')) {
    return {
      kind: 'cancel',
      from: lastMainBefore('STATUS_CANCEL'),
      steps: [
        { status: 'STATUS_CANCEL', state: current === 'STATUS_CANCEL' ? 'current' : 'done', at: at('STATUS_CANCEL') },
      ],
    };
  }

  const inRefund = REFUND.includes(current);
  if (!inRefund && !REFUND.some((status) => firstAt.has(status))) return null;
  const firstRefund = REFUND.find((status) => firstAt.has(status)) ?? current;

  if (!inRefund) {
    // A refund seen before, but the goods is back on the main line (e.g. the request was withdrawn).
    const steps = REFUND.filter((status) => firstAt.has(status)).map((status): TimelineStep => ({
      status,
      state: 'done',
      at: at(status),
    }));
    return { kind: 'refund', from: lastMainBefore(firstRefund), steps };
  }

  const end = REFUND_END.includes(current)
    ? current
    : (REFUND_END.find((status) => firstAt.has(status)) ?? 'STATUS_REFUND_COMPLETED');
  const requested: TimelineStep = {
    status: 'STATUS_REFUND_REQUESTED',
    state: current === 'STATUS_REFUND_REQUESTED' ? 'current' : 'done',
    at: at('STATUS_REFUND_REQUESTED'),
  };
  const completed: TimelineStep = {
    status: end,
    state: current === end ? 'current' : 'pending',
    at: current === end ? at(end) : null,
  };
  return { kind: 'refund', from: lastMainBefore(firstRefund), steps: [requested, completed] };
}

/** The step the clerk should look at: the current one, in the branch or on the main line. */
export function currentStep(timeline: GoodsTimeline): TimelineStep | null {
  return [...timeline.main, ...(timeline.branch?.steps ?? [])].find((step) => step.state === 'current') ?? null;
}
