import { describe, expect, it } from 'vitest';
import { buildTimeline, currentStep, sortHistory, type HistoryEntry } from './timeline.js';

const at = (minute: number) => `2025-03-01T0${Math.floor(minute / 60)}:${String(minute % 60).padStart(2, '0')}:00.000Z`;
const states = (steps: { status: string; state: string }[]) => steps.map((s) => `${s.status}:${s.state}`);

describe('sortHistory', () => {
  it('orders by time, keeping the arrival order for equal or unreadable times', () => {
    const history: HistoryEntry[] = [
      { status: 'STATUS_CONFIRMED', at: at(30) },
      { status: 'STATUS_PAID', at: at(0) },
      { status: 'STATUS_IN_PROGRESS', at: at(0) },
      { status: 'STATUS_REFUND_REQUESTED', at: 'garbled' },
    ];
    expect(sortHistory(history).map((h) => h.status)).toEqual([
      'STATUS_PAID',
      'STATUS_IN_PROGRESS',
      'STATUS_CONFIRMED',
      'STATUS_REFUND_REQUESTED',
    ]);
  });
});

describe('buildTimeline', () => {
  it('marks the lifecycle done up to the current step, pending after it', () => {
    const t = buildTimeline(
      [
        { status: 'STATUS_IN_PROGRESS', at: at(5) },
        { status: 'STATUS_PAID', at: at(0) },
      ],
      'STATUS_IN_PROGRESS',
    );
    expect(states(t.main)).toEqual(['STATUS_PAID:done', 'STATUS_IN_PROGRESS:current', 'STATUS_CONFIRMED:pending']);
    expect(t.main[0]?.at).toBe(at(0));
    expect(t.main[1]?.at).toBe(at(5));
    expect(t.main[2]?.at).toBeNull();
    expect(t.branch).toBeNull();
    expect(t.events.map((e) => e.status)).toEqual(['STATUS_PAID', 'STATUS_IN_PROGRESS']);
    expect(currentStep(t)?.status).toBe('STATUS_IN_PROGRESS');
  });

  it('counts a step this desk never saw as done when the goods is past it', () => {
    const t = buildTimeline([{ status: 'STATUS_PAID', at: at(0) }], 'STATUS_CONFIRMED', at(9));
    expect(states(t.main)).toEqual(['STATUS_PAID:done', 'STATUS_IN_PROGRESS:done', 'STATUS_CONFIRMED:current']);
    expect(t.main[1]?.at).toBeNull();
    // The current status's time falls back to the goods' updatedAt.
    expect(t.main[2]?.at).toBe(at(9));
  });

  it('uses the first time a status was reached', () => {
    const t = buildTimeline(
      [
        { status: 'STATUS_PAID', at: at(0) },
        { status: 'STATUS_PAID', at: at(3) },
      ],
      'STATUS_PAID',
    );
    expect(t.main[0]).toEqual({ status: 'STATUS_PAID', state: 'current', at: at(0) });
  });

  it('shows an unpaid goods with its waiting step and the lifecycle still to come', () => {
    const t = buildTimeline([{ status: 'STATUS_WAIT', at: at(0) }], 'STATUS_WAIT');
    expect(states(t.main)).toEqual([
      'STATUS_WAIT:current',
      'STATUS_PAID:pending',
      'STATUS_IN_PROGRESS:pending',
      'STATUS_CONFIRMED:pending',
    ]);
  });

  it('branches a refund off the step it left from, with the request current and completion pending', () => {
    const t = buildTimeline(
      [
        { status: 'STATUS_PAID', at: at(0) },
        { status: 'STATUS_IN_PROGRESS', at: at(1) },
        { status: 'STATUS_CONFIRMED', at: at(2) },
        { status: 'STATUS_REFUND_REQUESTED', at: at(10) },
      ],
      'STATUS_REFUND_REQUESTED',
    );
    expect(states(t.main)).toEqual(['STATUS_PAID:done', 'STATUS_IN_PROGRESS:done', 'STATUS_CONFIRMED:done']);
    expect(t.branch?.kind).toBe('refund');
    expect(t.branch?.from).toBe('STATUS_CONFIRMED');
    expect(states(t.branch?.steps ?? [])).toEqual([
      'STATUS_REFUND_REQUESTED:current',
      'STATUS_REFUND_COMPLETED:pending',
    ]);
    expect(currentStep(t)?.status).toBe('STATUS_REFUND_REQUESTED');
  });

  it('leaves the steps after a refund from PAID as never reached', () => {
    const t = buildTimeline(
      [
        { status: 'STATUS_PAID', at: at(0) },
        { status: 'STATUS_REFUND_REQUESTED', at: at(4) },
        { status: 'STATUS_REFUND_COMPLETED', at: at(8) },
      ],
      'STATUS_REFUND_COMPLETED',
    );
    expect(states(t.main)).toEqual(['STATUS_PAID:done', 'STATUS_IN_PROGRESS:skipped', 'STATUS_CONFIRMED:skipped']);
    expect(t.branch?.from).toBe('STATUS_PAID');
    expect(states(t.branch?.steps ?? [])).toEqual(['STATUS_REFUND_REQUESTED:done', 'STATUS_REFUND_COMPLETED:current']);
    expect(t.branch?.steps[1]?.at).toBe(at(8));
  });

  it('ends a partial refund in its own step', () => {
    const t = buildTimeline(
      [
        { status: 'STATUS_CONFIRMED', at: at(0) },
        { status: 'STATUS_PARTIAL_REFUND_COMPLETED', at: at(5) },
      ],
      'STATUS_PARTIAL_REFUND_COMPLETED',
    );
    expect(states(t.branch?.steps ?? [])).toEqual([
      'STATUS_REFUND_REQUESTED:done',
      'STATUS_PARTIAL_REFUND_COMPLETED:current',
    ]);
    // The request was never seen here, so it has no time.
    expect(t.branch?.steps[0]?.at).toBeNull();
  });

  it('keeps a refund seen before as a done branch when the goods is back on the main line', () => {
    const t = buildTimeline(
      [
        { status: 'STATUS_PAID', at: at(0) },
        { status: 'STATUS_REFUND_REQUESTED', at: at(2) },
        { status: 'STATUS_CONFIRMED', at: at(7) },
      ],
      'STATUS_CONFIRMED',
    );
    expect(t.main.at(-1)?.state).toBe('current');
    expect(states(t.branch?.steps ?? [])).toEqual(['STATUS_REFUND_REQUESTED:done']);
  });

  it('shows a cancellation before payment as its own branch', () => {
    const t = buildTimeline(
      [
        { status: 'STATUS_WAIT', at: at(0) },
        { status: 'STATUS_CANCEL', at: at(30) },
      ],
      'STATUS_CANCEL',
    );
    expect(states(t.main)).toEqual([
      'STATUS_WAIT:done',
      'STATUS_PAID:skipped',
      'STATUS_IN_PROGRESS:skipped',
      'STATUS_CONFIRMED:skipped',
    ]);
    expect(t.branch).toEqual({
      kind: 'cancel',
      from: 'STATUS_WAIT',
      steps: [{ status: 'STATUS_CANCEL', state: 'current', at: at(30) }],
    });
  });

  it('builds a timeline from an empty history with the current status alone', () => {
    const t = buildTimeline([], 'STATUS_PAID');
    expect(states(t.main)).toEqual(['STATUS_PAID:current', 'STATUS_IN_PROGRESS:pending', 'STATUS_CONFIRMED:pending']);
    expect(t.events).toEqual([]);
  });

  it('has exactly one current step, whatever the status', () => {
    for (const current of [
      'STATUS_WAIT',
      'STATUS_CANCEL',
      'STATUS_PAID',
      'STATUS_IN_PROGRESS',
      'STATUS_CONFIRMED',
      'STATUS_REFUND_REQUESTED',
      'STATUS_REFUND_COMPLETED',
      'STATUS_PARTIAL_REFUND_COMPLETED',
    ] as const) {
      const t = buildTimeline([{ status: 'STATUS_PAID', at: at(0) }], current);
      const all = [...t.main, ...(t.branch?.steps ?? [])];
      expect(
        all.filter((s) => s.state === 'current').map((s) => s.status),
        current,
      ).toEqual([current]);
    }
  });
});
