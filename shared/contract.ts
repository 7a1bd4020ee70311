/**
 * The one IPC contract: every call's request and response schema, and every push event.
 * The Electron main process and the browser shell both validate with these schemas; the
 * renderer's API type is derived from them, so a call cannot drift from its handler.
 */
import { z } from 'zod';
import type { EventName, InvokeName } from './channels.js';
import type { IpcResult } from './errors.js';
import { BookingContactSchema } from './domain/bookingContact.js';
import { REFUSAL_REASONS, VOUCHER_STATUSES } from './domain/voucher.js';
import { WAUG_ORDER_GOODS_STATUSES, WAUG_ORDER_STATUSES, WAUG_VOUCHER_STATES } from './domain/waug.js';
import { FIELD_PROBLEMS, WAUG_FIELD_TYPES, WAUG_INFO_GROUPS } from './domain/waugFields.js';

export const LOCALES = ['zh-TW', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const isoTime = z.string().min(1);
const shortText = (max: number) => z.string().trim().max(max);

export const VoucherStatusSchema = z.enum(VOUCHER_STATUSES);
export const RefusalReasonSchema = z.enum(REFUSAL_REASONS);

export const RedeemVerdictSchema = z.discriminatedUnion('redeemable', [
  z.object({ redeemable: z.literal(true) }),
  z.object({ redeemable: z.literal(false), reason: RefusalReasonSchema }),
]);

/** A voucher as the renderer may see it: the phone is masked before it leaves main. */
export const VoucherViewSchema = z.object({
  voucherId: z.string(),
  serialNumber: z.string(),
  orderId: z.string(),
  orderItemId: z.string().nullable(),
  productId: z.string(),
  specId: z.string(),
  title: z.string(),
  redemptionDesc: z.string().nullable(),
  price: z.string(),
  buyerName: z.string().nullable(),
  buyerPhoneMasked: z.string().nullable(),
  status: VoucherStatusSchema,
  statusAppliedTime: isoTime.nullable(),
  executedBy: z.string().nullable(),
  startTime: isoTime.nullable(),
  expireTime: isoTime.nullable(),
  deliveredTime: isoTime.nullable(),
});
export type VoucherView = z.infer<typeof VoucherViewSchema>;

export const LookupSourceSchema = z.enum(['remote', 'cache']);

export const LookupRequestSchema = z.object({
  serial: z.string().max(200),
  /** 'cache' answers from SQLite at once when it can (the scan path); 'remote' asks Yahoo first. */
  prefer: z.enum(['cache', 'remote']).default('remote'),
});

/** This desk's own latest redemption of a voucher, so the card can say "queued here" before Yahoo knows. */
export const LocalRedemptionSchema = z.object({
  redemptionId: z.string(),
  state: z.enum(['queued', 'redeemed', 'conflict']),
  at: isoTime,
});
export type LocalRedemption = z.infer<typeof LocalRedemptionSchema>;

export const LookupResultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('found'),
    voucher: VoucherViewSchema,
    verdict: RedeemVerdictSchema,
    source: LookupSourceSchema,
    /** When the status shown was last read from Yahoo. */
    fetchedAt: isoTime,
    localRedemption: LocalRedemptionSchema.nullable(),
  }),
  z.object({ kind: z.literal('not_found'), serial: z.string(), source: LookupSourceSchema }),
]);
export type LookupResult = z.infer<typeof LookupResultSchema>;

export const RedeemRequestSchema = z.object({
  serial: z.string().max(200),
});

export const RedeemOutcomeSchema = z.enum(['redeemed', 'rejected', 'queued']);
export type RedeemOutcome = z.infer<typeof RedeemOutcomeSchema>;

export const RedeemResultSchema = z.object({
  redemptionId: z.string(),
  serialNumber: z.string(),
  outcome: RedeemOutcomeSchema,
  /** Yahoo's status after the attempt, when known. */
  status: VoucherStatusSchema.nullable(),
  reason: RefusalReasonSchema.nullable(),
  voucher: VoucherViewSchema.nullable(),
  at: isoTime,
});
export type RedeemResult = z.infer<typeof RedeemResultSchema>;

export const ShiftRedemptionSchema = z.object({
  redemptionId: z.string(),
  at: isoTime,
  serialNumber: z.string(),
  title: z.string().nullable(),
  outcome: z.enum(['redeemed', 'rejected', 'queued', 'pending', 'failed', 'conflict']),
  reason: RefusalReasonSchema.nullable(),
  buyerNameMasked: z.string().nullable(),
  operatorName: z.string(),
});
export type ShiftRedemption = z.infer<typeof ShiftRedemptionSchema>;

