/**
 * Client-side pacing for WAUG's 100 requests / 10 s (API-NOTES §2 "Rate limit").
 *
 * The rule: a new request may start only while fewer than `limit` requests are either still in
 * flight or finished less than `windowMs` ago. WAUG receives each request somewhere between the
 * moment we start it and the moment its answer arrives, so this bounds the requests WAUG can see
 * in ANY window of windowMs (fixed or sliding, wherever WAUG starts it) by `limit`, whatever the
 * latency, socket queueing or clock offset. (Proof sketch: if a window held limit+1 receptions,
 * the last one started at s < windowStart + windowMs, and each of the other `limit` had started
 * before it and finished at or after windowStart > s − windowMs, so it was still counted at s.)
 *
 * A 111 answer means someone else used our budget: `blockFor` then holds every caller back.
 * The clock and the sleep are injectable, so tests run the production numbers on fake time.
 *
 * Two lanes share the budget. Background work (the catalog sync: thousands of calls a day) may
 * fill only `backgroundShare` of each window and always waits behind the clerk's own calls, so
 * a voucher's WAUG order or a booking at the counter never queues behind a sync.
 */

export interface PacerClock {
  /** Milliseconds, monotonic enough for intervals (Date.now, performance.now or a fake). */
  now(): number;
  /** Resolves after ms (or earlier, when signal aborts). Never rejects. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realPacerClock: PacerClock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) {
        resolve();
        return;
      }
      const timer = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    }),
};

export interface RequestPacerOptions {
  /** Requests allowed per window; null disables pacing (a 111 still blocks). */
  limit: number | null;
  windowMs: number;
  /** Share (0..1] of `limit` that background requests may use. Default BACKGROUND_SHARE. */
  backgroundShare?: number;
  clock?: PacerClock;
}

/** Background work leaves 40 % of every window to the clerk (about 38 WAUG calls per 10 s). */
export const BACKGROUND_SHARE = 0.6;

export type PacerLane = 'interactive' | 'background';

/** Call when the request's answer has arrived (or it failed): it then counts for windowMs more. */
export type ReleaseSlot = () => void;

interface Waiter {
  lane: PacerLane;
  grant: (release: ReleaseSlot) => void;
  reject: (reason: unknown) => void;
}

export class PacerAbortedError extends Error {
  override readonly name = 'PacerAbortedError';
}

export class RequestPacer {
  readonly limit: number | null;
  readonly windowMs: number;
  /** How many requests of a window background work may use; null with no limit. */
  readonly backgroundLimit: number | null;
  readonly #clock: PacerClock;
  readonly #queue: Waiter[] = [];
  /** Finish times of released slots still inside the window, ascending. */
  readonly #finished: number[] = [];
  #inFlight = 0;
  #blockedUntil = Number.NEGATIVE_INFINITY;
  #pumping = false;
  /** Wakes the pump early (a release, a new block, an abort). */
  #wake: AbortController | null = null;

  constructor(options: RequestPacerOptions) {
    if (options.limit !== null && (!Number.isInteger(options.limit) || options.limit < 1))
      throw new RangeError('RequestPacer: limit must be a positive integer or null');
    if (!(options.windowMs > 0)) throw new RangeError('RequestPacer: windowMs must be positive');
    const share = options.backgroundShare ?? BACKGROUND_SHARE;
    if (!(share > 0 && share <= 1)) throw new RangeError('RequestPacer: backgroundShare must be in (0, 1]');
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.backgroundLimit = options.limit === null ? null : Math.max(1, Math.floor(options.limit * share));
    this.#clock = options.clock ?? realPacerClock;
  }

  /** Requests started and not yet released. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** Until when (clock ms) a 111 holds everyone back; −∞ when not blocked. */
  get blockedUntil(): number {
    return this.#blockedUntil;
  }

  /**
   * Waits for a slot: FIFO within a lane, interactive before background. Rejects with
   * PacerAbortedError when signal aborts first.
   */
  acquire(signal?: AbortSignal, lane: PacerLane = 'interactive'): Promise<ReleaseSlot> {
    return new Promise<ReleaseSlot>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new PacerAbortedError('cancelled while waiting for a request slot', { cause: signal.reason }));
        return;
      }
      const waiter: Waiter = {
        lane,
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        reject,
      };
      const onAbort = (): void => {
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) this.#queue.splice(index, 1);
        reject(new PacerAbortedError('cancelled while waiting for a request slot', { cause: signal?.reason }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
      this.#pump();
    });
  }

  /** Holds every new request back for ms from now (after a 111). Never shortens a block. */
  blockFor(ms: number): void {
    this.#blockedUntil = Math.max(this.#blockedUntil, this.#clock.now() + ms);
  }

  #pump(): void {
    if (this.#pumping) {
      this.#wake?.abort();
      return;
    }
    this.#pumping = true;
    void this.#run().finally(() => {
      this.#pumping = false;
      if (this.#queue.length > 0) this.#pump();
    });
  }

  async #run(): Promise<void> {
    while (this.#queue.length > 0) {
      const now = this.#clock.now();
      while (this.#finished.length > 0 && (this.#finished[0] as number) <= now - this.windowMs) this.#finished.shift();
      if (this.#blockedUntil > now) {
        await this.#pause(this.#blockedUntil - now);
        continue;
      }
      const index = this.#nextWaiter();
      const lane = this.#queue[index]?.lane ?? 'interactive';
      const cap = lane === 'background' ? this.backgroundLimit : this.limit;
      if (cap === null || this.#inFlight + this.#finished.length < cap) {
        const [waiter] = this.#queue.splice(index, 1) as [Waiter];
        this.#inFlight += 1;
        waiter.grant(this.#releaser());
        continue;
      }
      // Full for this lane: the oldest finished slot leaves the window then, or a release (or a
      // new interactive waiter) happens sooner.
      const oldest = this.#finished[0];
      await this.#pause(oldest === undefined ? Number.POSITIVE_INFINITY : oldest + this.windowMs - now);
    }
  }

  /** The first interactive waiter, else the first background one. */
  #nextWaiter(): number {
    const interactive = this.#queue.findIndex((w) => w.lane === 'interactive');
    return interactive >= 0 ? interactive : 0;
  }

  #releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight -= 1;
      this.#finished.push(this.#clock.now());
      this.#wake?.abort();
    };
  }

  async #pause(ms: number): Promise<void> {
    const wake = new AbortController();
    this.#wake = wake;
    if (Number.isFinite(ms)) {
      await this.#clock.sleep(Math.max(0, ms), wake.signal);
    } else {
      await new Promise<void>((resolve) => wake.signal.addEventListener('abort', () => resolve(), { once: true }));
    }
    if (this.#wake === wake) this.#wake = null;
  }
}
