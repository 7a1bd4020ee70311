/**
 * Retention of personal data (issue 3 item 1, API-NOTES §1 "buyerDetails is personal data"):
 * the buyer's name and phone of a voucher that is done with (USED, REFUNDED or CANCELLED, or
 * expired) are cleared once that is older than the retention period. The voucher row itself
 * stays, so the counter can still say "used on …". Search by name or phone no longer finds it.
 *
 * Run it after each pull: a pull can bring back the personal data of an old voucher.
 */
import type { DeskStore } from '../db/store.js';

const DAY_MS = 86_400_000;

/**
 * Clears buyer_name and buyer_phone of vouchers that are USED/REFUNDED/CANCELLED with a status
 * time older than `retentionDays` before `now`, or whose expiry is older than that. Strictly
 * older: a time exactly at the cutoff is kept. Returns how many rows changed; idempotent.
 */
export function purgePersonalData(store: DeskStore, now: Date, retentionDays: number): number {
  if (!Number.isFinite(retentionDays) || retentionDays < 0) {
    throw new RangeError(`purgePersonalData: retentionDays must be 0 or more, not ${retentionDays}`);
  }
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('purgePersonalData: now is not a valid date');
  // Times are stored as ISO-8601 UTC with milliseconds (toISOString), so text order is time order.
  const cutoff = new Date(nowMs - retentionDays * DAY_MS).toISOString();
  return store.db
    .prepare<{ cutoff: string }>(
      `UPDATE vouchers SET buyer_name = NULL, buyer_phone = NULL
       WHERE (buyer_name IS NOT NULL OR buyer_phone IS NOT NULL)
         AND ((status IN ('USED', 'REFUNDED', 'CANCELLED') AND status_applied_time < @cutoff)
              OR expire_time < @cutoff)`,
    )
    .run({ cutoff }).changes;
}