export const AppStatusSchema = z.object({
  mode: z.enum(['demo', 'live', 'unconfigured']),
  /** WAUG is optional: 'unconfigured' simply hides order views' remote data. */
  waugMode: z.enum(['demo', 'live', 'unconfigured']),
  version: z.string(),
  stationName: z.string(),
  operatorName: z.string(),
  locale: z.enum(LOCALES),
  soundOn: z.boolean(),
  shiftStartedAt: isoTime,
});
export type AppStatus = z.infer<typeof AppStatusSchema>;

export const SettingsViewSchema = z.object({
  yahooBaseUrl: z.string(),
  yahooApiKey: z.string(),
  /** The shared secret is write-only: the renderer learns only whether one is set. */
  hasSharedSecret: z.boolean(),
  /** 'encrypted' where the OS keystore protects secrets at rest; otherwise secrets live in memory only. */
  secretStorage: z.enum(['encrypted', 'memory-only']),
  stationName: z.string(),
  operatorName: z.string(),
  locale: z.enum(LOCALES),
  soundOn: z.boolean(),
  /** Redeem cached UNUSED vouchers while Yahoo is unreachable, queued for delivery (default on). */
  allowOfflineRedeem: z.boolean(),
  /** Buyers' names and phones of used or expired vouchers are purged after this many days. */
  retentionDays: z.number().int(),
  /** How far back the background sync pulls vouchers by creation time. */
  syncWindowDays: z.number().int(),
  /** WAUG: BETA or PRODUCTION host (API-NOTES §2 "Environments"), or a custom base URL. */
  waugEnvironment: z.enum(['beta', 'production', 'custom']),
  waugBaseUrl: z.string(),
  waugClientId: z.string(),
  /** Write-only, like the Yahoo secret. */
  hasWaugClientSecret: z.boolean(),
  /** Refunds need a manager's PIN; it is stored only as a salted hash and never read back. */
  hasManagerPin: z.boolean(),
  /**
   * The MERCHANT's own contact for WAUG bookings' ORDER-group fields (never a buyer's: Yahoo
   * sends none). Null until set.
   */
  waugBookingContact: BookingContactSchema.nullable(),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

const httpUrl = z
  .string()
  .trim()
  .max(500)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

export const SettingsUpdateSchema = z
  .object({
    yahooBaseUrl: z.union([httpUrl, z.literal('')]),
    yahooApiKey: shortText(200),
    /** Write-only. An empty string clears the stored secret. */
    sharedSecret: z.string().max(500),
    stationName: shortText(60).min(1),
    operatorName: shortText(60),
    locale: z.enum(LOCALES),
    soundOn: z.boolean(),
    allowOfflineRedeem: z.boolean(),
    retentionDays: z.number().int().min(1).max(3650),
    syncWindowDays: z.number().int().min(1).max(365),
    waugEnvironment: z.enum(['beta', 'production', 'custom']),
    waugBaseUrl: z.union([httpUrl, z.literal('')]),
    waugClientId: shortText(200),
    /** Write-only. An empty string clears it. */
    waugClientSecret: z.string().max(500),
    /** Setting or changing the manager PIN; `current` is required once a PIN exists. */
    managerPin: z
      .object({ current: z.string().max(12).optional(), next: z.string().regex(/^\d{4,12}$/, 'must be 4–12 digits') })
      .strict(),
    /** The merchant's booking contact, checked with the core's own rules; null clears it. */
    waugBookingContact: BookingContactSchema.nullable(),
  })
  .partial()
  .strict();
export type SettingsUpdate = z.infer<typeof SettingsUpdateSchema>;

export const StartShiftRequestSchema = z.object({ operatorName: shortText(60).min(1) }).strict();

const Empty = z.object({}).strict();

// ---- Offline-first: search, connectivity, sync and the outbox ----

export const SearchRequestSchema = z.object({
  /** A serial, an order id (YM…), part of a buyer's name, or the last 3–4 digits of their phone. */
  query: z.string().trim().min(1).max(60),
  limit: z.number().int().min(1).max(100).default(20),
});

export const SearchHitSchema = z.object({
  voucher: VoucherViewSchema,
  verdict: RedeemVerdictSchema,
  fetchedAt: isoTime,
});
export const SearchResultSchema = z.object({
  matchedBy: z.enum(['serial', 'order', 'name', 'phone']).nullable(),
  hits: z.array(SearchHitSchema),
  /** More matched than `limit`. */
  truncated: z.boolean(),
});
export type SearchResult = z.infer<typeof SearchResultSchema>;

export const ConnectivitySchema = z.enum(['online', 'degraded', 'offline']);
export type Connectivity = z.infer<typeof ConnectivitySchema>;

export const SyncStatusSchema = z.object({
  /** Judged from the outcomes and latency of the last few real calls to Yahoo. */
  connectivity: ConnectivitySchema,
  /** The clerk's manual switch: no calls to Yahoo at all while on. */
  workOffline: z.boolean(),
  /** Redemptions waiting for delivery to Yahoo. */
  queued: z.number().int(),
  /** Conflicts that no person has resolved yet. */
  conflicts: z.number().int(),
  lastSyncAt: isoTime.nullable(),
  lastSyncError: z.string().nullable(),
  /** A sync in progress, for the progress bar. */
  sync: z
    .object({ phase: z.enum(['pulling', 'delivering']), done: z.number().int(), total: z.number().int().nullable() })
    .nullable(),
  cachedVouchers: z.number().int(),
  /** WAUG bookings waiting, and those that failed and need a person. */
  bookingsQueued: z.number().int(),
  bookingsFailed: z.number().int(),
  /** Bumped on every outbox change, so views can re-read lists they hold. */
  revision: z.number().int(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export const SyncSummarySchema = z.object({
  pulled: z.number().int(),
  windows: z.number().int(),
  delivered: z.number().int(),
  confirmedByQuery: z.number().int(),
  conflicts: z.number().int(),
  stillQueued: z.number().int(),
  purged: z.number().int(),
  durationMs: z.number(),
  /** Set when the sync stopped early (offline, auth refused…); what was done is kept. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type SyncSummary = z.infer<typeof SyncSummarySchema>;

export const OUTBOX_STATES = ['queued', 'delivered', 'confirmed', 'conflict', 'rejected', 'failed'] as const;
export const CONFLICT_RESOLUTIONS = [
  'same_customer', // the other redemption was this same customer (e.g. two desks): nothing owed
  'collected_payment', // the customer paid at the desk instead
  'contacted_buyer', // followed up with the buyer or Yahoo merchant support
  'written_off', // the merchant absorbs the loss
] as const;
export type ConflictResolution = (typeof CONFLICT_RESOLUTIONS)[number];

export const OutboxEntrySchema = z.object({
  redemptionId: z.string(),
  serialNumber: z.string(),
  title: z.string().nullable(),
  buyerNameMasked: z.string().nullable(),
  station: z.string(),
  operatorName: z.string(),
  createdAt: isoTime,
  /**
   * queued: waiting for Yahoo · delivered: Yahoo acknowledged it · confirmed: delivered,
   * proven by a query after an ambiguous send · conflict: Yahoo refused an offline redemption
   * the desk already honoured · rejected/failed: refused or not sent while the clerk watched.
   */
  state: z.enum(OUTBOX_STATES),
  attempts: z.number().int(),
  nextAttemptAt: isoTime.nullable(),
  lastError: z.string().nullable(),
  completedAt: isoTime.nullable(),
  conflict: z
    .object({
      /** Why Yahoo would not take it: the voucher was used elsewhere, refunded, cancelled, expired, or is unknown. */
      reason: z.union([RefusalReasonSchema, z.literal('not_found')]),
      yahooStatus: VoucherStatusSchema.nullable(),
      resolution: z.enum(CONFLICT_RESOLUTIONS).nullable(),
      note: z.string().nullable(),
      resolvedAt: isoTime.nullable(),
      resolvedBy: z.string().nullable(),
    })
    .nullable(),
});
export type OutboxEntry = z.infer<typeof OutboxEntrySchema>;

export const ListOutboxRequestSchema = z
  .object({
    /** open: queued + unresolved conflicts; conflicts: every conflict; all: everything, newest first. */
    filter: z.enum(['open', 'conflicts', 'all']).default('open'),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .strict();

export const ResolveConflictRequestSchema = z
  .object({
    redemptionId: z.string().min(1).max(40),
    resolution: z.enum(CONFLICT_RESOLUTIONS),
    note: z.string().trim().min(1).max(500),
  })
  .strict();

// ---- WAUG orders behind the vouchers (API-NOTES §2, §3) ----

export const WaugOrderStatusSchema = z.enum(WAUG_ORDER_STATUSES);
export const WaugOrderGoodsStatusSchema = z.enum(WAUG_ORDER_GOODS_STATUSES);
const calendarDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

export const OrderGoodsViewSchema = z.object({
  orderGoodsId: z.string(),
  goodsId: z.string(),
  goodsName: z.string(),
  status: WaugOrderGoodsStatusSchema,
  /** The activity day, yyyy-MM-dd as WAUG means it (Asia/Seoul). */
  useDate: z.string().nullable(),
  /** Option and item names with quantities, ready to show ("Adult × 2"). */
  options: z.array(z.string()),
  refundable: z.boolean(),
  totalPrice: z.string(),
  voucher: z.object({
    state: z.enum(WAUG_VOUCHER_STATES),
    voucherNumber: z.string().nullable(),
    issuedAt: isoTime.nullable(),
  }),
  updatedAt: isoTime.nullable(),
  /** Every status this desk has seen for these goods, oldest first: the timeline. */
  history: z.array(z.object({ status: WaugOrderGoodsStatusSchema, at: isoTime })),
});
export type OrderGoodsView = z.infer<typeof OrderGoodsViewSchema>;

export const OrderViewSchema = z.object({
  orderNumber: z.string(),
  /** The merchant's own number: the Yahoo orderItemId when the order fulfils a voucher. */
  partnerOrderNumber: z.string().nullable(),
  orderStatus: WaugOrderStatusSchema,
  orderedAt: isoTime.nullable(),
  currency: z.string().nullable(),
  totalPrice: z.string(),
  goods: z.array(OrderGoodsViewSchema),
  /** A refund may be requested: every goods refundable and the order not already in refund. */
  refundable: z.boolean(),
});
export type OrderView = z.infer<typeof OrderViewSchema>;

export const GetOrderRequestSchema = z
  .object({
    orderNumber: z.string().trim().min(1).max(40).optional(),
    partnerOrderNumber: z.string().trim().min(1).max(40).optional(),
    prefer: z.enum(['cache', 'remote']).default('remote'),
  })
  .strict()
  .refine(
    (r) => (r.orderNumber === undefined) !== (r.partnerOrderNumber === undefined),
    'give exactly one of orderNumber, partnerOrderNumber',
  );

export const GetOrderResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('found'), order: OrderViewSchema, source: LookupSourceSchema, fetchedAt: isoTime }),
  z.object({ kind: z.literal('not_found'), source: LookupSourceSchema }),
]);
export type GetOrderResult = z.infer<typeof GetOrderResultSchema>;

export const OrderSummarySchema = z.object({
  orderNumber: z.string(),
  partnerOrderNumber: z.string().nullable(),
  orderStatus: WaugOrderStatusSchema,
  orderedAt: isoTime.nullable(),
  totalPrice: z.string(),
  currency: z.string().nullable(),
  goodsCount: z.number().int(),
  firstGoodsName: z.string().nullable(),
  fetchedAt: isoTime,
});
export type OrderSummary = z.infer<typeof OrderSummarySchema>;

export const SearchOrdersRequestSchema = z
  .object({
    /** Exact order number or partner number, or a prefix of either. */
    number: z.string().trim().max(40).optional(),
    from: calendarDay.optional(),
    to: calendarDay.optional(),
    statuses: z.array(WaugOrderStatusSchema).max(6).optional(),
    limit: z.number().int().min(1).max(20_000).default(10_000),
  })
  .strict();
export const SearchOrdersResultSchema = z.object({
  orders: z.array(OrderSummarySchema),
  truncated: z.boolean(),
  /** When the cache last pulled orders from WAUG, for the "as of" line. */
  lastPulledAt: isoTime.nullable(),
});
export type SearchOrdersResult = z.infer<typeof SearchOrdersResultSchema>;

export const SyncOrdersRequestSchema = z.object({ from: calendarDay, to: calendarDay }).strict();
export const SyncOrdersResultSchema = z.object({ pulled: z.number().int(), durationMs: z.number() });

export const RefundRequestSchema = z
  .object({
    orderNumber: z.string().trim().min(1).max(40),
    reason: z.string().trim().min(1).max(500),
    /** Refunds are manager-only: the manager types their PIN into the confirmation. */
    managerPin: z.string().max(12),
  })
  .strict();

// ---- Merchant endpoints (`serve`): mapping, bookings, live pushes (API-NOTES §1 Yahoo → merchant, §2 webhooks, §3) ----

/** Links a Yahoo product/spec to the WAUG goods, option and item that fulfil it. */
export const ProductMappingSchema = z
  .object({
    yahooProductId: z.string().trim().min(1).max(24),
    yahooSpecId: z.string().trim().min(1).max(24),
    waugGoodsId: z
      .string()
      .trim()
      .regex(/^\d{1,20}$/, 'must be a WAUG goods id'),
    waugGoodsOptionId: z
      .string()
      .trim()
      .regex(/^\d{1,20}$/, 'must be a WAUG option id'),
    waugGoodsOptionItemId: z
      .string()
      .trim()
      .regex(/^\d{1,20}$/, 'must be a WAUG option item id'),
    /** Shown to staff, e.g. the goods' name. */
    label: z.string().trim().max(120).default(''),
  })
  .strict();
export type ProductMapping = z.infer<typeof ProductMappingSchema>;

export const RemoveMappingRequestSchema = z
  .object({ yahooProductId: z.string().trim().min(1).max(24), yahooSpecId: z.string().trim().min(1).max(24) })
  .strict();

export const BOOKING_STATES = ['queued', 'booked', 'failed'] as const;
/** A WAUG order booked for a mapped Yahoo order item (partnerOrderNumber = orderItemId), via the outbox. */
export const BookingEntrySchema = z.object({
  orderItemId: z.string(),
  yahooOrderId: z.string(),
  serialNumber: z.string(),
  waugGoodsId: z.string(),
  state: z.enum(BOOKING_STATES),
  attempts: z.number().int(),
  nextAttemptAt: isoTime.nullable(),
  lastError: z.string().nullable(),
  waugOrderNumber: z.string().nullable(),
  createdAt: isoTime,
  completedAt: isoTime.nullable(),
});
export type BookingEntry = z.infer<typeof BookingEntrySchema>;

export const ListBookingsRequestSchema = z
  .object({
    filter: z.enum(['open', 'failed', 'all']).default('open'),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .strict();

export const ServeStatusSchema = z.object({
  running: z.boolean(),
  /** Where Yahoo and WAUG should call, e.g. http://127.0.0.1:8788. */
  url: z.string().nullable(),
  error: z.string().nullable(),
  /** Calls answered since start, refused ones included. */
  requests: z.number().int(),
  /**
   * The full URL to give WAUG for its webhooks while running (it carries the webhook token:
   * shown in Settings and the `serve` printout only, never logged); null when stopped.
   */
  waugWebhookUrl: z.string().nullable(),
});
export type ServeStatus = z.infer<typeof ServeStatusSchema>;

export const SetServeRequestSchema = z
  .object({
    enabled: z.boolean(),
    port: z.number().int().min(1).max(65535).default(8788),
    /** Loopback by default; another interface only when the merchant means it. */
    host: z.string().trim().max(100).default('127.0.0.1'),
  })
  .strict();

// ---- WAUG catalog and booking at the counter (issue 6; API-NOTES §2) ----

const waugId = z
  .string()
  .trim()
  .regex(/^\d{1,20}$/, 'must be a WAUG id');
const money = z.string().regex(/^\d{1,15}(\.\d{1,2})?$/, 'must be a decimal amount');

export const InfoFieldSchema = z.object({
  fieldId: z.string(),
  fieldName: z.string(),
  fieldExplain: z.string().nullable(),
  fieldPlaceholder: z.string().nullable(),
  fieldType: z.enum(WAUG_FIELD_TYPES),
  choices: z.array(z.string()),
  required: z.boolean(),
});
export const InfoGroupSchema = z.object({
  groupCategory: z.enum(WAUG_INFO_GROUPS),
  fields: z.array(InfoFieldSchema),
});

export const GoodsSummaryViewSchema = z.object({
  goodsId: z.string(),
  goodsName: z.string(),
  city: z.string().nullable(),
  countryCode: z.string().nullable(),
  currency: z.string(),
  refundable: z.boolean(),
  instantConfirmation: z.boolean(),
  /** The lowest cached unit price from today on; null when no orderable date is cached. */
  fromPrice: z.string().nullable(),
  /** When this goods was last read from WAUG. */
  syncedAt: isoTime,
});
export type GoodsSummaryView = z.infer<typeof GoodsSummaryViewSchema>;

export const GoodsOptionViewSchema = z.object({
  goodsOptionId: z.string(),
  goodsOptionName: z.string(),
  items: z.array(z.object({ goodsOptionItemId: z.string(), goodsOptionItemName: z.string() })),
  /** Empty when the option has no timeslots (then the order sends timeslot 0). */
  timeslots: z.array(z.object({ goodsOptionTimeslotId: z.string(), time: z.string() })),
});

export const GoodsCommentViewSchema = z.object({
  rating: z.number().int(),
  content: z.string(),
  /** Masked before it leaves main, like every personal name. */
  nicknameMasked: z.string().nullable(),
  createdAt: isoTime.nullable(),
});

export const GoodsDetailViewSchema = GoodsSummaryViewSchema.extend({
  description: z.string().nullable(),
  availableTime: z.string().nullable(),
  notification: z.string().nullable(),
  options: z.array(GoodsOptionViewSchema),
  orderInfos: z.array(InfoGroupSchema),
  comments: z.object({ count: z.number().int(), items: z.array(GoodsCommentViewSchema) }),
  /** WAUG's own last change of the goods (GOODS_UPDATE), when known. */
  updatedAt: isoTime.nullable(),
});
export type GoodsDetailView = z.infer<typeof GoodsDetailViewSchema>;

export const ListGoodsRequestSchema = z
  .object({
    /** Matches the goods name or city, any part, case-insensitive. */
    query: z.string().trim().max(60).default(''),
    countryCode: z.string().trim().max(2).optional(),
    city: z.string().trim().max(60).optional(),
    refundableOnly: z.boolean().default(false),
    instantOnly: z.boolean().default(false),
    limit: z.number().int().min(1).max(2000).default(500),
  })
  .strict();
export const ListGoodsResultSchema = z.object({
  goods: z.array(GoodsSummaryViewSchema),
  /** For the filters: every city and country in the cache. */
  cities: z.array(z.object({ city: z.string(), countryCode: z.string().nullable() })),
  /** When the last full catalog sync finished; null before the first one. */
  syncedAt: isoTime.nullable(),
  syncing: z.boolean(),
  lastSyncError: z.string().nullable(),
});
export type ListGoodsResult = z.infer<typeof ListGoodsResultSchema>;

export const GetGoodsRequestSchema = z
  .object({
    goodsId: waugId,
    /** 'cache' answers from SQLite at once when it can; 'remote' re-reads WAUG first (falls back to the cache). */
    prefer: z.enum(['cache', 'remote']).default('cache'),
  })
  .strict();
export const GetGoodsResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('found'), goods: GoodsDetailViewSchema, source: LookupSourceSchema }),
  z.object({ kind: z.literal('not_found'), source: LookupSourceSchema }),
]);
export type GetGoodsResult = z.infer<typeof GetGoodsResultSchema>;

export const GoodsPriceViewSchema = z.object({
  /** yyyy-MM-dd, Asia/Seoul. A date without a price is not orderable. */
  date: z.string(),
  goodsOptionId: z.string(),
  goodsOptionItemId: z.string(),
  price: z.string(),
  currency: z.string(),
});
export type GoodsPriceView = z.infer<typeof GoodsPriceViewSchema>;

export const GetGoodsPricesRequestSchema = z
  .object({
    goodsId: waugId,
    startDate: calendarDay,
    endDate: calendarDay,
    prefer: z.enum(['cache', 'remote']).default('cache'),
  })
  .strict()
  .refine((r) => r.startDate <= r.endDate, 'startDate must not be after endDate');
export const GetGoodsPricesResultSchema = z.object({
  prices: z.array(GoodsPriceViewSchema),
  source: LookupSourceSchema,
  /** When these prices were read from WAUG; null when none are cached for the range. */
  syncedAt: isoTime.nullable(),
});
export type GetGoodsPricesResult = z.infer<typeof GetGoodsPricesResultSchema>;

export const CatalogSyncSummarySchema = z.object({
  goods: z.number().int(),
  removed: z.number().int(),
  durationMs: z.number(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type CatalogSyncSummary = z.infer<typeof CatalogSyncSummarySchema>;

/** One option item line of a booking: the unit price is the one the clerk saw. */
export const DraftOptionSchema = z
  .object({
    goodsOptionId: waugId,
    goodsOptionItemId: waugId,
    goodsOptionTimeslotId: waugId.nullable(),
    quantity: z.number().int().min(1).max(99),
    price: money,
  })
  .strict();
export const DraftGoodsSchema = z
  .object({
    goodsId: waugId,
    /** Shown in lists before the goods is read again. */
    goodsName: z.string().max(300),
    useDate: calendarDay.nullable(),
    options: z.array(DraftOptionSchema).max(20),
    additionalInput: z.string().max(2000).default(''),
  })
  .strict();
const MAX_FORM_VALUES = 6000;
/** All the values together: a whole coach party's passports is far less; a pasted file is more. */
const MAX_FORM_CHARS = 200_000;
export const BOOKING_STEPS = ['goods', 'date', 'options', 'form', 'confirm', 'done'] as const;
/** What the clerk has entered so far: everything a booking needs, saved as it is typed. */
export const DraftBodySchema = z
  .object({
    goods: z.array(DraftGoodsSchema).min(1).max(5),
    /** Form values by slot key (shared/domain/bookingForm.ts). */
    values: z
      .record(z.string().max(80), z.string().max(2000))
      // Bounded like every other list: 5 goods × 99 units × 10 fields, with room to spare.
      .refine((values) => Object.keys(values).length <= MAX_FORM_VALUES, `at most ${MAX_FORM_VALUES} form values`)
      .refine(
        (values) => Object.values(values).reduce((sum, value) => sum + value.length, 0) <= MAX_FORM_CHARS,
        `at most ${MAX_FORM_CHARS} characters in all`,
      ),
    step: z.enum(BOOKING_STEPS).default('goods'),
    /** Set when this booking replaces an existing WAUG order (a change of booking). */
    replacesOrderNumber: z.string().trim().max(40).nullable().default(null),
  })
  .strict();
export type DraftBody = z.infer<typeof DraftBodySchema>;

export const BOOKING_DRAFT_STATES = [
  'editing', // the clerk is still filling it in
  'submitting', // a create call is in flight (or was, when the desk stopped): resolved by partner number
  'unconfirmed', // the create's answer was lost and WAUG could not be asked yet; retry is safe
  'created', // WAUG created the order; issuance is followed
  'discarded',
] as const;
export const BookingDraftSchema = z.object({
  draftId: z.string(),
  /** The idempotency key: one number, at most one WAUG order, however often it is sent. */
  partnerOrderNumber: z.string(),
  state: z.enum(BOOKING_DRAFT_STATES),
  body: DraftBodySchema,
  /** Set once created. */
  orderNumber: z.string().nullable(),
  /** The last refusal or failure, worded for the clerk; null when none. */
  lastError: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type BookingDraft = z.infer<typeof BookingDraftSchema>;

export const BookingDraftSummarySchema = z.object({
  draftId: z.string(),
  partnerOrderNumber: z.string(),
  state: z.enum(BOOKING_DRAFT_STATES),
  goodsName: z.string(),
  /** More than one only for a bundle made by `book --file`: the counter's steps book one goods. */
  goodsCount: z.number().int(),
  useDate: z.string().nullable(),
  units: z.number().int(),
  orderNumber: z.string().nullable(),
  /** The voucher issuance of a created order, from the order cache. */
  voucherState: z.enum(WAUG_VOUCHER_STATES).nullable(),
  updatedAt: isoTime,
});
export type BookingDraftSummary = z.infer<typeof BookingDraftSummarySchema>;

export const SaveDraftRequestSchema = z.object({ draftId: z.string().min(1).max(40), body: DraftBodySchema }).strict();
export const DraftIdRequestSchema = z.object({ draftId: z.string().min(1).max(40) }).strict();
export const ListDraftsRequestSchema = z
  .object({
    filter: z.enum(['open', 'all']).default('open'),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict();

/** A line whose price is no longer what the clerk saw (105/109, or a re-read before the order). */
export const PriceChangeSchema = z.object({
  goodsIndex: z.number().int(),
  goodsOptionId: z.string(),
  goodsOptionItemId: z.string(),
  itemName: z.string(),
  quantity: z.number().int(),
  oldPrice: z.string(),
  /** null: this item or date cannot be ordered any more; the clerk must pick again. */
  newPrice: z.string().nullable(),
});
export type PriceChange = z.infer<typeof PriceChangeSchema>;

export const FieldErrorSchema = z.object({
  /** The form slot (bookingForm.ts slotKey); null when WAUG's 106 names no field we can place. */
  slotKey: z.string().nullable(),
  /** A checker problem code (FIELD_PROBLEMS), or 'waug' when WAUG refused a value our checks passed. */
  problem: z.union([z.enum(FIELD_PROBLEMS), z.literal('waug')]),
  /** WAUG's own words for a 'waug' problem. */
  detail: z.string().nullable(),
});
export type FieldError = z.infer<typeof FieldErrorSchema>;

/**
 * Every answer of validate and create. Refusals are answers, not errors: the clerk has something
 * to do about each. Network trouble is an error (network / timeout) and leaves the draft as it was.
 */
export const BookingOutcomeSchema = z.discriminatedUnion('kind', [
  /** Validation passed: this total, in this currency, is what the clerk confirms. */
  z.object({ kind: z.literal('orderable'), totalPrice: z.string(), currency: z.string(), draft: BookingDraftSchema }),
  z.object({ kind: z.literal('created'), order: OrderViewSchema, draft: BookingDraftSchema }),
  /** 105/109 or a re-read before the order: the draft now carries the new prices; confirm again. */
  z.object({
    kind: z.literal('price_changed'),
    reason: z.enum(['product_modified', 'price_mismatch', 'reread']),
    changes: z.array(PriceChangeSchema),
    /** null while some line has no price any more. */
    newTotal: z.string().nullable(),
    currency: z.string(),
    draft: BookingDraftSchema,
  }),
  /** 104: the prepaid balance is too low. */
  z.object({
    kind: z.literal('insufficient_balance'),
    totalPrice: z.string(),
    currency: z.string(),
    draft: BookingDraftSchema,
  }),
  /** 106, or our own checks first. */
  z.object({ kind: z.literal('invalid_fields'), errors: z.array(FieldErrorSchema), draft: BookingDraftSchema }),
  /** The answer to create was lost and WAUG could not be asked yet; the same number is safe to send again. */
  z.object({ kind: z.literal('unconfirmed'), message: z.string(), draft: BookingDraftSchema }),
]);
export type BookingOutcome = z.infer<typeof BookingOutcomeSchema>;

export const CreateBookingRequestSchema = z
  .object({
    draftId: z.string().min(1).max(40),
    /** The total the clerk confirmed; the order is placed only at this total. */
    confirmedTotal: money,
  })
  .strict();

export const VoucherChangedSchema = z.object({
  serialNumber: z.string(),
  voucherId: z.string().nullable(),
  status: VoucherStatusSchema,
});
export const OrderChangedSchema = z.object({ orderNumber: z.string() });
/** The catalog cache changed: a full sync finished (goodsId null) or one goods was re-read. */
export const CatalogChangedSchema = z.object({ goodsId: z.string().nullable() });

export const contract = {
  lookupVoucher: { request: LookupRequestSchema, response: LookupResultSchema },
  redeemVoucher: { request: RedeemRequestSchema, response: RedeemResultSchema },
  listShiftRedemptions: { request: Empty, response: z.array(ShiftRedemptionSchema) },
  startShift: { request: StartShiftRequestSchema, response: AppStatusSchema },
  getAppStatus: { request: Empty, response: AppStatusSchema },
  getSettings: { request: Empty, response: SettingsViewSchema },
  updateSettings: { request: SettingsUpdateSchema, response: SettingsViewSchema },
  searchVouchers: { request: SearchRequestSchema, response: SearchResultSchema },
  getSyncStatus: { request: Empty, response: SyncStatusSchema },
  setWorkOffline: { request: z.object({ workOffline: z.boolean() }).strict(), response: SyncStatusSchema },
  syncNow: { request: Empty, response: SyncSummarySchema },
  listOutbox: { request: ListOutboxRequestSchema, response: z.array(OutboxEntrySchema) },
  resolveConflict: { request: ResolveConflictRequestSchema, response: OutboxEntrySchema },
  getOrder: { request: GetOrderRequestSchema, response: GetOrderResultSchema },
  searchOrders: { request: SearchOrdersRequestSchema, response: SearchOrdersResultSchema },
  syncOrders: { request: SyncOrdersRequestSchema, response: SyncOrdersResultSchema },
  /** Answers the order as re-read from WAUG after the request (no webhook follows a refund request). */
  requestRefund: { request: RefundRequestSchema, response: OrderViewSchema },
  listMappings: { request: Empty, response: z.array(ProductMappingSchema) },
  setMapping: { request: ProductMappingSchema, response: z.array(ProductMappingSchema) },
  removeMapping: { request: RemoveMappingRequestSchema, response: z.array(ProductMappingSchema) },
  listBookings: { request: ListBookingsRequestSchema, response: z.array(BookingEntrySchema) },
  retryBooking: {
    request: z.object({ orderItemId: z.string().min(1).max(40) }).strict(),
    response: BookingEntrySchema,
  },
  getServeStatus: { request: Empty, response: ServeStatusSchema },
  setServe: { request: SetServeRequestSchema, response: ServeStatusSchema },
  listGoods: { request: ListGoodsRequestSchema, response: ListGoodsResultSchema },
  getGoods: { request: GetGoodsRequestSchema, response: GetGoodsResultSchema },
  getGoodsPrices: { request: GetGoodsPricesRequestSchema, response: GetGoodsPricesResultSchema },
  syncCatalog: { request: Empty, response: CatalogSyncSummarySchema },
  /** A new draft for one goods, with its own partnerOrderNumber. */
  newBookingDraft: {
    request: z.object({ goodsId: waugId, replacesOrderNumber: z.string().trim().min(1).max(40).optional() }).strict(),
    response: BookingDraftSchema,
  },
  saveBookingDraft: { request: SaveDraftRequestSchema, response: BookingDraftSchema },
  getBookingDraft: { request: DraftIdRequestSchema, response: BookingDraftSchema },
  listBookingDrafts: { request: ListDraftsRequestSchema, response: z.array(BookingDraftSummarySchema) },
  discardBookingDraft: { request: DraftIdRequestSchema, response: BookingDraftSchema },
  /** Re-reads the goods and prices, checks the form, then asks WAUG whether it is orderable. */
  validateBooking: { request: DraftIdRequestSchema, response: BookingOutcomeSchema },
  /** Re-reads, re-validates, then creates once at the confirmed total (idempotent by partnerOrderNumber). */
  createBooking: { request: CreateBookingRequestSchema, response: BookingOutcomeSchema },
} as const satisfies Record<InvokeName, { request: z.ZodType; response: z.ZodType }>;

export const events = {
  statusChanged: AppStatusSchema,
  syncStatusChanged: SyncStatusSchema,
  voucherChanged: VoucherChangedSchema,
  orderChanged: OrderChangedSchema,
  serveStatusChanged: ServeStatusSchema,
  catalogChanged: CatalogChangedSchema,
  bookingDraftChanged: BookingDraftSummarySchema,
} as const satisfies Record<EventName, z.ZodType>;

export type Request<N extends InvokeName> = z.input<(typeof contract)[N]['request']>;
export type ParsedRequest<N extends InvokeName> = z.output<(typeof contract)[N]['request']>;
export type Response<N extends InvokeName> = z.output<(typeof contract)[N]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** What the renderer holds: one method per call, plus a typed subscription per event. */
export type DeskApi = {
  [N in InvokeName]: (request: Request<N>) => Promise<IpcResult<Response<N>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** What the core implements: parsed requests in, plain values out, DeskError thrown on failure. */
export type DeskHandlers = {
  [N in InvokeName]: (request: ParsedRequest<N>) => Promise<Response<N>>;
};
