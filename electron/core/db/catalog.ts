/**
 * The WAUG catalog cache (migration 0070): one aggregate owning its prepared statements.
 *
 * A goods is always written whole, in one transaction (detail, order infos, the prices of the
 * days read, and the first comments page when read), so a reader never sees half of a re-read and
 * an interrupted full sync keeps every goods it finished. Prices are replaced day by day: the days
 * of the range read are marked (catalog_price_days), so a read day without a price is "not
 * orderable" while an unread day is "unknown".
 *
 * Comment nicknames are stored as WAUG sent them; the views mask them (catalog/view.ts).
 */
import type { WaugComment, WaugDateRange, WaugGoods, WaugOrderInfoGroup, WaugPrice } from '../waug/api.js';
import type { Db } from './open.js';

export interface CatalogFilter {
  /** Any part of the name or the city, case-insensitive; '' for all. */
  query: string;
  countryCode?: string | undefined;
  city?: string | undefined;
  refundableOnly: boolean;
  instantOnly: boolean;
  limit: number;
}

export interface CatalogSummaryRow {
  goodsId: string;
  goodsName: string;
  city: string | null;
  countryCode: string | null;
  currency: string;
  refundable: boolean;
  instantConfirmation: boolean;
  /** The lowest cached price from the given day on; null when none. */
  fromPrice: string | null;
  syncedAt: string;
}

export interface CachedCatalogGoods {
  goods: WaugGoods;
  orderInfos: WaugOrderInfoGroup[];
  comments: { count: number; items: WaugComment[] };
  syncedAt: string;
}

export interface CachedPrices {
  prices: WaugPrice[];
  /** Every day of the range was read from WAUG (a day without a price is then not orderable). */
  complete: boolean;
  /** The oldest read among the range's read days; null when none was read. */
  syncedAt: string | null;
}

export interface CatalogSyncState {
  lastFullSyncAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
}

export interface GoodsWrite {
  goods: WaugGoods;
  orderInfos: WaugOrderInfoGroup[];
  prices: WaugPrice[];
  /** Every day of it is marked read (its prices replace the cached ones). */
  range: WaugDateRange;
  /** Null keeps the cached comments (the comments call failed or was not made). */
  comments: { count: number; items: WaugComment[] } | null;
  syncedAt: string;
}

export interface CatalogStore {
  /** Writes one goods whole (one transaction). */
  save(write: GoodsWrite): void;
  /** Removes a goods and all it owns; true when it was cached. */
  remove(goodsId: string): boolean;
  /** Removes every goods not in `listed` (a full sync's listing); answers how many went. */
  keepOnly(listed: readonly string[]): number;
  get(goodsId: string): CachedCatalogGoods | null;
  has(goodsId: string): boolean;
  /** Name order; fromPrice counted from `today` (yyyy-MM-dd, Asia/Seoul) on. */
  list(filter: CatalogFilter, today: string): CatalogSummaryRow[];
  /** Every city in the cache, with its country, for the filter chips. */
  cities(): { city: string; countryCode: string | null }[];
  prices(goodsId: string, range: WaugDateRange): CachedPrices;
  /** Replaces the prices of `range` of a cached goods (false when the goods is not cached). */
  savePrices(goodsId: string, range: WaugDateRange, prices: readonly WaugPrice[], syncedAt: string): boolean;
  /** The goods' lowest cached price from `today` on; null when none. */
  fromPrice(goodsId: string, today: string): string | null;
  /** Drops prices and read marks of days before `day` (they can no longer be ordered). */
  prunePricesBefore(day: string): number;
  count(): number;
  syncState(): CatalogSyncState;
  recordSyncAttempt(at: string): void;
  recordFullSync(at: string): void;
  recordSyncError(message: string): void;
}

interface GoodsRow {
  goods_id: string;
  goods_name: string;
  city: string | null;
  country_code: string | null;
  currency: string;
  refundable: number;
  instant_confirmation: number;
  description: string | null;
  available_time: string | null;
  notification: string | null;
  options_json: string;
  comment_count: number;
  updated_at: string | null;
  synced_at: string;
}

interface SummaryRow {
  goods_id: string;
  goods_name: string;
  city: string | null;
  country_code: string | null;
  currency: string;
  refundable: number;
  instant_confirmation: number;
  from_price: string | null;
  synced_at: string;
}

interface PriceRow {
  day: string;
  goods_option_id: string;
  goods_option_item_id: string;
  price: string;
  currency: string;
}

interface CommentRow {
  comment_id: string;
  rating: number;
  content: string;
  nickname: string | null;
  created_at: string | null;
}

