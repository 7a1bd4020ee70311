/**
 * `book --file order.json [--json]` (issue 6 item 4): a WAUG order creation request (API-NOTES §2
 * "Order creation", as in the seed: ids and prices as numbers or strings) plus the REQUIRED
 * partnerOrderNumber, booked by the counter's own path: a draft under that number, the re-read
 * and checks, WAUG's validation, then one create at the file's own prices. The partner number is
 * the idempotency key: the same file run twice books once (the second run answers the order).
 * A price that changed is not booked: the old and new prices are printed instead.
 */
import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import type { BookingOutcome } from '../../shared/contract.js';
import { DeskError, type IpcResult } from '../../shared/errors.js';
import { bookingEn } from '../../shared/i18n/booking.en.js';
import type { Core } from '../core/app.js';
import { PARTNER_ORDER_NUMBER_MAX } from '../core/counterBooking/partnerNumber.js';
import { dispatch } from '../core/dispatch.js';
import { isLosslessNumber, JsonSyntaxError, parseLosslessJson } from '../core/http/json.js';
import type { Logger } from '../core/log/logger.js';
import type { WaugOrderRequest } from '../core/waug/api.js';
import { EXIT } from './exitCodes.js';
import { orderText } from './output.js';

export const BOOK_USAGE = `  book --file order.json [--json]
                                  Book a WAUG order from a file: a WAUG order creation request with a
                                  partnerOrderNumber (required: the same file run twice books once).
                                  Re-reads the goods, checks the form, validates, then creates at the
                                  file's own prices; a changed price is shown and nothing is booked
`;

/** A booking file is small; anything larger is a mistake. */
export const BOOK_FILE_MAX_BYTES = 1024 * 1024;

const PARTNER_REQUIRED =
  'partnerOrderNumber is required: it is the idempotency key, so running the same file twice books once. ' +
  'Add e.g. "partnerOrderNumber": "SHOP-2026-0001" (letters, digits, "-" or "_"; not digits only).';

/** An integer id written as a number or a string of digits. */
const idText = z.unknown().transform((value, ctx): string => {
  const text = isLosslessNumber(value) ? value.value : typeof value === 'string' ? value.trim() : null;
  if (text === null || !/^\d{1,20}$/.test(text)) {
    ctx.issues.push({ code: 'custom', message: 'expected a WAUG id (digits)', input: value });
    return z.NEVER;
  }
  return text;
});
const decimalText = z.unknown().transform((value, ctx): string => {
  const text = isLosslessNumber(value) ? value.value : typeof value === 'string' ? value.trim() : null;
  if (text === null || !/^\d{1,15}(\.\d{1,2})?$/.test(text)) {
    ctx.issues.push({ code: 'custom', message: 'expected a price such as 1650 or 37080.5', input: value });
    return z.NEVER;
  }
  return text;
});
const quantity = z.unknown().transform((value, ctx): number => {
  const text = isLosslessNumber(value) ? value.value : typeof value === 'string' ? value.trim() : null;
  const n = text !== null && /^\d{1,3}$/.test(text) ? Number(text) : 0;
  if (n < 1 || n > 99) {
    ctx.issues.push({ code: 'custom', message: 'expected a whole quantity from 1 to 99', input: value });
    return z.NEVER;
  }
  return n;
});
/** Values are text; a number written bare (a height, a count) is taken digit for digit. */
const valueText = z.unknown().transform((value, ctx): string => {
  if (typeof value === 'string') return value;
  if (isLosslessNumber(value)) return value.value;
  ctx.issues.push({ code: 'custom', message: 'expected text', input: value });
  return z.NEVER;
});
const info = <G extends readonly [string, ...string[]]>(groups: G) =>
  z.object({ fieldId: idText, groupCategory: z.enum(groups), values: z.array(valueText).max(99) }).strict();

