import { describe, expect, it } from 'vitest';
import { ListGoodsRequestSchema } from '../../../shared/contract.js';
import {
  catalogAge,
  citiesFor,
  countriesOf,
  hasFilters,
  listGoodsRequest,
  NO_FILTERS,
  ratingStars,
  withCountry,
} from './bookingCatalog.js';

const CITIES = [
  { city: 'Taipei', countryCode: 'TW' },
  { city: 'Hualien', countryCode: 'TW' },
  { city: 'Seoul', countryCode: 'KR' },
  { city: 'Jeju', countryCode: 'KR' },
  { city: 'Taipei', countryCode: 'TW' },
  { city: 'Nowhere', countryCode: null },
];

describe('listGoodsRequest', () => {
  it('sends only the filters that are set, in a shape the contract accepts', () => {
    const plain = listGoodsRequest(NO_FILTERS);
    expect(plain).toEqual({ query: '', refundableOnly: false, instantOnly: false });
    expect(ListGoodsRequestSchema.safeParse(plain).success).toBe(true);

    const all = listGoodsRequest({
      query: `  ${'x'.repeat(80)} `,
      countryCode: 'KR',
      city: 'Seoul',
      refundableOnly: true,
      instantOnly: true,
    });
    expect(all.query).toHaveLength(60);
    expect(all).toMatchObject({ countryCode: 'KR', city: 'Seoul', refundableOnly: true, instantOnly: true });
    expect(ListGoodsRequestSchema.safeParse(all).success).toBe(true);
  });
});

describe('country and city chips', () => {
  it('lists each country and city once, sorted', () => {
    expect(countriesOf(CITIES)).toEqual(['KR', 'TW']);
    expect(citiesFor(CITIES, null)).toEqual(['Hualien', 'Jeju', 'Nowhere', 'Seoul', 'Taipei']);
    expect(citiesFor(CITIES, 'KR')).toEqual(['Jeju', 'Seoul']);
  });

  it('drops a city chip of another country when a country is picked', () => {
    const inSeoul = { ...NO_FILTERS, city: 'Seoul' };
    expect(withCountry(inSeoul, 'TW', CITIES)).toMatchObject({ countryCode: 'TW', city: null });
    expect(withCountry(inSeoul, 'KR', CITIES)).toMatchObject({ countryCode: 'KR', city: 'Seoul' });
    expect(withCountry(inSeoul, null, CITIES)).toMatchObject({ countryCode: null, city: 'Seoul' });
  });

  it('knows when any filter is on', () => {
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, query: '  ' })).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, query: 'tour' })).toBe(true);
    expect(hasFilters({ ...NO_FILTERS, instantOnly: true })).toBe(true);
  });
});

describe('catalogAge', () => {
  const now = new Date('2026-03-10T12:00:00Z');

  it('says how old the saved catalog is, and when it is stale', () => {
    expect(catalogAge(null, now)).toEqual({ kind: 'never', stale: true });
    expect(catalogAge('2026-03-10T11:50:00Z', now)).toEqual({ kind: 'minutes', minutes: 10, stale: false });
    expect(catalogAge('2026-03-10T01:00:00Z', now)).toEqual({ kind: 'hours', hours: 11, stale: false });
    expect(catalogAge('2026-03-09T11:00:00Z', now)).toEqual({ kind: 'hours', hours: 25, stale: true });
    expect(catalogAge('2026-03-01T12:00:00Z', now)).toMatchObject({ kind: 'days', stale: true });
  });
});

describe('ratingStars', () => {
  it('draws the rating out of five, clamped', () => {
    expect(ratingStars(4)).toBe('★★★★☆');
    expect(ratingStars(0)).toBe('☆☆☆☆☆');
    expect(ratingStars(9)).toBe('★★★★★');
  });
});
