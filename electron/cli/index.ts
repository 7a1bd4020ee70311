/**
 * The command line, over the same core as the desktop app:
 *   npm run --silent cli -- <command> [options]
 * Expected failures print one clear line on stderr and exit with a documented code;
 * only a bug prints a stack trace.
 */
import { parseArgs } from 'node:util';
import type { InvokeName } from '../../shared/channels.js';
import type { Request, Response } from '../../shared/contract.js';
import { DeskError, type IpcResult } from '../../shared/errors.js';
import type { Core } from '../core/app.js';
import { dispatch } from '../core/dispatch.js';
import type { Logger } from '../core/log/logger.js';
import { defaultDataDir } from '../node/dataDir.js';
import { createNodeCore } from '../node/bootstrap.js';
import { BOOK_USAGE, bookCommand, BookFileError } from './book.js';
import { EXIT, exitCodeFor } from './exitCodes.js';
import { GOODS_USAGE, goodsCommand } from './goods.js';
import { MAPPING_USAGE, mappingCommand, MappingUsageError } from './mapping.js';
import {
  lookupJson,
  lookupText,
  orderJson,
  ordersText,
  orderText,
  outboxText,
  redeemJson,
  serialJson,
  serialsText,
  redeemText,
  syncText,
} from './output.js';

