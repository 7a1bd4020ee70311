/**
 * The product mapping (migration 0060, API-NOTES §3): which WAUG goods, option and option item
 * fulfil a Yahoo productId/specId. Upserted by (productId, specId); listed in that order.
 */
import type { ProductMapping } from '../../../shared/contract.js';
import type { Db } from './open.js';

export interface MappingStore {
  list(): ProductMapping[];
  get(yahooProductId: string, yahooSpecId: string): ProductMapping | null;
  /** Insert or replace the mapping of (productId, specId). */
  set(mapping: ProductMapping, at: string): void;
  /** True when there was one to remove. */
  remove(yahooProductId: string, yahooSpecId: string): boolean;
}

interface MappingRow {
  yahoo_product_id: string;
  yahoo_spec_id: string;
  waug_goods_id: string;
  waug_goods_option_id: string;
  waug_goods_option_item_id: string;
  label: string;
}

const COLUMNS = `yahoo_product_id, yahoo_spec_id, waug_goods_id, waug_goods_option_id, waug_goods_option_item_id, label`;

const toMapping = (r: MappingRow): ProductMapping => ({
  yahooProductId: r.yahoo_product_id,
  yahooSpecId: r.yahoo_spec_id,
  waugGoodsId: r.waug_goods_id,
  waugGoodsOptionId: r.waug_goods_option_id,
  waugGoodsOptionItemId: r.waug_goods_option_item_id,
  label: r.label,
});

export function createMappingStore(db: Db): MappingStore {
  const selectAll = db.prepare<[], MappingRow>(
    `SELECT ${COLUMNS} FROM product_mappings ORDER BY yahoo_product_id, yahoo_spec_id`,
  );
  const selectOne = db.prepare<[string, string], MappingRow>(
    `SELECT ${COLUMNS} FROM product_mappings WHERE yahoo_product_id = ? AND yahoo_spec_id = ?`,
  );
  const upsert = db.prepare<[string, string, string, string, string, string, string]>(
    `INSERT INTO product_mappings (${COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (yahoo_product_id, yahoo_spec_id) DO UPDATE SET
       waug_goods_id = excluded.waug_goods_id,
       waug_goods_option_id = excluded.waug_goods_option_id,
       waug_goods_option_item_id = excluded.waug_goods_option_item_id,
       label = excluded.label,
       updated_at = excluded.updated_at`,
  );
  const remove = db.prepare<[string, string]>(
    `DELETE FROM product_mappings WHERE yahoo_product_id = ? AND yahoo_spec_id = ?`,
  );
  return {
    list: () => selectAll.all().map(toMapping),
    get(productId, specId) {
      const row = selectOne.get(productId, specId);
      return row === undefined ? null : toMapping(row);
    },
    set(m, at) {
      upsert.run(
        m.yahooProductId,
        m.yahooSpecId,
        m.waugGoodsId,
        m.waugGoodsOptionId,
        m.waugGoodsOptionItemId,
        m.label,
        at,
      );
    },
    remove: (productId, specId) => remove.run(productId, specId).changes > 0,
  };
}

const stores = new WeakMap<Db, MappingStore>();

/** One MappingStore per connection, its statements prepared once. */
export function mappingsOf(db: Db): MappingStore {
  let store = stores.get(db);
  if (store === undefined) {
    store = createMappingStore(db);
    stores.set(db, store);
  }
  return store;
}
