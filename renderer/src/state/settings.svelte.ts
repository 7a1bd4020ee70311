/**
 * The Settings screen's data: the saved view, the clerk's draft, and field errors. The shared
 * secret is write-only: the draft's secret box always starts empty and the view only says
 * whether one is set.
 */
import type { DeskApi, SettingsUpdate, SettingsView } from '../../../shared/contract.js';
import type { WireError } from '../../../shared/errors.js';
import type { Locale } from '../../../shared/i18n/index.js';
import { callSafely } from '../lib/call.js';
import {
  buildSettingsUpdate,
  draftFromView,
  fieldsNamedIn,
  validateSettingsUpdate,
  type FieldErrors,
  type SettingsDraft,
} from '../lib/settingsForm.js';
import type { I18n } from './i18n.svelte.js';

export type SaveState = 'idle' | 'saving' | 'saved' | 'invalid' | 'failed';
export type PinSaveState = 'idle' | 'saving' | 'saved' | 'failed';
export type BookingSaveState = 'idle' | 'saving' | 'saved' | 'cleared' | 'failed';

export class SettingsEditor {
  view = $state.raw<SettingsView | null>(null);
  draft = $state<SettingsDraft | null>(null);
  fieldErrors = $state.raw<FieldErrors>({});
  saveState = $state<SaveState>('idle');
  error = $state.raw<WireError | null>(null);
  loadError = $state.raw<WireError | null>(null);
  /** The manager PIN is saved on its own, apart from the form (it never sits in the draft). */
  pinState = $state<PinSaveState>('idle');
  pinError = $state.raw<WireError | null>(null);
  /** The WAUG booking contact is also saved on its own, with its own Save and Clear. */
  bookingState = $state<BookingSaveState>('idle');
  bookingError = $state.raw<WireError | null>(null);

  readonly #api: DeskApi;
  readonly #i18n: I18n;

  constructor(api: DeskApi, i18n: I18n) {
    this.#api = api;
    this.#i18n = i18n;
  }

  async load(): Promise<void> {
    const result = await callSafely(() => this.#api.getSettings({}));
    if (!result.ok) {
      this.loadError = result.error;
      return;
    }
    this.loadError = null;
    this.#accept(result.value);
  }

  async save(): Promise<void> {
    const view = this.view;
    const draft = this.draft;
    if (view === null || draft === null || this.saveState === 'saving') return;
    const update = buildSettingsUpdate(draft, view);
    const invalid = validateSettingsUpdate(update, draft);
    if (Object.keys(invalid).length > 0) {
      this.fieldErrors = invalid;
      this.saveState = 'invalid';
      return;
    }
    this.saveState = 'saving';
    this.fieldErrors = {};
    this.error = null;
    const result = await callSafely(() => this.#api.updateSettings(update));
    if (result.ok) {
      this.#accept(result.value);
      this.saveState = 'saved';
      return;
    }
    this.error = result.error;
    if (result.error.code === 'bad_input') {
      this.fieldErrors = fieldsNamedIn(result.error.message);
      this.saveState = 'invalid';
    } else {
      this.saveState = 'failed';
    }
  }

  /** The language applies the moment it is chosen, and is saved on its own. */
  async setLocale(locale: Locale): Promise<void> {
    const previous = this.#i18n.locale;
    this.#i18n.locale = locale;
    const result = await callSafely(() => this.#api.updateSettings({ locale }));
    if (result.ok) {
      this.view = result.value;
      this.#i18n.locale = result.value.locale;
    } else {
      this.#i18n.locale = previous;
      this.error = result.error;
      this.saveState = 'failed';
    }
  }

  /**
   * Sets or changes the manager PIN. Only `hasManagerPin` changes in the view; the clerk's
   * unsaved edits in the form are kept.
   */
  async saveManagerPin(update: Pick<SettingsUpdate, 'managerPin'>): Promise<boolean> {
    if (this.pinState === 'saving') return false;
    this.pinState = 'saving';
    this.pinError = null;
    const result = await callSafely(() => this.#api.updateSettings(update));
    if (result.ok) {
      if (this.view !== null) this.view = { ...this.view, hasManagerPin: result.value.hasManagerPin };
      this.pinState = 'saved';
      return true;
    }
    this.pinError = result.error;
    this.pinState = 'failed';
    return false;
  }

  /**
   * Saves (or, with null, clears) the booking contact. Only `waugBookingContact` changes in the
   * view; the clerk's unsaved edits in the form are kept.
   */
  async saveBookingContact(update: Pick<SettingsUpdate, 'waugBookingContact'>): Promise<boolean> {
    if (this.bookingState === 'saving' || update.waugBookingContact === undefined) return false;
    const clearing = update.waugBookingContact === null;
    this.bookingState = 'saving';
    this.bookingError = null;
    const result = await callSafely(() => this.#api.updateSettings(update));
    if (result.ok) {
      if (this.view !== null) this.view = { ...this.view, waugBookingContact: result.value.waugBookingContact };
      this.bookingState = clearing ? 'cleared' : 'saved';
      return true;
    }
    this.bookingError = result.error;
    this.bookingState = 'failed';
    return false;
  }

  bookingEdited(): void {
    if (this.bookingState !== 'saving') this.bookingState = 'idle';
  }

  pinEdited(): void {
    if (this.pinState === 'saved' || this.pinState === 'failed') this.pinState = 'idle';
  }

  edited(): void {
    if (this.saveState === 'saved' || this.saveState === 'failed') this.saveState = 'idle';
  }

  #accept(view: SettingsView): void {
    this.view = view;
    this.draft = draftFromView(view);
    this.fieldErrors = {};
    this.#i18n.locale = view.locale;
  }
}
