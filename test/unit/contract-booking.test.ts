/** The booking parts of the IPC contract refuse what no clerk could have typed. */
import { describe, expect, it } from 'vitest';
import { DraftBodySchema, SaveDraftRequestSchema } from '../../shared/contract.js';

const body = (values: Record<string, string>) => ({
  goods: [{ goodsId: '107402', goodsName: 'Taroko', useDate: '2026-12-10', options: [] }],
  values,
});

describe('a booking draft on the wire', () => {
  it('takes a form of EACH values for three participants', () => {
    const parsed = DraftBodySchema.parse(
      body({ 'EACH:0:5:0': 'CHEN MEI', 'EACH:0:5:1': 'LIN DA', 'EACH:0:5:2': 'LIN XIAO' }),
    );
    expect(Object.keys(parsed.values)).toHaveLength(3);
    expect(parsed.step).toBe('goods');
  });

  it('refuses an unbounded form, an over-long value, a bad day and unknown keys', () => {
    const many = Object.fromEntries(Array.from({ length: 6001 }, (_, i) => [`EACH:0:5:${i}`, 'X']));
    expect(DraftBodySchema.safeParse(body(many)).success).toBe(false);
    expect(DraftBodySchema.safeParse(body({ 'ORDER:1': 'x'.repeat(2001) })).success).toBe(false);
    const long = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`EACH:0:76:${i}`, 'x'.repeat(2000)]));
    expect(DraftBodySchema.safeParse(body(long)).success).toBe(false); // 202,000 characters in all
    expect(
      DraftBodySchema.safeParse({ ...body({}), goods: [{ ...body({}).goods[0], useDate: '2026-13-01x' }] }).success,
    ).toBe(false);
    expect(SaveDraftRequestSchema.safeParse({ draftId: 'd1', body: body({}), extra: true }).success).toBe(false);
  });
});
