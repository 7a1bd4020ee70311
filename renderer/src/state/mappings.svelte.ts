/**
 * The product mapping table in Settings: Yahoo product/spec → WAUG goods/option/item. One row at
 * a time is edited (or a new one added); the draft is checked with the contract's schema before
 * setMapping is called.
 */
import type { DeskApi, ProductMapping } from '../../../shared/contract.js';
import type { WireError } from '../../../shared/errors.js';
import { callSafely } from '../lib/call.js';
import {
  arrangeMappings,
  checkMapping,
  draftFromMapping,
  emptyMappingDraft,
  mappingKey,
  type MappingDraft,
  type MappingErrors,
} from '../lib/mapping.js';

/** null: nothing is edited; 'new': the add form; otherwise the key of the row edited. */
export type MappingEditing = null | 'new' | string;

export class MappingTable {
  rows = $state.raw<readonly ProductMapping[]>([]);
  loaded = $state(false);
  loadError = $state.raw<WireError | null>(null);
  editing = $state<MappingEditing>(null);
  draft = $state<MappingDraft>(emptyMappingDraft());
  errors = $state.raw<MappingErrors>({});
  /** The edited pair is mapped by another row already. */
  duplicate = $state(false);
  saving = $state(false);
  actionError = $state.raw<WireError | null>(null);
  /** The key of a row whose removal is on its way. */
  removing = $state<string | null>(null);

  readonly #api: DeskApi;

  constructor(api: DeskApi) {
    this.#api = api;
  }

  async load(): Promise<void> {
    const result = await callSafely(() => this.#api.listMappings({}));
    if (result.ok) {
      this.rows = arrangeMappings(result.value);
      this.loadError = null;
    } else {
      this.loadError = result.error;
    }
    this.loaded = true;
  }

  startAdd(): void {
    this.#edit('new', emptyMappingDraft());
  }

  startEdit(row: ProductMapping): void {
    this.#edit(mappingKey(row), draftFromMapping(row));
  }

  cancel(): void {
    this.editing = null;
    this.errors = {};
    this.duplicate = false;
    this.actionError = null;
  }

  edited(): void {
    this.errors = {};
    this.duplicate = false;
  }

  async save(): Promise<boolean> {
    if (this.editing === null || this.saving) return false;
    const editingKey = this.editing === 'new' ? null : this.editing;
    const check = checkMapping(this.draft, this.rows, editingKey);
    if (!check.ok) {
      this.errors = check.errors;
      this.duplicate = check.duplicate;
      return false;
    }
    this.saving = true;
    this.actionError = null;
    let result = await callSafely(() => this.#api.setMapping(check.mapping));
    // The Yahoo pair is the row's identity: a changed pair is a new row, and the old one goes.
    const old = editingKey === null ? null : this.rows.find((row) => mappingKey(row) === editingKey);
    if (result.ok && old !== undefined && old !== null && mappingKey(old) !== mappingKey(check.mapping)) {
      const { yahooProductId, yahooSpecId } = old;
      result = await callSafely(() => this.#api.removeMapping({ yahooProductId, yahooSpecId }));
    }
    this.saving = false;
    if (!result.ok) {
      this.actionError = result.error;
      void this.load();
      return false;
    }
    this.rows = arrangeMappings(result.value);
    this.editing = null;
    return true;
  }

  async remove(row: ProductMapping): Promise<void> {
    const key = mappingKey(row);
    if (this.removing !== null) return;
    this.removing = key;
    this.actionError = null;
    const { yahooProductId, yahooSpecId } = row;
    const result = await callSafely(() => this.#api.removeMapping({ yahooProductId, yahooSpecId }));
    this.removing = null;
    if (result.ok) {
      this.rows = arrangeMappings(result.value);
      if (this.editing === key) this.cancel();
    } else {
      this.actionError = result.error;
    }
  }

  #edit(editing: MappingEditing, draft: MappingDraft): void {
    this.editing = editing;
    this.draft = draft;
    this.errors = {};
    this.duplicate = false;
    this.actionError = null;
  }
}
