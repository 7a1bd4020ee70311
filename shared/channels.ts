/**
 * Every IPC channel, and nothing else. The preload imports only this file, so the
 * sandboxed preload bundle stays tiny and can expose exactly these calls.
 */
export const INVOKE_CHANNELS = {
  lookupVoucher: 'voucher:lookup',
  redeemVoucher: 'voucher:redeem',
  listShiftRedemptions: 'shift:redemptions',
  startShift: 'shift:start',
  getAppStatus: 'app:status',
  getSettings: 'settings:get',
  updateSettings: 'settings:update',
  searchVouchers: 'voucher:search',
  getSyncStatus: 'sync:status',
  setWorkOffline: 'sync:work-offline',
  syncNow: 'sync:now',
  listOutbox: 'outbox:list',
  resolveConflict: 'outbox:resolve',
  getOrder: 'order:get',
  searchOrders: 'order:search',
  syncOrders: 'order:sync',
  requestRefund: 'order:refund',
  listMappings: 'mapping:list',
  setMapping: 'mapping:set',
  removeMapping: 'mapping:remove',
  listBookings: 'booking:list',
  retryBooking: 'booking:retry',
  getServeStatus: 'serve:status',
  setServe: 'serve:set',
  listGoods: 'catalog:list',
  getGoods: 'catalog:goods',
  getGoodsPrices: 'catalog:prices',
  syncCatalog: 'catalog:sync',
  newBookingDraft: 'booking-draft:new',
  saveBookingDraft: 'booking-draft:save',
  getBookingDraft: 'booking-draft:get',
  listBookingDrafts: 'booking-draft:list',
  discardBookingDraft: 'booking-draft:discard',
  validateBooking: 'booking-draft:validate',
  createBooking: 'booking-draft:create',
} as const;

export const EVENT_CHANNELS = {
  /** Pushed by main whenever AppStatus changes (settings saved, shift started, mode changed). */
  statusChanged: 'event:status',
  /** Pushed whenever connectivity, the outbox or a sync's progress changes. */
  syncStatusChanged: 'event:sync-status',
  /** A voucher changed outside the desk's own calls (Yahoo issued, cancelled or notified). */
  voucherChanged: 'event:voucher',
  /** A WAUG order changed (webhook, booking). */
  orderChanged: 'event:order',
  /** The merchant endpoints started, stopped or failed. */
  serveStatusChanged: 'event:serve-status',
  /** The WAUG catalog cache changed (a full sync, or one goods re-read after GOODS_UPDATE). */
  catalogChanged: 'event:catalog',
  /** A counter booking draft changed state (created, issuance followed, discarded). */
  bookingDraftChanged: 'event:booking-draft',
} as const;

export type InvokeName = keyof typeof INVOKE_CHANNELS;
export type EventName = keyof typeof EVENT_CHANNELS;
