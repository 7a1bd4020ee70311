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

export const VoucherChangedSchema = z.object({
  serialNumber: z.string(),
  voucherId: z.string().nullable(),
  status: VoucherStatusSchema,
});
export const OrderChangedSchema = z.object({ orderNumber: z.string() });

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
} as const satisfies Record<InvokeName, { request: z.ZodType; response: z.ZodType }>;

export const events = {
  statusChanged: AppStatusSchema,
  syncStatusChanged: SyncStatusSchema,
  voucherChanged: VoucherChangedSchema,
  orderChanged: OrderChangedSchema,
  serveStatusChanged: ServeStatusSchema,
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