const USAGE = `Usage: npm run --silent cli -- <command> [options]

Commands:
  lookup <serial> [--json]        Find a voucher (Yahoo first, the local cache when Yahoo is unreachable)
  redeem <serial> [--json]        Redeem a voucher ("queued" when Yahoo cannot be reached: delivered later)
  sync [--json]                   Pull vouchers into the cache, deliver queued redemptions, purge old personal data
  outbox [--json] [--all]         Redemptions waiting for Yahoo and unresolved conflicts (--all: every redemption)
  order <orderNumber> [--json]    A WAUG order with its goods, statuses and voucher issuance (WAUG first,
                                  the local cache when WAUG is unreachable)
  order --partner <number> [--json]
                                  The WAUG order of a partner number (a Yahoo orderItemId)
  orders --from YYYY-MM-DD --to YYYY-MM-DD [--json]
                                  Pull the WAUG orders placed on those days (Asia/Seoul), then list them
  refund <orderNumber> --reason TEXT [--pin PIN] [--json]
                                  Request a refund of a WAUG order (manager only: the manager PIN comes
                                  from --pin or VOUCHER_DESK_MANAGER_PIN and is never echoed)
${GOODS_USAGE}  sandbox [--port N] [--host H]   Run the Yahoo simulator until stopped
  serve --port N [--host H]       Run the merchant endpoints Yahoo (and WAUG) call, until stopped;
                                  host 127.0.0.1 unless given. Prints the URL to give Yahoo
  serials --order <orderId> [--json]
                                  The serial numbers issued here for a Yahoo order
${MAPPING_USAGE}${BOOK_USAGE}
Options:
  --data-dir DIR   Database and settings folder (env VOUCHER_DESK_DATA_DIR)
  --json           Machine-readable output on stdout
  -h, --help       This help

Environment: YAHOO_BASE_URL, YAHOO_API_KEY, YAHOO_SHARED_SECRET, VOUCHER_DESK_STATION,
WAUG_BASE_URL (a custom WAUG host; otherwise the environment chosen in Settings, BETA by default),
WAUG_CLIENT_ID, WAUG_CLIENT_SECRET, VOUCHER_DESK_MANAGER_PIN,
WAUG_WEBHOOK_TOKEN (pins the webhook token; under plain Node it is otherwise new each run).
With no Yahoo credentials, commands run against the built-in demo sandboxes (Yahoo and WAUG).

Exit codes: 0 success (a queued redemption too), 1 other failure (a sync that stopped early,
a wrong manager PIN), 2 bad input, 3 not found, 4 refused (by Yahoo or WAUG, or a refund the desk
refuses itself because the order is non-refundable or already in refund, or a WAUG balance too
low for a booking), 5 "book": a price changed, nothing booked, 6 "book": sent but unconfirmed
(run it again: it never books twice). "book" answers 0 also when the file was already booked.
`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        all: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        partner: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        reason: { type: 'string' },
        pin: { type: 'string' },
        order: { type: 'string' },
        product: { type: 'string' },
        spec: { type: 'string' },
        goods: { type: 'string' },
        option: { type: 'string' },
        item: { type: 'string' },
        label: { type: 'string' },
        file: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(USAGE);
    return command === undefined && !values.help ? EXIT.badInput : EXIT.ok;
  }
  const dataDir = values['data-dir'] ?? defaultDataDir();

  switch (command) {
    case 'lookup':
    case 'redeem': {
      const serial = requireOne(args, command);
      const { core, log } = await createNodeCore({ dataDir, backgroundSync: false });
      try {
        await noteDemoMode(core);
        const desk = { core, log };
        return command === 'lookup' ? await lookup(desk, serial, values.json) : await redeem(desk, serial, values.json);
      } finally {
        await core.close();
      }
    }
    case 'sync':
    case 'outbox': {
      if (args.length > 0) throw new UsageError(`"${command}" takes no arguments.`);
      const { core, log } = await createNodeCore({ dataDir, backgroundSync: false });
      try {
        await noteDemoMode(core);
        const desk = { core, log };
        return command === 'sync' ? await sync(desk, values.json) : await outbox(desk, values.json, values.all);
      } finally {
        await core.close();
      }
    }
    case 'order':
    case 'orders':
    case 'refund': {
      const run = orderCommand(command, args, values);
      const { core, log } = await createNodeCore({ dataDir, backgroundSync: false });
      try {
        await noteDemoMode(core);
        return await run({ core, log });
      } finally {
        await core.close();
      }
    }
    case 'sandbox':
      return runSandbox(values.port, values.host);
    case 'serve': {
      if (args.length > 0) throw new UsageError('"serve" takes no arguments, only --port and --host.');
      const port = parsePort(values.port, { required: true });
      const { core } = await createNodeCore({ dataDir, backgroundSync: false });
      try {
        await noteDemoMode(core);
        return await runServe(core, port, values.host ?? '127.0.0.1');
      } finally {
        await core.close();
      }
    }
    case 'serials': {
      if (args.length > 0) throw new UsageError('"serials" takes no arguments, only --order <orderId>.');
      const orderId = values.order?.trim();
      if (!orderId) throw new UsageError('"serials" needs --order <orderId>.');
      const { core } = await createNodeCore({ dataDir, backgroundSync: false });
      try {
        const entries = core.listSerials(orderId);
        process.stdout.write(
          `${values.json ? JSON.stringify(entries.map(serialJson)) : serialsText(orderId, entries)}\n`,
        );
        return EXIT.ok;
      } finally {
        await core.close();
      }
    }
    case 'goods': {
      if (args.length > 0) throw new UsageError('"goods" takes no arguments.');
      const { core, log } = await createNodeCore({ dataDir, backgroundSync: false });
      try {
        await noteDemoMode(core);
        return await goodsCommand({ core, log }, values.json);
      } finally {
        await core.close();
      }
    }
    case 'mapping': {
      const { core, log } = await createNodeCore({ dataDir, backgroundSync: false });
      try {
        return await mappingCommand({ core, log }, args, values);
      } catch (error) {
        throw error instanceof MappingUsageError ? new UsageError(error.message) : error;
      } finally {
        await core.close();
      }
    }
    case 'book': {
      if (args.length > 0) throw new UsageError('"book" takes no arguments, only --file order.json.');
      const file = values.file?.trim();
      if (!file) throw new UsageError('"book" needs --file order.json.');
      const { core, log } = await createNodeCore({ dataDir, backgroundSync: false });
      try {
        await noteDemoMode(core);
        return await bookCommand({ core, log }, file, values.json);
      } catch (error) {
        throw error instanceof BookFileError ? new UsageError(error.message) : error;
      } finally {
        await core.close();
      }
    }
    default:
      throw new UsageError(`Unknown command "${command}". Run with --help.`);
  }
}

