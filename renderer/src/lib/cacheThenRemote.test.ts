import { describe, expect, it } from 'vitest';
import type { IpcResult } from '../../../shared/errors.js';
import {
  cacheThenRemote,
  needsRemote,
  settle,
  showCachedUpdate,
  type CachedReadView,
  type CachedUpdate,
  type Prefer,
} from './cacheThenRemote.js';

type Answer = { kind: 'found' | 'not_found'; source: 'cache' | 'remote' };
const ok = (value: Answer): IpcResult<Answer> => ({ ok: true, value });
const fail = (code: 'network' | 'internal'): IpcResult<Answer> => ({ ok: false, error: { code, message: code } });

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('needsRemote', () => {
  it('asks WAUG after a saved hit or miss, not after a failed read (main tried WAUG already), nor when remote is off', () => {
    expect(needsRemote(ok({ kind: 'found', source: 'cache' }), true)).toBe(true);
    expect(needsRemote(ok({ kind: 'not_found', source: 'cache' }), true)).toBe(true);
    expect(needsRemote(fail('network'), true)).toBe(false);
    expect(needsRemote(ok({ kind: 'found', source: 'remote' }), true)).toBe(false);
    expect(needsRemote(ok({ kind: 'found', source: 'cache' }), false)).toBe(false);
  });
});

describe('cacheThenRemote', () => {
  it('shows the cached answer first, then the remote one', async () => {
    const asked: Prefer[] = [];
    const updates: CachedUpdate<Answer>[] = [];
    await cacheThenRemote(
      async (prefer) => {
        asked.push(prefer);
        return ok({ kind: 'found', source: prefer });
      },
      () => true,
      (update) => updates.push(update),
      () => true,
    );
    expect(asked).toEqual(['cache', 'remote']);
    expect(updates.map((u) => u.phase)).toEqual(['first', 'refreshing', 'refreshed']);
  });

  it('drops late answers once a newer request is current', async () => {
    const remote = deferred<IpcResult<Answer>>();
    let current = true;
    const updates: CachedUpdate<Answer>[] = [];
    const run = cacheThenRemote(
      (prefer) => (prefer === 'cache' ? Promise.resolve(ok({ kind: 'found', source: 'cache' })) : remote.promise),
      () => current,
      (update) => updates.push(update),
      () => true,
    );
    await Promise.resolve();
    await Promise.resolve();
    current = false; // a newer scan
    remote.resolve(ok({ kind: 'found', source: 'remote' }));
    await run;
    expect(updates.map((u) => u.phase)).toEqual(['first', 'refreshing']);
  });

  it('does not ask WAUG while working offline', async () => {
    const asked: Prefer[] = [];
    await cacheThenRemote(
      async (prefer) => {
        asked.push(prefer);
        return ok({ kind: 'not_found', source: 'cache' });
      },
      () => true,
      () => {},
      () => false,
    );
    expect(asked).toEqual(['cache']);
  });
});

describe('settle', () => {
  it('takes a WAUG answer, and keeps the saved one with a note when WAUG fails', () => {
    const cached = ok({ kind: 'found', source: 'cache' });
    const remote = ok({ kind: 'not_found', source: 'remote' });
    expect(settle(cached, remote)).toEqual({ show: remote, refreshError: null });
    expect(settle(cached, fail('network'))).toEqual({
      show: cached,
      refreshError: { code: 'network', message: 'network' },
    });
    expect(settle(fail('internal'), fail('network'))).toEqual({ show: fail('network'), refreshError: null });
    expect(settle(null, fail('network'))).toEqual({ show: fail('network'), refreshError: null });
  });
});

describe('showCachedUpdate', () => {
  it('ends loading on the first answer, marks the background read, and settles its answer', () => {
    const view: CachedReadView<Answer> = { result: null, loading: true, refreshing: false, refreshError: null };
    let cancelled = 0;
    const cached = ok({ kind: 'found', source: 'cache' });
    showCachedUpdate(view, { phase: 'first', result: cached }, () => cancelled++);
    expect(view).toEqual({ result: cached, loading: false, refreshing: false, refreshError: null });
    expect(cancelled).toBe(1);
    showCachedUpdate(view, { phase: 'refreshing' }, () => cancelled++);
    expect(view.refreshing).toBe(true);
    showCachedUpdate(view, { phase: 'refreshed', result: fail('network') }, () => cancelled++);
    expect(view).toEqual({
      result: cached,
      loading: false,
      refreshing: false,
      refreshError: { code: 'network', message: 'network' },
    });
    expect(cancelled).toBe(1);
  });
});
