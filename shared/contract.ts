/**
 * The one IPC contract: every call's request and response schema, and every push event.
 * The Electron main process and the browser shell both validate with these schemas; the
 * renderer's API type is derived from them, so a call cannot drift from its handler.
 */
import { z } from 'zod';
import type { EventName, InvokeName } from './channels.js';
import type { IpcResult } from './errors.js';
import { REFUSAL_REASONS, VOUCHER_STATUSES } from './domain/voucher.js';

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

export const LookupResultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('found'),
    voucher: VoucherViewSchema,
    verdict: RedeemVerdictSchema,
    source: LookupSourceSchema,
    /** When the status shown was last read from Yahoo. */
    fetchedAt: isoTime,
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
  outcome: z.enum(['redeemed', 'rejected', 'queued', 'pending', 'failed']),
  reason: RefusalReasonSchema.nullable(),
  buyerNameMasked: z.string().nullable(),
  operatorName: z.string(),
});
export type ShiftRedemption = z.infer<typeof ShiftRedemptionSchema>;

export const AppStatusSchema = z.object({
  mode: z.enum(['demo', 'live', 'unconfigured']),
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
  })
  .partial()
  .strict();
export type SettingsUpdate = z.infer<typeof SettingsUpdateSchema>;

export const StartShiftRequestSchema = z.object({ operatorName: shortText(60).min(1) }).strict();

const Empty = z.object({}).strict();

export const contract = {
  lookupVoucher: { request: LookupRequestSchema, response: LookupResultSchema },
  redeemVoucher: { request: RedeemRequestSchema, response: RedeemResultSchema },
  listShiftRedemptions: { request: Empty, response: z.array(ShiftRedemptionSchema) },
  startShift: { request: StartShiftRequestSchema, response: AppStatusSchema },
  getAppStatus: { request: Empty, response: AppStatusSchema },
  getSettings: { request: Empty, response: SettingsViewSchema },
  updateSettings: { request: SettingsUpdateSchema, response: SettingsViewSchema },
} as const satisfies Record<InvokeName, { request: z.ZodType; response: z.ZodType }>;

export const events = {
  statusChanged: AppStatusSchema,
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
