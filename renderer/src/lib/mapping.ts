/**
 * The product mapping form as data: a draft per row being edited, checked with the contract's
 * own ProductMappingSchema before setMapping is called, so the form and main agree on what is
 * valid. Pure, tested in Node.
 */
import { z } from 'zod';
import { ProductMappingSchema, type ProductMapping } from '../../../shared/contract.js';
import type { MessageKey } from '../../../shared/i18n/index.js';

// The CSP forbids eval; without this zod would probe `new Function` and log a violation.
z.config({ jitless: true });

export const MAPPING_FIELDS = [
  'yahooProductId',
  'yahooSpecId',
  'waugGoodsId',
  'waugGoodsOptionId',
  'waugGoodsOptionItemId',
  'label',
] as const;
export type MappingField = (typeof MAPPING_FIELDS)[number];

export type MappingDraft = Record<MappingField, string>;
export type MappingErrors = Partial<Record<MappingField, true>>;

export const MAPPING_ERROR_KEYS: Record<MappingField, MessageKey> = {
  yahooProductId: 'mapping.invalid.yahooProductId',
  yahooSpecId: 'mapping.invalid.yahooSpecId',
  waugGoodsId: 'mapping.invalid.waugGoodsId',
  waugGoodsOptionId: 'mapping.invalid.waugGoodsOptionId',
  waugGoodsOptionItemId: 'mapping.invalid.waugGoodsOptionItemId',
  label: 'mapping.invalid.label',
};

export function emptyMappingDraft(): MappingDraft {
  return {
    yahooProductId: '',
    yahooSpecId: '',
    waugGoodsId: '',
    waugGoodsOptionId: '',
    waugGoodsOptionItemId: '',
    label: '',
  };
}

export function draftFromMapping(mapping: ProductMapping): MappingDraft {
  return { ...mapping };
}

/** A Yahoo product/spec pair is one mapping: the key of a row. */
export function mappingKey(mapping: Pick<ProductMapping, 'yahooProductId' | 'yahooSpecId'>): string {
  return `${mapping.yahooProductId.trim()}\u0000${mapping.yahooSpecId.trim()}`;
}

function isMappingField(value: unknown): value is MappingField {
  return typeof value === 'string' && (MAPPING_FIELDS as readonly string[]).includes(value);
}

export type MappingCheck =
  | { ok: true; mapping: ProductMapping }
  /** `duplicate`: another row maps this Yahoo product/spec already. */
  | { ok: false; errors: MappingErrors; duplicate: boolean };

/**
 * Checks the draft with the contract's schema. When a row is being edited (`editingKey`), its
 * Yahoo product/spec may stay; a new row may not take a pair another row already maps, since
 * setMapping would silently replace that row.
 */
export function checkMapping(
  draft: MappingDraft,
  existing: readonly ProductMapping[] = [],
  editingKey: string | null = null,
): MappingCheck {
  const errors: MappingErrors = {};
  const parsed = ProductMappingSchema.safeParse(draft);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (isMappingField(field)) errors[field] = true;
    }
    return { ok: false, errors, duplicate: false };
  }
  const key = mappingKey(parsed.data);
  if (key !== editingKey && existing.some((row) => mappingKey(row) === key)) {
    return { ok: false, errors: { yahooProductId: true, yahooSpecId: true }, duplicate: true };
  }
  return { ok: true, mapping: parsed.data };
}

/** Rows in a stable order: by Yahoo product, then spec. */
export function arrangeMappings(rows: readonly ProductMapping[]): ProductMapping[] {
  return [...rows].sort(
    (a, b) => a.yahooProductId.localeCompare(b.yahooProductId) || a.yahooSpecId.localeCompare(b.yahooSpecId),
  );
}
