/** The catalog cache as the renderer sees it (contract views); comment nicknames are masked here. */
import type { GoodsDetailView, GoodsPriceView, GoodsSummaryView } from '../../../shared/contract.js';
import { maskName } from '../../../shared/domain/mask.js';
import type { CachedCatalogGoods, CatalogSummaryRow } from '../db/catalog.js';
import type { WaugPrice } from '../waug/api.js';

export function toGoodsSummaryView(row: CatalogSummaryRow): GoodsSummaryView {
  return {
    goodsId: row.goodsId,
    goodsName: row.goodsName,
    city: row.city,
    countryCode: row.countryCode,
    currency: row.currency,
    refundable: row.refundable,
    instantConfirmation: row.instantConfirmation,
    fromPrice: row.fromPrice,
    syncedAt: row.syncedAt,
  };
}

export function toGoodsDetailView(cached: CachedCatalogGoods, fromPrice: string | null): GoodsDetailView {
  const g = cached.goods;
  return {
    goodsId: g.goodsId,
    goodsName: g.goodsName,
    city: g.city,
    countryCode: g.countryCode,
    currency: g.currency,
    refundable: g.refundable,
    instantConfirmation: g.instantConfirmation,
    fromPrice,
    syncedAt: cached.syncedAt,
    description: g.description,
    availableTime: g.availableTime,
    notification: g.notification,
    options: g.options.map((o) => ({
      goodsOptionId: o.goodsOptionId,
      goodsOptionName: o.goodsOptionName,
      items: o.items.map((i) => ({
        goodsOptionItemId: i.goodsOptionItemId,
        goodsOptionItemName: i.goodsOptionItemName,
      })),
      timeslots: o.timeslots.map((t) => ({ goodsOptionTimeslotId: t.goodsOptionTimeslotId, time: t.time })),
    })),
    orderInfos: cached.orderInfos.map((group) => ({
      groupCategory: group.groupCategory,
      fields: group.fields.map((f) => ({
        fieldId: f.fieldId,
        fieldName: f.fieldName,
        fieldExplain: f.fieldExplain,
        fieldPlaceholder: f.fieldPlaceholder,
        fieldType: f.fieldType,
        choices: [...f.choices],
        required: f.required,
      })),
    })),
    comments: {
      count: cached.comments.count,
      items: cached.comments.items.map((c) => ({
        rating: c.rating,
        content: c.content,
        nicknameMasked: maskName(c.nickname),
        createdAt: c.createdAt,
      })),
    },
    updatedAt: g.updatedAt,
  };
}

export function toGoodsPriceView(p: WaugPrice): GoodsPriceView {
  return {
    date: p.date,
    goodsOptionId: p.goodsOptionId,
    goodsOptionItemId: p.goodsOptionItemId,
    price: p.price,
    currency: p.currency,
  };
}
