/**
 * Saving a booking draft behind the clerk: a burst of typing is saved once, DEBOUNCE after the
 * last key; saves never overlap (a newer one waits for the one in flight, so main never gets
 * an older body after a newer one); a failed save keeps the changes marked unsaved and tries
 * again by itself; flush() saves at once and says whether main now holds what is on screen,
 * which validate and create wait for. Free of Svelte and of the API, so it is tested in Node.
 */
import type { IpcResult, WireError } from '../../../shared/errors.js';

export type SaveState = 'saved' | 'pending' | 'saving' | 'failed';

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const REAL_TIMERS: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface AutosaveOptions<B, R> {
  /** What is on screen now; null when there is nothing to save. */
  snapshot(): B | null;
  save(body: B): Promise<IpcResult<R>>;
  onSaved(value: R): void;
  onState(state: SaveState, error: WireError | null): void;
  debounceMs: number;
  /** After a failed save that may succeed later (see retryable), the next attempt. */
  retryMs: number;
  /** A refusal (a bad body, a draft no longer editable) is not retried by itself. */
  retryable(error: WireError): boolean;
  timers?: Timers;
}

export class DraftAutosave<B, R> {
  readonly #options: AutosaveOptions<B, R>;
  readonly #timers: Timers;
  #timer: unknown = undefined;
  #dirty = false;
  #inFlight: Promise<unknown> | null = null;
  /** Bumped by reset(): answers of saves for an earlier draft are ignored. */
  #generation = 0;
  #state: SaveState = 'saved';

  constructor(options: AutosaveOptions<B, R>) {
    this.#options = options;
    this.#timers = options.timers ?? REAL_TIMERS;
  }

  get state(): SaveState {
    return this.#state;
  }

  /** The clerk changed something: save it after the debounce (`now`: on the next tick). */
  edited(now = false): void {
    this.#dirty = true;
    if (this.#state === 'saved' || this.#state === 'failed') this.#setState('pending', null);
    this.#schedule(now ? 0 : this.#options.debounceMs);
  }

  /** Saves whatever is unsaved; true when main holds what is on screen. */
  async flush(): Promise<boolean> {
    this.#cancelTimer();
    while (this.#inFlight !== null) await this.#inFlight;
    if (!this.#dirty) return this.#state !== 'failed';
    const body = this.#options.snapshot();
    if (body === null) {
      this.#dirty = false;
      return true;
    }
    const generation = this.#generation;
    this.#dirty = false;
    this.#setState('saving', null);
    const call = this.#options.save(body);
    this.#inFlight = call;
    let result: IpcResult<R>;
    try {
      result = await call;
    } finally {
      this.#inFlight = null;
    }
    if (generation !== this.#generation) return result.ok;
    if (result.ok) {
      this.#options.onSaved(result.value);
      this.#setState(this.#dirty ? 'pending' : 'saved', null);
      return true;
    }
    this.#dirty = true;
    this.#setState('failed', result.error);
    if (this.#options.retryable(result.error)) this.#schedule(this.#options.retryMs);
    return false;
  }

  /** Another draft (or none) is on screen: forget what was pending for the old one. */
  reset(): void {
    this.#generation += 1;
    this.#cancelTimer();
    this.#dirty = false;
    this.#setState('saved', null);
  }

  #schedule(ms: number): void {
    this.#cancelTimer();
    this.#timer = this.#timers.set(() => {
      this.#timer = undefined;
      void this.flush();
    }, ms);
  }

  #cancelTimer(): void {
    if (this.#timer !== undefined) this.#timers.clear(this.#timer);
    this.#timer = undefined;
  }

  #setState(state: SaveState, error: WireError | null): void {
    this.#state = state;
    this.#options.onState(state, error);
  }
}
