import { describe, expect, it } from 'vitest';
import {
  BookingDraftSchema,
  BookingDraftSummarySchema,
  type BookingDraft,
  type BookingDraftSummary,
} from '../../../shared/contract.js';
import type { IpcResult } from '../../../shared/errors.js';
import { countGoods, severalGoods } from './bookingDrafts.js';

const line = (goodsId: string) => ({
  goodsId,
  goodsName: `Goods ${goodsId}`,
  useDate: null,
  options: [],
  additionalInput: '',
});

function draft(draftId: string, goods: number, updatedAt: string): BookingDraft {
  return BookingDraftSchema.parse({
    draftId,
    partnerOrderNumber: `VD-B-${draftId}`,
    state: 'editing',
    body: { goods: Array.from({ length: goods }, (_, i) => line(String(107400 + i))), values: {}, step: 'date' },
    orderNumber: null,
    lastError: null,
    createdAt: '2026-03-01T00:00:00.000Z',
    updatedAt,
  });
}

const summary = (d: BookingDraft): BookingDraftSummary =>
  BookingDraftSummarySchema.parse({
    draftId: d.draftId,
    partnerOrderNumber: d.partnerOrderNumber,
    state: d.state,
    goodsName: d.body.goods.map((g) => g.goodsName).join(' + '),
    useDate: null,
    units: 0,
    orderNumber: null,
    voucherState: null,
    updatedAt: d.updatedAt,
  });

/** Main's drafts, counting the reads. */
function fakeMain(drafts: BookingDraft[]) {
  const reads: string[] = [];
  const byId = new Map(drafts.map((d) => [d.draftId, d]));
  return {
    reads,
    set: (d: BookingDraft) => byId.set(d.draftId, d),
    read: (draftId: string): Promise<IpcResult<BookingDraft>> => {
      reads.push(draftId);
      const found = byId.get(draftId);
      return Promise.resolve(
        found === undefined
          ? { ok: false, error: { code: 'not_found', message: 'no draft' } }
          : { ok: true, value: found },
      );
    },
  };
}

const T1 = '2026-03-01T01:00:00.000Z';
const T2 = '2026-03-01T02:00:00.000Z';

describe('countGoods', () => {
  it('counts the goods of every listed draft', async () => {
    const drafts = [draft('a', 1, T1), draft('b', 3, T1)];
    const counts = await countGoods(drafts.map(summary), {}, fakeMain(drafts).read);
    expect(counts).toEqual({ a: { updatedAt: T1, goods: 1 }, b: { updatedAt: T1, goods: 3 } });
    expect(severalGoods(counts, 'a')).toBeNull();
    expect(severalGoods(counts, 'b')).toBe(3);
  });

  it('reads a draft again only after it changed, and forgets drafts no longer listed', async () => {
    const a = draft('a', 1, T1);
    const b = draft('b', 2, T1);
    const main = fakeMain([a, b]);
    const first = await countGoods([summary(a), summary(b)], {}, main.read);
    main.reads.length = 0;

    // `book --file` ran again under b's partner number, with another goods in the file.
    const b2 = draft('b', 3, T2);
    main.set(b2);
    const second = await countGoods([summary(b2)], first, main.read);
    expect(main.reads).toEqual(['b']);
    expect(second).toEqual({ b: { updatedAt: T2, goods: 3 } });

    main.reads.length = 0;
    expect(await countGoods([summary(b2)], second, main.read)).toEqual(second);
    expect(main.reads).toEqual([]);
  });

  it('leaves a draft it cannot read uncounted', async () => {
    const gone = draft('gone', 4, T1);
    const counts = await countGoods([summary(gone)], {}, fakeMain([]).read);
    expect(counts).toEqual({});
    expect(severalGoods(counts, 'gone')).toBeNull();
  });
});
