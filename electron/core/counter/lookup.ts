/**
 * Looking a voucher up at the counter. With prefer 'cache' a cached voucher is answered from
 * SQLite with no network at all (the scan path); otherwise Yahoo is asked and the cache updated,
 * and the cache answers when Yahoo cannot be reached.
 */
import type { LocalRedemption, LookupResult } from '../../../shared/contract.js';
import { DeskError } from '../../../shared/errors.js';
import { redeemVerdict } from '../../../shared/domain/voucher.js';
import type { RedemptionStore } from '../db/redemptions.js';
import type { CachedVoucher } from '../db/vouchers.js';
import type { CounterContext } from './context.js';
import {
  CACHE_FALLBACK_KINDS,
  deskCodeFor,
  deskErrorFromYahoo,
  describeFailure,
  isYahooError,
  notConfigured,
  serialOrThrow,
  yahooPhrase,
} from './errors.js';
import { toVoucherView } from './view.js';

/** While offline, a lookup of an uncached serial still asks Yahoo, but gives up sooner. */
export const OFFLINE_LOOKUP_TIMEOUT_MS = 3_000;

/** This desk's latest redemption of the serial, so the card can say "queued here" before Yahoo knows. */
export function localRedemption(redemptions: RedemptionStore, serial: string): LocalRedemption | null {
  const row = redemptions.latestLocal(serial);
  if (!row) return null;
  const state = row.state === 'pending' ? 'queued' : row.state === 'redeemed' ? 'redeemed' : 'conflict';
  return { redemptionId: row.id, state, at: row.completedAt ?? row.createdAt };
}

export function foundResult(
  cached: CachedVoucher,
  source: 'cache' | 'remote',
  now: Date,
  local: LocalRedemption | null = null,
): LookupResult {
  return {
    kind: 'found',
    voucher: toVoucherView(cached.voucher),
    verdict: redeemVerdict(cached.voucher, now),
    source,
    fetchedAt: cached.fetchedAt,
    localRedemption: local,
  };
}

export async function lookupVoucher(
  ctx: CounterContext,
  input: string,
  prefer: 'cache' | 'remote',
): Promise<LookupResult> {
  const serial = serialOrThrow(input);
  const { vouchers } = ctx.store;

  const answerFromCache = (detail: string): LookupResult | null => {
    const cached = vouchers.getBySerial(serial);
    if (!cached) return null;
    ctx.auditLater({
      action: 'lookup',
      serialNumber: serial,
      voucherId: cached.voucher.voucherId,
      redemptionId: null,
      outcome: 'found',
      detail,
    });
    return foundResult(cached, 'cache', ctx.now(), localRedemption(ctx.store.redemptions, serial));
  };

  // Offline, a scan must not wait for Yahoo's timeout: the cache answers at once.
  if (prefer === 'cache' || ctx.isOffline()) {
    const hit = answerFromCache(prefer === 'cache' ? 'cache' : 'cache; offline');
    if (hit) return hit;
  }

  const api = ctx.yahoo();
  if (!api) {
    const hit = answerFromCache('cache; Yahoo not configured');
    if (hit) return hit;
    throw notConfigured();
  }

  let remote;
  try {
    remote = await ctx.queryBySerial(api, serial, ctx.isOffline() ? OFFLINE_LOOKUP_TIMEOUT_MS : undefined);
  } catch (error) {
    if (isYahooError(error) && CACHE_FALLBACK_KINDS.has(error.kind)) {
      const hit = answerFromCache(`cache; ${describeFailure(error)}`);
      if (hit) return hit;
      ctx.auditLater(lookupFailure(serial, error));
      throw new DeskError(
        deskCodeFor(error.kind),
        `${yahooPhrase(error.kind)}, and ${serial} is not in this desk’s cache, so it cannot be checked offline. Try again when the connection is back.`,
        { cause: error },
      );
    }
    ctx.auditLater(lookupFailure(serial, error));
    if (isYahooError(error)) throw deskErrorFromYahoo(error, `${serial} could not be looked up.`);
    throw error;
  }

  if (!remote) {
    ctx.auditLater({
      action: 'lookup',
      serialNumber: serial,
      voucherId: null,
      redemptionId: null,
      outcome: 'not_found',
      detail: 'remote',
    });
    return { kind: 'not_found', serial, source: 'remote' };
  }
  const cached = ctx.remember(remote);
  ctx.auditLater({
    action: 'lookup',
    serialNumber: serial,
    voucherId: remote.voucherId,
    redemptionId: null,
    outcome: 'found',
    detail: 'remote',
  });
  return foundResult(cached, 'remote', ctx.now(), localRedemption(ctx.store.redemptions, serial));
}

function lookupFailure(serial: string, error: unknown) {
  return {
    action: 'lookup' as const,
    serialNumber: serial,
    voucherId: null,
    redemptionId: null,
    outcome: 'error',
    detail: describeFailure(error),
  };
}