const BookingFileSchema = z
  .object({
    partnerOrderNumber: z
      .string({ error: (issue) => (issue.input === undefined ? PARTNER_REQUIRED : 'partnerOrderNumber must be text') })
      .trim()
      .min(1, PARTNER_REQUIRED)
      .max(PARTNER_ORDER_NUMBER_MAX),
    locale: z.string().max(10).optional(),
    orderGoods: z
      .array(
        z
          .object({
            goodsId: idText,
            useDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected yyyy-MM-dd'),
            additionalInput: z.string().max(2000).optional(),
            orderOptions: z
              .array(
                z
                  .object({
                    goodsOptionId: idText,
                    goodsOptionItemId: idText,
                    quantity,
                    price: decimalText,
                    goodsOptionTimeslotId: idText.optional(),
                  })
                  .strict(),
              )
              .min(1, 'at least one option is needed')
              .max(20),
            orderInfos: z
              .array(info(['GOODS', 'EACH'] as const))
              .max(200)
              .default([]),
          })
          .strict(),
      )
      .min(1, 'at least one goods is needed')
      .max(5),
    orderInfos: z
      .array(info(['ORDER'] as const))
      .max(200)
      .default([]),
  })
  .strict();

export class BookFileError extends Error {}

/** Reads and checks a booking file; BookFileError says what is wrong and where. */
export async function readBookingFile(path: string): Promise<WaugOrderRequest> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new BookFileError(`Cannot read the booking file ${path}.`);
  }
  if (size > BOOK_FILE_MAX_BYTES) throw new BookFileError(`The booking file ${path} is larger than 1 MiB.`);
  let json: unknown;
  try {
    json = parseLosslessJson(await readFile(path));
  } catch (error) {
    const why = error instanceof JsonSyntaxError ? error.message : 'not readable';
    throw new BookFileError(`The booking file ${path} is ${why}.`);
  }
  const parsed = BookingFileSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) =>
      issue.message === PARTNER_REQUIRED ? issue.message : `${issue.path.join('.') || 'file'}: ${issue.message}`,
    );
    throw new BookFileError(`The booking file ${path} is not a WAUG order request:\n  ${lines.join('\n  ')}`);
  }
  const file = parsed.data;
  return {
    partnerOrderNumber: file.partnerOrderNumber,
    locale: file.locale ?? 'en',
    orderGoods: file.orderGoods.map((g) => ({
      goodsId: g.goodsId,
      useDate: g.useDate,
      ...(g.additionalInput === undefined ? {} : { additionalInput: g.additionalInput }),
      orderOptions: g.orderOptions.map((o) => ({
        goodsOptionId: o.goodsOptionId,
        goodsOptionItemId: o.goodsOptionItemId,
        quantity: o.quantity,
        price: o.price,
        ...(o.goodsOptionTimeslotId === undefined ? {} : { goodsOptionTimeslotId: o.goodsOptionTimeslotId }),
      })),
      orderInfos: g.orderInfos,
    })),
    orderInfos: file.orderInfos,
  };
}

/** Where a form slot is in the file: "orderGoods[0] EACH field 5, value 3". */
function filePlace(slotKey: string | null): string {
  if (slotKey === null) return 'order';
  const [group, a, b, c] = slotKey.split(':');
  if (group === 'ORDER') return `orderInfos ORDER field ${a}`;
  if (group === 'GOODS') return `orderGoods[${a}] GOODS field ${b}`;
  return `orderGoods[${a}] EACH field ${b}, value ${Number(c) + 1}`;
}

export function outcomeExitCode(outcome: BookingOutcome): number {
  switch (outcome.kind) {
    case 'orderable':
    case 'created':
      return EXIT.ok;
    case 'price_changed':
      return EXIT.priceChanged;
    case 'insufficient_balance':
      return EXIT.refused;
    case 'invalid_fields':
      return EXIT.badInput;
    case 'unconfirmed':
      return EXIT.unconfirmed;
  }
}

