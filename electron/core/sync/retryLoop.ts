/**
 * The scheduling both background workers share (the redemption outbox, sync/outbox.ts, and WAUG
 * bookings, bookings/service.ts): at most one loop at a time, kicks that arrive meanwhile folded
 * into one more round, a backoff timer for the next due row, a drain that waits for the automatic
 * pass so every row is tried exactly once, and a stop that lets the pass in flight finish.
 * The worker keeps its row logic; it hands over `pass`, which tries the rows due now.
 */
import type { Logger } from '../log/logger.js';

export interface RetryTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

// Unref'd so a waiting retry never keeps the process alive on its own.
export const realTimers: RetryTimers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The timer never fires sooner than this, so a row due "now" cannot spin the loop. */
const MIN_WAIT_MS = 250;

export interface RetryLoopOptions<S> {
  /** Names the worker in the log line when a loop fails. */
  name: string;
  /**
   * Tries the rows due now (every pending row with `ignoreBackoff`), skipping and adding to `seen`,
   * counting into `stats`. Resolves to how many rows it took; 0 ends the round.
   */
  pass(ignoreBackoff: boolean, stats: S, seen: Set<string>, progress?: () => void): Promise<number>;
  emptyStats(): S;
  /** When the next row comes due: an ISO time, null for "now", undefined when nothing waits (no timer). */
  nextDueAt(): string | null | undefined;
  /** While true, automatic rounds stop and no timer is set; whatever unblocks the worker kicks it. */
  blocked?: () => boolean;
  /** The longest the timer waits (the backoff cap), so a row is never forgotten. */
  maxWaitMs: number;
  now: () => Date;
  log: Logger;
  timers?: RetryTimers;
  /** Called by stop once `stopped` is set, before waiting for the pass in flight (to abort its calls). */
  onStop?: () => void;
}

export interface DrainHooks<S> {
  /** After any automatic pass has finished and before the first row (e.g. to count rows for progress). */
  begin?: () => void;
  /** Handed to every pass. */
  progress?: () => void;
  /** After the last pass and before automatic passes resume, so final counts are not disturbed by them. */
  end?: (stats: S) => void;
}

export interface RetryLoop<S> {
  /** Run a round soon. `ignoreBackoff`: every pending row, not only the due ones. */
  kick(options?: { ignoreBackoff?: boolean }): void;
  /** Tries every pending row once now (backoff ignored) and returns the stats. */
  drain(hooks?: DrainHooks<S>): Promise<S>;
  /** Rounds in flight finish their current row and end; nothing starts again. */
  stop(): Promise<void>;
  readonly stopped: boolean;
}

export function createRetryLoop<S>(options: RetryLoopOptions<S>): RetryLoop<S> {
  const { pass, log } = options;
  const timers = options.timers ?? realTimers;
  const blocked = options.blocked ?? (() => false);
  let stopped = false;
  let running: Promise<void> | null = null;
  let again: { ignoreBackoff: boolean } | null = null;
  let timer: unknown = null;

  function schedule(): void {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    if (stopped || blocked()) return;
    const earliest = options.nextDueAt();
    if (earliest === undefined) return;
    const wait = earliest === null ? 0 : Date.parse(earliest) - options.now().getTime();
    timer = timers.setTimeout(
      () => {
        timer = null;
        kick();
      },
      Math.min(Math.max(wait, MIN_WAIT_MS), options.maxWaitMs),
    );
  }

  async function loop(first: { ignoreBackoff: boolean }): Promise<void> {
    let next: { ignoreBackoff: boolean } | null = first;
    while (next && !stopped) {
      again = null;
      if (blocked()) break;
      const stats = options.emptyStats();
      const seen = new Set<string>();
      // Keep going while rows keep coming due (more than one batch, rows queued meanwhile); each row
      // at most once per round (`seen`), so a row that fails again waits for its backoff.
      while (!stopped && !blocked() && (await pass(next.ignoreBackoff, stats, seen)) > 0) {
        // next batch
      }
      next = again;
    }
    schedule();
  }

  function kick(kickOptions: { ignoreBackoff?: boolean } = {}): void {
    if (stopped) return;
    const wanted = { ignoreBackoff: kickOptions.ignoreBackoff ?? false };
    if (running) {
      // One more round after this one, ignoring backoff if any kick asked for it.
      again = { ignoreBackoff: (again?.ignoreBackoff ?? false) || wanted.ignoreBackoff };
      return;
    }
    running = loop(wanted)
      .catch((error: unknown) => log.error(`${options.name} loop failed`, { error }))
      .finally(() => {
        running = null;
      });
  }

  return {
    kick,
    async drain(hooks = {}) {
      // Let an automatic round finish first, so every row is tried exactly once here.
      while (running) await running;
      const stats = options.emptyStats();
      if (stopped) return stats;
      const seen = new Set<string>();
      hooks.begin?.();
      // Kicks during the drain wait for it (they set `again`) instead of starting a second loop.
      let finished: () => void = () => {};
      running = new Promise<void>((resolve) => (finished = resolve));
      try {
        while (!stopped && (await pass(true, stats, seen, hooks.progress)) > 0) {
          // another batch, until every pending row was tried once
        }
      } finally {
        finished();
        running = null;
      }
      hooks.end?.(stats);
      const pendingKick = again;
      again = null;
      if (pendingKick) kick(pendingKick);
      else schedule();
      return stats;
    },
    async stop() {
      stopped = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      options.onStop?.();
      while (running) await running;
    },
    get stopped() {
      return stopped;
    },
  };
}
