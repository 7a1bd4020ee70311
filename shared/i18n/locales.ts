/**
 * The UI languages. The list mirrors `LOCALES` in shared/contract.ts; it is repeated here
 * (checked against the contract's type) so that importing the catalogs does not load zod.
 */
import type { Locale as ContractLocale } from '../contract.js';

export type Locale = ContractLocale;

export const SUPPORTED_LOCALES = ['zh-TW', 'en'] as const satisfies readonly Locale[];
export const DEFAULT_LOCALE: Locale = 'zh-TW';

// Fails to compile if the contract gains a locale that this list lacks.
const everyLocaleListed: Record<Locale, true> = { 'zh-TW': true, en: true };
void everyLocaleListed;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}
