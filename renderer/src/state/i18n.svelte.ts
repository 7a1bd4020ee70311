/**
 * The UI language. The locale is state (taken from AppStatus, changed at once from Settings);
 * the translator is derived from it, so every text in the UI follows a switch immediately.
 */
import {
  createTranslator,
  DEFAULT_LOCALE,
  type Locale,
  type MessageKey,
  type MessageValues,
  type Translator,
} from '../../../shared/i18n/index.js';

export class I18n {
  locale = $state<Locale>(DEFAULT_LOCALE);
  readonly tr: Translator = $derived(createTranslator(this.locale));

  t = (key: MessageKey, values?: MessageValues): string => this.tr.t(key, values);
}
