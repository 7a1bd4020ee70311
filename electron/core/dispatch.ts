/**
 * The one entry for every call from a renderer, used by the Electron IPC layer and the browser
 * shell alike (ARCHITECTURE rule 2): allow-listed names, request parsed with the contract's
 * schema, DeskError answered as {ok:false}, any other exception logged with a correlation id
 * and answered as 'internal', and the response parsed too, so drift is caught here.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { InvokeName } from '../../shared/channels.js';
import { contract, type DeskHandlers } from '../../shared/contract.js';
import { DeskError, ERROR_CODES, type ErrorCode, type IpcResult } from '../../shared/errors.js';
import type { Logger } from './log/logger.js';

function isInvokeName(name: string): name is InvokeName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

function asDeskError(error: unknown): DeskError | null {
  if (error instanceof DeskError) return error;
  // A DeskError from another copy of the module (a bundled chunk) is still a DeskError.
  if (
    error instanceof Error &&
    error.name === 'DeskError' &&
    typeof (error as unknown as { code?: unknown }).code === 'string' &&
    (ERROR_CODES as readonly string[]).includes((error as unknown as { code: string }).code)
  ) {
    return error as DeskError;
  }
  return null;
}

/** One short sentence from a zod failure: the first problem, with where it is. */
export function describeIssues(name: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `Invalid request for ${name}.`;
  const where = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return `Invalid request for ${name}: ${where}${issue.message}${more}`.slice(0, 300);
}

const fail = (code: ErrorCode, message: string): IpcResult<never> => ({
  ok: false,
  error: { code, message },
});

export async function dispatch(
  handlers: DeskHandlers,
  name: string,
  payload: unknown,
  log: Logger,
): Promise<IpcResult<unknown>> {
  if (!isInvokeName(name)) {
    log.warn('dispatch.unknown_call', { call: String(name).slice(0, 100) });
    return fail('forbidden', 'Unknown call.');
  }
  const spec = contract[name];
  // Calls without parameters may arrive with no payload at all.
  const parsed = spec.request.safeParse(payload === undefined || payload === null ? {} : payload);
  if (!parsed.success) return fail('bad_input', describeIssues(name, parsed.error));

  let value: unknown;
  try {
    const handler = handlers[name] as (request: unknown) => Promise<unknown>;
    value = await handler(parsed.data);
  } catch (error) {
    const deskError = asDeskError(error);
    if (deskError) return fail(deskError.code, deskError.message);
    const ref = randomUUID().slice(0, 8);
    log.error('dispatch.internal_error', { call: name, ref, error });
    return fail('internal', `Something went wrong inside Voucher Desk (reference ${ref}). Please tell support.`);
  }

  const checked = spec.response.safeParse(value);
  if (!checked.success) {
    const ref = randomUUID().slice(0, 8);
    log.error('dispatch.response_drift', {
      call: name,
      ref,
      issues: checked.error.issues.map((i) => ({
        path: i.path.map(String).join('.'),
        code: i.code,
      })),
    });
    return fail('internal', `Something went wrong inside Voucher Desk (reference ${ref}). Please tell support.`);
  }
  return { ok: true, value: checked.data };
}
