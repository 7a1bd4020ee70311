/** The booking screens' state, handed down through Svelte context next to the desk's own (context.ts). */
import { createContext } from 'svelte';
import type { BookingState } from './booking.svelte.js';
import type { CatalogState } from './catalog.svelte.js';

export interface BookingDesk {
  catalog: CatalogState;
  booking: BookingState;
}

export const [getBookingDesk, setBookingDesk] = createContext<BookingDesk>();
