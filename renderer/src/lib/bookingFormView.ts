/**
 * The booking form on screen: its sections (the order's contact once, each goods once, each
 * participant), the input each WAUG field type gets, which problem a field shows and when
 * (after its first blur, or everywhere once the clerk asks to go on), and copying a
 * participant. The checks themselves are the shared ones (shared/domain/bookingForm.ts).
 */
import type { FieldError } from '../../../shared/contract.js';
import type { FormSlot } from '../../../shared/domain/bookingForm.js';
import type { FieldProblem, WaugFieldType, WaugInfoGroup } from '../../../shared/domain/waugFields.js';

export interface FormSection {
  /** Stable across renders: ORDER, GOODS:<goods> or EACH:<goods>:<unit>. */
  id: string;
  group: WaugInfoGroup;
  goodsIndex: number | null;
  /** 0-based participant, for EACH. */
  unit: number | null;
  slots: FormSlot[];
}

/** The slots grouped the way a clerk fills them: ORDER, then per goods its GOODS block and one block per participant. */
export function formSections(slots: readonly FormSlot[]): FormSection[] {
  const sections: FormSection[] = [];
  const byId = new Map<string, FormSection>();
  for (const slot of slots) {
    const id =
      slot.group === 'ORDER'
        ? 'ORDER'
        : slot.group === 'GOODS'
          ? `GOODS:${slot.goodsIndex ?? 0}`
          : `EACH:${slot.goodsIndex ?? 0}:${slot.unit ?? 0}`;
    let section = byId.get(id);
    if (section === undefined) {
      section = { id, group: slot.group, goodsIndex: slot.goodsIndex, unit: slot.unit, slots: [] };
      byId.set(id, section);
      sections.push(section);
    }
    section.slots.push(slot);
  }
  return sections;
}

/** The control a field type is typed into. */
export type InputKind =
  'text' | 'textarea' | 'date' | 'email' | 'engname' | 'time' | 'digits' | 'decimal' | 'radio' | 'select' | 'checkbox';

export function inputKind(fieldType: WaugFieldType): InputKind {
  switch (fieldType) {
    case 'text':
    case 'text_short':
    case 'text_middle':
      return 'text';
    case 'textarea':
      return 'textarea';
    case 'date':
    case 'birthdate':
      return 'date';
    case 'email':
      return 'email';
    case 'engname':
      return 'engname';
    case 'time':
      return 'time';
    case 'mobile':
    case 'tel':
      return 'digits';
    case 'number':
      return 'decimal';
    case 'radio':
      return 'radio';
    case 'select':
      return 'select';
    case 'checkbox':
      return 'checkbox';
  }
}

/** A problem shown under a field: one of the checker's codes, or WAUG's own words. */
export interface ShownProblem {
  problem: FieldProblem | 'waug';
  detail: string | null;
}

/**
 * The problem a field shows now. The local check speaks once the field was left (or the clerk
 * pressed Validate); an error from WAUG stays until the clerk edits that field.
 */
export function shownProblem(
  key: string,
  problems: Readonly<Record<string, FieldProblem>>,
  visible: (key: string) => boolean,
  serverErrors: Readonly<Record<string, FieldError>>,
): ShownProblem | null {
  const local = problems[key];
  if (local !== undefined && visible(key)) return { problem: local, detail: null };
  const server = serverErrors[key];
  return server === undefined ? null : { problem: server.problem, detail: server.detail };
}

/** The first slot (in form order) with a problem, to take the focus. */
export function firstProblemKey(
  slots: readonly FormSlot[],
  problems: Readonly<Record<string, unknown>>,
): string | null {
  return slots.find((slot) => slot.key in problems)?.key ?? null;
}

/**
 * The values with participant `from`'s EACH answers copied to participant `to` of the same
 * goods. Only filled answers are copied: what `to` already has for an empty one stays.
 */
export function copyParticipant(
  values: Readonly<Record<string, string>>,
  slots: readonly FormSlot[],
  goodsIndex: number,
  from: number,
  to: number,
): Record<string, string> {
  const copied = { ...values };
  const targets = new Map(
    slots
      .filter((slot) => slot.group === 'EACH' && slot.goodsIndex === goodsIndex && slot.unit === to)
      .map((slot) => [slot.field.fieldId, slot.key]),
  );
  for (const slot of slots) {
    if (slot.group !== 'EACH' || slot.goodsIndex !== goodsIndex || slot.unit !== from) continue;
    const target = targets.get(slot.field.fieldId);
    const value = values[slot.key] ?? '';
    if (target !== undefined && value !== '') copied[target] = value;
  }
  return copied;
}

/** A DOM id for a slot key (which holds colons, awkward in selectors). */
export const fieldDomId = (key: string): string => `bf-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
