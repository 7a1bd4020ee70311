/** What the counter's operations share: the store, Yahoo (when configured), who is at the desk, the clock. */
import type { Voucher } from '../../../shared/domain/voucher.js';
import { normaliseSerial } from '../../../shared/domain/serial.js';
import type { AuditEntry } from '../db/audit.js';
import type { DeskStore } from '../db/store.js';
import type { CachedVoucher } from '../db/vouchers.js';
import type { Logger } from '../log/logger.js';
import { SerialLocks } from '../sync/locks.js';
import type { YahooApi } from '../yahoo/api.js';

export interface DeskIdentity {
  station: string;
  operator: string;
}

export interface CounterDeps {
  store: DeskStore;
  /** The Yahoo client in use, or null when the desk is not configured. */
  yahoo: () => YahooApi | null;
  identity: () => DeskIdentity;
  now: () => Date;
  log: Logger;
  /** How long a query that resolves an ambiguous redemption may take. */
  resolveTimeoutMs?: number;
  /** True while Yahoo is judged unreachable or the clerk works offline: answer from the cache at once. */
  offline?: () => boolean;
  /** settings.allowOfflineRedeem (default on): queue a cached redeemable voucher when Yahoo cannot be reached. */
  allowOfflineRedeem?: () => boolean;
  /** Shared with the outbox worker: one attempt in flight per voucher. */
  locks?: SerialLocks;
  /** Called after every change to the outbox (a row queued, delivered, refused…). */
  onOutboxChanged?: () => void;
  /** [0, 1) for the backoff's jitter; Math.random by default. */
  random?: () => number;
}

export interface CounterContext extends CounterDeps {
  readonly locks: SerialLocks;
  isOffline(): boolean;
  offlineRedeemAllowed(): boolean;
  outboxChanged(): void;
  random(): number;
  /** Appends to the audit log at once (use inside the transaction that goes with it). */
  audit(entry: Omit<AuditEntry, 'at' | 'station' | 'operator'> & { at?: string }): void;
  /** Lookups are audited off the scan path: batched and written after the answer. */
  auditLater(entry: Omit<AuditEntry, 'at' | 'station' | 'operator'>): void;
  flushAudit(): void;
  nowIso(): string;
  /** Yahoo's voucher for exactly this serial, or null when Yahoo has none. Throws YahooError. */
  queryBySerial(api: YahooApi, serial: string, timeoutMs?: number): Promise<Voucher | null>;
  /** Caches what Yahoo said (newest-wins) and answers with what the cache now holds. */
  remember(voucher: Voucher): CachedVoucher;
}

const LOOKUP_AUDIT_BATCH = 256;

export function createCounterContext(deps: CounterDeps): CounterContext {
  const { store } = deps;
  let queued: AuditEntry[] = [];
  let scheduled: ReturnType<typeof setImmediate> | null = null;

  const stamp = (entry: Omit<AuditEntry, 'at' | 'station' | 'operator'> & { at?: string }): AuditEntry => {
    const who = deps.identity();
    return {
      at: deps.now().toISOString(),
      station: who.station,
      operator: who.operator,
      ...entry,
    };
  };

  const writeBatch = store.db.transaction((entries: AuditEntry[]) => {
    for (const entry of entries) store.audit.append(entry);
  });

  const flushAudit = (): void => {
    if (scheduled !== null) {
      clearImmediate(scheduled);
      scheduled = null;
    }
    if (queued.length === 0 || !store.db.open) return;
    const batch = queued;
    queued = [];
    try {
      writeBatch(batch);
    } catch (error) {
      deps.log.error('could not write lookup audit entries', {
        count: batch.length,
        error,
      });
    }
  };

  const locks = deps.locks ?? new SerialLocks();
  return {
    ...deps,
    locks,
    isOffline: () => deps.offline?.() ?? false,
    offlineRedeemAllowed: () => deps.allowOfflineRedeem?.() ?? true,
    outboxChanged: () => deps.onOutboxChanged?.(),
    random: () => (deps.random ?? Math.random)(),
    audit: (entry) => store.audit.append(stamp(entry)),
    auditLater(entry) {
      queued.push(stamp(entry));
      if (queued.length >= LOOKUP_AUDIT_BATCH) flushAudit();
      else scheduled ??= setImmediate(flushAudit);
    },
    flushAudit,
    nowIso: () => deps.now().toISOString(),
    async queryBySerial(api, serial, timeoutMs) {
      const page = await api.queryVouchers(
        { serialNumber: serial },
        timeoutMs === undefined ? undefined : { timeoutMs },
      );
      return (
        page.vouchers.find((v) => {
          const check = normaliseSerial(v.serialNumber);
          return check.ok ? check.serial === serial : v.serialNumber === serial;
        }) ?? null
      );
    },
    remember(voucher) {
      const fetchedAt = deps.now().toISOString();
      store.vouchers.upsert(voucher, fetchedAt);
      return store.vouchers.getById(voucher.voucherId) ?? { voucher, fetchedAt };
    },
  };
}
