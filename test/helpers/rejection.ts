import { expect } from 'vitest';
import { DeskError } from '../../shared/errors.js';

/** What `promise` rejected with, asserted to be an instance of `type`; a promise that resolves fails the test. */
export async function rejectionOf<E>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

/** The DeskError `promise` rejected with; anything else (or no rejection) fails the test. */
export const deskError = (promise: Promise<unknown>): Promise<DeskError> => rejectionOf(promise, DeskError);
