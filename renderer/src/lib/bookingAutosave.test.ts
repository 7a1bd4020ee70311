import { describe, expect, it } from 'vitest';
import type { IpcResult, WireError } from '../../../shared/errors.js';
import { DraftAutosave, type SaveState, type Timers } from './bookingAutosave.js';

/** Timers the test advances by hand. */
class ManualTimers implements Timers {
  now = 0;
  #next = 1;
  readonly #pending = new Map<number, { at: number; fn: () => void }>();

  set(fn: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#pending.set(id, { at: this.now + ms, fn });
    return id;
  }

  clear(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  advance(ms: number): void {
    this.now += ms;
    for (const [id, timer] of [...this.#pending].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.now) continue;
      this.#pending.delete(id);
      timer.fn();
    }
  }

  get count(): number {
    return this.#pending.size;
  }
}

interface Deferred {
  body: string;
  resolve(result: IpcResult<string>): void;
}

function rig(retryable = true) {
  const timers = new ManualTimers();
  let screen = 'a';
  const sent: Deferred[] = [];
  const states: SaveState[] = [];
  const saved: string[] = [];
  let lastError: WireError | null = null;
  const autosave = new DraftAutosave<string, string>({
    snapshot: () => screen,
    save: (body) => new Promise((resolve) => sent.push({ body, resolve })),
    onSaved: (value) => saved.push(value),
    onState: (state, error) => {
      states.push(state);
      lastError = error;
    },
    debounceMs: 400,
    retryMs: 5_000,
    retryable: () => retryable,
    timers,
  });
  return {
    timers,
    autosave,
    sent,
    states,
    saved,
    type(text: string) {
      screen = text;
      autosave.edited();
    },
    get lastError() {
      return lastError;
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('DraftAutosave', () => {
  it('saves a burst of typing once, after the clerk pauses', async () => {
    const r = rig();
    r.type('a');
    r.timers.advance(200);
    r.type('ab');
    r.timers.advance(200);
    r.type('abc');
    expect(r.sent).toHaveLength(0);
    expect(r.autosave.state).toBe('pending');
    r.timers.advance(400);
    await settle();
    expect(r.sent.map((s) => s.body)).toEqual(['abc']);
    r.sent[0]?.resolve({ ok: true, value: 'v1' });
    await settle();
    expect(r.autosave.state).toBe('saved');
    expect(r.saved).toEqual(['v1']);
    expect(r.states).toEqual(['pending', 'saving', 'saved']);
  });

  it('never overlaps saves: typing during a save is sent after it, newest last', async () => {
    const r = rig();
    r.type('one');
    const first = r.autosave.flush();
    await settle();
    r.type('two');
    expect(r.autosave.state).toBe('saving');
    const second = r.autosave.flush();
    await settle();
    expect(r.sent.map((s) => s.body)).toEqual(['one']);
    r.sent[0]?.resolve({ ok: true, value: 'v1' });
    expect(await first).toBe(true);
    await settle();
    expect(r.sent.map((s) => s.body)).toEqual(['one', 'two']);
    r.sent[1]?.resolve({ ok: true, value: 'v2' });
    expect(await second).toBe(true);
    expect(r.autosave.state).toBe('saved');
  });

  it('says whether main holds the screen, with nothing to send as well', async () => {
    const r = rig();
    expect(await r.autosave.flush()).toBe(true);
    expect(r.sent).toHaveLength(0);
  });

  it('keeps a failed save marked unsaved and tries again by itself', async () => {
    const r = rig();
    r.type('x');
    const flushed = r.autosave.flush();
    await settle();
    r.sent[0]?.resolve({ ok: false, error: { code: 'network', message: 'down' } });
    expect(await flushed).toBe(false);
    expect(r.autosave.state).toBe('failed');
    expect(r.lastError?.code).toBe('network');
    r.timers.advance(5_000);
    await settle();
    expect(r.sent.map((s) => s.body)).toEqual(['x', 'x']);
    r.sent[1]?.resolve({ ok: true, value: 'v' });
    await settle();
    expect(r.autosave.state).toBe('saved');
  });

  it('does not retry a refusal by itself, but flush still tries', async () => {
    const r = rig(false);
    r.type('x');
    const flushed = r.autosave.flush();
    await settle();
    r.sent[0]?.resolve({ ok: false, error: { code: 'bad_input', message: 'no' } });
    expect(await flushed).toBe(false);
    expect(r.timers.count).toBe(0);
    const again = r.autosave.flush();
    await settle();
    expect(r.sent).toHaveLength(2);
    r.sent[1]?.resolve({ ok: true, value: 'v' });
    expect(await again).toBe(true);
  });

  it('ignores the answer of a save for a draft the clerk has left', async () => {
    const r = rig();
    r.type('old draft');
    const flushed = r.autosave.flush();
    await settle();
    r.autosave.reset();
    r.sent[0]?.resolve({ ok: true, value: 'old' });
    await flushed;
    expect(r.saved).toEqual([]);
    expect(r.autosave.state).toBe('saved');
  });
});
