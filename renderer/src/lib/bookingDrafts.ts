/**
 * How many goods each open draft holds, for the drafts list to mark those the steps do not book
 * (several goods, made by `book --file`; bookingSteps.ts opensInSteps). The list's summaries do
 * not say, so each draft is read in full once, and again only after it changed. Free of Svelte,
 * so it is tested in Node.
 */
import type { BookingDraft, BookingDraftSummary } from '../../../shared/contract.js';
import type { IpcResult } from '../../../shared/errors.js';

export interface GoodsCount {
  /** The draft's updatedAt when it was counted: a later change is counted again. */
  updatedAt: string;
  goods: number;
}

export type GoodsCounts = Readonly<Record<string, GoodsCount>>;

/**
 * The goods counts of the listed drafts: what `known` counted since their last change, the rest
 * read. A draft whose read fails stays uncounted (shown unmarked; opening it reads it anyway).
 */
export async function countGoods(
  list: readonly BookingDraftSummary[],
  known: GoodsCounts,
  read: (draftId: string) => Promise<IpcResult<BookingDraft>>,
): Promise<Record<string, GoodsCount>> {
  const counted = await Promise.all(
    list.map(async (summary): Promise<[string, GoodsCount] | null> => {
      const before = known[summary.draftId];
      if (before !== undefined && before.updatedAt >= summary.updatedAt) return [summary.draftId, before];
      const result = await read(summary.draftId);
      if (!result.ok) return null;
      return [summary.draftId, { updatedAt: result.value.updatedAt, goods: result.value.body.goods.length }];
    }),
  );
  return Object.fromEntries(counted.filter((entry) => entry !== null));
}

/** The goods of a draft when it holds several; null for one, or not counted yet. */
export function severalGoods(counts: GoodsCounts, draftId: string): number | null {
  const goods = counts[draftId]?.goods ?? 0;
  return goods > 1 ? goods : null;
}
