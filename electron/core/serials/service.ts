/**
 * Issuing, cancelling and status notifications for the serials this merchant hands Yahoo
 * (API-NOTES §1 "Yahoo → merchant endpoints"). The HTTP side is serve/yahooEndpoints.ts; this is
 * what it does to the database, and the events and hooks it fires.
 */
import { randomInt } from 'node:crypto';
import { makeOurSerial } from '../../../shared/domain/serial.js';
import type { VoucherStatus } from '../../../shared/domain/voucher.js';
import {
  serialsOf,
  type CancelOutcome,
  type IssuedSerial,
  type IssueOrder,
  type SerialEntry,
  type VoucherChange,
} from '../db/serials.js';
import type { DeskStore } from '../db/store.js';
import type { Logger } from '../log/logger.js';

/**
 * What onSerialsIssued listeners get: one answered issue call (all its items share the order,
 * product and spec). A superset of the bookings service's IssuedSerials.
 */
export interface IssuedOrder {
  orderId: string;
  productId: string;
  specId: string;
  storeId: string | null;
  transactionId: string | null;
  items: readonly {
    orderItemId: string;
    serialNumber: string;
    price: string;
    /** False for an idempotent repeat of an earlier issue (Yahoo retrying). */
    created: boolean;
  }[];
}

export type SerialsIssuedListener = (issued: IssuedOrder) => void;

export interface NotificationVoucher {
  voucherId: string;
  orderId: string;
  orderItemId: string | null;
  status: VoucherStatus;
  statusAppliedTime: string;
  executedBy: string | null;
}

export interface NotificationOutcome {
  /** Applied: newer than what the cache held. */
  updated: number;
  /** Duplicates and stale ones: nothing changed. */
  unchanged: number;
  /** Not in the cache and not one of our pending serials: skipped (the next sync pull brings it). */
  unknown: number;
}

export interface SerialService {
  issue(order: IssueOrder): IssuedSerial[];
  cancel(orderId: string, orderItemIds: readonly string[]): CancelOutcome;
  notify(vouchers: readonly NotificationVoucher[]): NotificationOutcome;
  listByOrder(orderId: string): SerialEntry[];
  /**
   * Called synchronously after every successful issue commits and before Yahoo gets its answer,
   * with the call's order and ALL its items (`created` tells new from repeated), so a listener can queue work
   * idempotently, e.g. a WAUG booking in the outbox keyed by orderItemId. A listener must be
   * quick and must not call WAUG: Yahoo's call is never held on a partner. Its errors are logged,
   * never answered to Yahoo. A Yahoo retry after a crash fires it again for the same items.
   */
  onSerialsIssued(listener: SerialsIssuedListener): () => void;
  /** Every real change to a cached voucher made by issue, cancel or a notification. */
  onVoucherChanged(listener: (change: VoucherChange) => void): () => void;
}

export interface SerialServiceOptions {
  store: () => DeskStore;
  now?: () => Date;
  log: Logger;
  /** The cached voucher's title until Yahoo's own arrives: e.g. the product mapping's label. */
  titleFor?: (productId: string, specId: string) => string | null;
  /** Uniform integer in [0, n) from a cryptographic source. Default node:crypto randomInt. */
  randomIndex?: (n: number) => number;
}

export function createSerialService(options: SerialServiceOptions): SerialService {
  const now = options.now ?? (() => new Date());
  const log = options.log.child({ component: 'serials' });
  const randomIndex = options.randomIndex ?? ((n: number) => randomInt(n));
  const issuedListeners = new Set<SerialsIssuedListener>();
  const changeListeners = new Set<(change: VoucherChange) => void>();

  const emit = (changes: readonly VoucherChange[]): void => {
    for (const change of changes)
      for (const listener of changeListeners) {
        try {
          listener(change);
        } catch (error) {
          log.error('voucherChanged listener failed', { error });
        }
      }
  };

  return {
    issue(order) {
      const title = options.titleFor?.(order.productId, order.specId) || order.productId;
      const store = options.store();
      const issued = serialsOf(store.db).issue(order, {
        newSerial: () => makeOurSerial(randomIndex),
        now: now().toISOString(),
        title,
      });
      const created = issued.filter((s) => s.created);
      if (created.length > 0) log.info('serials issued', { orderId: order.orderId, count: created.length });
      emit(created.map((s) => ({ serialNumber: s.serialNumber, voucherId: null, status: 'UNUSED' as const })));
      const event: IssuedOrder = {
        orderId: order.orderId,
        productId: order.productId,
        specId: order.specId,
        storeId: order.storeId,
        transactionId: order.transactionId,
        items: issued.map((s) => ({
          orderItemId: s.orderItemId,
          serialNumber: s.serialNumber,
          price: s.price,
          created: s.created,
        })),
      };
      for (const listener of issuedListeners) {
        try {
          listener(event);
        } catch (error) {
          log.error('serialsIssued listener failed', { orderId: order.orderId, error });
        }
      }
      return issued;
    },

    cancel(orderId, orderItemIds) {
      const outcome = serialsOf(options.store().db).cancel(orderId, orderItemIds, now().toISOString());
      if (outcome.kind === 'cancelled') {
        log.info('serials cancelled', { orderId, count: outcome.changes.length });
        emit(outcome.changes);
      } else {
        log.warn('cancel refused', { orderId, reason: outcome.kind, orderItemIds: outcome.orderItemIds });
      }
      return outcome;
    },

    notify(vouchers) {
      const store = options.store();
      const serials = serialsOf(store.db);
      const fetchedAt = now().toISOString();
      const outcome: NotificationOutcome = { updated: 0, unchanged: 0, unknown: 0 };
      const changes: VoucherChange[] = [];
      store.db
        .transaction(() => {
          for (const v of vouchers) {
            let adopted = false;
            if (store.vouchers.getById(v.voucherId) === null && v.orderItemId !== null)
              adopted = serials.adoptVoucherId(v.orderItemId, v.orderId, v.voucherId);
            const result = store.vouchers.applyStatus(
              v.voucherId,
              { status: v.status, statusAppliedTime: v.statusAppliedTime, executedBy: v.executedBy },
              fetchedAt,
            );
            if (result === 'missing') {
              outcome.unknown += 1;
              log.info('notification for a voucher not in the cache; skipped until the next sync', {
                voucherId: v.voucherId,
              });
              continue;
            }
            if (result === 'updated' || adopted) {
              outcome.updated += 1;
              const row = store.vouchers.getById(v.voucherId);
              if (row)
                changes.push({
                  serialNumber: row.voucher.serialNumber,
                  voucherId: v.voucherId,
                  status: row.voucher.status,
                });
            } else {
              outcome.unchanged += 1;
            }
          }
        })
        .immediate();
      emit(changes);
      return outcome;
    },

    listByOrder: (orderId) => serialsOf(options.store().db).listByOrder(orderId),

    onSerialsIssued(listener) {
      issuedListeners.add(listener);
      return () => void issuedListeners.delete(listener);
    },
    onVoucherChanged(listener) {
      changeListeners.add(listener);
      return () => void changeListeners.delete(listener);
    },
  };
}