/** The text the query filter matches: name and city, lower-cased the same way as the query. */
export function searchTextOf(goodsName: string, city: string | null): string {
  return `${goodsName}\n${city ?? ''}`.toLowerCase();
}

/** yyyy-MM-dd days from..to inclusive (plain calendar arithmetic, no zone involved). */
export function daysOf(range: WaugDateRange): string[] {
  const days: string[] = [];
  const end = Date.parse(`${range.endDate}T00:00:00Z`);
  for (let t = Date.parse(`${range.startDate}T00:00:00Z`); t <= end; t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

export function createCatalogStore(db: Db): CatalogStore {
  const upsertGoods = db.prepare(
    `INSERT INTO catalog_goods (goods_id, goods_name, city, country_code, currency, refundable, instant_confirmation,
       description, available_time, notification, options_json, comment_count, search_text, updated_at, synced_at)
     VALUES (@goodsId, @goodsName, @city, @countryCode, @currency, @refundable, @instant, @description,
       @availableTime, @notification, @options, 0, @search, @updatedAt, @syncedAt)
     ON CONFLICT (goods_id) DO UPDATE SET goods_name = excluded.goods_name, city = excluded.city,
       country_code = excluded.country_code, currency = excluded.currency, refundable = excluded.refundable,
       instant_confirmation = excluded.instant_confirmation, description = excluded.description,
       available_time = excluded.available_time, notification = excluded.notification,
       options_json = excluded.options_json, search_text = excluded.search_text, updated_at = excluded.updated_at,
       synced_at = excluded.synced_at`,
  );
  const deleteInfos = db.prepare<[string]>(`DELETE FROM catalog_order_infos WHERE goods_id = ?`);
  const insertInfo = db.prepare<[string, number, string, string]>(
    `INSERT INTO catalog_order_infos (goods_id, position, group_category, fields_json) VALUES (?, ?, ?, ?)`,
  );
  const deletePrices = db.prepare<[string, string, string]>(
    `DELETE FROM catalog_prices WHERE goods_id = ? AND day BETWEEN ? AND ?`,
  );
  const insertPrice = db.prepare(
    `INSERT INTO catalog_prices (goods_id, day, goods_option_id, goods_option_item_id, price, currency)
     VALUES (@goodsId, @day, @optionId, @itemId, @price, @currency)
     ON CONFLICT DO UPDATE SET price = excluded.price, currency = excluded.currency`,
  );
  const markDay = db.prepare<[string, string, string]>(
    `INSERT INTO catalog_price_days (goods_id, day, synced_at) VALUES (?, ?, ?)
     ON CONFLICT (goods_id, day) DO UPDATE SET synced_at = excluded.synced_at`,
  );
  const deleteComments = db.prepare<[string]>(`DELETE FROM catalog_comments WHERE goods_id = ?`);
  const insertComment = db.prepare(
    `INSERT INTO catalog_comments (goods_id, position, comment_id, rating, content, nickname, created_at)
     VALUES (@goodsId, @position, @commentId, @rating, @content, @nickname, @createdAt)`,
  );
  const setCommentCount = db.prepare<[number, string]>(`UPDATE catalog_goods SET comment_count = ? WHERE goods_id = ?`);
  const deleteGoods = db.prepare<[string]>(`DELETE FROM catalog_goods WHERE goods_id = ?`);
  const deleteUnlisted = db.prepare<[string]>(
    `DELETE FROM catalog_goods WHERE goods_id NOT IN (SELECT value FROM json_each(?))`,
  );
  const selectGoods = db.prepare<[string], GoodsRow>(`SELECT * FROM catalog_goods WHERE goods_id = ?`);
  const existsGoods = db.prepare<[string], number>(`SELECT 1 FROM catalog_goods WHERE goods_id = ?`).pluck();
  const selectInfos = db.prepare<[string], { group_category: string; fields_json: string }>(
    `SELECT group_category, fields_json FROM catalog_order_infos WHERE goods_id = ? ORDER BY position`,
  );
  const selectComments = db.prepare<[string], CommentRow>(
    `SELECT comment_id, rating, content, nickname, created_at FROM catalog_comments WHERE goods_id = ? ORDER BY position`,
  );
  // The lowest price from `today` on, as WAUG wrote it, compared as a number ("999.5" < "1000").
  // A scalar subquery on the primary key (goods_id, day, …): computed only for the rows listed.
  const LOWEST_PRICE = `SELECT p.price FROM catalog_prices p WHERE p.goods_id = g.goods_id AND p.day >= @today
    ORDER BY CAST(p.price AS REAL), p.day LIMIT 1`;
  const selectList = db.prepare(
    `SELECT g.goods_id, g.goods_name, g.city, g.country_code, g.currency, g.refundable, g.instant_confirmation,
       (${LOWEST_PRICE}) AS from_price, g.synced_at
     FROM catalog_goods g
     WHERE (@query = '' OR instr(g.search_text, @query) > 0)
       AND (@countryCode IS NULL OR g.country_code = @countryCode)
       AND (@city IS NULL OR g.city = @city COLLATE NOCASE)
       AND (@refundableOnly = 0 OR g.refundable = 1)
       AND (@instantOnly = 0 OR g.instant_confirmation = 1)
     ORDER BY g.goods_name, g.goods_id
     LIMIT @limit`,
  );
  const selectCities = db.prepare<[], { city: string; country_code: string | null }>(
    `SELECT DISTINCT city, country_code FROM catalog_goods WHERE city IS NOT NULL AND city <> ''
     ORDER BY country_code, city`,
  );
  const selectPrices = db.prepare<[string, string, string], PriceRow>(
    `SELECT day, goods_option_id, goods_option_item_id, price, currency FROM catalog_prices
     WHERE goods_id = ? AND day BETWEEN ? AND ? ORDER BY day, goods_option_id, goods_option_item_id`,
  );
  const selectReadDays = db.prepare<[string, string, string], { n: number; oldest: string | null }>(
    `SELECT count(*) AS n, min(synced_at) AS oldest FROM catalog_price_days WHERE goods_id = ? AND day BETWEEN ? AND ?`,
  );
  const prunePrices = db.prepare<[string]>(`DELETE FROM catalog_prices WHERE day < ?`);
  const pruneDays = db.prepare<[string]>(`DELETE FROM catalog_price_days WHERE day < ?`);
  const countGoods = db.prepare<[], number>(`SELECT count(*) FROM catalog_goods`).pluck();
  const selectState = db.prepare<
    [],
    { last_full_sync_at: string | null; last_attempt_at: string | null; last_error: string | null }
  >(`SELECT last_full_sync_at, last_attempt_at, last_error FROM catalog_sync_state WHERE id = 1`);
  const setAttempt = db.prepare<[string]>(`UPDATE catalog_sync_state SET last_attempt_at = ? WHERE id = 1`);
  const setFullSync = db.prepare<[string]>(
    `UPDATE catalog_sync_state SET last_full_sync_at = ?, last_error = NULL WHERE id = 1`,
  );
  const setError = db.prepare<[string]>(`UPDATE catalog_sync_state SET last_error = ? WHERE id = 1`);

  const selectFromPrice = db
    .prepare<{ goodsId: string; today: string }, string>(
      `SELECT (${LOWEST_PRICE}) FROM catalog_goods g WHERE g.goods_id = @goodsId`,
    )
    .pluck();

  function writePrices(goodsId: string, range: WaugDateRange, prices: readonly WaugPrice[], syncedAt: string): void {
    deletePrices.run(goodsId, range.startDate, range.endDate);
    for (const p of prices) {
      // WAUG answers the range asked; a stray day outside it would have no read mark.
      if (p.date < range.startDate || p.date > range.endDate) continue;
      insertPrice.run({
        goodsId,
        day: p.date,
        optionId: p.goodsOptionId,
        itemId: p.goodsOptionItemId,
        price: p.price,
        currency: p.currency,
      });
    }
    for (const day of daysOf(range)) markDay.run(goodsId, day, syncedAt);
  }
  const savePrices = db.transaction(
    (goodsId: string, range: WaugDateRange, prices: readonly WaugPrice[], syncedAt: string): boolean => {
      if (existsGoods.get(goodsId) === undefined) return false;
      writePrices(goodsId, range, prices, syncedAt);
      return true;
    },
  );

  const save = db.transaction((w: GoodsWrite) => {
    const g = w.goods;
    upsertGoods.run({
      goodsId: g.goodsId,
      goodsName: g.goodsName,
      city: g.city,
      countryCode: g.countryCode,
      currency: g.currency,
      refundable: g.refundable ? 1 : 0,
      instant: g.instantConfirmation ? 1 : 0,
      description: g.description,
      availableTime: g.availableTime,
      notification: g.notification,
      options: JSON.stringify(g.options),
      search: searchTextOf(g.goodsName, g.city),
      updatedAt: g.updatedAt,
      syncedAt: w.syncedAt,
    });
    deleteInfos.run(g.goodsId);
    w.orderInfos.forEach((group, position) =>
      insertInfo.run(g.goodsId, position, group.groupCategory, JSON.stringify(group.fields)),
    );
    writePrices(g.goodsId, w.range, w.prices, w.syncedAt);
    if (w.comments !== null) {
      deleteComments.run(g.goodsId);
      w.comments.items.forEach((c, position) =>
        insertComment.run({
          goodsId: g.goodsId,
          position,
          commentId: c.commentId,
          rating: c.rating,
          content: c.content,
          nickname: c.nickname,
          createdAt: c.createdAt,
        }),
      );
      setCommentCount.run(Math.max(w.comments.count, w.comments.items.length), g.goodsId);
    }
  });

  const toGoods = (row: GoodsRow): WaugGoods => ({
    goodsId: row.goods_id,
    goodsName: row.goods_name,
    city: row.city,
    countryCode: row.country_code,
    currency: row.currency,
    refundable: row.refundable === 1,
    updatedAt: row.updated_at,
    description: row.description,
    availableTime: row.available_time,
    notification: row.notification,
    instantConfirmation: row.instant_confirmation === 1,
    options: JSON.parse(row.options_json) as WaugGoods['options'],
  });

  return {
    save: (write) => save.immediate(write),
    remove: (goodsId) => deleteGoods.run(goodsId).changes > 0,
    keepOnly: (listed) => deleteUnlisted.run(JSON.stringify(listed)).changes,
    get(goodsId) {
      const row = selectGoods.get(goodsId);
      if (row === undefined) return null;
      return {
        goods: toGoods(row),
        orderInfos: selectInfos.all(goodsId).map((r) => ({
          groupCategory: r.group_category as WaugOrderInfoGroup['groupCategory'],
          fields: JSON.parse(r.fields_json) as WaugOrderInfoGroup['fields'],
        })),
        comments: {
          count: row.comment_count,
          items: selectComments.all(goodsId).map((c) => ({
            commentId: c.comment_id,
            rating: c.rating,
            content: c.content,
            nickname: c.nickname,
            createdAt: c.created_at,
          })),
        },
        syncedAt: row.synced_at,
      };
    },
    has: (goodsId) => existsGoods.get(goodsId) !== undefined,
    list(filter, today) {
      const rows = selectList.all({
        today,
        query: filter.query.trim().toLowerCase(),
        countryCode: filter.countryCode === undefined || filter.countryCode === '' ? null : filter.countryCode,
        city: filter.city === undefined || filter.city === '' ? null : filter.city,
        refundableOnly: filter.refundableOnly ? 1 : 0,
        instantOnly: filter.instantOnly ? 1 : 0,
        limit: Math.max(1, Math.trunc(filter.limit)),
      }) as SummaryRow[];
      return rows.map((r) => ({
        goodsId: r.goods_id,
        goodsName: r.goods_name,
        city: r.city,
        countryCode: r.country_code,
        currency: r.currency,
        refundable: r.refundable === 1,
        instantConfirmation: r.instant_confirmation === 1,
        fromPrice: r.from_price,
        syncedAt: r.synced_at,
      }));
    },
    cities: () => selectCities.all().map((r) => ({ city: r.city, countryCode: r.country_code })),
    prices(goodsId, range) {
      const read = selectReadDays.get(goodsId, range.startDate, range.endDate) ?? { n: 0, oldest: null };
      return {
        prices: selectPrices.all(goodsId, range.startDate, range.endDate).map((r) => ({
          date: r.day,
          goodsOptionId: r.goods_option_id,
          goodsOptionItemId: r.goods_option_item_id,
          price: r.price,
          currency: r.currency,
        })),
        complete: read.n === daysOf(range).length,
        syncedAt: read.oldest,
      };
    },
    savePrices: (goodsId, range, prices, syncedAt) => savePrices.immediate(goodsId, range, prices, syncedAt),
    fromPrice: (goodsId, today) => selectFromPrice.get({ goodsId, today }) ?? null,
    prunePricesBefore: db.transaction((day: string) => {
      pruneDays.run(day);
      return prunePrices.run(day).changes;
    }),
    count: () => countGoods.get() ?? 0,
    syncState() {
      const row = selectState.get();
      return {
        lastFullSyncAt: row?.last_full_sync_at ?? null,
        lastAttemptAt: row?.last_attempt_at ?? null,
        lastError: row?.last_error ?? null,
      };
    },
    recordSyncAttempt: (at) => void setAttempt.run(at),
    recordFullSync: (at) => void setFullSync.run(at),
    recordSyncError: (message) => void setError.run(message),
  };
}

const stores = new WeakMap<Db, CatalogStore>();

/** One CatalogStore per connection, its statements prepared once. */
export function catalogOf(db: Db): CatalogStore {
  let store = stores.get(db);
  if (store === undefined) {
    store = createCatalogStore(db);
    stores.set(db, store);
  }
  return store;
}