export function outcomeText(outcome: BookingOutcome, alreadyBooked = false): string {
  const partner = outcome.draft.partnerOrderNumber;
  switch (outcome.kind) {
    case 'created':
      return [
        alreadyBooked
          ? `Already booked under partner number ${partner}: nothing was sent again.`
          : `Booked under partner number ${partner}.`,
        // e.g. WAUG holds an earlier version of the booking than the file.
        ...(outcome.draft.lastError === null ? [] : [`Check: ${outcome.draft.lastError}`]),
        orderText(outcome.order, 'remote', null),
      ].join('\n');
    case 'orderable':
      return `Orderable: ${outcome.totalPrice} ${outcome.currency} (partner number ${partner}).`;
    case 'price_changed': {
      const why = {
        reread: 'the prices changed since the file was written',
        product_modified: 'WAUG changed the product (code 105)',
        price_mismatch: 'WAUG’s price changed (code 109)',
      }[outcome.reason];
      return [
        `Not booked: ${why}.`,
        ...outcome.changes.map(
          (c) =>
            `  orderGoods[${c.goodsIndex}] ${c.itemName} (item ${c.goodsOptionItemId}) × ${c.quantity}: ${c.oldPrice} → ${c.newPrice ?? 'no longer orderable'}`,
        ),
        outcome.newTotal === null
          ? '  Some items cannot be ordered on that day any more: pick others.'
          : `  New total: ${outcome.newTotal} ${outcome.currency}`,
        'Put the new prices in the file (and check them with the customer), then run again.',
      ].join('\n');
    }
    case 'insufficient_balance':
      return `Not booked: the prepaid WAUG balance is too low for ${outcome.totalPrice} ${outcome.currency} (code 104). Top up the balance with WAUG, then run again.`;
    case 'invalid_fields':
      return [
        'Not booked: some booking details are not valid:',
        ...outcome.errors.map(
          (e) =>
            `  ${filePlace(e.slotKey)}: ${e.problem === 'waug' ? `WAUG says: ${e.detail ?? 'invalid'}` : bookingEn[`field.problem.${e.problem}`]}`,
        ),
      ].join('\n');
    case 'unconfirmed':
      return `${outcome.message}\nRun the same command again: the same partner number ${partner} is sent, so it is never booked twice.`;
  }
}

async function call<T>(
  desk: { core: Core; log: Logger },
  name: 'validateBooking' | 'createBooking',
  request: unknown,
): Promise<T> {
  const result = (await dispatch(desk.core.handlers, name, request, desk.log)) as IpcResult<T>;
  if (!result.ok) throw new DeskError(result.error.code, result.error.message);
  return result.value;
}

/**
 * The outcome for `--json`: everything but the draft's body, whose form values (names, phones,
 * emails) are personal data that does not belong in a script's output or its logs.
 */
function outcomeJson(outcome: BookingOutcome, alreadyBooked = false): string {
  const { body: _body, ...draft } = outcome.draft;
  return JSON.stringify({ ...outcome, draft, ...(outcome.kind === 'created' ? { alreadyBooked } : {}) });
}

export async function bookCommand(desk: { core: Core; log: Logger }, file: string, json: boolean): Promise<number> {
  const request = await readBookingFile(file);
  const print = (outcome: BookingOutcome, alreadyBooked = false): number => {
    process.stdout.write(`${json ? outcomeJson(outcome, alreadyBooked) : outcomeText(outcome, alreadyBooked)}\n`);
    return outcomeExitCode(outcome);
  };
  const imported = await desk.core.importBookingRequest(request);
  if (imported.alreadyBooked) return print(imported.outcome, true);
  const draftId = imported.draft.draftId;
  const validation = await call<BookingOutcome>(desk, 'validateBooking', { draftId });
  if (validation.kind !== 'orderable') return print(validation);
  const created = await call<BookingOutcome>(desk, 'createBooking', { draftId, confirmedTotal: validation.totalPrice });
  return print(created);
}
