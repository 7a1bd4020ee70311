import { describe, expect, it } from 'vitest';
import type { IpcResult } from '../../../shared/errors.js';
import { runAlone, type BusyMark } from './bookingCalls.js';

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/** Lets every pending promise callback run. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A fake main: counts the creates it is sent and answers each when the test says. */
function fakeMain() {
  const answers: ((result: IpcResult<string>) => void)[] = [];
  return {
    creates: () => answers.length,
    create: () => new Promise<IpcResult<string>>((resolve) => answers.push(resolve)),
    answer: (index: number, result: IpcResult<string>) => answers[index]?.(result),
  };
}

describe('runAlone', () => {
  it('is busy from the first instant, before the draft is saved', () => {
    const mark: BusyMark = { busy: null };
    const save = deferred<boolean>();
    void runAlone(mark, 'creating', fakeMain().create, { before: () => save.promise });
    expect(mark.busy).toBe('creating');
  });

  it('lets a double click through once: the second finds the first busy during its save and the create', async () => {
    const mark: BusyMark = { busy: null };
    const main = fakeMain();
    const save = deferred<boolean>();
    const sending: string[] = [];
    const book = () =>
      runAlone(mark, 'creating', main.create, { before: () => save.promise, sending: () => sending.push('x') });

    const first = book();
    const second = book();
    save.resolve(true);
    await settled();
    expect(main.creates()).toBe(1);
    expect(await second).toBeNull();
    // A click while the create is in flight does not end the first one's busy time either.
    expect(await book()).toBeNull();
    expect(mark.busy).toBe('creating');

    main.answer(0, { ok: true, value: 'WG1' });
    expect(await first).toEqual({ ok: true, value: 'WG1' });
    expect(mark.busy).toBeNull();
    expect(main.creates()).toBe(1);
    expect(sending).toHaveLength(1);
  });

  it('sends nothing when the save fails, and is free again', async () => {
    const mark: BusyMark = { busy: null };
    const main = fakeMain();
    const sending: string[] = [];
    const result = await runAlone(mark, 'validating', main.create, {
      before: () => Promise.resolve(false),
      sending: () => sending.push('x'),
    });
    expect(result).toBeNull();
    expect(main.creates()).toBe(0);
    expect(sending).toEqual([]);
    expect(mark.busy).toBeNull();
  });

  it('turns a rejected call into a failure and is free again', async () => {
    const mark: BusyMark = { busy: null };
    const result = await runAlone(mark, 'starting', () => Promise.reject(new Error('window torn down')));
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'window torn down' } });
    expect(mark.busy).toBeNull();
  });

  it('is free again when the save throws', async () => {
    const mark: BusyMark = { busy: null };
    const main = fakeMain();
    await expect(
      runAlone(mark, 'creating', main.create, { before: () => Promise.reject(new Error('boom')) }),
    ).rejects.toThrow('boom');
    expect(mark.busy).toBeNull();
    expect(main.creates()).toBe(0);
  });

  it('runs the next call once the first answered', async () => {
    const mark: BusyMark = { busy: null };
    const ok = (value: string) => Promise.resolve<IpcResult<string>>({ ok: true, value });
    expect(await runAlone(mark, 'validating', () => ok('orderable'))).toEqual({ ok: true, value: 'orderable' });
    expect(await runAlone(mark, 'creating', () => ok('created'))).toEqual({ ok: true, value: 'created' });
  });
});
