/**
 * The goods picker's filters as data: the listGoods request, the country and city chips the
 * cached catalog offers, and how stale the catalog is. Pure, tested in Node.
 */
import type { ListGoodsResult, Request } from '../../../shared/contract.js';
import { sinceLastSync, type SinceSync } from './sync.js';

export interface CatalogFilters {
  query: string;
  countryCode: string | null;
  city: string | null;
  refundableOnly: boolean;
  instantOnly: boolean;
}

export const NO_FILTERS: CatalogFilters = {
  query: '',
  countryCode: null,
  city: null,
  refundableOnly: false,
  instantOnly: false,
};

/** Only what is set is sent; the query is cut to what the contract accepts. */
export function listGoodsRequest(filters: CatalogFilters): Request<'listGoods'> {
  const request: Request<'listGoods'> = {
    query: filters.query.trim().slice(0, 60),
    refundableOnly: filters.refundableOnly,
    instantOnly: filters.instantOnly,
  };
  if (filters.countryCode !== null) request.countryCode = filters.countryCode;
  if (filters.city !== null) request.city = filters.city;
  return request;
}

type CityRow = ListGoodsResult['cities'][number];

/** Every country with cached goods, sorted. */
export function countriesOf(cities: readonly CityRow[]): string[] {
  return [...new Set(cities.flatMap((row) => (row.countryCode === null ? [] : [row.countryCode])))].sort();
}

/** The city chips: those of the chosen country, or all, sorted and without repeats. */
export function citiesFor(cities: readonly CityRow[], countryCode: string | null): string[] {
  const names = cities.filter((row) => countryCode === null || row.countryCode === countryCode).map((row) => row.city);
  return [...new Set(names)].sort((a, b) => a.localeCompare(b));
}

/** Picking a country drops a city chip of another country. */
export function withCountry(filters: CatalogFilters, countryCode: string | null, cities: readonly CityRow[]) {
  const keepCity =
    filters.city !== null && (countryCode === null || citiesFor(cities, countryCode).includes(filters.city));
  return { ...filters, countryCode, city: keepCity ? filters.city : null };
}

export function hasFilters(filters: CatalogFilters): boolean {
  return (
    filters.query.trim() !== '' ||
    filters.countryCode !== null ||
    filters.city !== null ||
    filters.refundableOnly ||
    filters.instantOnly
  );
}

/** A catalog older than a day (the daily sync missed) is worth a warning. */
const STALE_AFTER_HOURS = 24;

export type CatalogAge = SinceSync & { stale: boolean };

export function catalogAge(syncedAt: string | null, now: Date): CatalogAge {
  const since = sinceLastSync(syncedAt, now);
  const stale =
    since.kind === 'never' || since.kind === 'days' || (since.kind === 'hours' && since.hours >= STALE_AFTER_HOURS);
  return { ...since, stale };
}

/** "★★★★☆" for 4 of 5; the words say the number too (colour and glyphs are never the only signal). */
export function ratingStars(rating: number, outOf = 5): string {
  const filled = Math.min(outOf, Math.max(0, Math.round(rating)));
  return '★'.repeat(filled) + '☆'.repeat(outOf - filled);
}
