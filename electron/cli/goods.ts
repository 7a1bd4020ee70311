/**
 * `goods [--json]` (issue 6 item 4): the WAUG catalog. Syncs it first when WAUG can be reached;
 * otherwise prints the cache with its age. Through the same dispatcher as the UI.
 */
import type { CatalogSyncSummary, ListGoodsResult } from '../../shared/contract.js';
import { DeskError, ERROR_CODES, type ErrorCode, type IpcResult } from '../../shared/errors.js';
import type { Core } from '../core/app.js';
import { dispatch } from '../core/dispatch.js';
import type { Logger } from '../core/log/logger.js';
import { EXIT, exitCodeFor } from './exitCodes.js';

export const GOODS_USAGE = `  goods [--json]                  The WAUG catalog (goods, city, currency, lowest price from today on):
                                  synced from WAUG first; the local cache, with its age, when WAUG
                                  cannot be reached
`;

/** Sync failures after which the cache is the expected answer, not a failure. */
const UNREACHABLE: ReadonlySet<string> = new Set<ErrorCode>(['network', 'timeout']);

const errorCode = (text: string): ErrorCode =>
  (ERROR_CODES as readonly string[]).includes(text) ? (text as ErrorCode) : 'upstream';

/** Columns are padded by display width: a CJK character takes two. */
function widthOf(text: string): number {
  let width = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6);
    width += wide ? 2 : 1;
  }
  return width;
}

function fit(text: string, width: number): string {
  let out = text;
  if (widthOf(text) > width) {
    out = '';
    for (const ch of text) {
      if (widthOf(out + ch) > width - 1) break;
      out += ch;
    }
    out += '…';
  }
  return out + ' '.repeat(Math.max(0, width - widthOf(out)));
}

/** "5 min", "3 h", "2 days": how old the cache is. */
export function ageOf(sinceIso: string, nowMs: number): string {
  const minutes = Math.max(0, Math.round((nowMs - Date.parse(sinceIso)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

export function goodsText(list: ListGoodsResult, nowMs: number): string {
  const header =
    list.syncedAt === null
      ? `${list.goods.length} goods (the catalog was never fully synced)`
      : `${list.goods.length} goods, as of ${list.syncedAt} (${ageOf(list.syncedAt, nowMs)} ago)`;
  if (list.goods.length === 0) return header;
  const columns: [string, number][] = [
    ['GOODS ID', 10],
    ['NAME', 42],
    ['CITY', 14],
    ['CUR', 4],
    ['FROM', 12],
    ['REFUNDABLE', 11],
    ['INSTANT', 7],
  ];
  const row = (cells: string[]) =>
    cells
      .map((cell, i) => fit(cell, columns[i]?.[1] ?? cell.length))
      .join(' ')
      .trimEnd();
  return [
    header,
    row(columns.map(([name]) => name)),
    ...list.goods.map((g) =>
      row([
        g.goodsId,
        g.goodsName,
        g.city ?? '-',
        g.currency,
        g.fromPrice ?? '-',
        g.refundable ? 'yes' : 'no',
        g.instantConfirmation ? 'yes' : 'no',
      ]),
    ),
  ].join('\n');
}

export async function goodsCommand(desk: { core: Core; log: Logger }, json: boolean): Promise<number> {
  const call = async <T>(name: 'syncCatalog' | 'listGoods', request: unknown): Promise<T> => {
    const result = (await dispatch(desk.core.handlers, name, request, desk.log)) as IpcResult<T>;
    if (!result.ok) throw new DeskError(result.error.code, result.error.message);
    return result.value;
  };
  const synced = await call<CatalogSyncSummary>('syncCatalog', {});
  const list = await call<ListGoodsResult>('listGoods', { limit: 2000 });
  let exit: number = EXIT.ok;
  if (synced.error !== null) {
    const offline = UNREACHABLE.has(synced.error.code);
    if (offline && list.goods.length === 0)
      throw new DeskError(
        errorCode(synced.error.code),
        `${synced.error.message} The catalog cache is empty, so there is nothing to show.`,
      );
    process.stderr.write(
      offline
        ? `WAUG could not be reached: the catalog from this desk’s cache.\n`
        : `The catalog sync failed: ${synced.error.message}\n`,
    );
    if (!offline) exit = exitCodeFor(errorCode(synced.error.code));
  }
  process.stdout.write(`${json ? JSON.stringify(list) : goodsText(list, Date.now())}\n`);
  return exit;
}