function requireOne(args: string[], command: string): string {
  if (args.length !== 1 || args[0] === undefined) throw new UsageError(`"${command}" takes exactly one serial number.`);
  return args[0];
}

interface OrderOptions {
  json: boolean;
  partner?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  reason?: string | undefined;
  pin?: string | undefined;
}

/** Checks the arguments of the order commands before the core starts; answers what to run. */
function orderCommand(
  command: 'order' | 'orders' | 'refund',
  args: string[],
  values: OrderOptions,
): (desk: Desk) => Promise<number> {
  switch (command) {
    case 'order': {
      if (values.partner !== undefined) {
        if (args.length > 0) throw new UsageError('"order --partner" takes no order number.');
        const partnerOrderNumber = values.partner;
        return (desk) => order(desk, { partnerOrderNumber }, values.json);
      }
      if (args.length !== 1 || args[0] === undefined)
        throw new UsageError('"order" takes exactly one order number (or --partner <number>).');
      const orderNumber = args[0];
      return (desk) => order(desk, { orderNumber }, values.json);
    }
    case 'orders': {
      if (args.length > 0) throw new UsageError('"orders" takes no arguments, only --from and --to.');
      const { from, to } = values;
      if (from === undefined || to === undefined)
        throw new UsageError('"orders" needs --from YYYY-MM-DD and --to YYYY-MM-DD.');
      return (desk) => listOrders(desk, from, to, values.json);
    }
    case 'refund': {
      if (args.length !== 1 || args[0] === undefined) throw new UsageError('"refund" takes exactly one order number.');
      const reason = values.reason?.trim();
      if (!reason) throw new UsageError('"refund" needs --reason TEXT.');
      const managerPin = values.pin ?? process.env.VOUCHER_DESK_MANAGER_PIN;
      if (!managerPin) throw new UsageError('"refund" needs the manager PIN: --pin PIN or VOUCHER_DESK_MANAGER_PIN.');
      const orderNumber = args[0];
      return (desk) => refund(desk, { orderNumber, reason, managerPin }, values.json);
    }
  }
}

async function noteDemoMode(core: Core): Promise<void> {
  const status = await core.handlers.getAppStatus({});
  if (status.mode === 'demo')
    process.stderr.write('Demo mode: no Yahoo credentials set, using the built-in sandbox.\n');
}

interface Desk {
  core: Core;
  log: Logger;
}

/** Calls go through the same dispatcher as the UI: same validation, same error shapes. */
async function call<N extends InvokeName>(desk: Desk, name: N, request: Request<N>): Promise<Response<N>> {
  const result = (await dispatch(desk.core.handlers, name, request, desk.log)) as IpcResult<Response<N>>;
  if (!result.ok) throw new DeskError(result.error.code, result.error.message);
  return result.value;
}

async function lookup(desk: Desk, serial: string, json: boolean): Promise<number> {
  const result = await call(desk, 'lookupVoucher', { serial, prefer: 'remote' });
  if (result.kind === 'not_found') throw new DeskError('not_found', `No voucher with serial number ${result.serial}.`);
  process.stdout.write(`${json ? JSON.stringify(lookupJson(result)) : lookupText(result)}\n`);
  return EXIT.ok;
}

async function redeem(desk: Desk, serial: string, json: boolean): Promise<number> {
  const result = await call(desk, 'redeemVoucher', { serial });
  process.stdout.write(`${json ? JSON.stringify(redeemJson(result)) : redeemText(result)}\n`);
  return result.outcome === 'rejected' ? EXIT.refused : EXIT.ok;
}

