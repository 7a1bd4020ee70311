/**
 * `mapping list|set|remove` (issue 5 item 6): the product mapping of Yahoo productId/specId to
 * WAUG goods/option/item, through the same dispatcher as the UI (same validation and errors).
 */
import type { ProductMapping } from '../../shared/contract.js';
import { DeskError, type IpcResult } from '../../shared/errors.js';
import type { Core } from '../core/app.js';
import { dispatch } from '../core/dispatch.js';
import type { Logger } from '../core/log/logger.js';
import { EXIT } from './exitCodes.js';

export const MAPPING_USAGE = `  mapping list [--json]           The product mapping: Yahoo product/spec → WAUG goods/option/item
  mapping set --product P --spec S --goods G --option O --item I [--label L]
                                  Map a Yahoo product/spec (replaces its mapping); its sold vouchers
                                  are then booked with WAUG (partnerOrderNumber = orderItemId)
  mapping remove --product P --spec S
                                  Remove a mapping (bookings already queued stay)
`;

export interface MappingArgs {
  json: boolean;
  product?: string | undefined;
  spec?: string | undefined;
  goods?: string | undefined;
  option?: string | undefined;
  item?: string | undefined;
  label?: string | undefined;
}

export class MappingUsageError extends Error {}

export function mappingText(rows: readonly ProductMapping[]): string {
  if (rows.length === 0) return 'No product mappings.';
  return rows
    .map(
      (m) =>
        `${m.yahooProductId} spec ${m.yahooSpecId} → WAUG goods ${m.waugGoodsId} option ${m.waugGoodsOptionId} item ${m.waugGoodsOptionItemId}${m.label ? `  ${m.label}` : ''}`,
    )
    .join('\n');
}

export async function mappingCommand(
  desk: { core: Core; log: Logger },
  args: string[],
  values: MappingArgs,
): Promise<number> {
  const [sub, ...rest] = args;
  if (rest.length > 0) throw new MappingUsageError(`"mapping ${sub ?? ''}" takes no more arguments.`);
  const run = async <T>(name: 'listMappings' | 'setMapping' | 'removeMapping', request: unknown): Promise<T> => {
    const result = (await dispatch(desk.core.handlers, name, request, desk.log)) as IpcResult<T>;
    if (!result.ok) throw new DeskError(result.error.code, result.error.message);
    return result.value;
  };
  const need = (value: string | undefined, flag: string): string => {
    if (value === undefined || value.trim() === '') throw new MappingUsageError(`"mapping ${sub}" needs --${flag}.`);
    return value.trim();
  };
  let rows: ProductMapping[];
  switch (sub) {
    case 'list':
      rows = await run('listMappings', {});
      break;
    case 'set':
      rows = await run('setMapping', {
        yahooProductId: need(values.product, 'product'),
        yahooSpecId: need(values.spec, 'spec'),
        waugGoodsId: need(values.goods, 'goods'),
        waugGoodsOptionId: need(values.option, 'option'),
        waugGoodsOptionItemId: need(values.item, 'item'),
        label: values.label ?? '',
      });
      break;
    case 'remove':
      rows = await run('removeMapping', {
        yahooProductId: need(values.product, 'product'),
        yahooSpecId: need(values.spec, 'spec'),
      });
      break;
    default:
      throw new MappingUsageError('Use "mapping list", "mapping set …" or "mapping remove …". Run with --help.');
  }
  process.stdout.write(`${values.json ? JSON.stringify(rows) : mappingText(rows)}\n`);
  return EXIT.ok;
}
