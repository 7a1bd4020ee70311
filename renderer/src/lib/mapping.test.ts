import { describe, expect, it } from 'vitest';
import type { ProductMapping } from '../../../shared/contract.js';
import {
  arrangeMappings,
  checkMapping,
  draftFromMapping,
  emptyMappingDraft,
  mappingKey,
  type MappingDraft,
} from './mapping.js';

const good: MappingDraft = {
  yahooProductId: ' P100 ',
  yahooSpecId: 'S1',
  waugGoodsId: '5001',
  waugGoodsOptionId: '77',
  waugGoodsOptionItemId: '9',
  label: ' Seoul tower ',
};

const saved: ProductMapping = {
  yahooProductId: 'P100',
  yahooSpecId: 'S1',
  waugGoodsId: '5001',
  waugGoodsOptionId: '77',
  waugGoodsOptionItemId: '9',
  label: 'Seoul tower',
};

describe('checkMapping (the contract schema)', () => {
  it('accepts a complete mapping and trims it as main will', () => {
    expect(checkMapping(good)).toEqual({ ok: true, mapping: saved });
  });

  it('allows an empty label', () => {
    expect(checkMapping({ ...good, label: '' })).toMatchObject({ ok: true });
  });

  it('names every missing or malformed field', () => {
    const result = checkMapping(emptyMappingDraft());
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toEqual({
        yahooProductId: true,
        yahooSpecId: true,
        waugGoodsId: true,
        waugGoodsOptionId: true,
        waugGoodsOptionItemId: true,
      });
      expect(result.duplicate).toBe(false);
    }
  });

  it('wants WAUG ids as digits only, and limits lengths', () => {
    expect(checkMapping({ ...good, waugGoodsId: 'G-5001' })).toMatchObject({
      ok: false,
      errors: { waugGoodsId: true },
    });
    expect(checkMapping({ ...good, waugGoodsOptionId: '1.5' })).toMatchObject({
      ok: false,
      errors: { waugGoodsOptionId: true },
    });
    expect(checkMapping({ ...good, waugGoodsOptionItemId: '1'.repeat(21) })).toMatchObject({
      ok: false,
      errors: { waugGoodsOptionItemId: true },
    });
    expect(checkMapping({ ...good, yahooProductId: 'P'.repeat(25) })).toMatchObject({
      ok: false,
      errors: { yahooProductId: true },
    });
    expect(checkMapping({ ...good, label: 'x'.repeat(121) })).toMatchObject({ ok: false, errors: { label: true } });
  });

  it('refuses a new row for a Yahoo pair already mapped, but lets that row be edited', () => {
    expect(checkMapping(good, [saved])).toMatchObject({ ok: false, duplicate: true });
    expect(checkMapping({ ...good, waugGoodsId: '6000' }, [saved], mappingKey(saved))).toMatchObject({ ok: true });
    expect(checkMapping({ ...good, yahooSpecId: 'S2' }, [saved])).toMatchObject({ ok: true });
  });
});

describe('mapping rows', () => {
  it('round-trips a row into a draft', () => {
    expect(checkMapping(draftFromMapping(saved))).toEqual({ ok: true, mapping: saved });
  });

  it('keys rows by the Yahoo pair and sorts them by product, then spec', () => {
    const rows = [
      { ...saved, yahooProductId: 'P2', yahooSpecId: 'B' },
      { ...saved, yahooProductId: 'P1', yahooSpecId: 'Z' },
      { ...saved, yahooProductId: 'P2', yahooSpecId: 'A' },
    ];
    expect(arrangeMappings(rows).map(mappingKey)).toEqual([
      mappingKey({ yahooProductId: 'P1', yahooSpecId: 'Z' }),
      mappingKey({ yahooProductId: 'P2', yahooSpecId: 'A' }),
      mappingKey({ yahooProductId: 'P2', yahooSpecId: 'B' }),
    ]);
    expect(mappingKey({ yahooProductId: 'P1', yahooSpecId: '2' })).not.toBe(
      mappingKey({ yahooProductId: 'P12', yahooSpecId: '' }),
    );
  });
});