async function sync(desk: Desk, json: boolean): Promise<number> {
  const summary = await call(desk, 'syncNow', {});
  process.stdout.write(`${json ? JSON.stringify(summary) : syncText(summary)}\n`);
  return summary.error ? EXIT.failure : EXIT.ok;
}

async function outbox(desk: Desk, json: boolean, all: boolean): Promise<number> {
  const entries = await call(desk, 'listOutbox', { filter: all ? 'all' : 'open', limit: 1000 });
  process.stdout.write(`${json ? JSON.stringify(entries) : outboxText(entries)}\n`);
  return EXIT.ok;
}

async function order(
  desk: Desk,
  key: { orderNumber: string } | { partnerOrderNumber: string },
  json: boolean,
): Promise<number> {
  const result = await call(desk, 'getOrder', { ...key, prefer: 'remote' });
  if (result.kind === 'not_found') {
    throw new DeskError(
      'not_found',
      'orderNumber' in key
        ? `WAUG has no order ${key.orderNumber}.`
        : `WAUG has no order for partner number ${key.partnerOrderNumber}.`,
    );
  }
  process.stdout.write(
    `${json ? JSON.stringify(orderJson(result.order, result.source, result.fetchedAt)) : orderText(result.order, result.source, result.fetchedAt)}\n`,
  );
  return EXIT.ok;
}

async function listOrders(desk: Desk, from: string, to: string, json: boolean): Promise<number> {
  const pulled = await call(desk, 'syncOrders', { from, to });
  const found = await call(desk, 'searchOrders', { from, to, limit: 20_000 });
  process.stdout.write(
    `${json ? JSON.stringify({ pulled: pulled.pulled, ...found }) : ordersText(pulled.pulled, pulled.durationMs, found)}\n`,
  );
  return EXIT.ok;
}

async function refund(
  desk: Desk,
  request: { orderNumber: string; reason: string; managerPin: string },
  json: boolean,
): Promise<number> {
  const after = await call(desk, 'requestRefund', request);
  process.stdout.write(
    `${json ? JSON.stringify(orderJson(after, 'remote', null)) : orderText(after, 'remote', null)}\n`,
  );
  return EXIT.ok;
}

function parsePort(text: string | undefined, options: { required: boolean }): number {
  if (text === undefined) {
    if (options.required) throw new UsageError('--port N is required.');
    return 0;
  }
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0–65535, not "${text}".`);
  return port;
}

async function runServe(core: Core, port: number, host: string): Promise<number> {
  let server;
  try {
    server = await core.startMerchantServer({ port, host });
  } catch (error) {
    process.stderr.write(
      `Could not start the merchant endpoints: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT.failure;
  }
  process.stdout.write(
    [
      `Merchant endpoints listening on ${server.url}`,
      `  issue/cancel: POST ${server.url}/v1/vouchers/serialNumbers (cancel: ?action=cancel or /cancel)`,
      `  notification: POST ${server.url}/v1/vouchers/notification`,
      // Carries the webhook token: printed here for the merchant to give WAUG, never logged.
      `  WAUG webhooks (give WAUG this URL): POST ${core.waugWebhookUrl(server.url)}`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return EXIT.ok;
}

async function runSandbox(portText: string | undefined, host: string | undefined): Promise<number> {
  const port = parsePort(portText, { required: false });
  const { startYahooSandbox } = await import('../core/sandbox/yahoo/index.js');
  const sandbox = await startYahooSandbox({ port, host: host ?? '127.0.0.1' });
  process.stdout.write(
    [
      `Yahoo sandbox listening.`,
      `YAHOO_BASE_URL=${sandbox.baseUrl}`,
      `YAHOO_API_KEY=${sandbox.apiKey}`,
      `YAHOO_SHARED_SECRET=${sandbox.sharedSecret}`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sandbox.close();
  return EXIT.ok;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT.badInput);
    }
    if (error instanceof DeskError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(exitCodeFor(error.code));
    }
    process.stderr.write(
      `Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(EXIT.failure);
  },
);
